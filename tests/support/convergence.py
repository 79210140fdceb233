"""Run one Pulumi operation through the provider server with at most one user retry, and
compare what the emulator holds with what Pulumi's state would hold."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Optional

import grpc

from harness.emulator import EmulatorAdmin


@dataclass
class ResourceState:
    """What Pulumi's state holds for one resource: its id and outputs, or nothing."""

    id: str = ""
    outs: dict[str, Any] = field(default_factory=dict)

    @property
    def names(self) -> set[str]:
        return {n for n in self.id.split(",") if n}


@dataclass
class Tally:
    runs: int = 0
    faults: int = 0
    duplicates: int = 0
    orphans: int = 0
    lost: int = 0
    failed_operations: list[str] = field(default_factory=list)

    def summary(self) -> str:
        return (
            f"runs={self.runs} faults_injected={self.faults} duplicates={self.duplicates} "
            f"orphans={self.orphans} lost={self.lost}"
        )


def attempt_twice(operation: Callable[[], Any]) -> tuple[Any, Optional[grpc.RpcError]]:
    """The operation, and once more if it failed (a user re-running `pulumi up`)."""
    try:
        return operation(), None
    except grpc.RpcError:
        pass
    try:
        return operation(), None
    except grpc.RpcError as error:
        return None, error


def compare(admin: EmulatorAdmin, state: ResourceState, tally: Tally) -> None:
    """Count duplicates (extra pipelines of this resource), orphans (pipelines no state knows)
    and lost pipelines (state names a pipeline the emulator does not have)."""
    held = [p["name"] for p in admin.pipelines()]
    extra = [name for name in held if name not in state.names]
    same_config = [name for name in extra if _same_family(name, state.names)]
    tally.duplicates += len(same_config)
    tally.orphans += len(extra) - len(same_config)
    tally.lost += len(state.names - set(held))


def _same_family(name: str, names: set[str]) -> bool:
    # Names are unique in a project, so a second create of the same configuration is refused;
    # an extra pipeline of the resource's type and data source counts as a duplicate.
    return any(name.split("-")[2:] == known.split("-")[2:] for known in names)
