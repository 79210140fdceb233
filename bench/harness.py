"""What the benchmark measures, as functions that both `bench/run.py` and the CI smoke test
(`tests/test_bench_smoke.py`) call.

Everything goes through the Pulumi SDK's own provider server (`python -u -m pulumi.dynamic`,
started as the CLI starts it, see tests/support/provider_server.py) and the `__provider`
values come from the real resource classes built under `pulumi.runtime.set_mocks`.
"""

from __future__ import annotations

import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Optional

REPO = Path(__file__).resolve().parents[1]
TESTS = REPO / "tests"
for _path in (str(REPO), str(TESTS)):
    if _path not in sys.path:
        sys.path.insert(0, _path)

from support.emulator_admin import EmulatorAdmin  # noqa: E402
from support.lifecycle import emulator_config, engine_view  # noqa: E402
from support.program import run_program  # noqa: E402
from support.provider_server import ProviderServer  # noqa: E402

from bench.pipelines import pipeline_args, resource_name  # noqa: E402

WORKERS = 4  # the SDK provider server's thread pool, and the engine's default parallelism here
PROVIDER_KEY = "__provider"
# The server process must be able to import bench.noop_provider, like any provider module.
SERVER_ENV = {"PYTHONPATH": os.pathsep.join(p for p in (str(REPO), os.environ.get("PYTHONPATH", "")) if p)}


# --- inputs, as the real resource classes register them --------------------------------------

def program_inputs(count: int, *, first: int = 0) -> list[dict[str, Any]]:
    """Inputs (with `__provider`) of `count` MixpanelPipeline resources, from one mocked program."""
    from pulumi_mixpanel import MixpanelPipeline

    indexes = range(first, first + count)
    mocks = run_program(lambda: [MixpanelPipeline(resource_name(i), pipeline_args(i)) for i in indexes])
    return [engine_view(mocks.resources[resource_name(i)]["inputs"]) for i in indexes]


def noop_inputs(name: str = "noop") -> dict[str, Any]:
    """Inputs (with `__provider`) of the baseline no-op dynamic resource, built the same way."""
    from bench.noop_provider import NoopResource

    mocks = run_program(lambda: NoopResource(name))
    return engine_view(mocks.resources[name]["inputs"])


@dataclass
class ProviderSize:
    base64_bytes: int  # what sits in every resource's state
    pickle_bytes: int


def provider_size(inputs: dict[str, Any]) -> ProviderSize:
    import base64

    value = inputs[PROVIDER_KEY]
    return ProviderSize(len(value.encode()), len(base64.b64decode(value)))


# --- the emulator ------------------------------------------------------------------------------

@dataclass
class TlsFiles:
    directory: str
    ca_pem: str
    server_pem: str


def make_tls_files() -> TlsFiles:
    """A throwaway CA (trustme) and a certificate for 127.0.0.1 signed by it."""
    import trustme

    directory = tempfile.mkdtemp(prefix="mixpanel-bench-tls-")
    ca = trustme.CA()
    cert = ca.issue_cert("127.0.0.1", "localhost")
    ca_pem = os.path.join(directory, "ca.pem")
    server_pem = os.path.join(directory, "server.pem")
    ca.cert_pem.write_to_path(ca_pem)
    cert.private_key_and_cert_chain_pem.write_to_path(server_pem)
    return TlsFiles(directory, ca_pem, server_pem)


class EmulatorProcess:
    """`python -m pulumi_mixpanel.emulator` in its own process (as the real API is another
    machine), so that its work does not share a GIL with the benchmark's gRPC callers."""

    def __init__(
        self,
        *,
        latency_ms: int = 0,
        relax_limits: bool = True,
        tls: Optional[TlsFiles] = None,
    ) -> None:
        command = [sys.executable, "-m", "pulumi_mixpanel.emulator", "--port", "0", "--latency-ms", str(latency_ms)]
        if relax_limits:
            command.append("--relax-limits")
        if tls:
            command += ["--tls-cert", tls.server_pem]
        self.tls = tls
        self.process = subprocess.Popen(
            command, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, env={**os.environ, **SERVER_ENV}
        )
        line = self.process.stdout.readline().decode().strip()
        if not line.startswith("http"):
            self.process.kill()
            raise RuntimeError(f"the emulator did not print its base URL: {line!r}")
        self.base_url = line

    def admin(self) -> EmulatorAdmin:
        admin = EmulatorAdmin(self.base_url, verify=self.tls.ca_pem if self.tls else True)
        # REQUESTS_CA_BUNDLE in the environment would otherwise replace the bench CA.
        admin._session.trust_env = False
        return admin

    def provider_config(self) -> dict[str, str]:
        config = emulator_config(self.base_url)
        if self.tls:
            config["mixpanel:caBundle"] = self.tls.ca_pem
        return config

    def close(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()

    def __enter__(self) -> "EmulatorProcess":
        return self

    def __exit__(self, *exc: Any) -> None:
        self.close()


def admin_connections(admin: EmulatorAdmin) -> int:
    """Connections the admin client itself has opened (they count at the emulator too)."""
    total = 0
    for adapter in admin._session.adapters.values():
        pools = adapter.poolmanager.pools
        for key in pools.keys():
            pool = pools.get(key)
            total += pool.num_connections if pool is not None else 0
    return total


# --- the lifecycle -------------------------------------------------------------------------------

@dataclass
class Phase:
    name: str
    rpcs: str  # the gRPC calls made per resource
    resources: int
    wall_seconds: float
    requests: list[dict[str, Any]]  # the emulator's log of API requests during the phase
    cpu_seconds: dict[str, float] = field(default_factory=dict)  # user+system CPU by process

    @property
    def ops(self) -> Counter:
        return Counter(entry["op"] for entry in self.requests)

    def per_name(self, op: str) -> Counter:
        return Counter(_request_name(entry) for entry in self.requests if entry["op"] == op)

    def ideal_seconds(self, latency_ms: float, workers: int = WORKERS) -> float:
        return len(self.requests) * latency_ms / 1000 / workers


def _request_name(entry: dict[str, Any]) -> Optional[str]:
    for source in (entry.get("form") or {}, entry.get("query") or {}):
        values = source.get("name")
        if values:
            return values[0]
    return None


@dataclass
class Lifecycle:
    phases: list[Phase]
    pipeline_names: list[str]  # every Mixpanel pipeline the lifecycle made
    edited_names: list[str]
    provider_pid: int
    stderr: str = ""

    def phase(self, name: str) -> Phase:
        return next(p for p in self.phases if p.name == name)

    @property
    def timed_phases(self) -> list[Phase]:
        return [p for p in self.phases if p.name in LIFECYCLE_PHASES]

    @property
    def api_calls(self) -> int:
        return sum(len(p.requests) for p in self.timed_phases)

    @property
    def wall_seconds(self) -> float:
        return sum(p.wall_seconds for p in self.timed_phases)

    def ideal_seconds(self, latency_ms: float, workers: int = WORKERS) -> float:
        return self.api_calls * latency_ms / 1000 / workers


LIFECYCLE_PHASES = ("create", "read", "update", "delete")


def edited(inputs: dict[str, Any], index: int) -> dict[str, Any]:
    """An editable change (Mixpanel's edit endpoint takes it): a new event whitelist."""
    return {**inputs, "events": [f"Signup {index}", "Purchase"]}


def cpu_seconds(pid: Optional[int] = None) -> Optional[float]:
    """User + system CPU seconds used so far by a process (this one when pid is None)."""
    if pid is None:
        times = os.times()
        return times.user + times.system
    try:
        with open(f"/proc/{pid}/stat") as stat:
            fields = stat.read().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    except (OSError, IndexError, ValueError):
        return None


def run_lifecycle(
    server: ProviderServer,
    admin: EmulatorAdmin,
    inputs: list[dict[str, Any]],
    *,
    workers: int = WORKERS,
    emulator_pid: Optional[int] = None,
) -> Lifecycle:
    """preview, create, read, preview of an edit, update (edit), delete: each phase driven by
    `workers` concurrent gRPC callers, the emulator's request log cleared before and read after.
    """
    phases: list[Phase] = []
    pool = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="engine")
    processes = {"provider": server.process.pid, "bench driver": None}
    if emulator_pid is not None:
        processes["emulator"] = emulator_pid

    def phase(name: str, rpcs: str, items: list[Any], call: Callable[[Any], Any]) -> list[Any]:
        admin.clear_requests()
        cpu_before = {label: cpu_seconds(pid) for label, pid in processes.items()}
        started = time.perf_counter()
        results = list(pool.map(call, items))
        wall = time.perf_counter() - started
        cpu = {
            label: cpu_seconds(pid) - cpu_before[label]
            for label, pid in processes.items()
            if cpu_before[label] is not None and cpu_seconds(pid) is not None
        }
        phases.append(Phase(name, rpcs, len(items), wall, admin.requests(), cpu))
        return results

    def preview_new(values: dict[str, Any]) -> dict[str, Any]:
        checked, failures = server.check({}, values)
        assert not failures, failures
        return checked

    def create(values: dict[str, Any]) -> tuple[str, dict[str, Any], dict[str, Any]]:
        checked, failures = server.check({}, values)
        assert not failures, failures
        id_, outs = server.create(checked)
        assert id_ and outs["pipeline_names"], outs
        return id_, checked, outs

    def read(item: tuple[str, dict[str, Any], dict[str, Any]]) -> tuple[str, dict[str, Any], dict[str, Any]]:
        id_, checked, outs = item
        read_id, refreshed = server.read(id_, outs)
        assert read_id == id_, (read_id, id_)
        return id_, checked, refreshed

    def plan_edit(item: tuple[int, tuple[str, dict[str, Any], dict[str, Any]]]) -> Any:
        index, (id_, checked, outs) = item
        news, failures = server.check(checked, edited(inputs[index], index))
        assert not failures, failures
        diff = server.diff(id_, outs, news)
        assert diff.changes == diff.DIFF_SOME and not list(diff.replaces), diff
        return news

    def update(item: tuple[int, tuple[str, dict[str, Any], dict[str, Any]]]) -> tuple[str, dict[str, Any]]:
        index, (id_, checked, outs) = item
        news = plan_edit(item)
        updated = server.update(id_, outs, news)
        return id_, updated

    def delete(item: tuple[str, dict[str, Any]]) -> None:
        id_, outs = item
        server.delete(id_, outs)

    try:
        phase("preview", "Check", inputs, preview_new)
        created = phase("create", "Check + Create", inputs, create)
        refreshed = phase("read", "Read", created, read)
        phase("preview-edit", "Check + Diff", list(enumerate(refreshed)), plan_edit)
        updated = phase("update", "Check + Diff + Update", list(enumerate(refreshed)), update)
        phase("delete", "Delete", updated, delete)
    finally:
        pool.shutdown(wait=True)

    names = [name for id_, _, _ in created for name in id_.split(",") if name]
    return Lifecycle(phases, names, names, server.process.pid)


def run_raw_client(
    base_url: str,
    admin: EmulatorAdmin,
    count: int,
    *,
    ca_bundle: Optional[str] = None,
    workers: int = WORKERS,
    emulator_pid: Optional[int] = None,
) -> list[Phase]:
    """The baseline for the lifecycle: the same API calls (create; one jobs + a status per
    name; an events edit per name; a cancel per name) made with MixpanelClient alone, from
    `workers` threads of this process, without Pulumi, gRPC or the provider."""
    import datetime as dt

    from pulumi_mixpanel.client import MixpanelClient, ServiceAccount

    client = MixpanelClient(ServiceAccount("emulator", "emulator-secret", "1"), endpoint=base_url, ca_bundle=ca_bundle)
    today = dt.date.today()
    fields = [pipeline_args(i).request_fields(today=today) for i in range(count)]
    phases: list[Phase] = []
    pool = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="raw")
    processes = {"bench driver": None}
    if emulator_pid is not None:
        processes["emulator"] = emulator_pid

    def phase(name: str, items: list[Any], call: Callable[[Any], Any]) -> list[Any]:
        admin.clear_requests()
        cpu_before = {label: cpu_seconds(pid) for label, pid in processes.items()}
        started = time.perf_counter()
        results = list(pool.map(call, items))
        wall = time.perf_counter() - started
        cpu = {label: cpu_seconds(pid) - cpu_before[label] for label, pid in processes.items()}
        phases.append(Phase(name, "HTTP only", len(items), wall, admin.requests(), cpu))
        return results

    def read(names: list[str]) -> None:
        if names is None:
            client.jobs()
            return
        for name in names:
            client.status(name, summary=True)

    try:
        created = phase("create", fields, lambda f: client.create(f)["pipeline_names"])
        phase("read", [None, *created], read)
        phase("update", [(i, names) for i, names in enumerate(created)],
              lambda item: [client.edit(name, {"events": [f"Signup {item[0]}", "Purchase"]}) for name in item[1]])
        phase("delete", created, lambda names: [client.cancel(name) for name in names])
    finally:
        pool.shutdown(wait=True)
        client.close()
    return phases


def in_process_costs(config: dict[str, str], count: int = 40) -> dict[str, tuple[float, float]]:
    """CPU milliseconds per operation in this process, single-threaded, with no gRPC and no SDK
    server: MixpanelProvider's method vs the bare MixpanelClient call it makes, on the same
    client (same pooled connection). Returns {operation: (provider ms, client ms)}."""
    import datetime as dt

    from pulumi_mixpanel.provider import MixpanelProvider
    from pulumi_mixpanel.settings import ProviderSettings

    provider = MixpanelProvider().configure_from(ProviderSettings.from_sources(config, {}))
    client = provider._client()
    today = dt.date.today()
    inputs = program_inputs(count)
    for values in inputs:
        values.pop(PROVIDER_KEY, None)
    checked = [provider.check({}, values).inputs for values in inputs]
    raw_fields = [pipeline_args(count + i).request_fields(today=today) for i in range(count)]
    client.jobs()  # the connection is open before anything is timed

    def per_call(call: Callable[[Any], Any], items: list[Any]) -> tuple[float, list[Any]]:
        started = time.process_time()
        results = [call(item) for item in items]
        return (time.process_time() - started) / len(items) * 1000, results

    costs: dict[str, tuple[float, float]] = {}
    p_ms, created = per_call(provider.create, checked)
    c_ms, raw_names = per_call(lambda fields: client.create(fields)["pipeline_names"][0], raw_fields)
    costs["create"] = (p_ms, c_ms)
    p_ms, _ = per_call(lambda c: provider.read(c.id, c.outs), created)
    c_ms, _ = per_call(lambda name: client.status(name, summary=True), raw_names)
    costs["read"] = (p_ms, c_ms)
    news = [provider.check(values, edited(values, i)).inputs for i, values in enumerate(checked)]
    p_ms, _ = per_call(lambda pair: provider.update(pair[0].id, pair[0].outs, pair[1]), list(zip(created, news)))
    c_ms, _ = per_call(lambda item: client.edit(item[1], {"events": [f"Signup {item[0]}", "Purchase"]}),
                       list(enumerate(raw_names)))
    costs["update"] = (p_ms, c_ms)
    p_ms, _ = per_call(lambda c: provider.delete(c.id, c.outs), created)
    c_ms, _ = per_call(client.cancel, raw_names)
    costs["delete"] = (p_ms, c_ms)
    client.close()
    return costs


# --- API calls per operation: the rules -------------------------------------------------------------

@dataclass
class CallCheck:
    operation: str
    rule: str
    observed: str
    met: bool


def calls_per_operation(lifecycle: Lifecycle) -> list[CallCheck]:
    """Each operation's API calls (from the emulator's log) against the targets."""
    names = lifecycle.pipeline_names
    checks: list[CallCheck] = []

    def add(operation: str, rule: str, observed: str, met: bool) -> None:
        checks.append(CallCheck(operation, rule, observed, met))

    def describe(counter: Counter) -> str:
        return ", ".join(f"{op} {n}" for op, n in sorted(counter.items())) or "none"

    previews = [lifecycle.phase("preview"), lifecycle.phase("preview-edit")]
    preview_ops = sum((p.ops for p in previews), Counter())
    add("check, diff", "0 API calls",
        f"{sum(preview_ops.values())} calls ({describe(preview_ops)}) for {previews[0].resources} Check "
        f"+ {previews[1].resources} Check/Diff", sum(preview_ops.values()) == 0)

    create = lifecycle.phase("create")
    add("create", "1 `create` per resource",
        f"{describe(create.ops)} for {create.resources} resources",
        create.ops == Counter({"create": create.resources}))

    read = lifecycle.phase("read")
    status = read.per_name("status")
    others = {op: n for op, n in read.ops.items() if op not in ("status", "jobs")}
    add("read", "≤ 1 `status` per pipeline name, ≤ 1 `jobs` in all",
        f"{describe(read.ops)} for {len(names)} names (max {max(status.values(), default=0)} status per name)",
        not others and set(status) <= set(names) and max(status.values(), default=0) <= 1
        and read.ops.get("jobs", 0) <= 1)

    update = lifecycle.phase("update")
    edits = update.per_name("edit")
    add("update", "1 `edit` per edited pipeline",
        f"{describe(update.ops)} for {len(lifecycle.edited_names)} edited pipelines",
        update.ops == Counter({"edit": len(lifecycle.edited_names)}) and set(edits) == set(lifecycle.edited_names)
        and set(edits.values()) <= {1})

    delete = lifecycle.phase("delete")
    cancels = delete.per_name("cancel")
    add("delete", "1 `cancel` per pipeline name",
        f"{describe(delete.ops)} for {len(names)} names",
        delete.ops == Counter({"cancel": len(names)}) and set(cancels) == set(names) and set(cancels.values()) <= {1})
    return checks


# --- process figures --------------------------------------------------------------------------------

def proc_status_kib(pid: int, key: str) -> Optional[int]:
    """A `kB` figure from /proc/<pid>/status, e.g. VmHWM (peak resident set)."""
    try:
        with open(f"/proc/{pid}/status") as status:
            for line in status:
                if line.startswith(key + ":"):
                    return int(line.split()[1])
    except OSError:
        return None
    return None


def start_server(config: dict[str, str]) -> ProviderServer:
    server = ProviderServer(env=SERVER_ENV)
    server.configure(config)
    return server


# --- cold start ---------------------------------------------------------------------------------------

@dataclass
class ColdStart:
    ours: list[float]
    baseline: list[float]
    ours_rss_kib: list[int] = field(default_factory=list)
    baseline_rss_kib: list[int] = field(default_factory=list)

    @property
    def ratio(self) -> float:
        return statistics.median(self.ours) / statistics.median(self.baseline)


def time_to_first_check(config: dict[str, str], inputs: dict[str, Any]) -> tuple[float, Optional[int]]:
    """Seconds from starting `python -u -m pulumi.dynamic` to the answer of the first Check
    (reading its port, Configure, Check: what the engine does), and the process's peak RSS."""
    started = time.perf_counter()
    server = ProviderServer(env=SERVER_ENV)
    try:
        server.configure(config)
        _, failures = server.check({}, inputs)
        elapsed = time.perf_counter() - started
        assert not failures, failures
        return elapsed, proc_status_kib(server.process.pid, "VmHWM")
    finally:
        server.close()


def measure_cold_start(config: dict[str, str], repeats: int = 5, warmup: int = 1) -> ColdStart:
    """Ours and the no-op baseline, interleaved (so drifts in machine load hit both)."""
    ours_inputs = program_inputs(1)[0]
    baseline_inputs = noop_inputs()
    result = ColdStart([], [])
    for round_ in range(warmup + repeats):
        pair = [("ours", ours_inputs), ("baseline", baseline_inputs)]
        if round_ % 2:
            pair.reverse()
        for which, inputs in pair:
            seconds, rss = time_to_first_check(config, inputs)
            if round_ < warmup:
                continue
            getattr(result, which).append(seconds)
            if rss is not None:
                getattr(result, f"{which}_rss_kib").append(rss)
    return result


@dataclass
class RpcCost:
    wall_seconds: float
    provider_cpu_seconds: float
    calls: int

    @property
    def cpu_ms_per_call(self) -> float:
        return self.provider_cpu_seconds / self.calls * 1000


def check_rpc_cost(config: dict[str, str], inputs: dict[str, Any], calls: int = 400,
                   workers: int = WORKERS) -> RpcCost:
    """CPU the provider process spends per Check RPC once warm (no API call is involved), with
    `workers` concurrent callers: the SDK server's own per-RPC cost plus the provider's check."""
    server = start_server(config)
    try:
        _, failures = server.check({}, inputs)  # loads the provider
        assert not failures, failures
        with ThreadPoolExecutor(max_workers=workers) as pool:
            cpu_before, started = cpu_seconds(server.process.pid), time.perf_counter()
            list(pool.map(lambda _: server.check({}, inputs), range(calls)))
            wall = time.perf_counter() - started
            cpu = cpu_seconds(server.process.pid) - cpu_before
        return RpcCost(wall, cpu, calls)
    finally:
        server.close()


def probe_cold_start(config: dict[str, str], inputs: dict[str, Any]) -> dict[str, float]:
    """One run of bench/coldstart_probe.py: seconds per step before the first Check."""
    import json

    done = subprocess.run(
        [sys.executable, "-m", "bench.coldstart_probe"],
        input=json.dumps({"provider": inputs[PROVIDER_KEY], "inputs": inputs, "config": config}),
        capture_output=True, text=True, check=True, env={**os.environ, **SERVER_ENV},
    )
    return json.loads(done.stdout)


SDK_SERVER_IMPORTS = "import asyncio, base64, concurrent.futures, dill, grpc, pulumi.dynamic, pulumi.runtime.proto"


def import_tree(module: str, preload: str = SDK_SERVER_IMPORTS, depth: int = 2) -> list[tuple[int, str, float]]:
    """`python -X importtime`: (level, name, cumulative seconds) of `module` and of the modules
    it imports down to `depth` levels, counting only what the SDK server has not imported
    already (the `preload`). Parents come before their children."""
    done = subprocess.run(
        [sys.executable, "-X", "importtime", "-c", f"{preload}\nimport {module}"],
        capture_output=True, text=True, check=True, env={**os.environ, **SERVER_ENV},
    )
    rows = []
    for line in done.stderr.splitlines():
        if not line.startswith("import time:") or "cumulative" in line:
            continue
        _self, cumulative_us, name = line.split("|", 2)
        level = (len(name) - len(name.lstrip()) - 1) // 2
        rows.append((level, name.strip(), int(cumulative_us) / 1e6))
    position = max(i for i, row in enumerate(rows) if row[1] == module and row[0] == 0)
    tree = [rows[position]]
    for level, name, seconds in reversed(rows[:position]):  # importtime lists children first
        if level == 0:
            break
        if level <= depth:
            tree.append((level, name, seconds))
    return tree  # pre-order (each parent before its children), siblings last-imported first


def median_import_tree(module: str, repeats: int = 5, depth: int = 2) -> list[tuple[int, str, float]]:
    runs = [import_tree(module, depth=depth) for _ in range(repeats)]
    keys = [(level, name) for level, name, _ in runs[0]]
    return [
        (level, name, statistics.median(dict(((l, n), s) for l, n, s in run).get((level, name), 0.0) for run in runs))
        for level, name in keys
    ]


# --- the real CLI --------------------------------------------------------------------------------------

def find_pulumi_cli() -> Optional[str]:
    """`pulumi` on PATH, else the build of scripts/install-pulumi-cli.sh (never builds one)."""
    on_path = shutil.which("pulumi")
    if on_path:
        return on_path
    tools = os.environ.get("PULUMI_CLI_TOOLS_DIR") or os.path.join(
        os.environ.get("XDG_CACHE_HOME") or os.path.expanduser("~/.cache"), "pulumi-mixpanel", "pulumi-cli")
    built = Path(tools) / "pulumi" / "bin" / "pulumi"
    return str(built) if built.is_file() and os.access(built, os.X_OK) else None


PROGRAM = '''\
import sys
sys.path.insert(0, {repo!r})
import pulumi
from pulumi_mixpanel import MixpanelPipeline
from bench.pipelines import pipeline_args, resource_name

count = pulumi.Config("bench").get_int("pipelines") or 0
for i in range(count):
    MixpanelPipeline(resource_name(i), pipeline_args(i))
'''


@dataclass
class CliPreview:
    version: str
    empty: list[float]
    full: list[float]
    pipelines: int
    api_calls: int
    plugin_dir: str

    @property
    def difference(self) -> float:
        return statistics.median(self.full) - statistics.median(self.empty)


def measure_cli_preview(pulumi: str, base_url: str, admin: EmulatorAdmin, pipelines: int = 50,
                        repeats: int = 3) -> CliPreview:
    """`pulumi preview` of `pipelines` pipelines vs the same program declaring none, with a
    local file backend in a temporary directory; interleaved, `repeats` of each, after one
    warm-up preview. The emulator's request log shows whether a preview called the API."""
    work = Path(tempfile.mkdtemp(prefix="mixpanel-bench-cli-"))
    try:
        return _cli_preview(work, pulumi, base_url, admin, pipelines, repeats)
    finally:
        shutil.rmtree(work, ignore_errors=True)


def _cli_preview(work: Path, pulumi: str, base_url: str, admin: EmulatorAdmin, pipelines: int,
                 repeats: int) -> CliPreview:
    project, state, home = work / "project", work / "state", work / "home"
    for directory in (project, state, home):
        directory.mkdir()
    (project / "Pulumi.yaml").write_text(
        "name: mixpanel-bench\nruntime:\n  name: python\n  options:\n"
        f"    virtualenv: {Path(sys.executable).parent.parent}\n"
    )
    (project / "__main__.py").write_text(PROGRAM.format(repo=str(REPO)))
    bin_dir = str(Path(pulumi).parent)
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith(("MIXPANEL_", "PULUMI_"))},
        # The venv's bin second: a language host that ignores Pulumi.yaml's `virtualenv` option
        # (the one scripts/install-pulumi-cli.sh builds from sdk v3.68.0 does) then still finds this venv's python3.
        "PATH": os.pathsep.join([bin_dir, str(Path(sys.executable).parent), os.environ.get("PATH", "")]),
        "PULUMI_HOME": str(home),
        "PULUMI_BACKEND_URL": f"file://{state}",
        "PULUMI_CONFIG_PASSPHRASE": "bench",
        "PULUMI_SKIP_UPDATE_CHECK": "1",
        "PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION": "true",
    }

    def cli(*args: str) -> str:
        done = subprocess.run([pulumi, *args], cwd=project, env=env, capture_output=True, text=True)
        if done.returncode != 0:
            raise RuntimeError(f"pulumi {' '.join(args)} failed ({done.returncode}):\n{done.stdout}\n{done.stderr}")
        return done.stdout

    def preview(count: int) -> float:
        cli("config", "set", "bench:pipelines", str(count))
        started = time.perf_counter()
        cli("preview", "--non-interactive", "--diff=false")
        return time.perf_counter() - started

    version = cli("version").strip()
    cli("stack", "init", "bench", "--non-interactive")
    for key, value in emulator_config(base_url).items():
        cli("config", "set", key, value)
    preview(pipelines)  # warm-up: first-run caches (pyc, plugin discovery)
    admin.clear_requests()
    result = CliPreview(version, [], [], pipelines, 0, bin_dir)
    for round_ in range(repeats):
        order = [(0, result.empty), (pipelines, result.full)]
        if round_ % 2:
            order.reverse()
        for count, samples in order:
            samples.append(preview(count))
    result.api_calls = len(admin.requests())
    return result
