"""The dynamic provider: Pulumi's check/diff/create/read/update/delete mapped onto Mixpanel.

An instance is pickled (by reference to this module) into every resource's state, so it
carries no attributes of its own until `configure` runs in the provider process. There it
reads the settings and creates, lazily, one shared HTTP client. The SDK's provider server
calls these methods from up to four threads at once.

Resource id: the pipeline names Mixpanel returned, joined with "," in the order returned,
e.g. "trial-events-daily-bigquery-monoschema,trial-people-daily-bigquery-monoschema".
"""

from __future__ import annotations

import datetime as dt
import logging
import os
import random
import sys
import threading
import time
from typing import TYPE_CHECKING, Any, Callable, Optional

from pulumi.dynamic import (
    CheckFailure,
    CheckResult,
    ConfigureRequest,
    CreateResult,
    DiffResult,
    ReadResult,
    ResourceProvider,
    UpdateResult,
)

from pulumi_mixpanel.changes import edits_for_pipeline, plan_changes
from pulumi_mixpanel.destinations import PipelineArgs, PipelineInputError, validate_pipeline
from pulumi_mixpanel.errors import (
    BadRequestError,
    ForbiddenError,
    MixpanelError,
    NotFoundError,
    ServerError,
    TransportError,
    UnexpectedResponseError,
)
from pulumi_mixpanel.settings import ProviderSettings

if TYPE_CHECKING:
    from pulumi_mixpanel.client import MixpanelClient

logger = logging.getLogger(__name__)

PROVIDER_KEY = "__provider"
OUTPUT_FIELDS = ("pipeline_names", "bigquery_dataset_name", "status")
ID_SEPARATOR = ","
MAX_CREATE_ATTEMPTS = 3
# A refresh reads its resources in one burst: they share one jobs listing while reads keep
# coming (no gap over JOBS_IDLE_SECONDS), for at most JOBS_MAX_AGE_SECONDS.
JOBS_IDLE_SECONDS = 2.0
JOBS_MAX_AGE_SECONDS = 60.0


def pipeline_names_from_id(resource_id: str) -> list[str]:
    return [name for name in resource_id.split(ID_SEPARATOR) if name]


class TrialPipelineCannotBeDeleted(MixpanelError):
    """Mixpanel keeps trial pipelines until their 30 days are over."""


class MixpanelProvider(ResourceProvider):
    # The pickled provider holds no secret (settings are read in the provider process),
    # so it need not be encrypted in state.
    serialize_as_secret_always = False

    # --- set-up (provider process only) ---------------------------------------------------

    def configure(self, req: ConfigureRequest) -> None:
        _enable_logging_from_environment()
        self.configure_from(ProviderSettings.from_sources(_ConfigView(req.config)))

    def configure_from(
        self,
        settings: ProviderSettings,
        *,
        clock: Callable[[], dt.datetime] = lambda: dt.datetime.now(dt.timezone.utc),
        sleep: Callable[[float], None] = time.sleep,
        monotonic: Callable[[], float] = time.monotonic,
        client_factory: Optional[Callable[[ProviderSettings], "MixpanelClient"]] = None,
    ) -> "MixpanelProvider":
        self._settings = settings
        self._clock = clock
        self._sleep = sleep
        self._monotonic = monotonic
        self._client_factory = client_factory or _default_client
        self._client_instance: Optional["MixpanelClient"] = None
        self._client_lock = threading.Lock()
        self._jobs_lock = threading.Lock()
        self._jobs_cache: Optional[_JobsListing] = None
        return self

    def _client(self) -> "MixpanelClient":
        with self._client_lock:
            if self._client_instance is None:
                self._client_instance = self._client_factory(self._settings)
            return self._client_instance

    def _today(self) -> dt.date:
        return self._clock().date()

    # --- check / diff: no API calls ------------------------------------------------------

    def check(self, olds: dict[str, Any], news: dict[str, Any]) -> CheckResult:
        values = _inputs(news)
        # The six-month window binds a new from_date only: an existing pipeline keeps its own.
        from_date_is_new = not olds or olds.get("from_date") != values.get("from_date")
        model, problems = validate_pipeline(values, today=self._today(), check_from_date_window=from_date_is_new)
        if problems:
            return CheckResult(values, [CheckFailure(p.property, p.reason) for p in problems])
        return CheckResult(_stored_inputs(model), [])

    def diff(self, _id: str, olds: dict[str, Any], news: dict[str, Any]) -> DiffResult:
        plan = plan_changes(_inputs(olds), _inputs(news))
        return DiffResult(
            changes=plan.has_changes,
            replaces=plan.replaces,
            stables=list(OUTPUT_FIELDS) if not plan.replaces else [],
            delete_before_replace=plan.delete_before_replace,
        )

    # --- create ------------------------------------------------------------------------------

    def create(self, props: dict[str, Any]) -> CreateResult:
        model = _model(props, self._today())
        created: Optional[dict[str, Any]] = None
        if model.adopt_existing:
            found = self._find_existing(model)
            if found:
                logger.info("adopting existing Mixpanel pipelines %s", found)
                created = _adopted(found)
        if created is None:
            try:
                created = self._create_exactly_once(model)
            finally:
                self._forget_jobs()
        names = created["pipeline_names"]
        outs = {**_stored_inputs(model), **created, "status": {}}
        if model.paused and not self._pause_all(names):
            # The pipelines exist: record them as running, so the next `pulumi up` sees
            # paused false -> true and pauses them, rather than losing them to an error.
            outs["paused"] = False
        return CreateResult(ID_SEPARATOR.join(names), outs)

    def _pause_all(self, names: list[str]) -> bool:
        try:
            for name in names:
                self._client().pause(name)
        except MixpanelError as error:
            logger.warning("created %s but could not pause it (%s); the next `pulumi up` pauses it", names, error)
            return False
        return True

    def _create_exactly_once(self, model: PipelineArgs) -> dict[str, Any]:
        """Create the pipeline(s) once, even when Mixpanel's answer is lost.

        The API has no idempotency key. When a create's outcome is unknown (timeout, reset,
        5xx, garbled answer) it may still have happened, so before sending it again the
        provider lists the project's jobs: if the expected pipelines exist they are the
        ones just created and are adopted; only if they do not is the create resent. A
        resend refused as a duplicate proves the earlier attempt landed, and it is adopted.
        """
        fields = model.request_fields(today=self._today())
        last_error: Optional[MixpanelError] = None
        for attempt in range(1, MAX_CREATE_ATTEMPTS + 1):
            try:
                return self._client().create(fields)
            except TransportError as error:
                if not error.may_have_reached_server:
                    raise
                last_error = error
            except (ServerError, UnexpectedResponseError) as error:
                last_error = error
            except BadRequestError as error:
                if last_error is None:
                    raise _explain_create_refusal(error, model) from None
                found = self._find_existing(model)
                if found:
                    return _adopted(found)
                raise
            logger.warning("create attempt %d: outcome unknown (%s); looking the pipeline up", attempt, last_error)
            found = self._find_existing(model)
            if found:
                logger.info("the create did happen: adopting %s", found)
                return _adopted(found)
            if attempt < MAX_CREATE_ATTEMPTS:
                self._sleep(random.uniform(0.2, 0.6) * attempt)
        raise MixpanelError(
            f"gave up after {MAX_CREATE_ATTEMPTS} attempts ({last_error}). No pipeline named "
            f"{', '.join(model.expected_pipeline_names())} exists in the project's jobs, so nothing was "
            "left behind; run `pulumi up` again",
            operation="create",
        )

    def _find_existing(self, model: PipelineArgs) -> list[str]:
        """The expected pipeline names, if every one of them is in the project's jobs."""
        expected = model.expected_pipeline_names()
        existing = self._job_names()
        return expected if all(name in existing for name in expected) else []

    # --- read ----------------------------------------------------------------------------------

    def read(self, id_: str, props: dict[str, Any]) -> ReadResult:
        names = pipeline_names_from_id(id_)
        listed = self._job_names(shared=True)
        present: list[str] = []
        counts: dict[str, int] = {}
        for name in names:
            summary = self._status_summary(name, must_exist=name in listed)
            if summary is None:
                continue
            present.append(name)
            for state, count in summary.items():
                counts[state] = counts.get(state, 0) + count
        if not present:
            logger.info("pipelines %s no longer exist in Mixpanel", names)
            return ReadResult("", {})
        outs = {**props, "pipeline_names": present, "status": counts}
        outs.pop(PROVIDER_KEY, None)
        return ReadResult(ID_SEPARATOR.join(present), outs)

    def _status_summary(self, name: str, *, must_exist: bool) -> Optional[dict[str, int]]:
        """Task counts by state; None when the pipeline is gone.

        A name missing from jobs is confirmed gone only if status also does not know it: a
        paused or finished pipeline may not be listed as scheduled.
        """
        try:
            summary = self._client().status(name, summary=True)
        except (NotFoundError, BadRequestError):
            # Listed by jobs but unknown to status: it exists, its counts are not known.
            return {} if must_exist else None
        return {str(state): int(count) for state, count in summary.items() if isinstance(count, int)}

    def _job_names(self, *, shared: bool = False) -> frozenset[str]:
        """The names in the project's jobs listing; `shared` reuses the burst's listing."""
        with self._jobs_lock:
            now = self._monotonic()
            cached = self._jobs_cache
            if shared and cached is not None and cached.serves(now):
                cached.last_used = now
                return cached.names
            # Readers wait on the lock, so a burst of reads makes one call, not one each.
            names = _names_in_jobs(self._client().jobs())
            self._jobs_cache = _JobsListing(names, fetched=self._monotonic())
            return names

    def _forget_jobs(self) -> None:
        """After this provider creates or cancels, the next read must list jobs afresh."""
        with self._jobs_lock:
            self._jobs_cache = None

    # --- update ----------------------------------------------------------------------------------

    def update(self, id_: str, olds: dict[str, Any], news: dict[str, Any]) -> UpdateResult:
        plan = plan_changes(_inputs(olds), _inputs(news))
        if plan.replaces:
            raise MixpanelError(f"{', '.join(plan.replaces)} can only change by replacement", operation="edit")
        names = olds.get("pipeline_names") or pipeline_names_from_id(id_)
        for name in names:
            fields = edits_for_pipeline(plan, name)
            if fields:
                self._client().edit(name, fields)
        if plan.pause is not None:
            for name in names:
                (self._client().pause if plan.pause else self._client().resume)(name)
        outs = {**_inputs(news), **{key: olds.get(key) for key in OUTPUT_FIELDS}}
        outs["pipeline_names"] = names
        return UpdateResult(outs)

    # --- delete ----------------------------------------------------------------------------------

    def delete(self, id_: str, props: dict[str, Any]) -> None:
        try:
            self._cancel_all(id_, props)
        finally:
            self._forget_jobs()

    def _cancel_all(self, id_: str, props: dict[str, Any]) -> None:
        for name in pipeline_names_from_id(id_):
            try:
                self._client().cancel(name)
            except NotFoundError:
                logger.info("pipeline %s was already gone", name)
            except (BadRequestError, ForbiddenError) as error:
                if name.startswith("trial-") or props.get("trial"):
                    raise TrialPipelineCannotBeDeleted(
                        f"Mixpanel refused to cancel trial pipeline {name!r} ({error.message}). Trial "
                        "pipelines cannot be deleted; they stop by themselves after 30 days. To drop "
                        "it from the stack and leave it running, set "
                        "`opts=pulumi.ResourceOptions(retain_on_delete=True)` on the resource and run "
                        "`pulumi up`, then remove it from the program (or run `pulumi state delete <urn>`).",
                        operation="cancel",
                        http_status=error.http_status,
                        pipeline_name=name,
                    ) from None
                if name in self._job_names():
                    raise
                logger.info("pipeline %s was already gone (%s)", name, error.message)


def _enable_logging_from_environment() -> None:
    """MIXPANEL_LOG_LEVEL=DEBUG|INFO sends this package's and urllib3's logs to stderr,
    which Pulumi shows with `pulumi up -v=9 --logtostderr`. Secrets are never logged."""
    level = os.environ.get("MIXPANEL_LOG_LEVEL", "").upper()
    if level not in ("DEBUG", "INFO", "WARNING"):
        return
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("%(asctime)s %(name)s %(levelname)s %(message)s"))
    for name in ("pulumi_mixpanel", "urllib3"):
        named = logging.getLogger(name)
        named.setLevel(level)
        if not named.handlers:
            named.addHandler(handler)


class _JobsListing:
    def __init__(self, names: frozenset[str], fetched: float) -> None:
        self.names = names
        self.fetched = fetched
        self.last_used = fetched

    def serves(self, now: float) -> bool:
        return now - self.last_used <= JOBS_IDLE_SECONDS and now - self.fetched <= JOBS_MAX_AGE_SECONDS


class _ConfigView:
    """Stack config as the SDK hands it to `configure` (full keys, e.g. mixpanel:region)."""

    def __init__(self, config: Any) -> None:
        self._config = config

    def get(self, key: str) -> Any:
        return self._config.get(key)


def _default_client(settings: ProviderSettings) -> "MixpanelClient":
    # Imported here: requests and urllib3 cost ~100 ms, and check/diff (preview) never call out.
    from pulumi_mixpanel.client import MixpanelClient

    return MixpanelClient(
        settings.require_credentials(),
        region=settings.region,
        endpoint=settings.endpoint,
        ca_bundle=settings.ca_bundle,
        read_timeout=settings.request_timeout,
    )


def _adopted(names: list[str]) -> dict[str, Any]:
    # Only create's answer carries a Mixpanel-hosted dataset URL; a listed pipeline has none.
    return {"pipeline_names": names, "bigquery_dataset_name": None}


def _inputs(props: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in props.items() if k != PROVIDER_KEY and k not in OUTPUT_FIELDS}


def _stored_inputs(model: PipelineArgs) -> dict[str, Any]:
    filled = model.with_defaults()
    values = {name: getattr(filled, name) for name in type(filled).model_fields}
    return {k: v for k, v in values.items() if v is not None}


def _model(props: dict[str, Any], today: dt.date) -> PipelineArgs:
    # The engine ran check first; window rules were settled there.
    model, problems = validate_pipeline(_inputs(props), today=today, check_from_date_window=False)
    if model is None:
        raise PipelineInputError(problems)
    return model


def _names_in_jobs(jobs: dict[str, Any]) -> frozenset[str]:
    names = set()
    for entries in jobs.values():
        if not isinstance(entries, list):
            raise UnexpectedResponseError("the jobs listing is not a list per project", operation="jobs")
        for entry in entries:
            if isinstance(entry, dict) and isinstance(entry.get("name"), str):
                names.add(entry["name"])
    return frozenset(names)


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
