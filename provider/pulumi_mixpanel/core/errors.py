"""Typed failures of the Mixpanel Data Pipelines API, one class per kind of failure.

Every message is built from Mixpanel's own `error` text with secret values scrubbed by the
client before the exception is raised, so these are safe to show and to log.
"""

from __future__ import annotations

from typing import Optional


class MixpanelError(Exception):
    """Base class: a call to the Data Pipelines API failed."""

    def __init__(
        self,
        message: str,
        *,
        operation: str,
        http_status: Optional[int] = None,
        pipeline_name: Optional[str] = None,
    ) -> None:
        self.message = message
        self.operation = operation
        self.http_status = http_status
        self.pipeline_name = pipeline_name
        super().__init__(self._describe())

    def _describe(self) -> str:
        where = f"Mixpanel {self.operation}"
        if self.pipeline_name:
            where += f" of pipeline {self.pipeline_name!r}"
        status = f" (HTTP {self.http_status})" if self.http_status is not None else ""
        return f"{where} failed{status}: {self.message}"


class BadRequestError(MixpanelError):
    """400: Mixpanel rejected the parameters."""


class UnauthenticatedError(MixpanelError):
    """401: the credentials were refused."""


class ForbiddenError(MixpanelError):
    """403: the credentials are valid but not allowed (role, project)."""


class NotFoundError(MixpanelError):
    """404: no pipeline by that name."""


class RateLimitedError(MixpanelError):
    """429 after the retries ran out."""

    def __init__(self, message: str, *, retry_after: Optional[float] = None, **kwargs) -> None:
        self.retry_after = retry_after
        super().__init__(message, **kwargs)


class ServerError(MixpanelError):
    """5xx after the retries ran out (or at once, for a create)."""


class UnexpectedResponseError(MixpanelError):
    """A 2xx answer that is not what the API documents (not JSON, missing keys, HTML)."""


class TransportError(MixpanelError):
    """No HTTP answer: connection refused or reset, TLS failure, timeout.

    `may_have_reached_server` is False only when the request certainly never left this
    machine (connection or TLS handshake failed), so a create can be resent safely.
    """

    def __init__(self, message: str, *, may_have_reached_server: bool, **kwargs) -> None:
        self.may_have_reached_server = may_have_reached_server
        super().__init__(message, **kwargs)


class InsecureEndpointError(ValueError):
    """A plain-HTTP endpoint that is not on this machine: credentials would travel in clear."""


HTTP_STATUS_ERRORS: dict[int, type[MixpanelError]] = {
    400: BadRequestError,
    401: UnauthenticatedError,
    403: ForbiddenError,
    404: NotFoundError,
    429: RateLimitedError,
}


def error_class_for_status(http_status: int) -> type[MixpanelError]:
    if http_status >= 500:
        return ServerError
    # Any other refusal (405, 409, 422, ...) is a request Mixpanel will not take as sent.
    return HTTP_STATUS_ERRORS.get(http_status, BadRequestError)
