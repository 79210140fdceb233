"""A pipeline resource's state: its stored inputs and what Mixpanel said of it.

The lifecycle works on `PipelineState`; the front ends turn it into a property map and back at
their edges (`values`, `from_values`), so output names are written in one place.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from typing import Any, Optional

from pulumi_mixpanel.core.health import Health
from pulumi_mixpanel.core.home import Home
from pulumi_mixpanel.core.models import PipelineArgs
from pulumi_mixpanel.core.names import id_from_names, names_from_id

OUTPUT_FIELDS = (
    "pipeline_names",
    "bigquery_dataset_name",
    "status",
    "unverified_inputs",
    "home",
    "health",
    "last_exported_date",
    "recent_failures",
    "last_failure_at",
)


def inputs_of(values: Mapping[str, Any]) -> dict[str, Any]:
    """The inputs in a state or a request (outputs and the front ends' own `__` keys dropped)."""
    return {k: v for k, v in values.items() if k not in OUTPUT_FIELDS and not k.startswith("__")}


def stored_inputs(model: PipelineArgs, *, at_create: bool = False) -> dict[str, Any]:
    """The inputs as state keeps them: Mixpanel's defaults written in, absent fields left out."""
    filled = model.request_values() if at_create else model.with_defaults()
    values = {name: getattr(filled, name) for name in type(filled).model_fields}
    return {k: v for k, v in values.items() if v is not None}


@dataclass
class PipelineState:
    inputs: dict[str, Any]  # the stored inputs, by API name, `type` included
    pipeline_names: list[str]
    # Only create returns it, for a Mixpanel-hosted BigQuery dataset.
    bigquery_dataset_name: Optional[str] = None
    # Task counts by state, from the last read.
    status: dict[str, int] = field(default_factory=dict)
    # Inputs Mixpanel cannot confirm (an adoption or an import), or that landed on some of the
    # resource's pipelines only: their values are the program's word.
    unverified_inputs: list[str] = field(default_factory=list)
    # None only in a state written before homes were recorded.
    home: Optional[Home] = None
    # From the last read's task list; None until a read (an adoption) or before 0.3.0.
    health: Optional[Health] = None

    @property
    def resource_id(self) -> str:
        return id_from_names(self.pipeline_names)

    def with_changes(self, **changes: Any) -> PipelineState:
        return replace(self, **changes)

    def values(self) -> dict[str, Any]:
        """The state as a property map (API names): inputs and outputs side by side."""
        return {
            **self.inputs,
            "pipeline_names": list(self.pipeline_names),
            "bigquery_dataset_name": self.bigquery_dataset_name,
            "status": dict(self.status),
            "unverified_inputs": list(self.unverified_inputs),
            "home": self.home.to_state() if self.home else None,
            **(self.health.values() if self.health else dict.fromkeys(Health("starting").values())),
        }

    @classmethod
    def from_values(cls, values: Mapping[str, Any], resource_id: str = "") -> PipelineState:
        """A state from a property map, as the engine hands it back (keys of a newer or an older
        release tolerated; a name list missing from an early state taken from the id)."""
        names = values.get("pipeline_names")
        status = values.get("status")
        unverified = values.get("unverified_inputs")
        dataset = values.get("bigquery_dataset_name")
        return cls(
            inputs=inputs_of(values),
            pipeline_names=[str(n) for n in names] if isinstance(names, list) and names else names_from_id(resource_id),
            bigquery_dataset_name=dataset if isinstance(dataset, str) else None,
            status={str(k): int(v) for k, v in status.items() if isinstance(v, (int, float))}
            if isinstance(status, Mapping)
            else {},
            unverified_inputs=[str(name) for name in unverified] if isinstance(unverified, list) else [],
            home=Home.from_state(values.get("home")),
            health=Health.from_values(values),
        )


__all__ = ["OUTPUT_FIELDS", "PipelineState", "inputs_of", "stored_inputs"]
