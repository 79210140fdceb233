"""An in-place update as the calls it makes, and what Mixpanel has when one of them fails.

An update is a pause or resume of each pipeline, then an edit of each pipeline: pause and resume
first because each has an exact inverse (the dynamic front end undoes them when a later call
fails), and a pipeline is paused before its new settings land or resumed only once they are
sent in the same run. Mixpanel reports neither a pipeline's filters nor whether it is paused,
so when a call fails part-way the state must say what landed: `reached_outputs` is that state.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Optional

from pulumi_mixpanel.core.changes import edits_for_pipeline

# Edit parameters whose change an edit cannot take back (Mixpanel's edit only adds BigQuery shares).
IRREVERSIBLE_EDITS = frozenset({"bq_share_with_group"})


@dataclass(frozen=True)
class Step:
    """One API call of an update: `pause`, `resume` or `edit` of one pipeline."""

    operation: str
    pipeline_name: str
    fields: dict[str, Any] = field(default_factory=dict)  # edit parameters -> values (edit only)

    def describe(self) -> str:
        if self.operation == "edit":
            return f"the edit of {', '.join(sorted(self.fields))} on {self.pipeline_name}"
        return f"the {self.operation} of {self.pipeline_name}"


@dataclass
class UpdatePlan:
    """The calls of one update, and which input field each edit parameter comes from."""

    steps: list[Step]
    field_by_parameter: dict[str, str]


def plan_steps(
    names: list[str], edits: dict[str, Any], pause: Optional[bool], field_by_parameter: dict[str, str]
) -> UpdatePlan:
    steps: list[Step] = []
    if pause is not None:
        steps += [Step("pause" if pause else "resume", name) for name in names]
    for name in names:
        fields = edits_for_pipeline(edits, name)
        if fields:
            steps.append(Step("edit", name, fields))
    return UpdatePlan(steps, field_by_parameter)


def touched_fields(step: Step, plan: UpdatePlan) -> list[str]:
    if step.operation == "edit":
        return [plan.field_by_parameter.get(parameter, parameter) for parameter in step.fields]
    return ["paused"]


def reached_outputs(
    plan: UpdatePlan,
    landed: list[Step],
    intended: dict[str, Any],
    recorded: dict[str, Any],
    previously_unverified: list[str],
) -> dict[str, Any]:
    """The state after `landed` (a prefix of the plan's steps) went through.

    Per field: landed on every pipeline that takes it -> the new value; on none -> the value
    the state recorded; on some -> the new value, listed in `unverified_inputs`, which the next
    update sends to every pipeline again (Pulumi runs that update: the resource failed).
    """
    reached = dict(intended)
    still_unverified = set(intended.get("unverified_inputs") or [])
    for field_name in dict.fromkeys(name for step in plan.steps for name in touched_fields(step, plan)):
        targets = [step for step in plan.steps if field_name in touched_fields(step, plan)]
        done = [step for step in targets if step in landed]
        if len(done) == len(targets):
            continue
        if done:
            still_unverified.add(field_name)
        else:
            reached[field_name] = recorded.get(field_name)
            if field_name in previously_unverified:
                still_unverified.add(field_name)
    reached["unverified_inputs"] = sorted(still_unverified)
    return reached


def undo_step(step: Step, recorded: dict[str, Any], plan: UpdatePlan) -> Optional[Step]:
    """The call that takes `step` back to what the state recorded, or None when none can."""
    if step.operation in ("pause", "resume"):
        return Step("resume" if step.operation == "pause" else "pause", step.pipeline_name)
    restored: dict[str, Any] = {}
    for parameter in step.fields:
        previous = recorded.get(plan.field_by_parameter.get(parameter, parameter))
        # An edit cannot unset a field (absent means unchanged), nor remove a BigQuery share.
        if previous is None or parameter in IRREVERSIBLE_EDITS:
            return None
        restored[parameter] = previous
    return Step("edit", step.pipeline_name, restored)


__all__ = ["Step", "UpdatePlan", "plan_steps", "reached_outputs", "undo_step"]
