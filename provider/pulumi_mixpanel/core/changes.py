"""What a change of inputs means for Mixpanel: nothing, an edit, a pause/resume, or a replace.

Pure functions over the stored state and the new checked inputs (plain dicts, snake_case);
no Pulumi, no HTTP. Both sides are compared as Mixpanel sees them: an empty event list is
"all events" like an absent one, list order does not matter, provider-only fields change no
pipeline, and a field whose default is chosen at creation keeps its value when left unset.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Optional

from pulumi_mixpanel.core.models import PROVIDER_FIELDS, PipelineArgs, class_for, is_deferred
from pulumi_mixpanel.core.names import is_people_pipeline

# Changing these alters how the provider behaves, never the pipeline itself.
IGNORED_FIELDS = frozenset(PROVIDER_FIELDS) - {"paused"}
# Lists whose order Mixpanel does not keep: the same members are the same value.
UNORDERED_LISTS = frozenset({"events", "bq_share_with_group"})


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
    if name == "paused":
        return PAUSED_OR_RESUMED
    if name in IGNORED_FIELDS:
        return PROVIDER_ONLY
    if name == "bq_share_with_group":
        return SHARES_ADDED
    if name == "data_source" and cls.SCHEMATIZED:
        return NARROWS_A_TRIAL_OR_REPLACES
    if name in cls.EDITABLE:
        return EDITED
    if name in cls.KEEP_WHEN_UNSET:
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


def comparable(name: str, value: Any) -> Any:
    """A field's value as Mixpanel sees it."""
    if name in UNORDERED_LISTS and isinstance(value, (list, tuple)):
        return frozenset(value) if value else None
    if name == "frequency" and value is None:
        return "daily"  # what the pipeline's name says when none is set (a bounded window)
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
        if name in IGNORED_FIELDS or name == "type":
            continue
        before, after = comparable(name, old.get(name)), comparable(name, new.get(name))
        if not is_deferred(after) and before == after:
            continue
        if after is None and name in cls.KEEP_WHEN_UNSET:
            plan.kept[name] = old.get(name)
            continue
        plan.changed.append(name)
        if name == "paused":
            if not is_deferred(after):
                plan.pause = bool(after)
            continue
        if name == "data_source" and _narrows_trial(old, before, after):
            plan.narrowed_to = after
            continue
        edit_name = cls.EDITABLE.get(name)
        if edit_name is None:
            plan.replaces.append(name)
        elif name == "bq_share_with_group":
            _plan_share_edit(plan, old.get(name), new.get(name))
        elif after is None:
            # The edit endpoint cannot unset a field ("absent" means "unchanged").
            plan.replaces.append(name)
        else:
            plan.edits[edit_name] = new.get(name)
    if plan.replaces:
        plan.delete_before_replace = _must_delete_first(cls, old, new)
    return plan


def _narrows_trial(old: dict[str, Any], before: Any, after: Any) -> bool:
    """A trial of events and people declared as one of them: the other's pipeline leaves."""
    return old.get("trial") is True and before is None and after in ("events", "people")


def _plan_share_edit(plan: ChangePlan, before: Any, after: Any) -> None:
    """Mixpanel's edit only adds BigQuery shares; removing one needs a new dataset."""
    if is_deferred(after):
        plan.edits["bq_share_with_group"] = after
        return
    previous, wanted = list(before or []), list(after or [])
    removed = [group for group in previous if group not in wanted]
    if removed or not wanted:
        plan.replaces.append("bq_share_with_group")
        return
    added = [group for group in wanted if group not in previous]
    if added:
        plan.edits["bq_share_with_group"] = added


def expected_names(values: dict[str, Any]) -> list[str]:
    """The pipeline names a create with these inputs would get (no validation)."""
    cls = class_for(values.get("type"))
    if cls is None:
        return []
    return cls.model_construct(**_inputs_only(cls, values)).expected_pipeline_names()


def _must_delete_first(cls: type[PipelineArgs], old: dict[str, Any], new: dict[str, Any]) -> bool:
    """Mixpanel refuses a second pipeline to the same destination or with the same name."""
    # A type with no destination fields (Mixpanel-hosted) counts as the same destination.
    if all(old.get(name) == new.get(name) for name in cls.DESTINATION_FIELDS):
        return True
    return bool(set(expected_names(old)) & set(expected_names(new)))


def _inputs_only(cls: type[PipelineArgs], values: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in values.items() if k in cls.model_fields}


def edits_for_pipeline(edits: dict[str, Any], pipeline_name: str) -> dict[str, Any]:
    """The edit fields that apply to one pipeline: people pipelines take no event filters."""
    if is_people_pipeline(pipeline_name):
        return {k: v for k, v in edits.items() if k not in ("events", "where")}
    return dict(edits)
