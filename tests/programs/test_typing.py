"""A user's type checker flags a wrong argument to an input class (the package ships `py.typed`).

mypy checks small programs written against the public API, as a user's IDE or CI would: with
no configuration of ours (no pydantic plugin), strict, against the installed package.
"""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

PROGRAM_HEADER = """\
import pulumi
from pulumi_mixpanel import AwsPipelineArgs, BigQueryPipelineArgs, MixpanelPipeline
"""

CORRECT_PROGRAM = """\
bucket_name: pulumi.Output[str] = pulumi.Output.from_input("acme-mixpanel-export")

to_s3 = MixpanelPipeline(
    "events-to-s3",
    AwsPipelineArgs(
        s3_bucket=bucket_name,  # an Output of another resource
        s3_region="us-east-1",
        s3_role="arn:aws:iam::123456789012:role/mixpanel-export",
        from_date="2026-11-01",
        events=["Signed Up"],
        use_glue=False,
    ),
)
trial = MixpanelPipeline("trial", BigQueryPipelineArgs(bq_share_with_group="analysts@acme.example", trial=True))
names: pulumi.Output[list[str]] = to_s3.pipeline_names
pulumi.export("pipelineNames", names)
pulumi.export("trialStatus", trial.status)
"""


def type_check(tmp_path: Path, body: str) -> subprocess.CompletedProcess[str]:
    program = tmp_path / "__main__.py"
    program.write_text(PROGRAM_HEADER + textwrap.dedent(body))
    (tmp_path / "mypy.ini").write_text("[mypy]\n")  # none of this repository's settings
    return subprocess.run(
        [sys.executable, "-m", "mypy", "--strict", "--no-incremental", "--config-file", "mypy.ini", str(program)],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        timeout=300,
    )


def test_a_correct_program_type_checks(tmp_path: Path) -> None:
    result = type_check(tmp_path, CORRECT_PROGRAM)
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.parametrize(
    ("mistake", "message"),
    [
        (
            'BigQueryPipelineArgs(bq_share_with_grup="analysts@acme.example", trial=True)',
            'Unexpected keyword argument "bq_share_with_grup" for "BigQueryPipelineArgs"',
        ),
        (
            'AwsPipelineArgs(s3_bucket=3, s3_region="us-east-1", s3_role="arn:aws:iam::1:role/r")',
            'Argument "s3_bucket" to "AwsPipelineArgs" has incompatible type "int"',
        ),
        (
            'AwsPipelineArgs(s3_bucket="b", s3_region="us-east-1", s3_role="r", use_glue="yes")',
            'Argument "use_glue" to "AwsPipelineArgs" has incompatible type "str"',
        ),
        ('AwsPipelineArgs(s3_region="us-east-1", s3_role="r")', 'Missing named argument "s3_bucket"'),
    ],
    ids=["misspelled-field", "int-bucket", "str-flag", "missing-required"],
)
def test_a_wrong_argument_is_flagged(tmp_path: Path, mistake: str, message: str) -> None:
    result = type_check(tmp_path, f'MixpanelPipeline("wrong", {mistake})\n')
    assert result.returncode == 1, result.stdout + result.stderr
    assert message in result.stdout, result.stdout
