"""MixpanelPipeline in a Pulumi program, under pulumi.runtime.set_mocks."""

from __future__ import annotations

import subprocess
import sys

import pulumi
import pytest

import pulumi_mixpanel as pm
from harness import inputs as valid
from harness.program import run_program

RECENT = valid.recent()


def azure_args(**overrides):
    return valid.args("azure-blob", **overrides)


def test_the_type_token_names_the_resource():
    mocks = run_program(lambda: pm.MixpanelPipeline("pipeline", azure_args()))
    assert mocks.resources["pipeline"]["type"] == "pulumi-python:dynamic/mixpanel:MixpanelPipeline"


def test_fields_take_outputs_of_other_resources():
    def program():
        bucket = pulumi.CustomResource("aws:s3/bucket:Bucket", "bucket", {"bucket": "acme-export"})
        role = pulumi.CustomResource("aws:iam/role:Role", "role", {"arn": "arn:aws:iam::1:role/w"})
        bucket_name = pulumi.Output.from_input(bucket.urn).apply(lambda _: "acme-export")
        pipeline = pm.MixpanelPipeline(
            "pipeline",
            pm.AwsPipelineArgs(
                s3_bucket=bucket_name,
                s3_region="us-east-1",
                s3_role=role.urn.apply(lambda _: "arn:aws:iam::1:role/w"),
                from_date=RECENT,
                events=[pulumi.Output.from_input("Signup")],
            ),
        )
        return [bucket, role, pipeline]

    inputs = run_program(program).resources["pipeline"]["inputs"]
    assert inputs["s3_bucket"] == "acme-export"
    assert inputs["s3_role"] == "arn:aws:iam::1:role/w"
    assert inputs["events"] == ["Signup"]


def test_outputs_and_secret_inputs_stay_secret():
    seen = {}

    def program():
        pipeline = pm.MixpanelPipeline("pipeline", azure_args())

        async def flags():
            seen["client_secret"] = await pipeline.client_secret.is_secret()
            seen["client_id"] = await pipeline.client_id.is_secret()
            seen["pipeline_names"] = await pipeline.pipeline_names.is_secret()
            return True

        return [pipeline, _Awaited(pulumi.Output.from_input(flags()))]

    run_program(program)
    assert seen == {"client_secret": True, "client_id": False, "pipeline_names": False}


def test_every_input_and_the_documented_outputs_are_attributes():
    def program():
        pipeline = pm.MixpanelPipeline(
            "pipeline", pm.GcsRawPipelineArgs(gcs_bucket="b", gcs_region="us-east1", from_date=RECENT)
        )
        for name in (
            "pipeline_names",
            "bigquery_dataset_name",
            "status",
            "unverified_inputs",
            "gcs_bucket",
            "gcs_region",
            "from_date",
            "paused",
            "events",
        ):
            assert isinstance(getattr(pipeline, name), pulumi.Output), name
        return pipeline

    run_program(program)


def test_events_as_a_set_or_a_tuple_reach_the_engine_as_a_list():
    def program():
        return [
            pm.MixpanelPipeline("from-set", valid.args("gcs-raw", events={"b", "a"})),
            pm.MixpanelPipeline("from-tuple", valid.args("gcs-raw", events=("b", "a"))),
        ]

    resources = run_program(program).resources
    assert resources["from-set"]["inputs"]["events"] == ["a", "b"]
    assert resources["from-tuple"]["inputs"]["events"] == ["b", "a"]


def test_invalid_args_in_a_program_are_one_run_error_listing_every_problem():
    with pytest.raises(pulumi.RunError) as raised:
        run_program(
            lambda: pm.MixpanelPipeline(
                "pipeline",
                pm.AwsPipelineArgs(
                    s3_bucket="acme", s3_region="us-east-1", s3_role="r", from_date="2026-13-45", use_glue=True
                ),
            )
        )
    message = str(raised.value)
    assert message.splitlines() == [
        "invalid AwsPipelineArgs (3 problems):",
        "  - from_date: is not a real calendar date (got '2026-13-45')",
        "  - glue_database: is required when use_glue is true",
        "  - glue_role: is required when use_glue is true",
    ]


def test_args_must_be_an_input_class():
    with pytest.raises(TypeError, match="AwsPipelineArgs"):
        run_program(lambda: pm.MixpanelPipeline("pipeline", {"type": "aws"}))


class _Awaited:
    """Lets run_program wait on an Output that is not a resource."""

    def __init__(self, output: pulumi.Output) -> None:
        self.urn = output


FREEZE_COUNT_AFTER_IMPORT = """
import gc, importlib.util, sys
{set_up}
import pulumi_mixpanel.dynamic.provider
print(gc.get_freeze_count())
"""


@pytest.mark.parametrize(
    ("process", "set_up", "frozen"),
    [
        ("a program", "", False),
        (
            "the SDK's provider server",
            "sys.modules['__main__'].__spec__ = importlib.util.find_spec('pulumi.dynamic.__main__')",
            True,
        ),
    ],
)
def test_only_the_provider_process_freezes_what_it_imported(process, set_up, frozen):
    script = FREEZE_COUNT_AFTER_IMPORT.format(set_up=set_up)
    output = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True).stdout
    assert (int(output) > 0) is frozen, process
