"""The eight Data Pipelines operations: authentication, parameters, and their answers."""

from __future__ import annotations

from dataclasses import dataclass, field

from .auth import Caller, Credentials, authorize, identify
from .errors import ApiError, bad_request
from .state import PipelineStore
from .tasks import TASK_STATES, jobs_entry, status_view, timeline_view
from .validation import Fields, validate_create

API_PREFIX = "/api/2.0/nessie/pipeline/"
# The methods each operation accepts. status takes POST too: the classic page documents it as
# a GET, but its own example (`curl ... -d name=... -d summary=true`) sends a POST form.
OPERATION_METHODS: dict[str, tuple[str, ...]] = {
    "create": ("POST",),
    "edit": ("POST",),
    "cancel": ("POST",),
    "pause": ("POST",),
    "resume": ("POST",),
    "status": ("GET", "POST"),
    "jobs": ("GET",),
    "timeline": ("GET",),
}
OK = {"status": "ok"}


@dataclass
class ApiResult:
    status: int
    body: dict
    caller: Caller
    headers: dict[str, str] = field(default_factory=dict)


class PipelineApi:
    def __init__(self, store: PipelineStore, credentials: Credentials):
        self.store = store
        self.credentials = credentials

    def handle(self, op: str, method: str, values: dict[str, list[str]], authorization: str | None) -> ApiResult:
        """`values`: query and form parameters together, each name with all its values."""
        caller = identify(authorization, self.credentials)
        try:
            if op not in OPERATION_METHODS:
                raise ApiError(404, f"unknown endpoint: {op}")
            allowed = OPERATION_METHODS[op]
            if method not in allowed:
                expected = " or ".join(allowed)
                raise ApiError(405, f"{op} expects {expected}, got {method}", {"Allow": ", ".join(allowed)})
            values = {key: list(items) for key, items in values.items()}
            authorize(caller, values, self.credentials)
            body = getattr(self, f"_{op}")(values)
            return ApiResult(200, body, caller)
        except ApiError as error:
            return ApiResult(error.status, error.body(), caller, error.headers)

    # --- operations -----------------------------------------------------------------------

    def _create(self, values: dict[str, list[str]]) -> dict:
        request = validate_create(values, self.store.clock.today())
        return self.store.create(request)

    def _edit(self, values: dict[str, list[str]]) -> dict:
        name = _take_name(values)
        self.store.edit(name, values)
        return OK

    def _cancel(self, values: dict[str, list[str]]) -> dict:
        name = _take_name(values, allowed=())
        self.store.cancel(name)
        return OK

    def _pause(self, values: dict[str, list[str]]) -> dict:
        self.store.pause(_take_name(values, allowed=()))
        return OK

    def _resume(self, values: dict[str, list[str]]) -> dict:
        self.store.resume(_take_name(values, allowed=()))
        return OK

    def _status(self, values: dict[str, list[str]]) -> dict:
        name = _take_name(values, allowed=("summary", "status"))
        fields = Fields(values)
        summary = fields.boolean("summary")
        states = fields.get_list("status")
        for state in states:
            if state not in TASK_STATES:
                raise bad_request(f"invalid value for status: {state!r}; expected one of {', '.join(TASK_STATES)}")
        pipeline = self.store.get(name)
        return status_view(pipeline, self.store.clock.now(), summary, states)

    def _jobs(self, values: dict[str, list[str]]) -> dict:
        _reject_unknown(values, allowed=())
        now = self.store.clock.now()
        entries = [jobs_entry(pipeline, now) for pipeline in self.store.all()]
        # An empty project answers {} (no key at all), like a map with nothing scheduled.
        return {str(self.credentials.project_id): entries} if entries else {}

    def _timeline(self, values: dict[str, list[str]]) -> dict:
        pipeline = self.store.get(_take_name(values, allowed=()))
        return timeline_view(pipeline, self.store.clock.now())


def _take_name(values: dict[str, list[str]], allowed: tuple[str, ...] | None = None) -> str:
    """Remove and return `name`; with `allowed`, refuse any other parameter but those."""
    names = [value for value in values.pop("name", []) if value != ""]
    if not names:
        raise bad_request("missing required parameter: name")
    if len(names) > 1:
        raise bad_request("parameter name must be given at most once")
    if allowed is not None:
        _reject_unknown(values, allowed)
    return names[0]


def _reject_unknown(values: dict[str, list[str]], allowed: tuple[str, ...]) -> None:
    unknown = sorted(set(values) - set(allowed))
    if unknown:
        raise bad_request(f"unknown parameter(s): {', '.join(unknown)}")
