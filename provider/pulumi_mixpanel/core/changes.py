"""What a change of inputs means for Mixpanel: nothing, an edit, a pause/resume, or a replace.

Pure functions over the stored inputs and the new checked inputs (plain dicts, snake_case); no
Pulumi, no HTTP. Each field's behaviour is its `FieldRule` (core/models/rules.py). Both sides are
compared as Mixpanel sees them: an empty event list is "all events" like an absent one, list
order does not matter, provider-only fields change no pipeline, and a field whose default is
chosen at creation keeps its value when left unset.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Optional

from pulumi_mixpanel.core.models import PipelineArgs, class_for, fields_with, is_deferred, rule_of
from pulumi_mixpanel.core.names import is_people_pipeline

# What changing one field does to a pipeline (`change_of`): the schema's `replaceOnChanges`
# and the reference docs say it from here.
EDITED = "edited in place; unsetting it replaces the pipeline (an edit cannot clear a value)"
PAUSED_OR_RESUMED = "paused or resumed in place"
PROVIDER_ONLY = "changes how the provider behaves, never the pipeline"
SHARES_ADDED = "edited in place when groups are added; replaces the pipeline when one is removed"
REPLACES = "replaces the pipeline"
KEPT_OR_REPLACES = "replaces the pipeline; left unset, it keeps the pipeline's value"
NARROWS_A_TRIAL_OR_REPLACES = (
    "replaces the pipeline; set on a trial of events and people, it narrows the resource to that data source in place"
)


def change_of(cls: type[PipelineArgs], name: str) -> str:
    """What a change of field `name` of `cls` does (one of the constants above)."""
    rule = rule_of(cls, name)
    if rule.pause:
        return PAUSED_OR_RESUMED
    if rule.provider_only:
        return PROVIDER_ONLY
    if rule.edit_adds_only:
        return SHARES_ADDED
    if rule.narrows_trial:
        return NARROWS_A_TRIAL_OR_REPLACES
    if rule.edit:
        return EDITED
    if rule.kept_when_unset:
        return KEPT_OR_REPLACES
    return REPLACES


def replaces_on_change(cls: type[PipelineArgs], name: str) -> bool:
    """Whether every change of the field replaces the pipeline (an unset value that is kept aside):
    the schema's `replaceOnChanges`, which the engine enforces over any diff."""
    return change_of(cls, name) in (REPLACES, KEPT_OR_REPLACES)


@dataclass
class ChangePlan:
    changed: list[str] = field(default_factory=list)
    replaces: list[str] = field(default_factory=list)
    # Edit parameter -> value, sent by the edit endpoint to every pipeline of the resource.
    edits: dict[str, Any] = field(default_factory=dict)
    # True: pause, False: resume, None: leave as is.
    pause: Optional[bool] = None
    delete_before_replace: bool = False
    # Fields left unset that keep the pipeline's value (field -> that value).
    kept: dict[str, Any] = field(default_factory=dict)
    # A trial narrowed to one data source: the pipelines of the other source leave the resource.
    narrowed_to: Optional[str] = None

    @property
    def has_changes(self) -> bool:
        return bool(self.changed)


def comparable(cls: type[PipelineArgs], name: str, value: Any) -> Any:
    """A field's value as Mixpanel sees it."""
    rule = rule_of(cls, name)
    if rule.unordered and isinstance(value, (list, tuple)):
        return frozenset(value) if value else None
    if value is None and rule.unset_means is not None:
        return rule.unset_means
    return value


def plan_changes(old: dict[str, Any], new: dict[str, Any]) -> ChangePlan:
    plan = ChangePlan()
    if old.get("type") != new.get("type"):
        plan.changed = ["type"]
        plan.replaces = ["type"]
        plan.delete_before_replace = True
        return plan
    cls = class_for(old.get("type"))
    if cls is None:
        return plan
    for name in cls.model_fields:
        rule = rule_of(cls, name)
        if rule.provider_only or name == "type":
            continue
        before, after = comparable(cls, name, old.get(name)), comparable(cls, name, new.get(name))
        if not is_deferred(after) and before == after:
            continue
        if after is None and rule.kept_when_unset:
            plan.kept[name] = old.get(name)
            continue
        plan.changed.append(name)
        if rule.pause:
            if not is_deferred(after):
                plan.pause = bool(after)
        elif rule.narrows_trial and _narrows_trial(old, before, after):
            plan.narrowed_to = after
        elif rule.edit is None:
            plan.replaces.append(name)
        elif rule.edit_adds_only:
            _plan_added_members(plan, name, rule.edit, old.get(name), new.get(name))
        elif after is None:
            # The edit endpoint cannot unset a field ("absent" means "unchanged").
            plan.replaces.append(name)
        else:
            plan.edits[rule.edit] = new.get(name)
    if plan.replaces:
        plan.delete_before_replace = _must_delete_first(cls, old, new)
    return plan


def _narrows_trial(old: dict[str, Any], before: Any, after: Any) -> bool:
    """A trial of events and people declared as one of them: the other's pipeline leaves."""
    return old.get("trial") is True and before is None and after in ("events", "people")


def _plan_added_members(plan: ChangePlan, name: str, parameter: str, before: Any, after: Any) -> None:
    """Mixpanel's edit only adds members (BigQuery shares); removing one needs a new pipeline."""
    if is_deferred(after):
        plan.edits[parameter] = after
        return
    previous, wanted = list(before or []), list(after or [])
    removed = [member for member in previous if member not in wanted]
    if removed or not wanted:
        plan.replaces.append(name)
        return
    added = [member for member in wanted if member not in previous]
    if added:
        plan.edits[parameter] = added


def expected_names(values: dict[str, Any]) -> list[str]:
    """The pipeline names a create with these inputs would get (no validation)."""
    cls = class_for(values.get("type"))
    if cls is None:
        return []
    return cls.model_construct(**_inputs_only(cls, values)).expected_pipeline_names()


def _must_delete_first(cls: type[PipelineArgs], old: dict[str, Any], new: dict[str, Any]) -> bool:
    """Mixpanel refuses a second pipeline to the same destination or with the same name."""
    # A type with no destination fields (Mixpanel-hosted) counts as the same destination.
    if all(old.get(name) == new.get(name) for name in fields_with(cls, "destination")):
        return True
    return bool(set(expected_names(old)) & set(expected_names(new)))


def _inputs_only(cls: type[PipelineArgs], values: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in values.items() if k in cls.model_fields}


def edits_for_pipeline(cls: type[PipelineArgs], edits: dict[str, Any], pipeline_name: str) -> dict[str, Any]:
    """The edit fields that apply to one pipeline: people pipelines take no event filters."""
    if is_people_pipeline(pipeline_name):
        filters = {rule_of(cls, name).edit for name in fields_with(cls, "filters_events")}
        return {k: v for k, v in edits.items() if k not in filters}
    return dict(edits)
