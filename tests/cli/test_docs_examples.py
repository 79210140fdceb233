"""The examples of the registry docs (docs/_index.md, docs/installation-configuration.md,
docs/reference/*.md) work, read from the pages themselves:

- YAML: every example on the default provider, as one program, previews and comes up against the
  emulator with the pipeline names the pages' import commands give; the example with explicit
  providers (real Mixpanel regions) previews, which makes no API call;
- TypeScript: type-checks against the built Node.js SDK;
- Python: the SDK's examples and the dynamic resource's register, under Pulumi's mocks, the inputs
  the YAML examples declare, and the dynamic ones pass the provider's check;
- Go: builds against the checkout's Go SDK, as one package, and is as gofmt writes it.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

import pulumi_mixpanel
from harness.emulator import EmulatorAdmin
from harness.program import run_program
from harness.secrets import reveal
from pulumi_mixpanel.core.lifecycle import PipelineLifecycle
from pulumi_mixpanel.core.settings import ProviderSettings
from pulumi_mixpanel.emulator import EmulatorServer
from tests.support.go_toolchain import GO_ENV
from tests.support.pulumi_cli import REPO, PulumiProject

sys.path.insert(0, str(REPO / "tools/registry-docs"))

from registry_docs.examples import EXAMPLE_DATE
from registry_docs.languages import output_name, snake

DOCS = REPO / "docs"
PAGES = [DOCS / "_index.md", DOCS / "installation-configuration.md", *sorted((DOCS / "reference").glob("*.md"))]
PROVIDER_TYPE = "pulumi:providers:mixpanel"
# Mixpanel takes a from_date within six months, the emulator and the provider's check included:
# the YAML run moves the examples' date to a recent day.
RECENT_DATE = (dt.datetime.now(dt.timezone.utc).date() - dt.timedelta(days=3)).isoformat()
# The examples are checked as of a few days after they were written.
WRITTEN_ON = dt.datetime.fromisoformat(EXAMPLE_DATE).replace(tzinfo=dt.timezone.utc) + dt.timedelta(days=3)


def code_blocks(language: str) -> list[str]:
    return [block for page in PAGES for block in re.findall(rf"```{language}\n(.*?)```", page.read_text(), re.S)]


def secret_value(key: str) -> str:
    return f"docs-{key}-/+= &@%"


def yaml_programs() -> tuple[dict, dict]:
    """The YAML examples merged into two programs: those on the default provider, and those with
    explicit providers. A resource shown on several pages must be the same on each."""
    programs: tuple[dict, dict] = ({}, {})
    for block in code_blocks("yaml"):
        example = yaml.safe_load(block)
        if "resources" not in example:
            continue
        explicit = any(r["type"] == PROVIDER_TYPE for r in example["resources"].values())
        merged = programs[explicit]
        for section, entries in example.items():
            for key, value in entries.items():
                existing = merged.setdefault(section, {}).setdefault(key, value)
                assert existing == value, f"two examples declare {section}.{key} differently"
    return programs


def declared_resources() -> dict[str, dict]:
    """Every resource of the YAML examples by name, its config references resolved."""
    resources = {}
    for program in yaml_programs():
        for name, resource in program["resources"].items():
            properties = {
                key: _resolve_config(value, program.get("config", {})) for key, value in resource["properties"].items()
            }
            resources[name] = {"type": resource["type"], "properties": properties}
    return resources


def _resolve_config(value: Any, config: dict) -> Any:
    found = re.fullmatch(r"\$\{(\w+)\}", value) if isinstance(value, str) else None
    if found and found.group(1) in config:
        return secret_value(found.group(1))
    return value


def import_ids() -> dict[str, list[str]]:
    """The pipeline names each reference page's import command gives its example, by resource name."""
    ids = {}
    for page in sorted((DOCS / "reference").glob("*.md")):
        for name, pipeline_id in re.findall(r"^pulumi import mixpanel:index:\w+ (\S+) (\S+)$", page.read_text(), re.M):
            ids[name] = pipeline_id.split(",")
    return ids


def _write_program(folder: Path, name: str, program: dict) -> Path:
    folder.mkdir()
    manifest = {"name": name, "runtime": "yaml", **program}
    (folder / "Pulumi.yaml").write_text(yaml.safe_dump(manifest, sort_keys=False))
    return folder


def _moved_to_a_recent_day(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _moved_to_a_recent_day(v) for k, v in value.items()}
    return RECENT_DATE if value == EXAMPLE_DATE else value


def test_the_yaml_examples_preview_and_come_up_against_the_emulator(tmp_path):
    default_program, _ = yaml_programs()
    default_program["resources"] = _moved_to_a_recent_day(default_program["resources"])
    pipelines = default_program["resources"]
    assert len(pipelines) >= 8
    with EmulatorServer(port=0, relax_limits=True) as emulator:
        admin = EmulatorAdmin(emulator.base_url)
        project = PulumiProject(tmp_path, _write_program(tmp_path / "program", "docs-examples", default_program))
        project.use_emulator(emulator.base_url)
        for key in default_program.get("config", {}):
            project.config(key, secret_value(key), secret=True)

        preview = project.run("preview")
        for name, resource in pipelines.items():
            assert f"+  {resource['type']} {name} create" in preview
        assert admin.requests() == [], "a preview makes no API call"

        project.up()
        outputs = project.outputs()
        expected = import_ids()
        assert set(expected) <= set(pipelines), "every import command names its page's example"
        for name in pipelines:
            names = outputs[output_name(name, "pipelineNames")]
            if name in expected:
                assert names == expected[name], f"the import id of {name}"
        created = sorted(p["name"] for p in admin.pipelines())
        assert created == sorted(name for names in outputs.values() for name in names)
        # The secrets the examples read from config reached Mixpanel, and stayed out of the state.
        azure = admin.pipeline(outputs[output_name("events-to-azure", "pipelineNames")][0])
        assert azure["params"]["client_secret"] == secret_value("azureClientSecret")
        assert secret_value("azureClientSecret") not in project.export()


def test_the_yaml_example_with_explicit_providers_previews(tmp_path):
    _, providers_program = yaml_programs()
    assert providers_program, "the docs show several projects with explicit providers"
    project = PulumiProject(tmp_path, _write_program(tmp_path / "program", "docs-providers", providers_program))
    for key in providers_program.get("config", {}):
        project.config(key, secret_value(key), secret=True)
    preview = project.run("preview")
    for name, resource in providers_program["resources"].items():
        assert f"+  {resource['type']} {name} create" in preview


def test_the_typescript_examples_type_check_against_the_nodejs_sdk(tmp_path, nodejs_sdk):
    blocks = code_blocks("typescript")
    assert blocks
    files = []
    for index, block in enumerate(blocks):
        (tmp_path / f"example_{index}.ts").write_text(block)
        files.append(f"example_{index}.ts")
    # The built SDK, and the packages it was built with (sdk/nodejs/node_modules), as installed.
    installed = REPO / "sdk/nodejs/node_modules"
    modules = tmp_path / "node_modules"
    (modules / "@pulumi-mixpanel").mkdir(parents=True)
    (modules / "@pulumi-mixpanel/mixpanel").symlink_to(nodejs_sdk)
    (modules / "@pulumi").mkdir()
    (modules / "@pulumi/pulumi").symlink_to(installed / "@pulumi/pulumi")
    (modules / "@types").symlink_to(installed / "@types")
    options = {"strict": True, "noEmit": True, "target": "es2020", "module": "commonjs", "moduleResolution": "node"}
    (tmp_path / "tsconfig.json").write_text(json.dumps({"compilerOptions": options, "files": files}))
    result = subprocess.run(
        ["node", str(installed / "typescript/bin/tsc"), "-p", "tsconfig.json"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.fixture
def config_of_the_examples():
    """The secrets the examples read from config, as a stack would hold them."""
    import pulumi.runtime.config as runtime_config

    previous = dict(runtime_config.CONFIG.get())
    keys = {key for program in yaml_programs() for key in program.get("config", {})}
    pulumi_config = {f"project:{key}": secret_value(key) for key in keys}
    runtime_config.set_all_config(pulumi_config, sorted(pulumi_config))
    yield
    runtime_config.set_all_config(previous, [])


def _run_python(source: str):
    import pulumi

    def build():
        namespace: dict = {}
        exec(compile(source, "docs example", "exec"), namespace)
        return [value for value in namespace.values() if isinstance(value, pulumi.Resource)]

    return run_program(build).resources


def test_the_python_sdk_examples_register_what_the_yaml_examples_declare(tmp_path, monkeypatch, config_of_the_examples):
    # The SDK from the checkout, with the distribution metadata an install would give it (the SDK
    # reads its version from there).
    monkeypatch.syspath_prepend(str(REPO / "sdk/python"))
    metadata = tmp_path / f"pulumi_mixpanel_sdk-{pulumi_mixpanel.__version__}.dist-info"
    metadata.mkdir()
    (metadata / "METADATA").write_text(
        f"Metadata-Version: 2.1\nName: pulumi_mixpanel_sdk\nVersion: {pulumi_mixpanel.__version__}\n"
    )
    monkeypatch.syspath_prepend(str(tmp_path))
    blocks = [block for block in code_blocks("python") if "import pulumi_mixpanel_sdk" in block]
    assert blocks
    declared = declared_resources()
    for block in blocks:
        registered = _run_python(block)
        assert registered
        for name, resource in registered.items():
            assert resource["type"] == declared[name]["type"], name
            inputs = {k: v for k, v in reveal(resource["inputs"]).items() if k != "version"}
            assert inputs == declared[name]["properties"], name


def test_the_dynamic_resource_examples_register_the_same_inputs_and_pass_check(config_of_the_examples):
    blocks = [block for block in code_blocks("python") if "from pulumi_mixpanel import" in block]
    assert blocks
    declared = declared_resources()
    lifecycle = PipelineLifecycle(ProviderSettings.from_sources({}, {}), clock=lambda: WRITTEN_ON)
    for block in blocks:
        registered = _run_python(block)
        assert registered
        for name, resource in registered.items():
            inputs = {k: v for k, v in reveal(resource["inputs"]).items() if k != "__provider"}
            given = {k: v for k, v in inputs.items() if v is not None and k != "type"}
            assert given == {snake(k): v for k, v in declared[name]["properties"].items()}, name
            assert lifecycle.check({}, inputs).problems == [], name


def test_the_go_examples_build_against_the_go_sdk_and_are_gofmt_clean(tmp_path):
    go = shutil.which("go")
    assert go is not None, "the Go examples need the Go toolchain on PATH"
    blocks = code_blocks("go")
    assert blocks
    formatted, module = tmp_path / "formatted", tmp_path / "module"
    formatted.mkdir()
    module.mkdir()
    for index, block in enumerate(blocks):
        (formatted / f"example_{index}.go").write_text(block)
        # One package, one build: each example's main becomes a function of its own.
        assert block.count("\nfunc main() {\n") == 1
        (module / f"example_{index}.go").write_text(block.replace("\nfunc main() {\n", f"\nfunc example{index}() {{\n"))
    (module / "main.go").write_text("package main\n\nfunc main() {}\n")
    gofmt = subprocess.run([str(Path(go).parent / "gofmt"), "-l", "."], cwd=formatted, capture_output=True, text=True)
    assert gofmt.returncode == 0 and gofmt.stdout == "", f"not as gofmt writes them: {gofmt.stdout}{gofmt.stderr}"

    # The module requires what the SDK's module requires, and the SDK itself from this checkout.
    sdk_module = (REPO / "sdk/go.mod").read_text()
    go_mod = re.sub(r"(?m)^module .*$", "module docs-examples", sdk_module)
    go_mod += "\nrequire github.com/pulumi-mixpanel/pulumi-mixpanel/sdk v0.0.0\n"
    go_mod += f"\nreplace github.com/pulumi-mixpanel/pulumi-mixpanel/sdk => {REPO / 'sdk'}\n"
    (module / "go.mod").write_text(go_mod)
    shutil.copy(REPO / "sdk/go.sum", module / "go.sum")
    result = subprocess.run(
        [go, "build", "-o", os.devnull, "."],
        cwd=module,
        env={**os.environ, **GO_ENV},
        capture_output=True,
        text=True,
        timeout=900,
    )
    assert result.returncode == 0, result.stdout + result.stderr
