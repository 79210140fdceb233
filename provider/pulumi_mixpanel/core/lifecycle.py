"""The life of one pipeline resource, the same for both front ends.

check, diff, create, read (refresh and import), update and delete, over plain dicts with the
API's snake_case names. The front ends translate Pulumi's protocol to these calls and back;
every rule lives here or below (models, names, change planning, settings, client).

Resource id: the pipeline names Mixpanel returned, joined with "," in the order returned,
e.g. "trial-events-daily-bigquery-monoschema,trial-people-daily-bigquery-monoschema".

The state never claims what Mixpanel does not have:
- a create is made exactly once, even when Mixpanel's answer is lost (it has no idempotency
  key): the project's jobs are listed before the create is sent, and after a lost answer a
  pipeline counts as the one just created only if it was not there before and no other
  operation of this process claimed it;
- an adopted pipeline gets the program's editable settings pushed with edit, and the fields
  that neither its name, its jobs entry nor an edit can vouch for are listed in
  `unverified_inputs`;
- a refresh confirms a pipeline that status does not know with a fresh jobs listing.
Thread-safe: the dynamic provider server calls it from several threads, the plugin from many.
"""

from __future__ import annotations

import datetime as dt
import logging
import random
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Optional

from pulumi_mixpanel.core.changes import ChangePlan, edits_for_pipeline, expected_names, plan_changes
from pulumi_mixpanel.core.errors import (
    AdoptionConflictError,
    BadRequestError,
    ForbiddenError,
    MixpanelError,
    NotFoundError,
    PipelineElsewhereError,
    PipelineExistsError,
    PipelineInputError,
    Problem,
    ServerError,
    TransportError,
    TrialPipelineCannotBeDeleted,
    UnexpectedResponseError,
    UnrestorablePipelinesError,
    UpdateInterruptedError,
)
from pulumi_mixpanel.core.home import Home
from pulumi_mixpanel.core.models import (
    CLASS_BY_TYPE,
    PROVIDER_FIELDS,
    PipelineArgs,
    class_for,
    is_known,
    validate_pipeline,
)
from pulumi_mixpanel.core.names import PipelineName, id_from_names, names_from_id, parse_pipeline_name
from pulumi_mixpanel.core.settings import ProviderSettings
from pulumi_mixpanel.core.updates import Step, UpdatePlan, plan_steps, reached_outputs, undo_step

if TYPE_CHECKING:
    from pulumi_mixpanel.core.client import MixpanelClient

logger = logging.getLogger(__name__)

OUTPUT_FIELDS = ("pipeline_names", "bigquery_dataset_name", "status", "unverified_inputs", "home")
MAX_CREATE_ATTEMPTS = 3
# A refresh reads its resources in one burst: the reads that need the jobs listing (a name
# status does not know) share one while reads keep coming (no gap over JOBS_IDLE_SECONDS), for
# at most JOBS_MAX_AGE_SECONDS.
JOBS_IDLE_SECONDS = 2.0
JOBS_MAX_AGE_SECONDS = 60.0
# What a pipeline's name and its jobs entry tell about it; everything else is unverifiable.
RECOVERABLE_FIELDS = ("type", "trial", "data_source", "frequency", "schema_type", "sync")
RETAIN_HINT = (
    "To drop it from the stack and leave it running, set `retain_on_delete` on the resource "
    "(Python: `opts=pulumi.ResourceOptions(retain_on_delete=True)`, YAML: `options: retainOnDelete: true`), "
    "run `pulumi up`, then remove it from the program (or run `pulumi state delete <urn>`)."
)


def utc_now() -> dt.datetime:
    return dt.datetime.now(dt.timezone.utc)


@dataclass
class CheckOutcome:
    inputs: dict[str, Any]
    problems: list[Problem] = field(default_factory=list)


@dataclass
class JobsListing:
    """The project's jobs: pipeline name -> its entry (Dispatcher, frequency, sync_enabled...)."""

    entries: dict[str, dict[str, Any]]
    fetched: float
    last_used: float

    @property
    def names(self) -> frozenset[str]:
        return frozenset(self.entries)

    def serves(self, now: float) -> bool:
        return now - self.last_used <= JOBS_IDLE_SECONDS and now - self.fetched <= JOBS_MAX_AGE_SECONDS


def inputs_of(values: dict[str, Any]) -> dict[str, Any]:
    """The inputs in a state or a request (outputs and other keys dropped)."""
    return {k: v for k, v in values.items() if k not in OUTPUT_FIELDS and not k.startswith("__")}


def stored_inputs(model: PipelineArgs, *, at_create: bool = False) -> dict[str, Any]:
    """The inputs as state keeps them: Mixpanel's defaults written in, absent fields left out."""
    filled = model.request_values() if at_create else model.with_defaults()
    values = {name: getattr(filled, name) for name in type(filled).model_fields}
    return {k: v for k, v in values.items() if v is not None}


class PipelineLifecycle:
    def __init__(
        self,
        settings: ProviderSettings,
        *,
        clock: Callable[[], dt.datetime] = utc_now,
        sleep: Callable[[float], None] = time.sleep,
        monotonic: Callable[[], float] = time.monotonic,
        client_factory: Optional[Callable[[ProviderSettings], MixpanelClient]] = None,
        pool_size: int = 16,
        how_to_move: str = "",
        records_partial_results: bool = True,
    ) -> None:
        self.settings = settings
        self.home = Home.of(settings)
        # The front end's own words for moving a pipeline to another project on purpose.
        self._how_to_move = how_to_move
        # Whether the front end can record the state of a create or update that failed part-way
        # (the plugin can; the dynamic one cannot, so it takes back what an update had done).
        self._records_partial_results = records_partial_results
        self._clock = clock
        self._sleep = sleep
        self._monotonic = monotonic
        self._client_factory = client_factory or (lambda s: default_client(s, pool_size=pool_size))
        self._client_instance: Optional[MixpanelClient] = None
        self._client_lock = threading.Lock()
        self._jobs_lock = threading.Lock()
        self._jobs_cache: Optional[JobsListing] = None
        # Names this process created or adopted: a lost answer never adopts one of these.
        self._claims_lock = threading.Lock()
        self._claimed: set[str] = set()
        # Names that resources already in the state would get (seen at check): a create of one
        # of them is a replacement, and adoption belongs to a resource's first create only.
        self._names_of_existing_resources: set[str] = set()

    def today(self) -> dt.date:
        return self._clock().date()

    def client(self) -> MixpanelClient:
        with self._client_lock:
            if self._client_instance is None:
                self.settings.require_usable()
                self._client_instance = self._client_factory(self.settings)
            return self._client_instance

    # --- check / diff: no API calls ------------------------------------------------------

    def check(self, old_inputs: dict[str, Any], new_inputs: dict[str, Any]) -> CheckOutcome:
        values = inputs_of(new_inputs)
        olds = inputs_of(old_inputs)
        # The six-month window binds a new from_date only: an existing pipeline keeps its own.
        from_date_is_new = not olds or olds.get("from_date") != values.get("from_date")
        model, problems = validate_pipeline(values, today=self.today(), check_from_date_window=from_date_is_new)
        if model is None:
            if olds and olds == values:
                problems = _import_problems(problems)
            return CheckOutcome(values, problems)
        if olds:
            # This resource is in the state. If the change replaces it, the engine checks the
            # inputs again without the old ones, then creates: that create must not adopt.
            with self._claims_lock:
                self._names_of_existing_resources.update(model.expected_pipeline_names())
            if model.paused is None and not (olds.get("adopt_existing") is True and olds.get("paused") is None):
                # Only an adoption leaves an unstated pause as it is; a resource in the state that
                # was not adopted that way has the default, false.
                model = model.model_copy(update={"paused": False})
        checked = stored_inputs(model)
        if olds:
            return CheckOutcome(checked, _trial_replace_problems(olds, checked))
        return CheckOutcome(checked)

    def diff(
        self, old_state: dict[str, Any], new_inputs: dict[str, Any], old_inputs: Optional[dict[str, Any]] = None
    ) -> ChangePlan:
        """What changing to `new_inputs` takes; raises when the resource's pipelines cannot be restored,
        or live in another project than these settings reach."""
        self._home_of(old_state)
        old = _recorded_view(old_state, new_inputs, old_inputs)
        plan = plan_changes(old, inputs_of(new_inputs))
        _explain_missing_pipelines(old_state, plan)
        return plan

    # --- create ------------------------------------------------------------------------------

    def create(self, inputs: dict[str, Any]) -> tuple[str, dict[str, Any]]:
        model = self._model(inputs)
        listing = self._fresh_jobs()
        expected = model.expected_pipeline_names()
        existing = [name for name in expected if name in listing.entries]
        if existing:
            if model.adopt_existing is True and not self._is_replacement(expected):
                return self._adopt(model, expected, listing)
            raise PipelineExistsError(
                f"the project already has a pipeline named {', '.join(existing)}, which is the name this "
                f"{model.TYPE} pipeline would get. If this resource is new, set adopt_existing=True to take it "
                "over (its editable settings are then set to the program's); a replacement never takes over an "
                "existing pipeline, which may be someone else's. Otherwise cancel or rename that pipeline, or "
                "change the settings that make the name (trial, data_source, frequency, schema_type).",
                operation="create",
            )
        created = self._create_exactly_once(model, listing.names)
        names = created["pipeline_names"]
        outputs = {
            **stored_inputs(model, at_create=True),
            **created,
            "status": {},
            "unverified_inputs": [],
            "home": self.home.to_state(),
        }
        if model.paused is True:
            try:
                self._set_paused(names, True)
            except MixpanelError as error:
                # The pipelines exist: record them as running (some may be paused: unverified), so the
                # next `pulumi up` sees paused false -> true and pauses them, rather than losing them.
                outputs["paused"] = False
                outputs["unverified_inputs"] = ["paused"]
                if self._records_partial_results:
                    raise UpdateInterruptedError(
                        f"created {', '.join(names)} but could not pause it: {error}. The state records it as "
                        "running; run `pulumi up` again to pause it.",
                        operation="pause",
                        http_status=error.http_status,
                        pipeline_name=error.pipeline_name,
                        outputs=outputs,
                    ) from error
                logger.warning("created %s but could not pause it (%s); the next `pulumi up` pauses it", names, error)
        return id_from_names(names), outputs

    def _create_exactly_once(self, model: PipelineArgs, names_before: frozenset[str]) -> dict[str, Any]:
        """Create the pipeline(s) once, even when Mixpanel's answer is lost.

        When a create's outcome is unknown (timeout, reset, 5xx, garbled answer, any failure
        while reading the answer) it may still have happened, so before sending it again the
        jobs are listed: the expected pipelines, if they appeared since the listing taken
        before the first attempt, are the ones just created and are adopted. A resend refused
        as a duplicate proves the same. Only if they are absent is the create resent.
        """
        fields = model.request_fields(today=self.today())
        last_error: Optional[MixpanelError] = None
        try:
            for attempt in range(1, MAX_CREATE_ATTEMPTS + 1):
                try:
                    created = self.client().create(fields)
                    with self._claims_lock:  # Mixpanel's own answer: the names are this create's
                        self._claimed.update(created["pipeline_names"])
                    return created
                except TransportError as error:
                    if not error.may_have_reached_server:
                        raise
                    last_error = error
                except (ServerError, UnexpectedResponseError) as error:
                    last_error = error
                except BadRequestError as error:
                    if last_error is None:
                        raise _explain_create_refusal(error, model) from None
                    found = self._created_since(model, names_before)
                    if found:
                        return _adopted(found)
                    raise
                logger.warning("create attempt %d: outcome unknown (%s); looking the pipeline up", attempt, last_error)
                found = self._created_since(model, names_before)
                if found:
                    logger.info("the create did happen: adopting %s", found)
                    return _adopted(found)
                if attempt < MAX_CREATE_ATTEMPTS:
                    self._sleep(random.uniform(0.2, 0.6) * attempt)
        finally:
            self._forget_jobs()
        raise MixpanelError(
            f"gave up after {MAX_CREATE_ATTEMPTS} attempts ({last_error}). No pipeline named "
            f"{', '.join(model.expected_pipeline_names())} appeared in the project's jobs, so nothing was "
            "left behind; run `pulumi up` again",
            operation="create",
        )

    def _created_since(self, model: PipelineArgs, names_before: frozenset[str]) -> list[str]:
        """The expected names, if every one appeared after `names_before` and is claimed now."""
        expected = model.expected_pipeline_names()
        listed = self._fresh_jobs().names
        if any(name in names_before or name not in listed for name in expected):
            return []
        return expected if self._claim(expected) else []

    def _is_replacement(self, names: list[str]) -> bool:
        with self._claims_lock:
            return any(name in self._names_of_existing_resources for name in names)

    def _claim(self, names: list[str]) -> bool:
        with self._claims_lock:
            if any(name in self._claimed for name in names):
                return False
            self._claimed.update(names)
            return True

    def _release(self, names: list[str]) -> None:
        with self._claims_lock:
            self._claimed.difference_update(names)

    # --- adoption ------------------------------------------------------------------------------

    def _adopt(self, model: PipelineArgs, names: list[str], listing: JobsListing) -> tuple[str, dict[str, Any]]:
        missing = [name for name in names if name not in listing.entries]
        if missing:
            raise AdoptionConflictError(
                "only some of this configuration's pipelines exist "
                f"({', '.join(n for n in names if n not in missing)}); "
                f"{', '.join(missing)} does not, and Mixpanel creates them together. Adopt it with a configuration "
                "that matches what exists (e.g. data_source), or remove the existing pipeline first.",
                operation="create",
            )
        if not self._claim(names):
            raise AdoptionConflictError(
                f"{', '.join(names)} is already managed by another resource of this deployment", operation="create"
            )
        try:
            return self._take_over(model, names, listing)
        except BaseException:
            self._release(names)
            raise

    def _take_over(self, model: PipelineArgs, names: list[str], listing: JobsListing) -> tuple[str, dict[str, Any]]:
        values = model.request_values()
        reported_sync = _reported_sync(listing, names)
        outputs = stored_inputs(model, at_create=True)
        unverified = _unverifiable_fields(model)
        if "sync" in type(model).model_fields:
            sync = getattr(model, "sync", None)
            if sync is not None and reported_sync is not None and sync != reported_sync:
                raise AdoptionConflictError(
                    f"{names[0]} reports sync_enabled={str(reported_sync).lower()} in the jobs listing, "
                    "but the program "
                    f"sets sync={sync}; sync cannot be changed in place. Set sync={reported_sync} to adopt it "
                    "as it is.",
                    operation="create",
                    pipeline_name=names[0],
                )
            if sync is None:
                if reported_sync is None:
                    unverified.append("sync")
                else:
                    outputs["sync"] = reported_sync
        pushed = {
            edit: getattr(values, field)
            for field, edit in type(model).EDITABLE.items()
            if getattr(values, field) is not None
        }
        self._edit(names, pushed)
        # An edit cannot clear a filter ("absent" means "unchanged"): one the pipeline has stays.
        unverified += [field for field in ("events", "where") if getattr(values, field) is None]
        if model.paused is None:
            # Mixpanel does not say whether it is paused, and the program does not either: leave it.
            outputs.pop("paused", None)
            unverified.append("paused")
        else:
            self._set_paused(names, model.paused is True)
        self._forget_jobs()
        logger.info("adopted existing Mixpanel pipelines %s", names)
        outputs.update(_adopted(names), status={}, unverified_inputs=sorted(set(unverified)), home=self.home.to_state())
        return id_from_names(names), outputs

    # --- read: refresh and import --------------------------------------------------------------

    def read(self, resource_id: str, state: dict[str, Any]) -> tuple[str, dict[str, Any]]:
        """The resource as Mixpanel has it now: ("", {}) when every pipeline is gone."""
        names = names_from_id(resource_id)
        home = self._home_of(state, names)
        present, counts = self._present_pipelines(names)
        self._release([name for name in names if name not in present])
        if not present:
            logger.info("pipelines %s no longer exist in Mixpanel", names)
            return "", {}
        outputs = {
            **{k: v for k, v in state.items() if not k.startswith("__")},
            "pipeline_names": present,
            "status": counts,
            "home": home.to_state(),
        }
        outputs.setdefault("unverified_inputs", [])
        return id_from_names(present), outputs

    def import_pipelines(self, resource_id: str, pipeline_type: str) -> tuple[dict[str, Any], dict[str, Any]]:
        """(inputs, outputs) of existing pipelines, from what their names and jobs entries tell.

        The API returns no configuration: destination, credentials, dates and filters are not
        recoverable; they are listed in `unverified_inputs` and taken from the program later.
        """
        names, parsed = _import_names(resource_id, pipeline_type)
        listing = self._fresh_jobs()
        present, counts = self._present_pipelines(names, listing=listing)
        absent = [name for name in names if name not in present]
        if absent:
            raise NotFoundError(f"the project has no pipeline named {', '.join(absent)}", operation="import")
        inputs = _recovered_inputs(pipeline_type, names, parsed, listing)
        cls = CLASS_BY_TYPE[pipeline_type]
        recovered = {"trial": False, **inputs}
        if not is_backfill(listing, names):
            recovered.setdefault("frequency", "daily")
        if cls.SCHEMATIZED:
            recovered.setdefault("schema_type", "monoschema")
        else:
            recovered.update(data_source="events", data_format="json")  # raw exports know no other
        unrecoverable = [
            f
            for f in cls.model_fields
            if f not in RECOVERABLE_FIELDS and f not in ("adopt_existing", "api_mode") and f not in recovered
        ]
        if cls.SCHEMATIZED and "sync" not in inputs:
            unrecoverable.append("sync")
        outputs = {
            **recovered,
            **_adopted(present),
            "status": counts,
            "unverified_inputs": sorted(unrecoverable),
            "home": self.home.to_state(),
        }
        return inputs, outputs

    def _present_pipelines(
        self, names: list[str], listing: Optional[JobsListing] = None
    ) -> tuple[list[str], dict[str, int]]:
        """The names Mixpanel still has, and their task counts summed by state.

        status is asked first: a paused or finished pipeline may not be listed as scheduled.
        Only a name status does not know needs the jobs listing: it counts as present only if
        listed, and a listing shared by a refresh burst (possibly stale) is confirmed with a
        fresh one first. A refresh of pipelines status knows lists no jobs at all.
        """
        fresh = listing is not None
        present: list[str] = []
        counts: dict[str, int] = {}
        for name in names:
            try:
                summary = self.client().status(name, summary=True)
            except (NotFoundError, BadRequestError):
                if listing is None:
                    listing = self._shared_jobs()
                if name in listing.entries and not fresh:
                    listing, fresh = self._fresh_jobs(), True
                if name in listing.entries:
                    present.append(name)
                continue
            present.append(name)
            for state, count in summary.items():
                if isinstance(count, int) and not isinstance(count, bool):
                    counts[str(state)] = counts.get(str(state), 0) + count
        return present, counts

    # --- update ----------------------------------------------------------------------------------

    def update(
        self,
        resource_id: str,
        old_state: dict[str, Any],
        new_inputs: dict[str, Any],
        old_inputs: Optional[dict[str, Any]] = None,
    ) -> dict[str, Any]:
        """Edit, pause or resume the pipelines in place; raises UpdateInterruptedError, with what
        Mixpanel has now, when a call fails after others landed (see `core.updates`)."""
        news = inputs_of(new_inputs)
        plan = self.diff(old_state, news, old_inputs)
        if plan.replaces:
            raise MixpanelError(f"{', '.join(plan.replaces)} can only change by replacement", operation="edit")
        names = list(old_state.get("pipeline_names") or names_from_id(resource_id))
        home = self._home_of(old_state, names)
        if plan.narrowed_to is not None:
            names = self._narrow(names, plan.narrowed_to)
        # An update is a chance to make Mixpanel match the program: unverified fields it can be told go along.
        cls = class_for(news.get("type"))
        editable = cls.EDITABLE if cls else {}
        unverified = list(old_state.get("unverified_inputs") or [])
        pushed = {name for name in unverified if (name in editable or name == "paused") and news.get(name) is not None}
        edits = {**{editable[name]: news[name] for name in pushed if name in editable}, **plan.edits}
        pause = plan.pause if plan.pause is not None else (news["paused"] is True if "paused" in pushed else None)
        outputs = {**news, **plan.kept, **{key: old_state.get(key) for key in OUTPUT_FIELDS}}
        outputs["pipeline_names"] = names
        outputs["home"] = home.to_state()
        # A field the update sent is verified now; the others stay as they were.
        outputs["unverified_inputs"] = [f for f in unverified if f not in plan.changed and f not in pushed]
        steps = plan_steps(names, edits, pause, {parameter: field for field, parameter in editable.items()})
        self._run_update(resource_id, steps, outputs, {**inputs_of(old_state), **plan.kept}, unverified)
        return outputs

    def _run_update(
        self,
        resource_id: str,
        plan: UpdatePlan,
        intended: dict[str, Any],
        recorded: dict[str, Any],
        unverified: list[str],
    ) -> None:
        landed: list[Step] = []
        for step in plan.steps:
            try:
                self._send(step)
            except MixpanelError as error:
                if not landed:
                    raise
                took = f"Mixpanel took {', '.join(done.describe() for done in landed)}, then {step.describe()} failed"
                if self._records_partial_results:
                    raise UpdateInterruptedError(
                        f"the update of {resource_id} stopped part-way: {took}: {error}. The state records what "
                        "Mixpanel has now; run `pulumi up` again to finish the update.",
                        operation=step.operation,
                        http_status=error.http_status,
                        pipeline_name=step.pipeline_name,
                        outputs=reached_outputs(plan, landed, intended, recorded, unverified),
                    ) from error
                remaining = self._undo(plan, landed, recorded)
                if not remaining:
                    raise MixpanelError(
                        f"the update of {resource_id} failed: {took}: {error}. What had landed was taken back, so "
                        "Mixpanel and the state still agree; run `pulumi up` again.",
                        operation=step.operation,
                        http_status=error.http_status,
                        pipeline_name=step.pipeline_name,
                    ) from error
                raise UpdateInterruptedError(
                    f"the update of {resource_id} stopped part-way: {took}: {error}. "
                    f"{', '.join(done.describe() for done in remaining).capitalize()} could not be taken back, and "
                    "this provider cannot record a partial update: the state still holds the values from before it. "
                    "Run `pulumi up` again to finish the update, and do not change these inputs back until it "
                    "has succeeded.",
                    operation=step.operation,
                    http_status=error.http_status,
                    pipeline_name=step.pipeline_name,
                    outputs=reached_outputs(plan, remaining, intended, recorded, unverified),
                ) from error
            landed.append(step)

    def _send(self, step: Step) -> None:
        client = self.client()
        if step.operation == "edit":
            client.edit(step.pipeline_name, step.fields)
        elif step.operation == "pause":
            client.pause(step.pipeline_name)
        else:
            client.resume(step.pipeline_name)

    def _undo(self, plan: UpdatePlan, landed: list[Step], recorded: dict[str, Any]) -> list[Step]:
        """Take back what landed, newest first; returns the steps that could not be taken back."""
        remaining = list(landed)
        for step in reversed(landed):
            undo = undo_step(step, recorded, plan)
            if undo is None:
                break
            try:
                self._send(undo)
            except MixpanelError as error:
                logger.warning("could not take back %s: %s", step.describe(), error)
                break
            remaining.remove(step)
        return remaining

    def _edit(self, names: list[str], edits: dict[str, Any]) -> None:
        """Send the edits to each pipeline that takes them (people pipelines take no event filters)."""
        for name in names:
            fields = edits_for_pipeline(edits, name)
            if fields:
                self.client().edit(name, fields)

    def _narrow(self, names: list[str], data_source: str) -> list[str]:
        kept = [n for n in names if (p := parse_pipeline_name(n)) is not None and p.data_source == data_source]
        dropped = [n for n in names if n not in kept]
        still_there, _ = self._present_pipelines(dropped, listing=self._fresh_jobs()) if dropped else ([], {})
        if still_there:
            raise TrialPipelineCannotBeDeleted(
                f"narrowing the trial to data_source={data_source!r} would leave {', '.join(still_there)} running "
                "unmanaged, and Mixpanel does not cancel a trial pipeline before its 30 days are over. Keep "
                "data_source unset until it has ended.",
                operation="edit",
            )
        return kept

    def _set_paused(self, names: list[str], paused: bool) -> None:
        operation = self.client().pause if paused else self.client().resume
        for name in names:
            operation(name)

    # --- delete ----------------------------------------------------------------------------------

    def delete(self, resource_id: str, state: dict[str, Any]) -> None:
        names = names_from_id(resource_id)
        self._home_of(state, names)
        try:
            for name in names:
                self._cancel(name, state)
        finally:
            self._forget_jobs()
            self._release(names)

    def _cancel(self, name: str, state: dict[str, Any]) -> None:
        try:
            self.client().cancel(name)
        except NotFoundError:
            logger.info("pipeline %s was already gone", name)
        except (BadRequestError, ForbiddenError) as error:
            parsed = parse_pipeline_name(name)
            if (parsed is not None and parsed.trial) or state.get("trial") is True:
                raise TrialPipelineCannotBeDeleted(
                    f"Mixpanel refused to cancel trial pipeline {name!r} ({error.message}). Trial pipelines cannot "
                    f"be deleted; they stop by themselves after 30 days. {RETAIN_HINT}",
                    operation="cancel",
                    http_status=error.http_status,
                    pipeline_name=name,
                ) from None
            if name in self._fresh_jobs().entries:
                raise
            logger.info("pipeline %s was already gone (%s)", name, error.message)

    # --- home ----------------------------------------------------------------------------------

    def _home_of(self, state: dict[str, Any], names: Optional[list[str]] = None) -> Home:
        """The recorded home, once it is known to be the one these settings reach.

        A state written before homes were recorded gets this provider's home. A pipeline in
        another home is never read as gone nor touched: that is an error naming both.
        """
        recorded = Home.from_state(state.get("home"))
        if recorded is None:
            return self.home
        moved = recorded.moved_by(self.home)
        if moved:
            shown = ", ".join(names or state.get("pipeline_names") or ["this pipeline"])
            raise PipelineElsewhereError(
                f"{shown} lives in Mixpanel {recorded.describe()}, but the provider now reaches "
                f"{self.home.describe()} ({', '.join(moved)} changed). Nothing was changed. To keep managing it, "
                f"set {', '.join(moved)} back. {self._how_to_move}".strip(),
                operation="settings",
            )
        return recorded.updated_with(self.home)

    # --- jobs listing ------------------------------------------------------------------------------

    def jobs_listing(self) -> JobsListing:
        """The project's jobs, listed now."""
        return self._fresh_jobs()

    def _fresh_jobs(self) -> JobsListing:
        """A listing made now, for this caller alone: concurrent callers do not wait on each other."""
        listing = self._list_jobs()
        with self._jobs_lock:
            self._jobs_cache = listing
        return listing

    def _shared_jobs(self) -> JobsListing:
        """The refresh burst's listing; readers wait on the lock, so a burst makes one call."""
        with self._jobs_lock:
            now = self._monotonic()
            cached = self._jobs_cache
            if cached is not None and cached.serves(now):
                cached.last_used = now
                return cached
            self._jobs_cache = self._list_jobs()
            return self._jobs_cache

    def _list_jobs(self) -> JobsListing:
        entries = entries_in_jobs(self.client().jobs())
        now = self._monotonic()
        return JobsListing(entries, fetched=now, last_used=now)

    def _forget_jobs(self) -> None:
        """After this provider creates or cancels, the next read must list jobs afresh."""
        with self._jobs_lock:
            self._jobs_cache = None

    def _model(self, inputs: dict[str, Any]) -> PipelineArgs:
        # The engine ran check first; the window rules were settled there.
        model, problems = validate_pipeline(inputs_of(inputs), today=self.today(), check_from_date_window=False)
        if model is None:
            raise PipelineInputError(problems)
        return model


def default_client(settings: ProviderSettings, *, pool_size: int = 16) -> MixpanelClient:
    # Imported here: requests and urllib3 cost ~100 ms, and check/diff (preview) never call out.
    from pulumi_mixpanel.core.client import MixpanelClient

    return MixpanelClient(
        settings.require_usable(),
        region=settings.region,
        endpoint=settings.endpoint,
        ca_bundle=settings.ca_bundle,
        read_timeout=settings.request_timeout,
        pool_size=pool_size,
    )


def entries_in_jobs(jobs: dict[str, Any]) -> dict[str, dict[str, Any]]:
    entries: dict[str, dict[str, Any]] = {}
    for listed in jobs.values():
        if not isinstance(listed, list):
            raise UnexpectedResponseError("the jobs listing is not a list per project", operation="jobs")
        for entry in listed:
            if isinstance(entry, dict) and isinstance(entry.get("name"), str):
                entries[entry["name"]] = entry
    return entries


def recovered_inputs(resource_id: str, pipeline_type: str, listing: JobsListing) -> dict[str, Any]:
    """The inputs an import would give listed pipelines, from their names and `listing` alone (no API call)."""
    names, parsed = _import_names(resource_id, pipeline_type)
    return _recovered_inputs(pipeline_type, names, parsed, listing)


def _import_names(resource_id: str, pipeline_type: str) -> tuple[list[str], list[PipelineName]]:
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


def _recovered_inputs(
    pipeline_type: str, names: list[str], parsed: list[PipelineName], listing: JobsListing
) -> dict[str, Any]:
    """What the names and the jobs entries tell, as inputs (an imported pipeline is an adopted one)."""
    cls = CLASS_BY_TYPE[pipeline_type]
    first = parsed[0]
    inputs: dict[str, Any] = {"type": pipeline_type, "adopt_existing": True}
    if first.trial:
        inputs["trial"] = True
    if cls.SCHEMATIZED and len(names) == 1 and (first.trial or first.data_source != "events"):
        # Unset means events for a pipeline, events and people for a trial.
        inputs["data_source"] = first.data_source
    if first.frequency != "daily" and not is_backfill(listing, names):
        inputs["frequency"] = first.frequency  # a bounded export has a to_date, and then no frequency
    events_schema = next((p.schema_type for p in parsed if p.data_source == "events"), None)
    if events_schema and events_schema != "monoschema":
        inputs["schema_type"] = events_schema
    sync = _reported_sync(listing, names)
    if cls.SCHEMATIZED and sync is not None:
        inputs["sync"] = sync
    return inputs


def is_backfill(listing: JobsListing, names: list[str]) -> bool:
    """Whether the jobs listing says these pipelines export a bounded window (a `to_date`)."""
    return any(str(listing.entries.get(name, {}).get("Dispatcher", "")).lower() == "backfill" for name in names)


def _adopted(names: list[str]) -> dict[str, Any]:
    # Only create's answer carries a Mixpanel-hosted dataset URL; a listed pipeline has none.
    return {"pipeline_names": names, "bigquery_dataset_name": None}


def _reported_sync(listing: JobsListing, names: list[str]) -> Optional[bool]:
    for name in names:
        value = listing.entries.get(name, {}).get("sync_enabled")
        if isinstance(value, bool):
            return value
        if isinstance(value, str) and value.lower() in ("true", "false"):
            return value.lower() == "true"
    return None


def _unverifiable_fields(model: PipelineArgs) -> list[str]:
    """Set fields that neither the name, the jobs entry nor an edit can vouch for."""
    cls = type(model)
    return [
        name
        for name in cls.model_fields
        if name not in RECOVERABLE_FIELDS
        and name not in PROVIDER_FIELDS
        and name not in cls.EDITABLE
        and getattr(model, name) is not None
    ]


def _recorded_view(
    old_state: dict[str, Any], new_inputs: dict[str, Any], old_inputs: Optional[dict[str, Any]]
) -> dict[str, Any]:
    """The old state, with each unverified field the state does not record taken from the old
    inputs when there are any, else from the program (an import takes the program's word)."""
    old = inputs_of(old_state)
    for name in old_state.get("unverified_inputs") or []:
        if old.get(name) is None:
            if old_inputs and old_inputs.get(name) is not None:
                old[name] = old_inputs[name]
            elif name in new_inputs:
                old[name] = new_inputs[name]
    return old


def _explain_missing_pipelines(old_state: dict[str, Any], plan: ChangePlan) -> None:
    """A refresh found some of a trial's pipelines gone: say why they cannot come back."""
    recorded = old_state.get("pipeline_names")
    if not isinstance(recorded, list) or old_state.get("trial") is not True:
        return
    expected = expected_names(inputs_of(old_state))
    missing = [name for name in expected if name not in recorded]
    if not missing or plan.narrowed_to is not None:
        return
    kept = [name for name in expected if name in recorded]
    remaining = parse_pipeline_name(kept[0]) if kept else None
    narrowing = f"set data_source={remaining.data_source!r} to keep managing {kept[0]}; " if remaining else ""
    raise UnrestorablePipelinesError(
        f"trial pipeline {', '.join(missing)} no longer exists in Mixpanel (it was cancelled outside Pulumi) and "
        "cannot be restored: Mixpanel allows one trial per project. To go on, "
        f"{narrowing}or stop managing the trial. {RETAIN_HINT}",
        operation="diff",
    )


def _trial_replace_problems(olds: dict[str, Any], checked: dict[str, Any]) -> list[Problem]:
    """A change that would replace a trial fails at check: a trial can be neither cancelled nor made again.

    An adopted pipeline's old inputs hold only what was known of it (an import reads little):
    a field they do not hold is the program's word, not a change.
    """
    if olds.get("trial") is not True:
        return []
    if olds.get("adopt_existing") is True:
        checked = {k: v for k, v in checked.items() if k in olds or k == "type"}
    plan = plan_changes(olds, checked)
    return [
        Problem(
            name,
            "changing it replaces the pipeline, and a trial pipeline cannot be replaced: Mixpanel does not cancel a "
            "trial before its 30 days are over, and a project gets one trial. Keep the current value, or stop "
            f"managing the trial first. {RETAIN_HINT}",
        )
        for name in plan.replaces
        if is_known(checked.get(name)) or checked.get(name) is None
    ]


def _import_problems(problems: list[Problem]) -> list[Problem]:
    """An import's inputs lack what Mixpanel cannot return; say so instead of "is required"."""
    return [
        Problem(p.property, "Mixpanel does not return it for an existing pipeline: write it in the program")
        if "required" in p.reason
        else p
        for p in problems
    ]


def _explain_create_refusal(error: BadRequestError, model: PipelineArgs) -> BadRequestError:
    hint = ""
    if "exist" in error.message.lower():
        hint = (
            " If an earlier `pulumi up` was interrupted after Mixpanel created it, or it was made outside "
            "Pulumi, set adopt_existing=True to take it over instead of creating it."
        )
    return BadRequestError(
        f"Mixpanel refused to create the {model.TYPE} pipeline: {error.message}.{hint}",
        operation="create",
        http_status=error.http_status,
    )


__all__ = ["OUTPUT_FIELDS", "CheckOutcome", "PipelineLifecycle", "inputs_of", "is_backfill", "stored_inputs"]
