"""Where the state says each pipeline lives, held against what each emulated project has."""

from __future__ import annotations

import json
from collections import defaultdict
from typing import Any

from harness.emulator import EmulatorAdmin


def pipelines_by_home(state: str) -> dict[tuple[str, str], set[str]]:
    """(endpoint, project id) -> the pipeline names the state records there (pending deletes included,
    resources deleted ahead of their replacement not)."""
    recorded: dict[tuple[str, str], set[str]] = defaultdict(set)
    for resource in json.loads(state)["deployment"].get("resources", []):
        if resource.get("pendingReplacement"):
            continue  # deleted already; its replacement is still to be made
        outputs: dict[str, Any] = resource.get("outputs") or {}
        names = outputs.get("pipelineNames", outputs.get("pipeline_names"))
        if not isinstance(names, list):
            continue
        home = outputs.get("home") or {}
        recorded[(home.get("endpoint", ""), home.get("projectId", ""))].update(names)
    return dict(recorded)


def assert_state_is_mixpanel(state: str, projects: dict[tuple[str, str], EmulatorAdmin]) -> None:
    """Each emulated project (endpoint, project id) runs exactly the pipelines the state places
    there, and the state places none anywhere else."""
    recorded = pipelines_by_home(state)
    for home, admin in projects.items():
        running = {p["name"] for p in admin.pipelines()}
        assert running == recorded.get(home, set()), f"{home}: Mixpanel runs {running}, the state says {recorded}"
    elsewhere = {home: names for home, names in recorded.items() if home not in projects and names}
    assert not elsewhere, f"the state places pipelines in no emulated project: {elsewhere}"
