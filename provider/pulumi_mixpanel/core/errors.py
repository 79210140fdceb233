"""Every way the provider can fail, one class per failure.

Messages are safe to show and to log: the client scrubs secret values (in every encoding it
sends them) from Mixpanel's text before an exception is built, and inputs are never echoed
for secret fields.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Optional


@dataclass(frozen=True)
class Problem:
    """One validation failure: the property (or setting) it concerns and a readable reason."""

    property: str
    reason: str

    def __str__(self) -> str:
        return f"{self.property}: {self.reason}"


def _listed(problems: Sequence[Problem]) -> str:
    return "".join(f"\n  - {problem}" for problem in problems)


class PipelineInputError(Exception):
    """The inputs of a pipeline break one or more rules; `problems` lists every one.

    Not a ValueError on purpose: pydantic turns a ValueError raised while validating into
    its own error, and this one must reach the caller whole.
    """

    def __init__(self, problems: Sequence[Problem], subject: str = "pipeline inputs") -> None:
        self.problems = list(problems)
        self.subject = subject
        count = len(self.problems)
        super().__init__(f"invalid {subject} ({count} problem{'s' if count != 1 else ''}):{_listed(self.problems)}")


class SettingsError(ValueError):
    """Provider settings (stack config, provider inputs, environment) that cannot work."""

    def __init__(self, message: str, problems: Sequence[Problem] = ()) -> None:
        self.problems = list(problems)
        super().__init__(message + _listed(self.problems))


class InsecureEndpointError(SettingsError):
    """A plain-HTTP endpoint that is not on this machine: credentials would travel in clear."""


class MixpanelError(Exception):
    """Base class: a call to the Data Pipelines API failed (or cannot be made)."""

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

    def __init__(self, message: str, *, retry_after: Optional[float] = None, **kwargs: Any) -> None:
        self.retry_after = retry_after
        super().__init__(message, **kwargs)


class ServerError(MixpanelError):
    """5xx after the retries ran out (or at once, for a create)."""


class UnexpectedResponseError(MixpanelError):
    """A 2xx answer that is not what the API documents (not JSON, missing keys, HTML)."""


class TransportError(MixpanelError):
    """No usable HTTP answer: connection refused or reset, TLS failure, timeout, a broken read.

    `may_have_reached_server` is False only when the request certainly never left this
    machine (the connection or the TLS handshake failed), so a create can be resent safely.
    """

    def __init__(self, message: str, *, may_have_reached_server: bool, **kwargs: Any) -> None:
        self.may_have_reached_server = may_have_reached_server
        super().__init__(message, **kwargs)


class PipelineExistsError(MixpanelError):
    """A create would make a pipeline whose name the project already has."""


class TrialPipelineCannotBeDeleted(MixpanelError):
    """Mixpanel keeps trial pipelines until their 30 days are over."""


class UnrestorablePipelinesError(MixpanelError):
    """Some of a resource's pipelines are gone from Mixpanel and cannot be made again."""


class AdoptionConflictError(MixpanelError):
    """An existing pipeline differs from the program in a way an edit cannot fix."""


class PipelineElsewhereError(MixpanelError):
    """The pipeline lives in another project or region than the one these settings reach."""


class UpdateInterruptedError(MixpanelError):
    """A create or an update failed after some of its calls landed; `state` (a PipelineState)
    is what Mixpanel has now."""

    def __init__(self, message: str, *, state: Any, **kwargs: Any) -> None:
        self.state = state
        super().__init__(message, **kwargs)


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
