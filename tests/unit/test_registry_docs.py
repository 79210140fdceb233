"""The registry docs (docs/) are what tools/registry-docs/generate.py makes from the schema and the
models, they cover every resource and setting, and their Python examples are formatted."""

from __future__ import annotations

import copy
import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from pulumi_mixpanel.core.settings import SETTINGS
from tests.support.pulumi_cli import REPO

sys.path.insert(0, str(REPO / "tools/registry-docs"))

from registry_docs.examples import RESOURCE_EXAMPLES
from registry_docs.languages import type_name
from registry_docs.pages import BANNER, DOCS, Docs

GENERATOR = REPO / "tools/registry-docs/generate.py"
SCHEMA = json.loads((REPO / "provider/pulumi_mixpanel/plugin/schema.json").read_text())


def test_the_checked_in_docs_are_what_the_generator_makes():
    stale = [str(path.relative_to(REPO)) for path in Docs.load().stale()]
    assert stale == [], f"stale registry docs {stale}: run .venv/bin/python tools/registry-docs/generate.py"


def test_check_exits_1_naming_each_stale_file(tmp_path):
    docs = tmp_path / "docs"
    shutil.copytree(DOCS, docs, ignore=shutil.ignore_patterns("benchmarks.md", "reliability.md"))
    assert _check(docs).returncode == 0
    page = docs / "reference/GcsRawPipeline.md"
    page.write_text(page.read_text().replace("acme-mixpanel-raw", "edited-by-hand"))
    index = docs / "_index.md"
    index.write_text(index.read_text().replace("| [AwsPipeline]", "| [AWS]"))
    (docs / "reference/Provider.md").unlink()
    (docs / "reference/OldPipeline.md").write_text(f"---\ntitle: Old\n---\n\n{BANNER}\n")
    result = _check(docs)
    assert result.returncode == 1
    named = sorted(re.findall(r"^stale: (\S+)", result.stderr, flags=re.M))
    assert [Path(name).relative_to(docs).as_posix() for name in named] == [
        "_index.md",
        "reference/GcsRawPipeline.md",
        "reference/OldPipeline.md",
        "reference/Provider.md",
    ]
    # Without --check it writes what is stale, and removes the page of a resource that is gone.
    subprocess.run([sys.executable, str(GENERATOR), "--docs-dir", str(docs)], check=True, capture_output=True)
    assert _check(docs).returncode == 0 and not (docs / "reference/OldPipeline.md").exists()


def _check(docs: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, str(GENERATOR), "--check", "--docs-dir", str(docs)], capture_output=True, text=True
    )


@pytest.mark.parametrize("token", sorted(SCHEMA["resources"]))
def test_every_resource_of_the_schema_has_its_page_with_an_example(token):
    page = (DOCS / "reference" / f"{type_name(token)}.md").read_text()
    assert f"`{token}`" in page
    assert type_name(token) in RESOURCE_EXAMPLES, "every resource type has one example input set"
    for language in ("typescript", "python", "go", "yaml"):
        assert f"{{{{% choosable language {language} %}}}}\n\n```{language}\n" in page
    assert f"pulumi import {token} " in page
    for prop in SCHEMA["resources"][token]["properties"]:
        assert f"| `{prop}` |" in page, f"{prop} is not in the page's inputs or outputs"


def test_the_provider_page_lists_every_provider_input():
    page = (DOCS / "reference/Provider.md").read_text()
    for prop in SCHEMA["provider"]["inputProperties"]:
        assert f"| `{prop}` | `mixpanel:{prop}` |" in page


def test_every_setting_is_in_installation_configuration():
    page = (DOCS / "installation-configuration.md").read_text()
    for setting in SETTINGS:
        row = next((line for line in page.splitlines() if line.startswith(f"| `{setting.name}` |")), None)
        assert row is not None, setting.name
        assert f"`mixpanel:{setting.name}`" in row
        for variable in setting.environment_variables:
            assert f"`{variable}`" in row
        assert ("| yes |" if setting.secret else "| no |") in row


def test_new_outputs_and_functions_of_the_schema_get_documented():
    """The pages follow the schema: an output or a function added there appears without a change here."""
    schema = copy.deepcopy(SCHEMA)
    schema["resources"]["mixpanel:index:GcsRawPipeline"]["properties"]["health"] = {
        "type": "string",
        "description": "How the pipeline's last tasks went.",
    }
    schema["functions"] = {
        "mixpanel:index:getPipelineStatus": {
            "description": "Task counts by state and recent tasks of one pipeline.",
            "inputs": {
                "properties": {"name": {"type": "string", "description": "The pipeline's name."}},
                "required": ["name"],
            },
            "outputs": {
                "properties": {
                    "counts": {
                        "type": "object",
                        "additionalProperties": {"type": "integer"},
                        "description": "By state.",
                    }
                }
            },
        }
    }
    pages = Docs.load(schema).pages()
    assert "| `health` | string | How the pipeline's last tasks went. |" in pages[DOCS / "reference/GcsRawPipeline.md"]
    function_page = pages[DOCS / "reference/getPipelineStatus.md"]
    assert "`mixpanel:index:getPipelineStatus`" in function_page
    assert "| `name` | string | yes | The pipeline's name. |" in function_page
    assert "| `counts` | map of integer | By state. |" in function_page
    assert "| [getPipelineStatus](reference/getPipelineStatus.md) |" in pages[DOCS / "_index.md"]


def test_the_python_examples_are_formatted_and_lint_clean(tmp_path):
    """As ruff (the project's formatter) writes them, for a user's project with its default settings."""
    blocks = [
        block
        for page in sorted(DOCS.rglob("*.md"))
        for block in re.findall(r"```python\n(.*?)```", page.read_text(), re.S)
    ]
    assert len(blocks) >= 2 * len(RESOURCE_EXAMPLES)
    for index, block in enumerate(blocks):
        (tmp_path / f"example_{index}.py").write_text(block)
    for command in (["format", "--check", "--diff"], ["check", "--select", "E,F,W,I,UP,B"]):
        result = subprocess.run(
            [sys.executable, "-m", "ruff", *command, "--isolated", "--no-cache", "."],
            cwd=tmp_path,
            capture_output=True,
            text=True,
        )
        assert result.returncode == 0, result.stdout + result.stderr
