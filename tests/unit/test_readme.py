"""The README stays true: its Python runs and passes check; its emulator command works."""

from __future__ import annotations

import datetime as dt
import re
import subprocess
import sys
from pathlib import Path

import pytest
import requests

from harness.program import run_program
from harness.secrets import reveal
from pulumi_mixpanel.core.lifecycle import PipelineLifecycle
from pulumi_mixpanel.core.settings import ProviderSettings

README = Path(__file__).resolve().parents[2] / "README.md"
# The README's examples are written as of this day (their from_date is 2026-11-01).
WRITTEN_ON = dt.datetime(2026, 11, 27, tzinfo=dt.timezone.utc)


def python_blocks() -> list[str]:
    return re.findall(r"```python\n(.*?)```", README.read_text(), flags=re.S)


def pipeline_blocks() -> list[str]:
    """The blocks that declare MixpanelPipeline resources (the others: the generated SDK, whose
    own examples run in tests/cli/test_docs_examples.py, and reads that need Mixpanel)."""
    return [block for block in python_blocks() if "MixpanelPipeline(" in block]


def test_every_python_block_of_the_readme_is_valid_python():
    assert len(pipeline_blocks()) >= 3
    for block in python_blocks():
        compile(block, str(README), "exec")


@pytest.mark.parametrize("index", range(len(pipeline_blocks())))
def test_readme_python_runs_and_every_pipeline_passes_check(index):
    source = pipeline_blocks()[index]
    if "import" not in source.split("\n", 1)[0] and "from pulumi_mixpanel" not in source:
        source = "from pulumi_mixpanel import *\n" + source
    mocks = run_program(lambda: _run(source))
    pipelines = {n: r for n, r in mocks.resources.items() if r["type"].endswith(":MixpanelPipeline")}
    assert pipelines
    lifecycle = PipelineLifecycle(ProviderSettings.from_sources({}, {}), clock=lambda: WRITTEN_ON)
    for name, registered in pipelines.items():
        inputs = {k: v for k, v in reveal(registered["inputs"]).items() if k != "__provider"}
        assert lifecycle.check({}, inputs).problems == [], name


def _run(source: str):
    import pulumi

    import pulumi_mixpanel

    namespace: dict = {"pulumi_mixpanel": pulumi_mixpanel}
    exec(compile(source, str(README), "exec"), namespace)
    return [value for value in namespace.values() if isinstance(value, pulumi.Resource)] or _registered()


def _registered():
    import pulumi

    # Blocks that do not keep their resources in variables: wait on a trivial Output instead.
    class Done:
        urn = pulumi.Output.from_input("done")

    return [Done()]


def test_readme_emulator_command_prints_its_url_and_serves():
    assert "mixpanel-emulator --port 0" in README.read_text()
    script = Path(sys.executable).with_name("mixpanel-emulator")
    process = subprocess.Popen([str(script), "--port", "0"], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        base_url = process.stdout.readline().strip()
        assert re.fullmatch(r"http://127\.0\.0\.1:\d+", base_url)
        answer = requests.get(f"{base_url}/api/2.0/nessie/pipeline/jobs", auth=("emulator-api-secret", ""), timeout=10)
        assert answer.status_code == 200
    finally:
        process.terminate()
        _, stderr = process.communicate(timeout=10)
    assert "emulator-secret" in stderr  # it says which credentials it accepts


def documentation_pages() -> list[Path]:
    """The pages a user or contributor reads: the README, CONTRIBUTING, the registry docs, and each
    example's and tool's README."""
    repository = README.parent
    return [
        README,
        repository / "CONTRIBUTING.md",
        *sorted((repository / "docs").rglob("*.md")),
        *sorted((repository / "examples").glob("*/README.md")),
        *sorted((repository / "tools").glob("*/README.md")),
    ]


def test_no_page_shows_a_path_of_the_machine_it_was_captured_on():
    """Captured outputs in the docs are what any user sees: no checkout path, no home folder."""
    repository = README.parent
    machine_paths = re.compile(rf"{re.escape(str(repository))}|/root/|/home/[a-z]|/work/")
    found = [
        f"{page.relative_to(repository)}:{number}: {line.strip()}"
        for page in documentation_pages()
        for number, line in enumerate(page.read_text().splitlines(), 1)
        if machine_paths.search(line)
    ]
    assert found == []


def test_every_test_the_docs_name_exists():
    """A page that cites a test as proof names a file (and a test in it) that is there."""
    repository = README.parent
    missing = []
    for page in documentation_pages():
        for path, test in re.findall(r"(tests/[\w/]+\.py)(?:::(\w+))?", page.read_text()):
            source = repository / path
            if not source.is_file():
                missing.append(f"{page.relative_to(repository)}: {path}")
            elif test and not re.search(rf"def {test}\(", source.read_text()):
                missing.append(f"{page.relative_to(repository)}: {path}::{test}")
    assert missing == []
