"""docs/benchmarks.md from bench/results.json: the template's prose, with the tables filled in."""

from __future__ import annotations

from pathlib import Path
from string import Template
from typing import Any

TEMPLATE = Path(__file__).resolve().parent / "benchmarks.md.in"
LABELS = {"plugin": "plugin", "dynamic": "dynamic", "floor": "the plugin's floor"}
ENGINE_STAND_INS = {
    "go": "`pulumi-bench-engine`, in Go as the engine is (`tools/pulumi-cli/cmd/pulumi-bench-engine`)",
    "python": "the Python driver (`bench/engine.py`)",
}


def table(header: list[str], rows: list[list[str]]) -> str:
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(row) + " |" for row in rows]
    return "\n".join(lines)


def s(seconds: float) -> str:
    return f"{seconds:.2f} s"


def ms(seconds: float) -> str:
    return f"{seconds * 1000:.0f} ms"


def yes(met: bool) -> str:
    return "yes" if met else "**no**"


def against_baseline(run: dict[str, Any]) -> str:
    return (
        f"{s(run['wall_seconds'])} vs baseline {s(run['baseline_wall_seconds'])}: "
        f"**{run['vs_baseline']:.2f} ×** "
        f"(rounds {', '.join(f'{r:.2f}' for r in run['vs_baseline_per_round'])}); "
        f"{run['vs_ideal']:.2f} × the ideal {s(run['ideal_seconds'])} ({run['api_calls']} API calls; "
        f"baseline {run['baseline_vs_ideal']:.2f} × ideal)"
    )


def render(results: dict[str, Any]) -> str:
    machine, targets = results["machine"], results["targets"]
    judged = results["judged_placement"]
    by_placement, cold = results["lifecycle"], results["cold_start"]["median_seconds"]
    lifecycle = by_placement[judged]
    settings = results["settings"]
    machine_table = table(
        ["", ""],
        [
            ["CPUs", f"{machine['cpus']} ({machine.get('cpu_mhz') or '?'} MHz)"],
            ["memory", f"{machine['memory_gib']} GiB"],
            ["OS / Python", f"{machine['os']} / CPython {machine['python']}"],
            [
                "pulumi SDK / grpcio / pydantic / requests",
                f"{machine['pulumi_sdk']} / {machine['grpcio']} / {machine['pydantic']} / {machine['requests']}",
            ],
            [
                "load average (1, 5, 15 min) before / after",
                " ".join(map(str, machine["load_average"]))
                + " / "
                + " ".join(map(str, machine.get("load_average_after", []))),
            ],
        ],
    )
    rows = []
    for front_end, target_key in (
        ("plugin", "plugin_lifecycle_vs_baseline"),
        ("dynamic", "dynamic_lifecycle_vs_baseline"),
    ):
        for placement, runs in by_placement.items():
            run = runs[front_end]
            rows.append(
                [
                    f"{settings['pipelines']}-pipeline lifecycle, {front_end}, {placement}",
                    f"{run['concurrency']} concurrent operations, {settings['latency_ms']} ms latency, "
                    f"{run['provider_processes']} projects",
                    f"≤ {targets[target_key]} × baseline",
                    against_baseline(run),
                    yes(run["vs_baseline"] <= targets[target_key]),
                ]
            )
            floor = runs.get("floor") if front_end == "plugin" else None
            if floor:
                rows.append(
                    [
                        f"{settings['pipelines']}-pipeline lifecycle, the plugin's floor, {placement}",
                        "the machinery the plugin must stand on, without its work (`bench/floor_plugin.py`)",
                        "reference",
                        against_baseline(floor),
                        "—",
                    ]
                )
                rows.append(
                    [
                        f"the plugin over its floor, {placement}",
                        "same round, same placement",
                        f"≤ {targets['plugin_lifecycle_vs_floor']} × floor"
                        if "plugin_lifecycle_vs_floor" in targets
                        else "reported",
                        f"**{run['vs_floor']:.2f} ×** "
                        f"(rounds {', '.join(f'{r:.2f}' for r in run['vs_floor_per_round'])})",
                        yes(run["vs_floor"] <= targets["plugin_lifecycle_vs_floor"])
                        if "plugin_lifecycle_vs_floor" in targets
                        else "—",
                    ]
                )
    for front_end in ("plugin", "dynamic"):
        rows.append(
            [
                f"cold start to the first Check, {front_end}",
                "median",
                f"≤ {targets['cold_start_vs_noop']} × no-op" if "cold_start_vs_noop" in targets else "reported",
                f"**{cold[front_end] / cold[front_end + '-noop']:.2f} ×**: {ms(cold[front_end])}; "
                f"a provider doing nothing on the same API: {ms(cold[front_end + '-noop'])} "
                f"(+{ms(cold[front_end] - cold[front_end + '-noop'])})",
                yes(cold[front_end] / cold[front_end + "-noop"] <= targets["cold_start_vs_noop"])
                if "cold_start_vs_noop" in targets
                else "—",
            ]
        )
    if "dynamic-floor" in cold:
        rows.append(
            [
                "cold start to the first Check, the dynamic provider's floor",
                "median; pydantic validating a two-field model, nothing else (`bench/floor_dynamic.py`)",
                "reference",
                f"**{cold['dynamic-floor'] / cold['dynamic-noop']:.2f} ×** the no-op: {ms(cold['dynamic-floor'])} "
                f"(+{ms(cold['dynamic-floor'] - cold['dynamic-noop'])}); the dynamic provider over it: "
                f"+{ms(cold['dynamic'] - cold['dynamic-floor'])}",
                "—",
            ]
        )
    size = results["provider_size"]
    rows.append(
        [
            "serialized dynamic provider",
            "bytes in every resource's state",
            f"≤ {targets['serialized_provider_bytes']} B",
            f"{size['base64_bytes']} B",
            yes(size["base64_bytes"] <= targets["serialized_provider_bytes"]),
        ]
    )
    for front_end in [name for name in ("plugin", "floor", "dynamic") if name in lifecycle]:
        run = lifecycle[front_end]
        for operation, check in run["calls"].items():
            observed = ", ".join(f"{op} {count}" for op, count in sorted(check["observed"].items())) or "none"
            rows.append(
                [
                    f"API calls, {operation}, {LABELS[front_end]}",
                    check["rule"],
                    "the rule",
                    f"{observed} for {run['resources']} pipelines",
                    yes(check["met"]),
                ]
            )
        if front_end == "floor":
            continue
        rows.append(
            [
                f"connections, {front_end}",
                "TLS handshakes at the emulators per lifecycle",
                "reported",
                f"{', '.join(map(str, run['tls_handshakes']))} (per round)",
                "—",
            ]
        )
        rows.append(
            [
                f"memory, {front_end}",
                "peak RSS of a provider server",
                f"≤ {targets['peak_rss_mib']} MiB",
                f"{run['peak_rss_mib']:.1f} MiB",
                yes(run["peak_rss_mib"] <= targets["peak_rss_mib"]),
            ]
        )
    results_table = table(["figure", "how", "target", "measured", "met?"], rows)

    phase_tables = []
    for placement, runs in by_placement.items():
        for front_end in [name for name in ("plugin", "floor", "dynamic") if name in runs]:
            run = runs[front_end]
            phase_rows = [
                [
                    phase,
                    s(run["phase_wall_seconds"][phase]),
                    s(run["baseline_phase_wall_seconds"][phase]),
                    f"{run['phase_wall_seconds'][phase] / run['baseline_phase_wall_seconds'][phase]:.2f}",
                    s(run["provider_cpu_seconds"][phase]),
                ]
                for phase in ("create", "read", "update", "delete")
            ]
            phase_rows.append(
                [
                    "**all**",
                    f"**{s(run['wall_seconds'])}**",
                    s(run["baseline_wall_seconds"]),
                    f"**{run['vs_baseline']:.2f}**",
                    "",
                ]
            )
            phase_tables.append(
                f"**{LABELS[front_end]}, {placement}** ({run['concurrency']} concurrent operations)\n\n"
                + table(["phase", "wall", "bare client", "ratio", "provider CPU"], phase_rows)
            )
    cpus = settings["placements"]
    placement_table = table(
        ["placement", "system under test (provider servers, or the bare client)", "harness (emulators, driver)"],
        [
            [name, ", ".join(map(str, where["system_cpus"])), ", ".join(map(str, where["harness_cpus"]))]
            for name, where in cpus.items()
        ],
    )
    samples = results["cold_start"]["samples_seconds"]
    cold_start_table = table(
        ["provider server", "median", "samples"],
        [[variant, ms(cold[variant]), ", ".join(ms(x) for x in samples[variant])] for variant in samples],
    )
    preview = results.get("cli_preview")
    if preview:
        preview_table = table(
            ["program", "median", "samples", "changes"],
            [
                [
                    label,
                    s(seconds),
                    ", ".join(s(x) for x in preview["samples_seconds"][label]),
                    ", ".join(f"{k} {v}" for k, v in preview["change_summary"][label].items()),
                ]
                for label, seconds in preview["median_seconds"].items()
            ],
        )
    else:
        preview_table = "Not measured in this run."
    return Template(TEMPLATE.read_text()).substitute(
        command=results["command"],
        measured_at=machine["measured_at"],
        duration=results["duration_seconds"],
        machine_table=machine_table,
        results_table=results_table,
        phase_tables="\n\n".join(phase_tables),
        placement_table=placement_table,
        judged=judged,
        engine_stand_in=ENGINE_STAND_INS[settings.get("engine_stand_in", "python")],
        cold_start_table=cold_start_table,
        preview_table=preview_table,
    )
