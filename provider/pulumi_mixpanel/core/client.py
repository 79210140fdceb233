"""HTTP client for Mixpanel's Data Pipelines API (`/api/2.0/nessie/pipeline/<op>`).

It knows nothing of Pulumi. One client is shared by the provider's worker threads: a
`requests.Session` with one pooled `HTTPAdapter`, whose retries are a urllib3 `Retry`.

Each call is a `PreparedRequest` sent with `Session.send`, prepared from the session's own
headers, auth and cookies: `Session.get`/`post` would merge the session's settings into per-call
ones this client never sets (headers, parameters, cookies, hooks, proxies), work that shows in
every operation's CPU (docs/benchmarks.md has the figures).
"""

from __future__ import annotations

import json
import logging
import time
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Optional, Union, cast
from urllib.parse import urlencode, urlsplit

import requests
from requests.adapters import HTTPAdapter
from urllib3.exceptions import MaxRetryError, ResponseError
from urllib3.util.retry import Retry

from pulumi_mixpanel import __version__
from pulumi_mixpanel.core.credentials import Credentials, ProjectSecret, ServiceAccount
from pulumi_mixpanel.core.errors import (
    MixpanelError,
    RateLimitedError,
    TransportError,
    UnexpectedResponseError,
    error_class_for_status,
)
from pulumi_mixpanel.core.models import ALL_SECRET_FIELDS, SECRET_EDIT_PARAMETERS
from pulumi_mixpanel.core.redaction import scrub, secret_forms
from pulumi_mixpanel.core.settings import pipeline_api_url

logger = logging.getLogger(__name__)

# Form fields whose values are credentials (create's and edit's names); scrubbed from any error text.
SECRET_FIELD_NAMES = ALL_SECRET_FIELDS | SECRET_EDIT_PARAMETERS
FORM_CONTENT_TYPE = {"Content-Type": "application/x-www-form-urlencoded"}

FieldValue = Union[str, int, float, bool, None, Sequence[Union[str, int]]]
Fields = Union[Mapping[str, FieldValue], Iterable[tuple[str, FieldValue]]]


def encode_fields(fields: Fields) -> list[tuple[str, str]]:
    """Form/query encoding as the API wants it: lists as repeated keys, booleans as true/false."""
    items = fields.items() if isinstance(fields, Mapping) else fields
    encoded: list[tuple[str, str]] = []
    for key, value in items:
        values = value if isinstance(value, (list, tuple)) else [value]
        for single in values:
            if single is None:
                continue
            if isinstance(single, bool):
                encoded.append((key, "true" if single else "false"))
            else:
                encoded.append((key, str(single)))
    return encoded


class PipelineRetry(Retry):
    """urllib3 Retry that never resends a create that may have reached Mixpanel.

    The API has no idempotency key: a create resent after a timeout, a reset or a 5xx could
    make a second pipeline. A create is resent only when it certainly was not processed: the
    connection was never made, or Mixpanel answered 429. Whether an unanswered create
    happened is settled by the provider from the jobs list.
    """

    def increment(  # type: ignore[override]
        self,
        method: Optional[str] = None,
        url: Optional[str] = None,
        response: Any = None,
        error: Any = None,
        _pool: Any = None,
        _stacktrace: Any = None,
    ) -> Retry:
        if url and urlsplit(url).path.rstrip("/").endswith("/create"):
            if error is not None and not self._is_connection_error(error):
                raise error.with_traceback(_stacktrace)
            if response is not None and response.status != 429:
                raise MaxRetryError(_pool, url, ResponseError(f"create is not resent after HTTP {response.status}"))
        return super().increment(method, url, response, error, _pool, _stacktrace)


def default_retry(max_retries: int = 4, backoff_factor: float = 0.25, backoff_max: float = 30.0) -> Retry:
    return PipelineRetry(
        total=max_retries,
        connect=max_retries,
        read=max_retries,
        status=max_retries,
        other=0,
        # cancel, pause, resume and edit set a state: repeating them is harmless.
        allowed_methods=frozenset({"GET", "POST"}),
        status_forcelist=frozenset({429, 502, 503, 504}),
        backoff_factor=backoff_factor,
        backoff_max=backoff_max,
        backoff_jitter=backoff_factor,
        respect_retry_after_header=True,
        retry_after_max=120,
        raise_on_status=False,
        raise_on_redirect=False,
    )


@dataclass
class _Call:
    operation: str
    method: str
    fields: list[tuple[str, str]] = field(default_factory=list)
    pipeline_name: Optional[str] = None


class MixpanelClient:
    """The eight pipeline endpoints. Thread-safe; connections are pooled and reused."""

    def __init__(
        self,
        credentials: Credentials,
        *,
        region: str = "us",
        endpoint: Optional[str] = None,
        ca_bundle: Optional[str] = None,
        connect_timeout: float = 10.0,
        read_timeout: float = 60.0,
        retry: Optional[Retry] = None,
        pool_size: int = 16,
    ) -> None:
        if not isinstance(credentials, (ServiceAccount, ProjectSecret)):
            raise TypeError("credentials must be a ServiceAccount or a ProjectSecret")
        self.base_url = pipeline_api_url(region, endpoint)
        self._credentials = credentials
        self._timeout = (connect_timeout, read_timeout)
        self._session = requests.Session()
        # Verification is always on; a custom CA bundle may replace the system one.
        self._session.verify = ca_bundle or True
        self._session.trust_env = False
        self._session.headers["User-Agent"] = f"pulumi-mixpanel/{__version__}"
        self._session.auth = credentials.basic_auth
        self._credential_forms = credentials.secret_forms()
        # One pool per host, sized for the front end's concurrency: a request beyond it would
        # open (and then drop) a connection of its own, with a TLS handshake each time.
        adapter = HTTPAdapter(pool_connections=1, pool_maxsize=pool_size, max_retries=retry or default_retry())
        self._session.mount("https://", adapter)
        self._session.mount("http://", adapter)

    def __repr__(self) -> str:
        return f"MixpanelClient(base_url={self.base_url!r}, credentials={self._credentials!r})"

    def close(self) -> None:
        self._session.close()

    # --- endpoints -------------------------------------------------------------------

    def create(self, fields: Fields) -> dict[str, Any]:
        """POST create. Returns {"pipeline_names": [...], "bigquery_dataset_name": str | None}."""
        body = self._request(_Call("create", "POST", encode_fields(fields)))
        names = body.get("pipeline_names") if isinstance(body, dict) else None
        if not isinstance(names, list) or not names or not all(isinstance(n, str) and n for n in names):
            raise UnexpectedResponseError(
                "the answer has no list of pipeline_names; the pipeline may or may not have been created",
                operation="create",
                http_status=200,
            )
        dataset = body.get("bigquery_dataset_name")
        return {"pipeline_names": names, "bigquery_dataset_name": dataset if isinstance(dataset, str) else None}

    def edit(self, name: str, fields: Fields) -> None:
        self._request(_Call("edit", "POST", [("name", name), *encode_fields(fields)], name), expect_json=False)

    def cancel(self, name: str) -> None:
        self._request(_Call("cancel", "POST", [("name", name)], name), expect_json=False)

    def pause(self, name: str) -> None:
        self._request(_Call("pause", "POST", [("name", name)], name), expect_json=False)

    def resume(self, name: str) -> None:
        self._request(_Call("resume", "POST", [("name", name)], name), expect_json=False)

    def status(self, name: str, *, summary: bool = False, states: Sequence[str] = ()) -> dict[str, Any]:
        fields = encode_fields([("name", name), ("summary", summary if summary else None), ("status", list(states))])
        return _object(self._request(_Call("status", "GET", fields, name)))

    def jobs(self) -> dict[str, Any]:
        return _object(self._request(_Call("jobs", "GET")))

    def timeline(self, name: str) -> dict[str, Any]:
        return _object(self._request(_Call("timeline", "GET", [("name", name)], name)))

    # --- plumbing --------------------------------------------------------------------

    def _with_project(self, fields: list[tuple[str, str]]) -> list[tuple[str, str]]:
        if isinstance(self._credentials, ServiceAccount):
            return [("project_id", str(self._credentials.project_id)), *fields]
        return fields

    def _scrub(self, text: str, call: _Call) -> str:
        forms = set(self._credential_forms)
        for key, value in call.fields:
            if key in SECRET_FIELD_NAMES:
                forms |= secret_forms(value)
        return scrub(text, forms)

    def _prepare(self, call: _Call) -> requests.PreparedRequest:
        url = self.base_url + call.operation
        encoded = urlencode(self._with_project(call.fields))
        session = self._session
        if call.method == "GET":
            request = requests.Request(
                "GET", url, params=encoded, headers=session.headers, auth=session.auth, cookies=session.cookies
            )
        else:
            request = requests.Request(
                "POST",
                url,
                data=encoded.encode("ascii"),  # percent-encoded: ASCII whatever the values
                headers={**session.headers, **FORM_CONTENT_TYPE},
                auth=session.auth,
                cookies=session.cookies,
            )
        return request.prepare()

    def _request(self, call: _Call, *, expect_json: bool = True) -> Any:
        started = time.monotonic()
        try:
            response = self._session.send(self._prepare(call), timeout=self._timeout)
        except requests.RequestException as error:
            raise self._transport_error(call, error) from None
        except Exception as error:
            # (e.g. an OverflowError from the socket layer) leaves the outcome unknown.
            raise TransportError(
                f"{type(error).__name__}: {self._scrub(str(error), call)}",
                operation=call.operation,
                pipeline_name=call.pipeline_name,
                may_have_reached_server=True,
            ) from None
        elapsed_ms = (time.monotonic() - started) * 1000
        logger.debug("%s %s -> %s in %.0f ms", call.method, call.operation, response.status_code, elapsed_ms)
        if response.status_code >= 300:
            raise self._http_error(call, response)
        return self._parse_body(call, response, expect_json)

    def _transport_error(self, call: _Call, error: requests.RequestException) -> TransportError:
        # Only a failed connect or TLS handshake proves the request never left this machine.
        never_sent = isinstance(error, (requests.exceptions.ConnectTimeout, requests.exceptions.SSLError)) or (
            isinstance(error, requests.exceptions.ConnectionError)
            and not isinstance(error, requests.exceptions.ReadTimeout)
            and _is_connect_failure(error)
        )
        kind = type(error).__name__
        reason = self._scrub(_root_cause(error), call)
        return TransportError(
            f"{kind}: {reason}",
            operation=call.operation,
            pipeline_name=call.pipeline_name,
            may_have_reached_server=not never_sent,
        )

    def _http_error(self, call: _Call, response: requests.Response) -> MixpanelError:
        message = _error_message(response)
        error_class = error_class_for_status(response.status_code)
        kwargs: dict[str, Any] = dict(
            operation=call.operation, http_status=response.status_code, pipeline_name=call.pipeline_name
        )
        if error_class is RateLimitedError:
            kwargs["retry_after"] = _retry_after_seconds(response)
        return error_class(self._scrub(message, call), **kwargs)

    def _parse_body(self, call: _Call, response: requests.Response, expect_json: bool) -> Any:
        text = response.text
        try:
            body = json.loads(text) if text.strip() else None
        except ValueError:
            body = None
            if expect_json:
                raise UnexpectedResponseError(
                    f"the answer is not JSON ({_describe_body(response)})",
                    operation=call.operation,
                    http_status=response.status_code,
                    pipeline_name=call.pipeline_name,
                ) from None
        # Some Mixpanel APIs answer 200 with an error document.
        if isinstance(body, dict) and body.get("status") == "error" and "error" in body:
            raise error_class_for_status(400)(
                self._scrub(str(body["error"]), call),
                operation=call.operation,
                http_status=response.status_code,
                pipeline_name=call.pipeline_name,
            )
        if expect_json and not isinstance(body, dict):
            raise UnexpectedResponseError(
                f"expected a JSON object, got {_describe_body(response)}",
                operation=call.operation,
                http_status=response.status_code,
                pipeline_name=call.pipeline_name,
            )
        return body


def _object(body: Any) -> dict[str, Any]:
    # _parse_body has refused anything but a JSON object for these calls.
    return cast(dict[str, Any], body)


def _is_connect_failure(error: requests.RequestException) -> bool:
    from urllib3.exceptions import NameResolutionError, NewConnectionError

    cause: Optional[BaseException] = error
    while cause is not None:
        if isinstance(cause, MaxRetryError):
            cause = cause.reason
            continue
        if isinstance(cause, (NewConnectionError, NameResolutionError, ConnectionRefusedError)):
            return True
        cause = cause.args[0] if cause.args and isinstance(cause.args[0], BaseException) else cause.__cause__
    return False


def _root_cause(error: BaseException) -> str:
    cause: BaseException = error
    while True:
        if isinstance(cause, MaxRetryError) and cause.reason is not None:
            cause = cause.reason
        elif cause.args and isinstance(cause.args[0], BaseException):
            cause = cause.args[0]
        else:
            break
    return str(cause) or type(cause).__name__


def _error_message(response: requests.Response) -> str:
    try:
        body = response.json()
    except ValueError:
        return f"HTTP {response.status_code} {response.reason or ''} ({_describe_body(response)})".strip()
    if isinstance(body, dict) and isinstance(body.get("error"), str):
        return str(body["error"])
    return f"HTTP {response.status_code} with an unexpected JSON body"


def _describe_body(response: requests.Response) -> str:
    content_type = response.headers.get("Content-Type", "no content type")
    if not response.content:
        return f"an empty body, {content_type}"
    return f"{len(response.content)} bytes of {content_type}"


def _retry_after_seconds(response: requests.Response) -> Optional[float]:
    value = response.headers.get("Retry-After")
    try:
        return float(value) if value is not None else None
    except ValueError:
        return None
