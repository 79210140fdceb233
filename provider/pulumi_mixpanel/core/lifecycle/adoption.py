"""Pipelines that exist before their resource does: adopted at a resource's first create
(`adopt_existing`), or imported (`pulumi import`, `mixpanel-adopt`).

Mixpanel's API returns no pipeline configuration: a pipeline's name and its jobs entry tell its
type, data source, frequency, schema type, whether it syncs and whether it is a bounded
backfill (the fields whose rule says `recoverable`). An adoption pushes every editable field the
program sets with `edit`; what nothing can vouch for is listed in `unverified_inputs`, and an
adoption changes nothing the program does not state.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any

from pulumi_mixpanel.core.changes import edits_for_pipeline
from pulumi_mixpanel.core.errors import AdoptionConflictError, MixpanelError
from pulumi_mixpanel.core.home import Home
from pulumi_mixpanel.core.lifecycle import messages
from pulumi_mixpanel.core.lifecycle.creation import Claims
from pulumi_mixpanel.core.lifecycle.listing import JobsListing
from pulumi_mixpanel.core.models import CLASS_BY_TYPE, PipelineArgs, class_for, edit_parameters, rule_of
from pulumi_mixpanel.core.names import PipelineName, names_from_id, parse_pipeline_name
from pulumi_mixpanel.core.state import PipelineState, stored_inputs

if TYPE_CHECKING:
    from pulumi_mixpanel.core.client import MixpanelClient

logger = logging.getLogger(__name__)


def adopt(
    client: MixpanelClient, model: PipelineArgs, names: list[str], listing: JobsListing, claims: Claims, home: Home
) -> PipelineState:
    """Take the existing pipelines `names` over as the resource `model` describes."""
    missing = [name for name in names if name not in listing.entries]
    if missing:
        present = [name for name in names if name not in missing]
        raise AdoptionConflictError(messages.partial_adoption(present, missing), operation="create")
    if not claims.claim(names):
        raise AdoptionConflictError(messages.adopted_elsewhere(names), operation="create")
    try:
        return _take_over(client, model, names, listing, home)
    except BaseException:
        claims.release(names)
        raise


def _take_over(
    client: MixpanelClient, model: PipelineArgs, names: list[str], listing: JobsListing, home: Home
) -> PipelineState:
    cls = type(model)
    values = model.request_values()
    inputs = stored_inputs(model, at_create=True)
    unverified = [name for name in cls.model_fields if _unverifiable(model, name)]
    if "sync" in cls.model_fields:
        sync, reported = getattr(model, "sync", None), listing.reported_sync(names)
        if sync is not None and reported is not None and sync != reported:
            raise AdoptionConflictError(
                messages.sync_differs(names[0], reported, sync), operation="create", pipeline_name=names[0]
            )
        if sync is None:
            if reported is None:
                unverified.append("sync")
            else:
                inputs["sync"] = reported
    editable = edit_parameters(cls)
    pushed = {edit: getattr(values, name) for name, edit in editable.items() if getattr(values, name) is not None}
    for name in names:
        fields = edits_for_pipeline(cls, pushed, name)
        if fields:
            client.edit(name, fields)
    # An edit cannot clear a value ("absent" means "unchanged"): one the pipeline has stays.
    unverified += [name for name in editable if getattr(values, name) is None]
    if model.paused is None:
        # Mixpanel does not say whether it is paused, and the program does not either: leave it.
        inputs.pop("paused", None)
        unverified.append("paused")
    else:
        operation = client.pause if model.paused is True else client.resume
        for name in names:
            operation(name)
    logger.info("adopted existing Mixpanel pipelines %s", names)
    return PipelineState(inputs, list(names), unverified_inputs=sorted(set(unverified)), home=home)


def _unverifiable(model: PipelineArgs, name: str) -> bool:
    """A set field that neither the name, the jobs entry nor an edit can vouch for."""
    rule = rule_of(type(model), name)
    sent = not (rule.provider_only or rule.pause)
    return sent and not rule.recoverable and not rule.edit and getattr(model, name) is not None


# --- import --------------------------------------------------------------------------------------


def import_names(resource_id: str, pipeline_type: str) -> tuple[list[str], list[PipelineName]]:
    """The names of one resource to import, parsed; raises when they cannot be one `pipeline_type` resource."""
    names = names_from_id(resource_id)
    if not names or class_for(pipeline_type) is None:
        raise MixpanelError(f"{resource_id!r} is not a list of pipeline names", operation="import")
    parsed: list[PipelineName] = []
    for name in names:
        parts = parse_pipeline_name(name)
        if parts is None:
            raise MixpanelError(
                f"{name!r} is not a name Mixpanel gives a pipeline "
                "([trial-]<data_source>-<frequency>-<type>[-<schema_type>])",
                operation="import",
            )
        if parts.type != pipeline_type:
            raise MixpanelError(
                f"{name} is a {parts.type} pipeline; import it as the resource for {parts.type}, not {pipeline_type}",
                operation="import",
            )
        parsed.append(parts)
    if len(names) > 1 and not (parsed[0].trial and {p.data_source for p in parsed} == {"events", "people"}):
        raise MixpanelError(
            "several names make one resource only for a trial's events and people pipelines", operation="import"
        )
    return names, parsed


def recovered_inputs(resource_id: str, pipeline_type: str, listing: JobsListing) -> dict[str, Any]:
    """The inputs an import gives listed pipelines, from their names and `listing` alone (no API call);
    an imported pipeline is an adopted one."""
    names, parsed = import_names(resource_id, pipeline_type)
    cls = CLASS_BY_TYPE[pipeline_type]
    first = parsed[0]
    inputs: dict[str, Any] = {"type": pipeline_type, "adopt_existing": True}
    if first.trial:
        inputs["trial"] = True
    if cls.SCHEMATIZED and len(names) == 1 and (first.trial or first.data_source != "events"):
        # Unset means events for a pipeline, events and people for a trial.
        inputs["data_source"] = first.data_source
    if first.frequency != "daily" and not listing.is_backfill(names):
        inputs["frequency"] = first.frequency  # a bounded export has a to_date, and then no frequency
    events_schema = next((p.schema_type for p in parsed if p.data_source == "events"), None)
    if events_schema and events_schema != "monoschema":
        inputs["schema_type"] = events_schema
    sync = listing.reported_sync(names)
    if cls.SCHEMATIZED and sync is not None:
        inputs["sync"] = sync
    return inputs


def imported_state(
    resource_id: str, pipeline_type: str, listing: JobsListing, status: dict[str, int], home: Home
) -> tuple[dict[str, Any], PipelineState]:
    """(inputs, state) of an import: what is recovered, with the models' own defaults for the
    recoverable fields; every other input is unverified, taken from the program later."""
    names, _ = import_names(resource_id, pipeline_type)
    inputs = recovered_inputs(resource_id, pipeline_type, listing)
    cls = CLASS_BY_TYPE[pipeline_type]
    defaults = cls.model_construct(**inputs).with_defaults()
    recovered = {
        name: getattr(defaults, name)
        for name in cls.model_fields
        if rule_of(cls, name).recoverable and getattr(defaults, name) is not None
    }
    if listing.is_backfill(names):
        recovered.pop("frequency", None)  # a bounded window has no frequency: its end is not recovered
    recovered.update(inputs)
    unverified = [name for name in cls.model_fields if name not in recovered and _unknown_after_import(cls, name)]
    state = PipelineState(recovered, names, status=status, unverified_inputs=sorted(set(unverified)), home=home)
    return inputs, state


def _unknown_after_import(cls: type[PipelineArgs], name: str) -> bool:
    """A field an import did not recover, whose value Mixpanel's name and listing do not tell."""
    rule = rule_of(cls, name)
    if rule.provider_only:
        return False
    # A recoverable field left unset is read from the name (data_source unset: events), except
    # one whose default is chosen at create (sync, when the listing does not report it).
    return not rule.recoverable or rule.kept_when_unset


def is_backfill(listing: JobsListing, names: list[str]) -> bool:
    return listing.is_backfill(names)


__all__ = ["adopt", "import_names", "imported_state", "is_backfill", "recovered_inputs"]
