"""What a trial forbids: Mixpanel gives a project one trial, never cancels it before its 30 days,
and makes its events and people pipelines together. A change that would replace a trial fails
at check; a trial that lost a pipeline says why it cannot come back."""

from __future__ import annotations

from typing import Any

from pulumi_mixpanel.core.changes import ChangePlan, expected_names, plan_changes
from pulumi_mixpanel.core.errors import Problem, UnrestorablePipelinesError
from pulumi_mixpanel.core.lifecycle import messages
from pulumi_mixpanel.core.models import is_known
from pulumi_mixpanel.core.names import parse_pipeline_name
from pulumi_mixpanel.core.state import PipelineState


def replace_problems(olds: dict[str, Any], checked: dict[str, Any]) -> list[Problem]:
    """The changes that would replace a trial, as check problems.

    An adopted pipeline's old inputs hold only what was known of it (an import reads little):
    a field they do not hold is the program's word, not a change.
    """
    if olds.get("trial") is not True:
        return []
    if olds.get("adopt_existing") is True:
        checked = {k: v for k, v in checked.items() if k in olds or k == "type"}
    plan = plan_changes(olds, checked)
    return [
        Problem(name, messages.TRIAL_CANNOT_BE_REPLACED)
        for name in plan.replaces
        if is_known(checked.get(name)) or checked.get(name) is None
    ]


def explain_missing_pipelines(state: PipelineState, plan: ChangePlan) -> None:
    """A refresh found some of a trial's pipelines gone: say why they cannot come back."""
    if state.inputs.get("trial") is not True:
        return
    expected = expected_names(state.inputs)
    missing = [name for name in expected if name not in state.pipeline_names]
    if not missing or plan.narrowed_to is not None:
        return
    kept = [name for name in expected if name in state.pipeline_names]
    remaining = parse_pipeline_name(kept[0]) if kept else None
    raise UnrestorablePipelinesError(
        messages.trial_pipeline_lost(missing, kept[0] if remaining else "", remaining.data_source if remaining else ""),
        operation="diff",
    )


__all__ = ["explain_missing_pipelines", "replace_problems"]
