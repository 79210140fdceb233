"""An in-place update as the calls it makes, and what Mixpanel has when one of them fails.

An update is a pause or resume of each pipeline, then an edit of each pipeline: pause and resume
first because each has an exact inverse (the dynamic front end takes them back when a later call
fails), and a pipeline is paused before its new settings land, or resumed with the settings it
had. Mixpanel reports neither a pipeline's filters nor whether it is paused, so when a call fails
part-way the state must say what landed (`reached_state`), or what landed must be taken back.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Optional

from pulumi_mixpanel.core.changes import edits_for_pipeline
from pulumi_mixpanel.core.errors import MixpanelError, UpdateInterruptedError
from pulumi_mixpanel.core.lifecycle import messages
from pulumi_mixpanel.core.models import PipelineArgs, edit_parameters, rule_of
from pulumi_mixpanel.core.state import PipelineState

if TYPE_CHECKING:
    from pulumi_mixpanel.core.client import MixpanelClient

logger = logging.getLogger(__name__)


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
    """The calls of one update, and the input field each edit parameter comes from."""

    cls: type[PipelineArgs]
    steps: list[Step]

    def field_of(self, parameter: str) -> str:
        return next((name for name, edit in edit_parameters(self.cls).items() if edit == parameter), parameter)

    def touched_fields(self, step: Step) -> list[str]:
        if step.operation == "edit":
            return [self.field_of(parameter) for parameter in step.fields]
        return [name for name in self.cls.model_fields if rule_of(self.cls, name).pause]


def plan_steps(cls: type[PipelineArgs], names: list[str], edits: dict[str, Any], pause: Optional[bool]) -> UpdatePlan:
    steps: list[Step] = []
    if pause is not None:
        steps += [Step("pause" if pause else "resume", name) for name in names]
    for name in names:
        fields = edits_for_pipeline(cls, edits, name)
        if fields:
            steps.append(Step("edit", name, fields))
    return UpdatePlan(cls, steps)


def send(client: MixpanelClient, step: Step) -> None:
    if step.operation == "edit":
        client.edit(step.pipeline_name, step.fields)
    elif step.operation == "pause":
        client.pause(step.pipeline_name)
    else:
        client.resume(step.pipeline_name)


def run_update(
    client: MixpanelClient,
    plan: UpdatePlan,
    intended: PipelineState,
    recorded: PipelineState,
    *,
    records_partial_results: bool,
) -> None:
    """Send the plan's calls; when one fails after others landed, raise UpdateInterruptedError with
    the state Mixpanel has (`records_partial_results`), or take back what landed and say so."""
    landed: list[Step] = []
    for step in plan.steps:
        try:
            send(client, step)
        except MixpanelError as error:
            if not landed:
                raise
            took = f"Mixpanel took {', '.join(done.describe() for done in landed)}, then {step.describe()} failed"
            resource_id = intended.resource_id
            if records_partial_results:
                raise UpdateInterruptedError(
                    messages.update_interrupted(resource_id, took, error),
                    state=reached_state(plan, landed, intended, recorded),
                    operation=step.operation,
                    http_status=error.http_status,
                    pipeline_name=step.pipeline_name,
                ) from error
            remaining = take_back(client, plan, landed, recorded)
            if not remaining:
                raise MixpanelError(
                    messages.update_taken_back(resource_id, took, error),
                    operation=step.operation,
                    http_status=error.http_status,
                    pipeline_name=step.pipeline_name,
                ) from error
            kept = ", ".join(done.describe() for done in remaining)
            raise UpdateInterruptedError(
                messages.update_left_applied(resource_id, took, error, kept),
                state=reached_state(plan, remaining, intended, recorded),
                operation=step.operation,
                http_status=error.http_status,
                pipeline_name=step.pipeline_name,
            ) from error
        landed.append(step)


def reached_state(
    plan: UpdatePlan, landed: list[Step], intended: PipelineState, recorded: PipelineState
) -> PipelineState:
    """The state after `landed` (a prefix of the plan's steps) went through.

    Per field: landed on every pipeline that takes it -> the new value; on none -> the value the
    state recorded; on some -> the new value, listed in `unverified_inputs`, which the next update
    sends to every pipeline again (Pulumi updates a resource that failed, even with no change).
    """
    inputs = dict(intended.inputs)
    unverified = set(intended.unverified_inputs)
    for name in dict.fromkeys(name for step in plan.steps for name in plan.touched_fields(step)):
        targets = [step for step in plan.steps if name in plan.touched_fields(step)]
        done = [step for step in targets if step in landed]
        if len(done) == len(targets):
            continue
        if done:
            unverified.add(name)
        else:
            inputs[name] = recorded.inputs.get(name)
            if name in recorded.unverified_inputs:
                unverified.add(name)
    return intended.with_changes(inputs=inputs, unverified_inputs=sorted(unverified))


def take_back(client: MixpanelClient, plan: UpdatePlan, landed: list[Step], recorded: PipelineState) -> list[Step]:
    """Take back what landed, newest first; returns the steps that could not be taken back."""
    remaining = list(landed)
    for step in reversed(landed):
        undo = _undo_step(plan, step, recorded)
        if undo is None:
            break
        try:
            send(client, undo)
        except MixpanelError as error:
            logger.warning("could not take back %s: %s", step.describe(), error)
            break
        remaining.remove(step)
    return remaining


def _undo_step(plan: UpdatePlan, step: Step, recorded: PipelineState) -> Optional[Step]:
    """The call that takes `step` back to what the state recorded, or None when none can."""
    if step.operation in ("pause", "resume"):
        return Step("resume" if step.operation == "pause" else "pause", step.pipeline_name)
    restored: dict[str, Any] = {}
    for parameter in step.fields:
        name = plan.field_of(parameter)
        previous = recorded.inputs.get(name)
        # An edit cannot unset a field (absent means unchanged), nor remove a member it added.
        if previous is None or rule_of(plan.cls, name).edit_adds_only:
            return None
        restored[parameter] = previous
    return Step("edit", step.pipeline_name, restored)


__all__ = ["Step", "UpdatePlan", "plan_steps", "reached_state", "run_update", "send", "take_back"]
