"""What a change of inputs means for Mixpanel: nothing, an edit, a pause/resume, or a replace.

Pure functions over the stored and the new inputs (plain dicts); no Pulumi, no HTTP.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Optional

from pulumi_mixpanel.destinations import CLASS_BY_TYPE, PROVIDER_FIELDS, PipelineArgs, is_deferred, parse_pipeline

# Changing these alters how the provider behaves, never the pipeline itself.
_IGNORED_FIELDS = frozenset(PROVIDER_FIELDS) - {"paused"}


@dataclass
class ChangePlan:
    changed: list[str] = field(default_factory=list)
    replaces: list[str] = field(default_factory=list)
    # Edit parameter -> value, sent by the edit endpoint to every pipeline of the resource.
    edits: dict[str, Any] = field(default_factory=dict)
    # True: pause, False: resume, None: leave as is.
    pause: Optional[bool] = None
    delete_before_replace: bool = False

    @property
    def has_changes(self) -> bool:
        return bool(self.changed)


def _input_fields(pipeline_type: Any) -> list[str]:
    cls = CLASS_BY_TYPE.get(pipeline_type) if isinstance(pipeline_type, str) else None
    if cls is None:
        return []
    return [name for name in cls.model_fields if name not in _IGNORED_FIELDS]


def _as_list(value: Any) -> list[Any]:
    if value is None:
        return []
    return list(value) if isinstance(value, (list, tuple)) else [value]


def plan_changes(old: dict[str, Any], new: dict[str, Any]) -> ChangePlan:
    plan = ChangePlan()
    if old.get("type") != new.get("type"):
        plan.changed = plan.replaces = ["type"]
        plan.delete_before_replace = True
        return plan
    cls = CLASS_BY_TYPE[old["type"]]
    for name in _input_fields(old["type"]):
        before, after = old.get(name), new.get(name)
        if not is_deferred(after) and before == after:
            continue
        plan.changed.append(name)
        if name == "paused":
            if not is_deferred(after):
                plan.pause = bool(after)
            continue
        edit_name = cls.EDITABLE.get(name)
        if edit_name is None:
            plan.replaces.append(name)
        elif name == "bq_share_with_group":
            _plan_share_edit(plan, before, after)
        elif after is None:
            # The edit endpoint cannot unset a field ("absent" means "unchanged").
            plan.replaces.append(name)
        else:
            plan.edits[edit_name] = after
    if plan.replaces:
        plan.delete_before_replace = _must_delete_first(cls, old, new)
    return plan


def _plan_share_edit(plan: ChangePlan, before: Any, after: Any) -> None:
    """Mixpanel's edit only adds BigQuery shares; removing one needs a new dataset."""
    if is_deferred(after):
        plan.edits["bq_share_with_group"] = after
        return
    previous, wanted = _as_list(before), _as_list(after)
    removed = [group for group in previous if group not in wanted]
    if removed or not wanted:
        plan.replaces.append("bq_share_with_group")
        return
    added = [group for group in wanted if group not in previous]
    if added:
        plan.edits["bq_share_with_group"] = added


def _must_delete_first(cls: type[PipelineArgs], old: dict[str, Any], new: dict[str, Any]) -> bool:
    """Mixpanel refuses a second pipeline to the same destination or with the same name."""
    # A type with no destination fields (Mixpanel-hosted) counts as the same destination.
    if all(old.get(name) == new.get(name) for name in cls.DESTINATION_FIELDS):
        return True
    old_model, _ = parse_pipeline(_inputs_only(cls, old))
    new_model, _ = parse_pipeline(_inputs_only(cls, new))
    if old_model is None or new_model is None:
        return True
    return bool(set(old_model.expected_pipeline_names()) & set(new_model.expected_pipeline_names()))


def _inputs_only(cls: type[PipelineArgs], values: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in values.items() if k in cls.model_fields}


def edits_for_pipeline(plan: ChangePlan, pipeline_name: str) -> dict[str, Any]:
    """The edit fields that apply to one pipeline: people pipelines take no event filters."""
    if _is_people_pipeline(pipeline_name):
        return {k: v for k, v in plan.edits.items() if k not in ("events", "where")}
    return dict(plan.edits)


def _is_people_pipeline(pipeline_name: str) -> bool:
    parts = pipeline_name.split("-")
    return "people" in parts[:2]
