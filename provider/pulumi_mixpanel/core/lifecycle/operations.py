"""The life of one pipeline resource, the same for both front ends: check, diff, create, read
(refresh and import), update and delete.

Inputs are plain dicts with the API's snake_case names; a resource's state is a `PipelineState`.
The front ends translate Pulumi's protocol to these calls and back; every rule lives here or
below. Resource id: the pipeline names Mixpanel returned, joined with "," in the order returned.

The state never claims what Mixpanel does not have: a create is made exactly once
(`creation`); an adoption says what it could not verify (`adoption`); a refresh confirms a
pipeline that status does not know with a fresh jobs listing (`listing`); an update that fails
part-way says what landed (`updates`); and a pipeline is only ever reached in its home.
Thread-safe: the dynamic provider server calls it from several threads, the plugin from many.
"""

from __future__ import annotations

import datetime as dt
import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Optional

from pulumi_mixpanel.core.changes import ChangePlan, plan_changes
from pulumi_mixpanel.core.errors import (
    BadRequestError,
    ForbiddenError,
    MixpanelError,
    NotFoundError,
    PipelineElsewhereError,
    PipelineExistsError,
    PipelineInputError,
    Problem,
    TrialPipelineCannotBeDeleted,
    UpdateInterruptedError,
)
from pulumi_mixpanel.core.health import Health, combined, counts_of, health_of, tasks_of
from pulumi_mixpanel.core.home import Home
from pulumi_mixpanel.core.lifecycle import adoption, messages, trials
from pulumi_mixpanel.core.lifecycle.creation import Claims, create_exactly_once
from pulumi_mixpanel.core.lifecycle.listing import JobsListing, JobsListings
from pulumi_mixpanel.core.lifecycle.updates import plan_steps, run_update
from pulumi_mixpanel.core.models import PipelineArgs, class_for, edit_parameters, rule_of, validate_pipeline
from pulumi_mixpanel.core.names import names_from_id, parse_pipeline_name
from pulumi_mixpanel.core.settings import ProviderSettings
from pulumi_mixpanel.core.state import PipelineState, inputs_of, stored_inputs

if TYPE_CHECKING:
    from pulumi_mixpanel.core.client import MixpanelClient

logger = logging.getLogger(__name__)


def utc_now() -> dt.datetime:
    return dt.datetime.now(dt.timezone.utc)


@dataclass
class CheckOutcome:
    inputs: dict[str, Any]
    problems: list[Problem] = field(default_factory=list)


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
        self._client_factory = client_factory or (lambda s: default_client(s, pool_size=pool_size))
        self._client_instance: Optional[MixpanelClient] = None
        self._client_lock = threading.Lock()
        self.jobs = JobsListings(self.client, monotonic)
        self.claims = Claims()

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
        values, olds = inputs_of(new_inputs), inputs_of(old_inputs)
        # The six-month window binds a new from_date only: an existing pipeline keeps its own.
        from_date_is_new = not olds or olds.get("from_date") != values.get("from_date")
        model, problems = validate_pipeline(values, today=self.today(), check_from_date_window=from_date_is_new)
        if model is None:
            if olds and olds == values:  # an import's inputs lack what Mixpanel cannot return
                problems = [
                    Problem(p.property, messages.NOT_RETURNED_BY_MIXPANEL) if "required" in p.reason else p
                    for p in problems
                ]
            return CheckOutcome(values, problems)
        if not olds:
            return CheckOutcome(stored_inputs(model))
        # This resource is in the state. If the change replaces it, the engine checks the inputs
        # again without the old ones, then creates: that create must not adopt.
        self.claims.note_in_state(model.expected_pipeline_names())
        if model.paused is None and not (olds.get("adopt_existing") is True and olds.get("paused") is None):
            # Only an adoption leaves an unstated pause as it is; any other resource has the default.
            model = model.model_copy(update={"paused": False})
        checked = stored_inputs(model)
        return CheckOutcome(checked, trials.replace_problems(olds, checked))

    def diff(
        self, state: PipelineState, new_inputs: dict[str, Any], old_inputs: Optional[dict[str, Any]] = None
    ) -> ChangePlan:
        """What changing to `new_inputs` takes; raises when the resource's pipelines cannot be restored,
        or live in another project than these settings reach."""
        self._home_of(state)
        plan = plan_changes(_recorded_view(state, new_inputs, old_inputs), inputs_of(new_inputs))
        trials.explain_missing_pipelines(state, plan)
        return plan

    # --- create ------------------------------------------------------------------------------

    def create(self, inputs: dict[str, Any]) -> PipelineState:
        model = self._model(inputs)
        listing = self.jobs.fresh()
        expected = model.expected_pipeline_names()
        existing = [name for name in expected if name in listing.entries]
        if existing:
            if model.adopt_existing is True and not self.claims.is_replacement(expected):
                state = adoption.adopt(self.client(), model, expected, listing, self.claims, self.home)
                self.jobs.forget()
                return state
            raise PipelineExistsError(messages.pipeline_exists(existing, model.TYPE), operation="create")
        fields = model.request_fields(today=self.today())
        created = create_exactly_once(self.client, model, fields, listing.names, self.jobs, self.claims, self._sleep)
        state = PipelineState(
            stored_inputs(model, at_create=True),
            created.pipeline_names,
            bigquery_dataset_name=created.bigquery_dataset_name,
            home=self.home,
            health=Health("paused" if model.paused is True else "starting"),
        )
        if model.paused is True:
            try:
                self._set_paused(state.pipeline_names, True)
            except MixpanelError as error:
                # The pipelines exist: record them as running (some may be paused: unverified), so
                # the next `pulumi up` sees paused false -> true and pauses them, rather than losing them.
                state = state.with_changes(inputs={**state.inputs, "paused": False}, unverified_inputs=["paused"])
                if self._records_partial_results:
                    raise UpdateInterruptedError(
                        messages.created_but_not_paused(state.pipeline_names, error),
                        operation="pause",
                        http_status=error.http_status,
                        pipeline_name=error.pipeline_name,
                        state=state,
                    ) from error
                logger.warning("created %s but could not pause it (%s)", state.pipeline_names, error)
        return state

    # --- read: refresh and import --------------------------------------------------------------

    def read(self, resource_id: str, state: PipelineState) -> Optional[PipelineState]:
        """The resource as Mixpanel has it now; None when every pipeline is gone."""
        names = names_from_id(resource_id)
        home = self._home_of(state, names)
        present, counts, health = self._present_pipelines(names, inputs=state.inputs)
        self.claims.release([name for name in names if name not in present])
        if not present:
            logger.info("pipelines %s no longer exist in Mixpanel", names)
            return None
        return state.with_changes(pipeline_names=present, status=counts, home=home, health=health)

    def health_warning(self, state: PipelineState) -> Optional[str]:
        """What a refresh says when a pipeline's recent exports failed (None when none did)."""
        health = state.health
        if health is None or health.recent_failures == 0:
            return None
        return messages.failing_exports(
            state.pipeline_names, health.recent_failures, health.last_failure_at, health.state == "failing"
        )

    def import_pipelines(self, resource_id: str, pipeline_type: str) -> tuple[dict[str, Any], PipelineState]:
        """(inputs, state) of existing pipelines, from what their names and jobs entries tell."""
        names, _ = adoption.import_names(resource_id, pipeline_type)
        listing = self.jobs.fresh()
        present, counts, health = self._present_pipelines(names, inputs={}, listing=listing)
        absent = [name for name in names if name not in present]
        if absent:
            raise NotFoundError(f"the project has no pipeline named {', '.join(absent)}", operation="import")
        inputs, state = adoption.imported_state(resource_id, pipeline_type, listing, counts, self.home)
        return inputs, state.with_changes(health=health)

    def jobs_listing(self) -> JobsListing:
        """The project's jobs, listed now."""
        return self.jobs.fresh()

    def _present_pipelines(
        self, names: list[str], *, inputs: dict[str, Any], listing: Optional[JobsListing] = None
    ) -> tuple[list[str], dict[str, int], Health]:
        """The names Mixpanel still has, their task counts summed by state, and their health.

        status is asked first (its task list, which says both the counts and the health): a
        paused or finished pipeline may not be listed as scheduled. Only a name status does not
        know needs the jobs listing: it counts as present only if listed, and a listing shared by
        a refresh burst (possibly stale) is confirmed with a fresh one first. A refresh of
        pipelines status knows lists no jobs at all.
        """
        fresh = listing is not None
        present: list[str] = []
        counts: dict[str, int] = {}
        healths: list[Health] = []
        for name in names:
            try:
                tasks = tasks_of(self.client().status(name))
            except (NotFoundError, BadRequestError):
                if listing is None:
                    listing = self.jobs.shared()
                if name in listing.entries and not fresh:
                    listing, fresh = self.jobs.fresh(), True
                if name in listing.entries:
                    present.append(name)
                continue
            present.append(name)
            for state, count in counts_of(tasks).items():
                counts[state] = counts.get(state, 0) + count
            to_date = inputs.get("to_date")
            healths.append(
                health_of(
                    tasks,
                    paused=inputs.get("paused") is True,
                    to_date=to_date if isinstance(to_date, str) else None,
                    today=self.today(),
                )
            )
        return present, counts, combined(healths)

    # --- update ----------------------------------------------------------------------------------

    def update(
        self,
        resource_id: str,
        state: PipelineState,
        new_inputs: dict[str, Any],
        old_inputs: Optional[dict[str, Any]] = None,
    ) -> PipelineState:
        """Edit, pause or resume the pipelines in place; raises UpdateInterruptedError, with what
        Mixpanel has now, when a call fails after others landed."""
        news = inputs_of(new_inputs)
        plan = self.diff(state, news, old_inputs)
        if plan.replaces:
            raise MixpanelError(f"{', '.join(plan.replaces)} can only change by replacement", operation="edit")
        names = list(state.pipeline_names or names_from_id(resource_id))
        home = self._home_of(state, names)
        if plan.narrowed_to is not None:
            names = self._narrow(names, plan.narrowed_to)
        cls = class_for(news.get("type"))
        if cls is None:
            raise PipelineInputError([Problem("type", f"{news.get('type')!r} is not a pipeline type")])
        # An update is a chance to make Mixpanel match the program: unverified fields it can be
        # told go along (editable ones, and the pause state).
        editable = edit_parameters(cls)
        pushed = {
            name
            for name in state.unverified_inputs
            if name in cls.model_fields
            and (rule_of(cls, name).edit or rule_of(cls, name).pause)
            and news.get(name) is not None
        }
        edits = {**{editable[name]: news[name] for name in pushed if name in editable}, **plan.edits}
        pause = plan.pause
        pushed_pause = next((name for name in pushed if rule_of(cls, name).pause), None)
        if pause is None and pushed_pause is not None:
            pause = news[pushed_pause] is True
        intended = state.with_changes(
            inputs={**news, **plan.kept},
            pipeline_names=names,
            home=home,
            health=state.health.paused_or_resumed(pause) if state.health and pause is not None else state.health,
            # A field the update sent is verified now; the others stay as they were.
            unverified_inputs=[f for f in state.unverified_inputs if f not in plan.changed and f not in pushed],
        )
        run_update(
            self.client(),
            plan_steps(cls, names, edits, pause),
            intended,
            state,
            records_partial_results=self._records_partial_results,
        )
        return intended

    def _narrow(self, names: list[str], data_source: str) -> list[str]:
        kept = [n for n in names if (p := parse_pipeline_name(n)) is not None and p.data_source == data_source]
        dropped = [n for n in names if n not in kept]
        still_there = self._present_pipelines(dropped, inputs={}, listing=self.jobs.fresh())[0] if dropped else []
        if still_there:
            raise TrialPipelineCannotBeDeleted(messages.narrowing_refused(data_source, still_there), operation="edit")
        return kept

    def _set_paused(self, names: list[str], paused: bool) -> None:
        operation = self.client().pause if paused else self.client().resume
        for name in names:
            operation(name)

    # --- delete ----------------------------------------------------------------------------------

    def delete(self, resource_id: str, state: PipelineState) -> None:
        names = names_from_id(resource_id)
        self._home_of(state, names)
        try:
            for name in names:
                self._cancel(name, state)
        finally:
            self.jobs.forget()
            self.claims.release(names)

    def _cancel(self, name: str, state: PipelineState) -> None:
        try:
            self.client().cancel(name)
        except NotFoundError:
            logger.info("pipeline %s was already gone", name)
        except (BadRequestError, ForbiddenError) as error:
            parsed = parse_pipeline_name(name)
            if (parsed is not None and parsed.trial) or state.inputs.get("trial") is True:
                raise TrialPipelineCannotBeDeleted(
                    messages.trial_not_cancelled(name, error.message),
                    operation="cancel",
                    http_status=error.http_status,
                    pipeline_name=name,
                ) from None
            if name in self.jobs.fresh().entries:
                raise
            logger.info("pipeline %s was already gone (%s)", name, error.message)

    # --- home and inputs -----------------------------------------------------------------------

    def _home_of(self, state: PipelineState, names: Optional[list[str]] = None) -> Home:
        """The recorded home, once it is known to be the one these settings reach.

        A state written before homes were recorded gets this provider's home. A pipeline in
        another home is never read as gone nor touched: that is an error naming both.
        """
        if state.home is None:
            return self.home
        moved = state.home.moved_by(self.home)
        if moved:
            shown = names or state.pipeline_names or ["this pipeline"]
            raise PipelineElsewhereError(
                messages.elsewhere(shown, state.home, self.home, moved, self._how_to_move), operation="settings"
            )
        return state.home.updated_with(self.home)

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


def _recorded_view(
    state: PipelineState, new_inputs: dict[str, Any], old_inputs: Optional[dict[str, Any]]
) -> dict[str, Any]:
    """The recorded inputs, with each unverified field the state does not record taken from the
    old inputs when there are any, else from the program (an import takes the program's word)."""
    old = dict(state.inputs)
    for name in state.unverified_inputs:
        if old.get(name) is None:
            if old_inputs and old_inputs.get(name) is not None:
                old[name] = old_inputs[name]
            elif name in new_inputs:
                old[name] = new_inputs[name]
    return old


__all__ = ["CheckOutcome", "PipelineLifecycle", "default_client", "utc_now"]
