"""Many Mixpanel projects at once: one Pulumi stack per project, run in parallel with the
Automation API, and a summary table of what changed and how each project's exports are doing.

    python fleet.py --inventory inventory.yaml preview
    python fleet.py --inventory inventory.yaml up --parallel 4
    python fleet.py --inventory inventory.yaml refresh
    python fleet.py --inventory inventory.yaml destroy

The inventory (see inventory.example.yaml) lists each project's settings and pipelines; secrets
come from environment variables it names, never from the file. The stacks live in the backend
the inventory (or --backend) names: a local folder (file://...), an object store (s3://,
gs://, azblob://) or Pulumi Cloud (https://api.pulumi.com); the inventory's `secretsProvider`
(awskms://..., gcpkms://..., azurekeyvault://..., passphrase by default) encrypts new stacks' secrets.
Exit status 0 when every project succeeded, 1 otherwise.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sys
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Optional

import yaml
from pulumi import automation as auto

PROGRAM = Path(__file__).resolve().parent / "program"
SETTINGS = ("projectId", "region", "endpoint", "serviceAccountUsername", "caBundle", "requestTimeout")
SECRETS = {"serviceAccountSecretEnv": "serviceAccountSecret", "apiSecretEnv": "apiSecret"}
OPERATIONS = ("preview", "up", "refresh", "destroy")


@dataclass
class Outcome:
    project: str
    ok: bool
    changes: str = ""
    health: dict[str, str] = field(default_factory=dict)
    error: str = ""


def load_inventory(path: Path) -> dict[str, Any]:
    inventory = yaml.safe_load(path.read_text()) or {}
    names = [project.get("name") for project in inventory.get("projects", [])]
    if not names or not all(isinstance(name, str) and name for name in names) or len(set(names)) != len(names):
        raise SystemExit(f"fleet: error: {path}: every project needs a unique `name`")
    return inventory


def workspace(project: dict[str, Any], backend: str, work_dir: Path, secrets_provider: Optional[str]) -> auto.Stack:
    """The project's stack, on a copy of the program of its own (its stack config lives there)."""
    folder = work_dir / project["name"]
    shutil.copytree(PROGRAM, folder, dirs_exist_ok=True, ignore=shutil.ignore_patterns("__pycache__", "Pulumi.*.yaml"))
    manifest = (PROGRAM / "Pulumi.yaml").read_text().replace("VIRTUALENV", sys.prefix)
    (folder / "Pulumi.yaml").write_text(f"{manifest}backend:\n  url: {backend}\n")
    options = auto.LocalWorkspaceOptions(secrets_provider=secrets_provider)
    stack = auto.create_or_select_stack(stack_name=project["name"], work_dir=str(folder), opts=options)
    for setting in SETTINGS:
        if project.get(setting) is not None:
            stack.set_config(f"mixpanel:{setting}", auto.ConfigValue(str(project[setting])))
    for variable_key, setting in SECRETS.items():
        if project.get(variable_key):
            value = os.environ.get(project[variable_key])
            if not value:
                raise RuntimeError(f"the environment variable {project[variable_key]} (for {setting}) is not set")
            stack.set_config(f"mixpanel:{setting}", auto.ConfigValue(value, secret=True))
    stack.set_config("fleet:pipelines", auto.ConfigValue(json.dumps(project.get("pipelines", {}))))
    return stack


def run(operation: str, project: dict[str, Any], settings: dict[str, Any], work_dir: Path) -> Outcome:
    name = project["name"]
    errors: list[str] = []
    try:
        stack = workspace(project, settings["backend"], work_dir, settings.get("secretsProvider"))
        with (work_dir / f"{name}.log").open("w") as log:
            options = {"on_output": lambda line: log.write(f"{line}\n"), "on_event": _collect_errors(errors)}
            if operation == "preview":
                changes = stack.preview(**options).change_summary
            elif operation == "up":
                changes = stack.up(refresh=True, **options).summary.resource_changes or {}
            elif operation == "refresh":
                changes = stack.refresh(**options).summary.resource_changes or {}
            else:
                changes = stack.destroy(**options).summary.resource_changes or {}
        health = {} if operation == "destroy" else _health(stack)
        return Outcome(name, True, _changes(changes), health)
    except Exception as error:  # one project's failure must not stop the others
        lines = [line for line in str(error).splitlines() if line.strip()]
        reason = errors[0] if errors else (lines[-1].strip() if lines else repr(error))
        log = work_dir / f"{name}.log"
        shown = log.relative_to(Path.cwd()) if log.is_relative_to(Path.cwd()) else log
        return Outcome(name, False, error=f"{reason} (log: {shown})")


def _collect_errors(errors: list[str]):
    """An event handler keeping the last line of each resource's error (a Python provider's
    error is a traceback whose last line names the exception and its message)."""

    def on_event(event: auto.EngineEvent) -> None:
        diagnostic = event.diagnostic_event
        if diagnostic is None or diagnostic.severity != "error" or not diagnostic.urn:
            return
        lines = [line.strip() for line in diagnostic.message.splitlines() if line.strip()]
        if lines and "pulumi:pulumi:Stack" not in diagnostic.urn:
            errors.append(lines[-1])

    return on_event


def _health(stack: auto.Stack) -> dict[str, str]:
    """Each pipeline's `health` as the state holds it. Read from the resources, not the stack's
    outputs: a refresh updates the resources but does not run the program that exports them."""
    resources = stack.export_stack().deployment.get("resources", [])
    return {
        resource["urn"].rsplit("::", 1)[-1]: str(resource["outputs"]["health"])
        for resource in resources
        if resource.get("custom") and "health" in (resource.get("outputs") or {})
    }


def _changes(changes: dict[str, Any]) -> str:
    shown = {kind: count for kind, count in sorted(changes.items()) if count and kind != "same"}
    return ", ".join(f"{kind} {count}" for kind, count in shown.items()) or "no changes"


def summary(outcomes: list[Outcome]) -> str:
    rows = [("project", "result", "changes", "health")]
    for outcome in outcomes:
        states: dict[str, int] = {}
        for state in outcome.health.values():
            states[state] = states.get(state, 0) + 1
        health = ", ".join(f"{state} {count}" for state, count in sorted(states.items())) or "-"
        rows.append((outcome.project, "ok" if outcome.ok else "failed", outcome.changes or "-", health))
    widths = [max(len(row[column]) for row in rows) for column in range(4)]
    table = ["  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)).rstrip() for row in rows]
    failures = [f"{outcome.project}: {outcome.error}" for outcome in outcomes if not outcome.ok]
    return "\n".join(table + ([""] + failures if failures else []))


def main(argv: Optional[list[str]] = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("operation", choices=OPERATIONS)
    parser.add_argument("--inventory", type=Path, required=True, help="the projects and their pipelines (YAML)")
    parser.add_argument("--backend", help="where the stacks live (default: the inventory's `backend`)")
    parser.add_argument("--parallel", type=int, default=4, help="projects run at once (default 4)")
    parser.add_argument("--work-dir", type=Path, default=Path(".fleet"), help="each project's program copy and log")
    args = parser.parse_args(argv)
    inventory = load_inventory(args.inventory)
    backend = args.backend or inventory.get("backend")
    if not backend:
        parser.error("no backend: give --backend or a `backend` in the inventory")
    if backend.startswith("file://"):
        Path(os.path.expanduser(backend.removeprefix("file://"))).mkdir(parents=True, exist_ok=True)
    args.work_dir.mkdir(parents=True, exist_ok=True)
    work_dir = args.work_dir.resolve()
    projects = inventory["projects"]
    with ThreadPoolExecutor(max_workers=max(1, args.parallel)) as pool:
        settings = {"backend": backend, "secretsProvider": inventory.get("secretsProvider")}
        outcomes = list(pool.map(lambda project: run(args.operation, project, settings, work_dir), projects))
    print(summary(outcomes))
    return 0 if all(outcome.ok for outcome in outcomes) else 1


if __name__ == "__main__":
    sys.exit(main())
