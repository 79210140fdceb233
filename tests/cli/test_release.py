"""A release, used as a user on another machine would use it: from the artifacts of
`scripts/release.sh` alone, in a scratch folder, with a fresh PULUMI_HOME and nothing of this
checkout on PATH. The plugin comes from the release's archive, served over HTTP, either by
`pulumi plugin install --server` or fetched by the CLI by itself; each program runs a preview
(no API call), `up`, a preview with no changes and `destroy` against the emulator, and no run
prints "using pulumi-resource-mixpanel from $PATH".
"""

from __future__ import annotations

import datetime as dt
import functools
import http.server
import json
import os
import re
import shutil
import subprocess
import sys
import threading
import zipfile
from pathlib import Path

import pytest

import pulumi_mixpanel
from harness.emulator import EmulatorAdmin
from pulumi_mixpanel.emulator import EmulatorServer
from pulumi_mixpanel.plugin.schema import PLUGIN_DOWNLOAD_URL
from tests.cli.conftest import npm
from tests.support.go_toolchain import GO_ENV
from tests.support.homes import assert_state_is_mixpanel
from tests.support.pulumi_cli import REPO, PulumiProject, path_without_this_checkout

HERE = Path(__file__).resolve().parent
VERSION = pulumi_mixpanel.__version__
FROM_DATE = (dt.datetime.now(dt.timezone.utc).date() - dt.timedelta(days=5)).isoformat()
ARCHIVE = f"pulumi-resource-mixpanel-v{VERSION}-linux-amd64.tar.gz"
PATH_WARNING = "from $PATH"


@pytest.fixture(scope="session")
def release(tmp_path_factory) -> Path:
    """dist/ as `scripts/release.sh` writes it (built once per test run, into a temporary folder)."""
    dist = tmp_path_factory.mktemp("release") / "dist"
    result = subprocess.run(
        [str(REPO / "scripts/release.sh")],
        env={**os.environ, "RELEASE_DIST_DIR": str(dist)},
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        timeout=1200,
    )
    assert result.returncode == 0, result.stdout
    assert result.stdout.strip().splitlines()[-1] == str(dist)
    return dist


class ReleaseServer:
    """The release's download location, served from dist/ on loopback; it counts what it serves."""

    def __init__(self, dist: Path) -> None:
        self.served: list[str] = []
        served = self.served

        class Handler(http.server.SimpleHTTPRequestHandler):
            def log_message(self, *args: object) -> None:
                served.append(self.path)

        self._server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Handler, directory=dist))
        self.url = f"http://127.0.0.1:{self._server.server_port}/"
        threading.Thread(target=self._server.serve_forever, daemon=True).start()

    @property
    def override(self) -> dict[str, str]:
        """The CLI's download URL, redirected here (a regular expression of the schema's URL)."""
        return {"PULUMI_PLUGIN_DOWNLOAD_URL_OVERRIDES": f"^{re.escape(PLUGIN_DOWNLOAD_URL)}={self.url}"}

    def close(self) -> None:
        self._server.shutdown()
        self._server.server_close()


@pytest.fixture
def server(release):
    served = ReleaseServer(release)
    yield served
    served.close()


@pytest.fixture
def projects():
    with (
        EmulatorServer(port=0, project_id=1, relax_limits=True) as us,
        EmulatorServer(port=0, project_id=2, relax_limits=True) as eu,
    ):
        yield (us.base_url, EmulatorAdmin(us.base_url)), (eu.base_url, EmulatorAdmin(eu.base_url))


def lifecycle(project: PulumiProject, admins: list[EmulatorAdmin]) -> dict:
    """preview (no API call), up, a preview with no changes, destroy; returns the outputs of up."""
    outputs = [project.run("preview")]
    assert all(admin.requests() == [] for admin in admins), "a preview makes no API call"
    outputs.append(project.up())
    stack_outputs = project.outputs()
    state = project.export()
    outputs.append(project.run("preview", "--expect-no-changes"))
    outputs.append(project.run("destroy", "--yes"))
    assert all(admin.pipelines() == [] for admin in admins)
    for output in outputs:
        assert PATH_WARNING not in output, output
    return {"outputs": stack_outputs, "state": state}


def read_the_project(project: PulumiProject) -> dict:
    """Turns the program's reads on (its functions, through its explicit provider); up, destroy."""
    project.config("readProject", "true")
    project.up()
    outputs = project.outputs()
    project.run("destroy", "--yes")
    return outputs


def test_the_release_holds_every_artifact_with_one_version(release):
    names = sorted(path.name for path in release.iterdir())
    assert names == sorted(
        [
            "SHA256SUMS",
            ARCHIVE,
            f"pulumi-mixpanel-mixpanel-{VERSION}.tgz",
            f"pulumi_mixpanel-{VERSION}-py3-none-any.whl",
            f"pulumi_mixpanel-{VERSION}.tar.gz",
            f"pulumi_mixpanel_sdk-{VERSION}-py3-none-any.whl",
        ]
    )
    listing = subprocess.run(["tar", "-tzf", str(release / ARCHIVE)], capture_output=True, text=True, check=True)
    assert "pulumi-resource-mixpanel" in listing.stdout.splitlines()
    schema = json.loads((REPO / "provider/pulumi_mixpanel/plugin/schema.json").read_text())
    assert schema["version"] == VERSION and f"v{VERSION}/" in schema["pluginDownloadURL"]
    assert f"## [{VERSION}]" in (REPO / "CHANGELOG.md").read_text()
    # Each Python package's registry page has a description (the wheel's METADATA body).
    for wheel, description in (
        (f"pulumi_mixpanel-{VERSION}-py3-none-any.whl", "Manage Mixpanel's data-export pipelines as code"),
        (f"pulumi_mixpanel_sdk-{VERSION}-py3-none-any.whl", "Mixpanel data-export pipelines"),
    ):
        with zipfile.ZipFile(release / wheel) as archive:
            metadata = next(name for name in archive.namelist() if name.endswith(".dist-info/METADATA"))
            assert description in archive.read(metadata).decode(), wheel


def test_a_yaml_program_after_plugin_install_from_the_release_server(tmp_path, server, projects):
    (us_url, us), _ = projects
    project = PulumiProject(tmp_path, HERE / "yaml_default_provider", as_a_user=True)
    installed = project.run("plugin", "install", "resource", "mixpanel", VERSION, "--server", server.url)
    assert PATH_WARNING not in installed and f"/{ARCHIVE}" in server.served
    assert re.search(rf"(?m)^mixpanel\s+resource\s+{re.escape(VERSION)}\s", project.run("plugin", "ls"))
    project.config("fromDate", FROM_DATE)
    project.use_emulator(us_url)
    # Installed: the CLI needs no download and no network from here on.
    project.env["PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION"] = "true"
    result = lifecycle(project, [us])
    assert result["outputs"]["pipelines"] == ["events-daily-gcs-raw"]


def test_a_typescript_program_from_the_npm_tarball_fetches_the_plugin_by_itself(tmp_path, server, release, projects):
    (us_url, us), _ = projects
    project = PulumiProject(tmp_path, HERE / "typescript_program", as_a_user=True, extra_env=server.override)
    manifest = json.loads((project.dir / "package.json").read_text())
    manifest["dependencies"]["@pulumi-mixpanel/mixpanel"] = (
        f"file:{release / f'pulumi-mixpanel-mixpanel-{VERSION}.tgz'}"
    )
    (project.dir / "package.json").write_text(json.dumps(manifest, indent=2))
    npm("install", cwd=project.dir)
    project.config("endpoint", us_url)
    project.config("serviceAccountSecret", "emulator-secret", secret=True)
    project.config("fromDate", FROM_DATE)
    result = lifecycle(project, [us])
    assert result["outputs"] == {"pipelineNames": ["events-daily-s3-raw"]}
    assert f"/{ARCHIVE}" in server.served  # no `plugin install`: the CLI fetched it by itself
    read = read_the_project(project)
    assert read["listedNames"] == ["events-daily-s3-raw"] and read["rawHealth"] == "starting"


def make_virtualenv(folder: Path, *wheels: Path) -> Path:
    """A fresh virtualenv in `folder` with `wheels` (and their dependencies, from PyPI) installed."""
    python = shutil.which("python3", path=path_without_this_checkout()) or sys.executable
    subprocess.run([python, "-m", "venv", str(folder)], check=True, timeout=120)
    install = subprocess.run(
        [
            str(folder / "bin/python"),
            "-m",
            "pip",
            "install",
            "--quiet",
            "--disable-pip-version-check",
            *map(str, wheels),
        ],
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert install.returncode == 0, install.stderr
    return folder


def test_a_python_program_from_the_sdk_wheel_reaches_two_projects(tmp_path, server, release, projects):
    (us_url, us), (eu_url, eu) = projects
    project = PulumiProject(tmp_path, HERE / "python_sdk_program", as_a_user=True, extra_env=server.override)
    make_virtualenv(project.dir / "venv", release / f"pulumi_mixpanel_sdk-{VERSION}-py3-none-any.whl")
    project.config("usEndpoint", us_url)
    project.config("euEndpoint", eu_url)
    project.config("serviceAccountSecret", "emulator-secret", secret=True)
    project.config("euApiSecret", "emulator-api-secret", secret=True)
    project.config("clientSecret", "AZ-RELEASE-SECRET-31c9", secret=True)
    project.config("fromDate", FROM_DATE)

    project.run("preview")
    assert us.requests() == [] and eu.requests() == []
    project.up()
    assert project.outputs() == {
        "usPipelines": ["events-daily-gcs-raw"],
        "euPipelines": ["events-daily-azure-blob-monoschema"],
    }
    assert us.requests("create")[0]["auth"] == "service_account:emulator"
    assert eu.requests("create")[0]["auth"] == "api_secret"
    state = project.export()
    assert_state_is_mixpanel(state, {(us_url, "1"): us, (eu_url, ""): eu})
    assert "AZ-RELEASE-SECRET-31c9" not in state
    outputs = [project.run("preview", "--expect-no-changes"), project.run("destroy", "--yes")]
    assert us.pipelines() == [] and eu.pipelines() == []
    assert all(PATH_WARNING not in output for output in outputs)
    assert f"/{ARCHIVE}" in server.served
    read = read_the_project(project)
    assert read["euListed"] == ["events-daily-azure-blob-monoschema"] and read["usRawHealth"] == "starting"


def test_a_go_program_on_the_go_sdk(tmp_path, server, projects):
    (us_url, us), _ = projects
    project = PulumiProject(tmp_path, HERE / "go_program", as_a_user=True, extra_env={**server.override, **GO_ENV})
    # The Go SDK is the module in sdk/ of the release's tag; here, this checkout's.
    subprocess.run(
        ["go", "mod", "edit", "-replace", f"github.com/pulumi-mixpanel/pulumi-mixpanel/sdk={REPO / 'sdk'}"],
        cwd=project.dir,
        env=project.env,
        check=True,
        timeout=60,
    )
    project.config("fromDate", FROM_DATE)
    project.config("endpoint", us_url)
    project.config("serviceAccountSecret", "emulator-secret", secret=True)
    result = lifecycle(project, [us])
    assert result["outputs"] == {"pipelineNames": ["events-daily-gcs-raw"]}
    assert f"/{ARCHIVE}" in server.served
    read = read_the_project(project)
    assert read["listedNames"] == ["events-daily-gcs-raw"] and read["rawHealth"] == "starting"


def test_a_python_program_on_the_dynamic_resource_does_not_load_the_plugin(tmp_path, release, projects):
    """`pulumi-mixpanel` installed from its wheel: its package says it has no plugin, so the CLI
    neither fetches nor starts `pulumi-resource-mixpanel`, even with that command on PATH."""
    (us_url, us), _ = projects
    venv = make_virtualenv(tmp_path / "venv", release / f"pulumi_mixpanel-{VERSION}-py3-none-any.whl")
    project = PulumiProject(tmp_path, HERE / "python_program", as_a_user=True)
    manifest = (project.dir / "Pulumi.yaml").read_text().replace("virtualenv: VIRTUALENV", f"virtualenv: {venv}")
    (project.dir / "Pulumi.yaml").write_text(manifest)
    assert (venv / "bin/pulumi-resource-mixpanel").exists()
    project.env["PATH"] = f"{venv / 'bin'}{os.pathsep}{project.env['PATH']}"
    project.use_emulator(us_url)
    args = {"gcs_bucket": "acme-raw", "gcs_region": "us-central1", "from_date": FROM_DATE}
    project.set_pipelines({"raw": {"class": "GcsRawPipelineArgs", "args": args}})
    result = lifecycle(project, [us])
    assert result["outputs"] == {"raw": ["events-daily-gcs-raw"]}
    assert not list((Path(project.env["PULUMI_HOME"]) / "plugins").glob("resource-mixpanel*"))
