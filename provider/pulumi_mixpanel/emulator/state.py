"""The pipelines of the emulated project, the project's limits, and their persistence.

Every mutation happens under one lock and is followed by an atomic write of the state file
(when there is one), so a restart sees exactly the committed pipelines.

A pipeline's name is `[trial-]<data_source>-<frequency>-<type>[-<schema_type>]`, the name
Mixpanel generates, and it "uniquely identifies the pipeline": a create whose name is taken is
refused, never renamed. A project has one trial; it stays used once a trial create succeeded,
even when the trial's pipelines are gone, until an admin reset.

Each pipeline keeps the history of its task outcome, set through the admin API: how the tasks
that start from a given moment end (succeeded until anything else is set).
"""

from __future__ import annotations

import copy
import json
import os
import tempfile
import threading
from dataclasses import asdict, dataclass, field
from datetime import date, datetime, timedelta
from pathlib import Path

from .clock import UTC, SimulatedClock, parse_iso
from .errors import bad_request, not_found
from .validation import TRIAL_DAYS, CreateRequest, PipelineSpec, validate_edit

# Version 2 added `trial_used`, version 3 the pipelines' `task_outcome_history`; older files
# still load (see _load and Pipeline.from_json).
STATE_VERSION = 3
READABLE_STATE_VERSIONS = (1, 2, 3)
MAX_RECURRING_EVENTS_PIPELINES = 2
MAX_NON_RECURRING_EVENTS_PIPELINES = 1
BIGQUERY_DATASET_URL = "https://bigquery.cloud.google.com/dataset/mixpanel-prod-1:{dataset}"
# How a pipeline's tasks can end; tasks succeed until the admin API sets another outcome.
TASK_OUTCOMES = ("succeeded", "failed", "timed_out")
DEFAULT_TASK_OUTCOME = "succeeded"


@dataclass(frozen=True)
class OutcomeChange:
    """From `since` (emulator time) on, the pipeline's tasks that start end as `outcome`."""

    since: datetime
    outcome: str

    def to_json(self) -> dict:
        return {"since": self.since.isoformat(), "outcome": self.outcome}

    @classmethod
    def from_json(cls, data: dict) -> OutcomeChange:
        outcome = data["outcome"]
        if outcome not in TASK_OUTCOMES:
            raise ValueError(f"unknown task outcome {outcome!r}")
        return cls(since=parse_iso(data["since"]), outcome=outcome)


@dataclass
class Pipeline:
    name: str
    project_id: int
    type: str
    data_source: str
    trial: bool
    frequency: str
    schema_type: str | None
    sync: bool
    from_date: date
    to_date: date | None
    events: list[str]
    where: str | None
    data_format: str
    destination: list[str] | None
    created_at: datetime
    params: dict
    bigquery_dataset_name: str | None = None  # the URL, for Mixpanel-hosted BigQuery only
    paused: bool = False
    # [paused_at, resumed_at or None]; the task simulation holds tasks back during these.
    pause_intervals: list[list[datetime | None]] = field(default_factory=list)
    # Oldest first; the task simulation ends each task as the latest change at its start says.
    task_outcome_history: list[OutcomeChange] = field(default_factory=list)

    @property
    def recurring(self) -> bool:
        return self.to_date is None

    @property
    def mixpanel_hosted_bigquery(self) -> bool:
        return self.bigquery_dataset_name is not None

    @property
    def task_outcome(self) -> str:
        """How tasks that start from now on end."""
        return self.task_outcome_history[-1].outcome if self.task_outcome_history else DEFAULT_TASK_OUTCOME

    def task_outcome_at(self, start: datetime) -> str:
        """How a task that starts at `start` ends: the latest change made at or before then."""
        outcome = DEFAULT_TASK_OUTCOME
        for change in self.task_outcome_history:
            if change.since <= start:
                outcome = change.outcome
        return outcome

    def window_end(self) -> datetime | None:
        """Exclusive end of the export window, or None for a window that never ends."""
        ends = []
        if self.to_date is not None:
            ends.append(self.to_date + timedelta(days=1))
        if self.trial:
            ends.append(self.from_date + timedelta(days=TRIAL_DAYS))
        if not ends:
            return None
        return datetime.combine(min(ends), datetime.min.time(), UTC)

    def admin_view(self) -> dict:
        return {
            "name": self.name,
            "type": self.type,
            "project_id": self.project_id,
            "data_source": self.data_source,
            "trial": self.trial,
            "paused": self.paused,
            "frequency": self.frequency,
            "schema_type": self.schema_type,
            "sync": self.sync,
            "from_date": self.from_date.isoformat(),
            "to_date": self.to_date.isoformat() if self.to_date else None,
            "bigquery_dataset_name": self.bigquery_dataset_name,
            "created_at": self.created_at.isoformat(),
            "params": copy.deepcopy(self.params),
            "task_outcome": self.task_outcome,
            "task_outcome_history": [change.to_json() for change in self.task_outcome_history],
        }

    def to_json(self) -> dict:
        data = asdict(self)
        data["from_date"] = self.from_date.isoformat()
        data["to_date"] = self.to_date.isoformat() if self.to_date else None
        data["created_at"] = self.created_at.isoformat()
        data["pause_intervals"] = [[_iso(start), _iso(end)] for start, end in self.pause_intervals]
        data["task_outcome_history"] = [change.to_json() for change in self.task_outcome_history]
        return data

    @classmethod
    def from_json(cls, data: dict) -> Pipeline:
        data = dict(data)
        data["from_date"] = date.fromisoformat(data["from_date"])
        data["to_date"] = date.fromisoformat(data["to_date"]) if data.get("to_date") else None
        data["created_at"] = parse_iso(data["created_at"])
        data["pause_intervals"] = [
            [parse_iso(start), parse_iso(end) if end else None] for start, end in data.get("pause_intervals", [])
        ]
        # Files before version 3 have no history: their tasks have always succeeded.
        data["task_outcome_history"] = [OutcomeChange.from_json(item) for item in data.get("task_outcome_history", [])]
        return cls(**data)


def _iso(moment: datetime | None) -> str | None:
    return moment.isoformat() if moment else None


class PipelineStore:
    def __init__(
        self,
        project_id: int,
        clock: SimulatedClock,
        relax_limits: bool = False,
        state_file: str | os.PathLike | None = None,
    ):
        self.project_id = project_id
        self.clock = clock
        self.relax_limits = relax_limits
        self.state_file = Path(state_file) if state_file else None
        self._lock = threading.Lock()
        self._pipelines: dict[str, Pipeline] = {}  # insertion order = creation order
        self._dataset_sequence = 0
        self._trial_used = False  # the project's one trial; only reset() gives it back
        if self.state_file and self.state_file.exists():
            self._load()

    # --- reads (copies, so callers work outside the lock) ---------------------------------

    def get(self, name: str) -> Pipeline:
        with self._lock:
            pipeline = self._pipelines.get(name)
            if pipeline is None:
                raise not_found(f"pipeline {name} not found")
            return copy.deepcopy(pipeline)

    def all(self) -> list[Pipeline]:
        with self._lock:
            return copy.deepcopy(list(self._pipelines.values()))

    # --- API mutations --------------------------------------------------------------------

    def create(self, request: CreateRequest) -> dict:
        """Create every pipeline of the request, or none of them."""
        with self._lock:
            # Every check comes before the first change, so a refused create leaves nothing.
            for spec in request.specs:
                self._check_name_is_free(spec.name)
            for spec in request.specs:
                self._check_destination(spec)
            if not self.relax_limits:
                if any(spec.trial for spec in request.specs):
                    self._check_trial_unused()
                for spec in request.specs:
                    self._check_limits(spec)

            now = self.clock.now()
            names = [spec.name for spec in request.specs]
            response: dict = {"pipeline_names": names}
            dataset_url = None
            if request.mixpanel_hosted_bigquery:
                self._dataset_sequence += 1
                dataset = f"mixpanel_export_{self.project_id}_{self._dataset_sequence}"
                dataset_url = BIGQUERY_DATASET_URL.format(dataset=dataset)
                response["bigquery_dataset_name"] = dataset_url
            for name, spec in zip(names, request.specs, strict=True):
                self._pipelines[name] = self._new_pipeline(name, spec, request, now, dataset_url)
            if any(spec.trial for spec in request.specs):
                self._trial_used = True
            self._save()
            return response

    def edit(self, name: str, values: dict[str, list[str]]) -> None:
        with self._lock:
            pipeline = self._require(name)
            changes = validate_edit(values, pipeline.type, pipeline.data_source, pipeline.mixpanel_hosted_bigquery)
            if changes.events is not None:
                pipeline.events = list(changes.events)
                _set_or_drop(pipeline.params, "events", list(changes.events))
            if changes.where is not None:
                pipeline.where = changes.where or None
                _set_or_drop(pipeline.params, "where", changes.where)
            if changes.add_bq_shares:
                shares = list(pipeline.params.get("bq_share_with_group", []))
                shares += [share for share in changes.add_bq_shares if share not in shares]
                pipeline.params["bq_share_with_group"] = shares
            for key, value in changes.params.items():
                _set_or_drop(pipeline.params, key, value)
            self._save()

    def cancel(self, name: str, *, allow_trial: bool = False) -> None:
        with self._lock:
            pipeline = self._require(name)
            if pipeline.trial and not allow_trial:
                raise bad_request(
                    f"trial pipelines cannot be canceled: {name} stops by itself {TRIAL_DAYS} days after its from_date"
                )
            del self._pipelines[name]
            self._save()

    def pause(self, name: str) -> None:
        with self._lock:
            pipeline = self._require(name)
            if not pipeline.paused:
                pipeline.paused = True
                pipeline.pause_intervals.append([self.clock.now(), None])
                self._save()

    def resume(self, name: str) -> None:
        with self._lock:
            pipeline = self._require(name)
            if pipeline.paused:
                pipeline.paused = False
                pipeline.pause_intervals[-1][1] = self.clock.now()
                self._save()

    # --- admin mutations ------------------------------------------------------------------

    def set_task_outcome(self, name: str, outcome: str) -> Pipeline:
        """Tasks of `name` that start from now on (emulator time) end as `outcome`."""
        if outcome not in TASK_OUTCOMES:
            raise bad_request(f"outcome must be one of {', '.join(TASK_OUTCOMES)}, not {outcome!r}")
        with self._lock:
            pipeline = self._require(name)
            if outcome != pipeline.task_outcome:  # setting the current outcome again changes nothing
                pipeline.task_outcome_history.append(OutcomeChange(self.clock.now(), outcome))
                self._save()
            return copy.deepcopy(pipeline)

    def reset(self) -> None:
        with self._lock:
            self._pipelines.clear()
            self._dataset_sequence = 0
            self._trial_used = False
            self.clock.set_offset(0)
            self._save()

    def advance_clock(self, seconds: float) -> None:
        with self._lock:
            self.clock.advance(seconds)
            self._save()

    # --- rules ----------------------------------------------------------------------------

    def _require(self, name: str) -> Pipeline:
        pipeline = self._pipelines.get(name)
        if pipeline is None:
            raise not_found(f"pipeline {name} not found")
        return pipeline

    def _check_name_is_free(self, name: str) -> None:
        # The name is the pipeline's identity, relaxed limits or not.
        if name in self._pipelines:
            raise bad_request(f"pipeline {name} already exists")

    def _check_trial_unused(self) -> None:
        if self._trial_used:
            trials = [p.name for p in self._pipelines.values() if p.trial]
            still_there = f" ({', '.join(trials)})" if trials else ""
            raise bad_request(
                f"project limit: the trial can be used once per project, and this project has used it{still_there}"
            )

    def _check_destination(self, spec: PipelineSpec) -> None:
        if spec.destination is None:
            return
        for existing in self._pipelines.values():
            if existing.destination is not None and tuple(existing.destination) == spec.destination:
                raise bad_request(
                    f"pipeline {existing.name} already exports {spec.data_source} to this {spec.type} destination; "
                    "two pipelines may not write to the same destination"
                )

    def _check_limits(self, spec: PipelineSpec) -> None:
        if spec.data_source != "events":
            return
        events_pipelines = [p for p in self._pipelines.values() if p.data_source == "events"]
        if spec.recurring:
            recurring = [p for p in events_pipelines if p.recurring]
            if len(recurring) >= MAX_RECURRING_EVENTS_PIPELINES:
                raise bad_request(
                    f"project limit reached: at most {MAX_RECURRING_EVENTS_PIPELINES} recurring events pipelines "
                    f"(existing: {', '.join(p.name for p in recurring)})"
                )
            for other in recurring:
                if other.frequency == spec.frequency:
                    raise bad_request(
                        f"project limit: recurring events pipelines must differ in frequency; "
                        f"{other.name} is already {spec.frequency}"
                    )
        else:
            backfills = [p for p in events_pipelines if not p.recurring]
            if len(backfills) >= MAX_NON_RECURRING_EVENTS_PIPELINES:
                raise bad_request(
                    f"project limit reached: at most {MAX_NON_RECURRING_EVENTS_PIPELINES} non-recurring events "
                    f"pipeline (existing: {', '.join(p.name for p in backfills)})"
                )

    def _new_pipeline(
        self, name: str, spec: PipelineSpec, request: CreateRequest, now: datetime, dataset_url: str | None
    ) -> Pipeline:
        return Pipeline(
            name=name,
            project_id=self.project_id,
            type=spec.type,
            data_source=spec.data_source,
            trial=spec.trial,
            frequency=spec.frequency,
            schema_type=spec.schema_type,
            sync=spec.sync,
            from_date=spec.from_date,
            to_date=spec.to_date,
            events=list(spec.events),
            where=spec.where,
            data_format=spec.data_format,
            destination=list(spec.destination) if spec.destination else None,
            created_at=now,
            params=copy.deepcopy(request.params),
            bigquery_dataset_name=dataset_url,
        )

    # --- persistence ----------------------------------------------------------------------

    def _save(self) -> None:
        if self.state_file is None:
            return
        document = {
            "version": STATE_VERSION,
            "clock_offset_seconds": self.clock.offset_seconds,
            "dataset_sequence": self._dataset_sequence,
            "trial_used": self._trial_used,
            "pipelines": [pipeline.to_json() for pipeline in self._pipelines.values()],
        }
        directory = self.state_file.parent
        directory.mkdir(parents=True, exist_ok=True)
        # Write next to the target and rename over it, so a crash never leaves half a file.
        handle, temp_path = tempfile.mkstemp(prefix=f".{self.state_file.name}.", suffix=".tmp", dir=directory)
        try:
            with os.fdopen(handle, "w", encoding="utf-8") as temp_file:
                json.dump(document, temp_file, indent=2, sort_keys=True)
                temp_file.flush()
                os.fsync(temp_file.fileno())
            os.replace(temp_path, self.state_file)
        except BaseException:
            Path(temp_path).unlink(missing_ok=True)
            raise

    def _load(self) -> None:
        assert self.state_file is not None
        try:
            document = json.loads(self.state_file.read_text(encoding="utf-8"))
            version = document.get("version")
            if version not in READABLE_STATE_VERSIONS:
                raise ValueError(f"unsupported state version {version!r}")
            pipelines = [Pipeline.from_json(data) for data in document.get("pipelines", [])]
            offset = float(document.get("clock_offset_seconds", 0))
            dataset_sequence = int(document.get("dataset_sequence", 0))
            if "trial_used" in document:
                trial_used = document["trial_used"]
                if not isinstance(trial_used, bool):
                    raise ValueError(f"trial_used must be true or false, not {trial_used!r}")
            else:
                # Version 1 did not record it: a trial pipeline in the file is the only trace left.
                # (A version 1 trial that was removed through the admin API is forgotten.)
                trial_used = any(pipeline.trial for pipeline in pipelines)
        except (ValueError, TypeError, KeyError, AttributeError) as error:
            raise ValueError(f"cannot load the state file {self.state_file}: {error}") from error
        self.clock.set_offset(offset)
        self._dataset_sequence = dataset_sequence
        self._trial_used = trial_used
        self._pipelines = {pipeline.name: pipeline for pipeline in pipelines}


def _set_or_drop(params: dict, key: str, value) -> None:
    if value in ("", []):
        params.pop(key, None)
    else:
        params[key] = value
