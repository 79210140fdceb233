"""What the benchmark measures. Every function returns plain data (numbers, lists, dicts) that
`run.py` stores as JSON; nothing here formats a result or judges it.

The provider servers, the emulator processes and the valid inputs are the drivers the test suite
uses too (`harness/`), so the benchmark exercises exactly what the tests exercise.
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Optional

import grpc
import psutil
from pulumi.runtime.proto import provider_pb2, provider_pb2_grpc

from bench import engine
from harness import inputs as valid
from harness.cli import DYNAMIC_PROGRAM_ENV
from harness.emulator import EmulatorAdmin, EmulatorProcess
from harness.program import resource_inputs
from harness.servers import (
    PluginServer,
    ProviderServer,
    camel,
    from_struct,
    serialized_provider,
    start,
    to_struct,
)

REPO = Path(__file__).resolve().parents[1]
# The servers import bench.noop_* (the cold-start baselines) like any provider module.
SERVER_ENV = {"PYTHONPATH": os.pathsep.join(p for p in (str(REPO), os.environ.get("PYTHONPATH", "")) if p)}
PHASES = ("create", "read", "update", "delete")


# --- the workload: N pipelines spread over as many projects as their names need -----------------


@dataclass
class Project:
    emulator: EmulatorProcess
    admin: EmulatorAdmin
    pipelines: list[dict[str, Any]]


def make_tls_files(directory: Path) -> tuple[str, str]:
    """(server certificate with its key, CA bundle) from a throwaway trustme authority."""
    from harness.tls import loopback_certificate

    files = loopback_certificate(directory)
    combined = directory / "server.pem"
    combined.write_text(Path(files.cert).read_text() + Path(files.key).read_text())
    return str(combined), files.ca


def open_projects(pipelines: int, latency_ms: int, tls_dir: Path) -> list[Project]:
    """Emulated Mixpanel projects, each in its own process, holding at most 34 pipelines each
    (a project's names are unique: 36 at most, see harness.inputs.distinct)."""
    per_project = 34
    server_pem, ca = make_tls_files(tls_dir)
    projects = []
    for number, first in enumerate(range(0, pipelines, per_project), start=1):
        count = min(per_project, pipelines - first)
        emulator = EmulatorProcess(latency_ms=latency_ms, tls_cert=server_pem, ca_bundle=ca, project_id=number)
        projects.append(Project(emulator, emulator.admin(), valid.distinct(count, tag=f"p{number}-")))
    return projects


def close_projects(projects: list[Project]) -> None:
    for project in projects:
        project.emulator.close()


# --- cold start: process start to the answer of the first Check ---------------------------------


def cold_start(variant: str, settings: dict[str, str]) -> float:
    """Seconds from starting the provider server to the answer of its first Check."""
    started = time.perf_counter()
    if variant == "dynamic":
        with start("dynamic") as server:
            server.configure(settings)
            server.check({}, valid.inputs("gcs-raw"))
            return time.perf_counter() - started
    if variant == "plugin":
        with start("plugin") as server:
            server.configure(settings)
            server.check({}, valid.inputs("gcs-raw"))
            return time.perf_counter() - started
    if variant == "dynamic-noop":
        command = [sys.executable, "-u", "-m", "pulumi.dynamic"]
        news = {"__provider": noop_dynamic_provider(), "value": 1}
        urn = "urn:pulumi:bench::bench::pulumi-python:dynamic/bench:Noop::noop"
    elif variant == "dynamic-floor":
        command = [sys.executable, "-u", "-m", "pulumi.dynamic"]
        news = {"__provider": floor_dynamic_provider(), "value": 1}
        urn = "urn:pulumi:bench::bench::pulumi-python:dynamic/bench:Floor::floor"
    elif variant == "plugin-noop":
        command = [sys.executable, "-u", "-m", "bench.noop_plugin", ""]
        news, urn = {"value": 1}, "urn:pulumi:bench::bench::noop:index:Noop::noop"
    else:
        raise ValueError(variant)
    process = subprocess.Popen(
        command, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, cwd=REPO, env={**os.environ, **SERVER_ENV}
    )
    try:
        port = int(process.stdout.readline())  # type: ignore[union-attr]
        with grpc.insecure_channel(f"127.0.0.1:{port}") as channel:
            stub = provider_pb2_grpc.ResourceProviderStub(channel)
            stub.Configure(provider_pb2.ConfigureRequest(args=to_struct({}), acceptSecrets=True))
            stub.Check(provider_pb2.CheckRequest(urn=urn, olds=to_struct({}), news=to_struct(news)))
            return time.perf_counter() - started
    finally:
        process.kill()
        process.wait()


def noop_dynamic_provider() -> str:
    from bench.noop_provider import NoopResource

    return resource_inputs(lambda: NoopResource("noop"), "noop")["__provider"]


def floor_dynamic_provider() -> str:
    from bench.floor_dynamic import FloorResource

    return resource_inputs(lambda: FloorResource("floor"), "floor")["__provider"]


def provider_size() -> dict[str, int]:
    """The `__provider` value every dynamic resource keeps in state."""
    import base64

    value = serialized_provider()
    return {"base64_bytes": len(value.encode()), "pickle_bytes": len(base64.b64decode(value))}


# --- where the processes run -------------------------------------------------------------------------


@dataclass(frozen=True)
class Placement:
    """The CPUs the system under test (the provider servers, or the bare client of the baseline)
    and the harness (the emulated Mixpanel projects, the driver standing in for the engine) may
    use. "shared": every CPU, both. "pinned": the system under test on a CPU of its own, as it
    would be beside a remote Mixpanel and the engine's own (Go) process."""

    name: str
    system: frozenset[int]
    harness: frozenset[int]


def placements() -> dict[str, Placement]:
    """ "pinned" first when there are two CPUs or more to split, then "shared"."""
    cpus = frozenset(os.sched_getaffinity(0))
    found = {}
    if len(cpus) >= 2:
        system = frozenset({max(cpus)})
        found["pinned"] = Placement("pinned", system, cpus - system)
    found["shared"] = Placement("shared", cpus, cpus)
    return found


def pin(pid: int, cpus: frozenset[int]) -> None:
    """Every thread of a process to `cpus` (a thread started later inherits its creator's CPUs)."""
    for thread in psutil.Process(pid).threads():
        try:
            os.sched_setaffinity(thread.id, cpus)
        except OSError:  # the thread has ended
            pass


def _place(placement: Optional[Placement], projects: list[Project], *, system: list[int], harness: list[int]) -> None:
    if placement is None:
        return
    for pid in [p.emulator.pid for p in projects] + harness:
        pin(pid, placement.harness)
    for pid in system:
        pin(pid, placement.system)


# --- the lifecycle: create, read, update, delete of every pipeline at a given concurrency ----------


def _cpu(pid: int) -> float:
    try:
        times = psutil.Process(pid).cpu_times()
        return times.user + times.system
    except psutil.Error:
        return 0.0


def _stats(projects: list[Project]) -> Counter:
    total: Counter = Counter()
    for project in projects:
        total.update(project.admin.stats())
    return total


def _run_phase(
    name: str,
    projects: list[Project],
    pids: dict[str, list[int]],
    run: Callable[[], list[Any]],
) -> tuple[dict[str, Any], list[Any]]:
    """`run` makes every call of the phase and returns their results."""
    for project in projects:
        project.admin.clear_requests()
    cpu_before = {label: sum(_cpu(pid) for pid in group) for label, group in pids.items()}
    started = time.perf_counter()
    results = run()
    wall = time.perf_counter() - started
    logs = [project.admin.requests() for project in projects]
    requests = [entry for log in logs for entry in log]
    status_counts = [Counter(_name(e) for e in log if e["op"] == "status") for log in logs]
    return {
        "phase": name,
        "wall_seconds": wall,
        "calls": dict(Counter(entry["op"] for entry in requests)),
        # Names repeat across projects: counted per project.
        "status_per_name": max((max(c.values(), default=0) for c in status_counts), default=0),
        "cpu_seconds": {label: sum(_cpu(pid) for pid in group) - cpu_before[label] for label, group in pids.items()},
    }, results


def _name(entry: dict[str, Any]) -> Optional[str]:
    for source in (entry.get("form") or {}, entry.get("query") or {}):
        if source.get("name"):
            return source["name"][0]
    return None


def stop_and_peak_rss_kib(server: ProviderServer) -> Optional[int]:
    """Stop a server and return its peak resident memory (the kernel's own accounting)."""
    server.channel.close()
    server.process.terminate()
    try:
        _, _, usage = os.wait4(server.process.pid, 0)
    except ChildProcessError:
        return None
    server.process.returncode = 0
    return int(usage.ru_maxrss)


class FloorServer(PluginServer):
    """`bench/floor_plugin.py`: the plugin's required machinery without its work; driven as the
    plugin is (same wire form, same calls)."""

    def __init__(self) -> None:
        ProviderServer.__init__(self, [sys.executable, "-m", "bench.floor_plugin"], SERVER_ENV)


def start_server(front_end: str) -> ProviderServer:
    """ "dynamic", "plugin", or "floor" (the plugin's floor, see bench/floor_plugin.py)."""
    return FloorServer() if front_end == "floor" else start(front_end)


def warm_up(server: ProviderServer, project: Project) -> None:
    """One pipeline created and deleted before anything is timed: a server's start-up (imports,
    the first TLS connection) is the cold-start figure, not the lifecycle's."""
    resource_id, outputs = server.created(valid.inputs("s3-raw", s3_prefix="warm-up/"))
    server.delete(resource_id, outputs)


def bench_engine() -> Optional[Path]:
    """`pulumi-bench-engine`, the engine stand-in in Go, if built (it is built with the CLI)."""
    found = shutil.which("pulumi-bench-engine")
    if found:
        return Path(found)
    try:
        candidate = pulumi_bin_dir() / "pulumi-bench-engine"
    except (OSError, subprocess.CalledProcessError):
        return None
    return candidate if candidate.exists() else None


def lifecycle(
    front_end: str,
    projects: list[Project],
    concurrency: int,
    placement: Optional[Placement] = None,
    go_engine: Optional[Path] = None,
) -> dict[str, Any]:
    """Every pipeline of every project through one front end's provider servers (one per
    project, as one provider reaches one project), `concurrency` operations at a time; the
    servers are the system under test, the driver (this process, or `go_engine`) and the
    emulators the harness."""
    _place(placement, projects, system=[], harness=[os.getpid()])
    servers = []
    for project in projects:
        server = start_server(front_end)
        _place(placement, [], system=[server.process.pid], harness=[])
        assert server.configure(project.emulator.settings()) == []
        warm_up(server, project)
        servers.append(server)
    pids = {
        "provider": [s.process.pid for s in servers],
        "emulator": [p.emulator.pid for p in projects],
        "driver": [os.getpid()],
    }
    work = [
        (server, engine.declare(server, values, edited(values)))
        for server, project in zip(servers, projects, strict=True)
        for values in project.pipelines
    ]
    stats_before = _stats(projects)
    if go_engine is not None:
        phases = _drive_in_go(go_engine, work, concurrency, placement, projects, pids)
    else:
        phases = _drive_in_python(work, concurrency, front_end, projects, pids)
    stats_after = _stats(projects)
    peak = [stop_and_peak_rss_kib(server) for server in servers]
    for server in servers:
        server.close() if server.process.returncode is None else None
    return {
        "front_end": front_end,
        "placement": placement.name if placement else None,
        "concurrency": concurrency,
        "resources": len(work),
        "phases": phases,
        "wall_seconds": sum(p["wall_seconds"] for p in phases),
        "api_calls": sum(sum(p["calls"].values()) for p in phases),
        "tls_handshakes": stats_after["tls_handshakes"] - stats_before["tls_handshakes"],
        "connections": stats_after["connections"] - stats_before["connections"],
        "provider_processes": len(servers),
        "peak_rss_kib": max((p for p in peak if p), default=None),
    }


def _drive_in_go(
    go_engine: Path,
    work: list[tuple[ProviderServer, engine.Declared]],
    concurrency: int,
    placement: Optional[Placement],
    projects: list[Project],
    pids: dict[str, list[int]],
) -> list[dict[str, Any]]:
    """The lifecycle's phases driven by `pulumi-bench-engine`, which is then the driver."""
    driver = engine.GoEngine(go_engine, work, concurrency)
    _place(placement, [], system=[], harness=[driver.pid])
    pids = {**pids, "driver": [driver.pid]}
    phases = []
    try:
        for name in PHASES:
            phase, _ = _run_phase(name, projects, pids, lambda name=name: [driver.run(name)])
            phases.append(phase)
    finally:
        driver.close()
    return phases


def _drive_in_python(
    work: list[tuple[ProviderServer, engine.Declared]],
    concurrency: int,
    front_end: str,
    projects: list[Project],
    pids: dict[str, list[int]],
) -> list[dict[str, Any]]:
    """The lifecycle's phases driven from this process, `concurrency` threads of gRPC calls."""
    phases = []
    with ThreadPoolExecutor(concurrency, thread_name_prefix=f"engine-{front_end}") as pool:

        def create(item):
            server, declared = item
            resource_id, inputs, state = engine.create(server, declared)
            return server, declared, resource_id, inputs, state

        def read(item):
            server, declared, resource_id, inputs, state = item
            return server, declared, resource_id, inputs, engine.read(server, declared, resource_id, state)

        def update(item):
            server, declared, resource_id, inputs, state = item
            return server, declared, resource_id, engine.update(server, declared, resource_id, inputs, state)

        def delete(item):
            server, declared, resource_id, state = item
            engine.delete(server, declared, resource_id, state)

        items = work
        for name, call in (("create", create), ("read", read), ("update", update), ("delete", delete)):
            phase, items = _run_phase(name, projects, pids, lambda call=call, items=items: list(pool.map(call, items)))
            phases.append(phase)
    return phases


def edited(values: dict[str, Any]) -> dict[str, Any]:
    """The update: a new event list (edit), or for a people pipeline a pause (it takes no events)."""
    if values.get("data_source") == "people":
        return {**values, "paused": True}
    return {**values, "events": ["Signup", "Purchase"]}


def baseline(projects: list[Project], concurrency: int, placement: Optional[Placement] = None) -> dict[str, Any]:
    """The same API calls, made by the bare HTTP client (no Pulumi, no gRPC, no provider) at
    the same concurrency: per resource a jobs listing and a create; per pipeline a status; an
    edit or a pause; a cancel. This process is the system under test here."""
    _place(placement, projects, system=[os.getpid()], harness=[])
    from pulumi_mixpanel.core.client import MixpanelClient
    from pulumi_mixpanel.core.credentials import ServiceAccount
    from pulumi_mixpanel.core.models import validate_pipeline

    today = valid.today()
    clients = [
        MixpanelClient(
            ServiceAccount("emulator", "emulator-secret", str(p.emulator.project_id)),
            endpoint=p.emulator.base_url,
            ca_bundle=p.emulator.ca_bundle,
            pool_size=concurrency,
        )
        for p in projects
    ]
    work = []
    for client, project in zip(clients, projects, strict=True):
        for values in project.pipelines:
            model, _ = validate_pipeline(values, today=today)
            work.append((client, model.request_fields(today=today), values.get("data_source") == "people"))
    pids = {"emulator": [p.emulator.pid for p in projects], "driver": [os.getpid()]}
    for client in clients:
        client.jobs()  # warmed up like the provider servers: the first connection is not timed
    phases = []
    with ThreadPoolExecutor(concurrency, thread_name_prefix="baseline") as pool:

        def create(item):
            client, fields, people = item
            client.jobs()
            return client, client.create(fields)["pipeline_names"], people

        def update(item):
            client, names, people = item
            for name in names:
                client.pause(name) if people else client.edit(name, {"events": ["Signup", "Purchase"]})

        def read(item):
            client, names, _ = item
            for name in names:
                client.status(name, summary=True)

        def cancel(item):
            client, names, _ = item
            for name in names:
                client.cancel(name)

        phase, created = _run_phase("create", projects, pids, lambda: list(pool.map(create, work)))
        phases.append(phase)
        for name, call in (("read", read), ("update", update), ("delete", cancel)):
            phase, _ = _run_phase(name, projects, pids, lambda call=call: list(pool.map(call, created)))
            phases.append(phase)
    for client in clients:
        client.close()
    return {
        "placement": placement.name if placement else None,
        "concurrency": concurrency,
        "phases": phases,
        "wall_seconds": sum(p["wall_seconds"] for p in phases),
        "api_calls": sum(sum(p["calls"].values()) for p in phases),
    }


def reset(projects: list[Project]) -> None:
    for project in projects:
        project.admin.reset()


# --- pulumi preview with the real CLI, through the Automation API -----------------------------------


def _program(kind: str, count: int, directory: Path, from_date: str) -> None:
    directory.mkdir(parents=True)
    pipelines = valid.distinct(min(count, valid.MAX_PIPELINES_PER_PROJECT))
    pipelines = [pipelines[i % len(pipelines)] for i in range(count)]
    if kind.startswith("python"):
        (directory / "Pulumi.yaml").write_text(
            f"name: bench-{kind}\nruntime:\n  name: python\n  options:\n    virtualenv: {sys.prefix}\n"
        )
        program = ["import pulumi_mixpanel as pm", "from harness import inputs as valid", ""]
        if count:
            program.append(f"for i, values in enumerate({pipelines!r}):")
            program.append("    cls = getattr(pm, valid.CLASS_NAMES[values.pop('type')])")
            program.append("    pm.MixpanelPipeline(f'pipeline-{i}', cls(**values))")
        (directory / "__main__.py").write_text("\n".join(program) + "\n")
        return
    import yaml

    resources = {}
    for index, values in enumerate(pipelines):
        token = "mixpanel:index:" + valid.CLASS_NAMES[values["type"]].removesuffix("Args")
        properties = {camel(k): v for k, v in values.items() if k != "type"}
        resources[f"pipeline-{index}"] = {"type": token, "properties": properties}
    document = {"name": f"bench-{kind}", "runtime": "yaml", "resources": resources}
    (directory / "Pulumi.yaml").write_text(yaml.safe_dump(document, sort_keys=False))


def pulumi_bin_dir() -> Path:
    """Where the Pulumi CLI is: on PATH, or the one scripts/install-pulumi-cli.sh builds and caches."""
    found = shutil.which("pulumi")
    if found:
        return Path(found).parent
    printed = subprocess.run(
        [str(REPO / "scripts" / "install-pulumi-cli.sh"), "--print-bin-dir"],
        check=True,
        stdout=subprocess.PIPE,
        text=True,
    )
    return Path(printed.stdout.strip().splitlines()[-1])


def cli_preview(pipelines: int, rounds: int, base_url: str, ca_bundle: str, *, pulumi_bin: Path) -> dict[str, Any]:
    """`pulumi preview` of `pipelines` pipelines and of an empty program, in each language, with
    the real CLI (a local file backend), interleaved rounds after one warm-up."""
    from pulumi import automation as auto

    work = Path(tempfile.mkdtemp(prefix="mixpanel-bench-preview-"))
    env = {
        "PULUMI_CONFIG_PASSPHRASE": "bench",
        "PULUMI_SKIP_UPDATE_CHECK": "1",
        "PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION": "true",
        "PULUMI_BACKEND_URL": f"file://{work / 'backend'}",
        "PYTHONPATH": str(REPO),
        "PATH": os.pathsep.join([str(Path(sys.prefix) / "bin"), str(pulumi_bin), os.environ["PATH"]]),
    }
    (work / "backend").mkdir()
    config = {
        f"mixpanel:{k}": auto.ConfigValue(v, secret=k == "serviceAccountSecret")
        for k, v in {
            "endpoint": base_url,
            "serviceAccountUsername": "emulator",
            "serviceAccountSecret": "emulator-secret",
            "projectId": "1",
            "caBundle": ca_bundle,
        }.items()
    }
    from_date = valid.recent()
    variants = {
        "python, empty": ("python-empty", 0),
        f"python, {pipelines} pipelines (dynamic)": ("python", pipelines),
        "yaml, empty": ("yaml-empty", 0),
        f"yaml, {pipelines} pipelines (plugin)": ("yaml", pipelines),
    }
    command = auto.PulumiCommand(root=str(pulumi_bin.parent))
    stacks = {}
    for label, (kind, count) in variants.items():
        directory = work / kind
        _program(kind, count, directory, from_date)
        stack = auto.create_or_select_stack(
            "bench",
            work_dir=str(directory),
            opts=auto.LocalWorkspaceOptions(
                work_dir=str(directory),
                pulumi_home=str(work / "home"),
                env_vars={**env, **DYNAMIC_PROGRAM_ENV} if kind.startswith("python") else env,
                pulumi_command=command,
            ),
        )
        stack.set_all_config(config)
        stacks[label] = stack
    samples: dict[str, list[float]] = {label: [] for label in variants}
    counts: dict[str, Any] = {}
    for round_number in range(rounds + 1):
        for label, stack in stacks.items():
            started = time.perf_counter()
            result = stack.preview()
            elapsed = time.perf_counter() - started
            if round_number:  # the first round warms caches up
                samples[label].append(elapsed)
            counts[label] = dict(result.change_summary)
    shutil.rmtree(work, ignore_errors=True)
    return {
        "samples_seconds": samples,
        "median_seconds": {k: statistics.median(v) for k, v in samples.items()},
        "change_summary": counts,
    }


def machine() -> dict[str, Any]:
    import platform

    import pulumi
    import pydantic
    import requests

    return {
        "cpus": psutil.cpu_count(),
        "cpu_mhz": round(psutil.cpu_freq().max or psutil.cpu_freq().current) if psutil.cpu_freq() else None,
        "memory_gib": round(psutil.virtual_memory().total / 2**30, 1),
        "load_average": [round(x, 2) for x in os.getloadavg()],
        "python": platform.python_version(),
        "os": f"{platform.system()} {platform.release()}",
        "pulumi_sdk": pulumi.__version__ if hasattr(pulumi, "__version__") else _version("pulumi"),
        "pydantic": pydantic.VERSION,
        "requests": requests.__version__,
        "grpcio": grpc.__version__,
        "measured_at": dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds"),
    }


def _version(package: str) -> str:
    from importlib.metadata import version

    return version(package)


__all__ = [
    "PHASES",
    "baseline",
    "cli_preview",
    "close_projects",
    "cold_start",
    "from_struct",
    "lifecycle",
    "machine",
    "open_projects",
    "pin",
    "placements",
    "provider_size",
    "reset",
]
