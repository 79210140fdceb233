"""What a field does beyond its type, declared on the field itself.

An input field carries one `FieldRule` in its annotation (`Annotated[..., FieldRule(...)]`), the
way pulumi-go-provider's `infer` tags a field `provider:"secret"` and terraform-plugin-framework
puts `RequiresReplace` on an attribute. Everything that needs a field's behaviour reads it from
here: change planning, the client's secret form fields, the schema (`secret`, `replaceOnChanges`),
reprs, and import recovery. A field without a rule is sent at create, and a change replaces the
pipeline.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from typing import TYPE_CHECKING, Any, Optional

if TYPE_CHECKING:
    from pulumi_mixpanel.core.models.base import PipelineArgs


@dataclass(frozen=True)
class FieldRule:
    # Changed in place through Mixpanel's edit endpoint, under this parameter name. An edit
    # cannot clear a value ("absent" means "unchanged"): unsetting the field replaces.
    edit: Optional[str] = None
    # The edit only adds members (BigQuery shares): removing one replaces the pipeline.
    edit_adds_only: bool = False
    # Applied with Mixpanel's pause and resume, never sent with create.
    pause: bool = False
    # Configures the provider; never sent, and no change of it changes a pipeline.
    provider_only: bool = False
    # Kept encrypted in state, hidden from reprs, scrubbed from every error text.
    secret: bool = False
    # Says where the data lands: Mixpanel refuses two pipelines to one destination.
    destination: bool = False
    # Its default is chosen at create (the two API documents disagree on it): left unset
    # later, it keeps the pipeline's value.
    kept_when_unset: bool = False
    # A list whose order Mixpanel does not keep: the same members are the same value.
    unordered: bool = False
    # What an import recovers: a pipeline's name and its jobs entry tell it.
    recoverable: bool = False
    # Filters events: people pipelines take none (not sent to them, refused on them).
    filters_events: bool = False
    # Setting it on a trial of events and people narrows the resource to one data source.
    narrows_trial: bool = False
    # How Mixpanel reads the field when it is unset (frequency: daily), for comparisons.
    unset_means: Any = None


NO_RULE = FieldRule()


@cache
def rule_of(cls: type[PipelineArgs], name: str) -> FieldRule:
    """The rule declared on field `name` of `cls` (NO_RULE when it declares none)."""
    field = cls.model_fields[name]
    return next((item for item in field.metadata if isinstance(item, FieldRule)), NO_RULE)


@cache
def fields_with(cls: type[PipelineArgs], attribute: str) -> tuple[str, ...]:
    """The fields of `cls` whose rule sets `attribute`, in declaration order."""
    return tuple(name for name in cls.model_fields if getattr(rule_of(cls, name), attribute))


@cache
def edit_parameters(cls: type[PipelineArgs]) -> dict[str, str]:
    """Field -> the edit endpoint's parameter, for the fields an edit can change."""
    return {name: rule.edit for name in cls.model_fields if (rule := rule_of(cls, name)).edit}


__all__ = ["NO_RULE", "FieldRule", "edit_parameters", "fields_with", "rule_of"]
