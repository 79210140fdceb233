"""The credentials the emulator accepts, and HTTP Basic authentication of API requests.

Two methods, as Mixpanel has them: a service account (username + secret, and then
`project_id` is required on every call), or the classic project API secret sent as the
Basic-auth username with an empty password.
"""

from __future__ import annotations

import base64
import binascii
import hmac
from dataclasses import dataclass

from .errors import ApiError, bad_request

DEFAULT_SERVICE_ACCOUNT = ("emulator", "emulator-secret")
DEFAULT_API_SECRET = "emulator-api-secret"
DEFAULT_PROJECT_ID = 1


@dataclass(frozen=True)
class Credentials:
    project_id: int
    service_account: tuple[str, str] | None
    api_secret: str | None

    @classmethod
    def build(cls, service_account, api_secret, project_id) -> Credentials:
        """With neither credential given, accept the documented defaults."""
        if service_account is None and api_secret is None:
            return cls(int(project_id), DEFAULT_SERVICE_ACCOUNT, DEFAULT_API_SECRET)
        return cls(int(project_id), tuple(service_account) if service_account else None, api_secret)

    @property
    def uses_defaults(self) -> bool:
        return self.service_account == DEFAULT_SERVICE_ACCOUNT and self.api_secret == DEFAULT_API_SECRET


@dataclass(frozen=True)
class Caller:
    """Who made a request, as the request log shows it (never the secret)."""

    label: str  # "service_account:<username>", "api_secret", "none" or "invalid"

    @property
    def is_service_account(self) -> bool:
        return self.label.startswith("service_account:")

    @property
    def authenticated(self) -> bool:
        return self.label not in ("none", "invalid")


def identify(authorization_header: str | None, credentials: Credentials) -> Caller:
    if not authorization_header:
        return Caller("none")
    username, password = _parse_basic(authorization_header)
    if username is None:
        return Caller("invalid")
    account = credentials.service_account
    if account and username is not None and _same(username, account[0]) and _same(password or "", account[1]):
        return Caller(f"service_account:{account[0]}")
    if credentials.api_secret and _same(username, credentials.api_secret) and password == "":
        return Caller("api_secret")
    return Caller("invalid")


def authorize(caller: Caller, values: dict[str, list[str]], credentials: Credentials) -> None:
    """Raise 401/400/403 unless the caller may act on the project; consumes `project_id`."""
    if not caller.authenticated:
        message = "missing credentials" if caller.label == "none" else "invalid credentials"
        raise ApiError(401, message, {"WWW-Authenticate": 'Basic realm="Mixpanel"'})
    project_ids = [value for value in values.pop("project_id", []) if value != ""]
    if not project_ids:
        if caller.is_service_account:
            raise bad_request("missing required parameter: project_id (required with a service account)")
        return  # an API secret already names its project
    if len(project_ids) > 1:
        raise bad_request("parameter project_id must be given at most once")
    try:
        project_id = int(project_ids[0])
    except ValueError:
        raise bad_request(f"invalid value for project_id: {project_ids[0]!r}; expected an integer") from None
    if project_id != credentials.project_id:
        raise ApiError(403, f"these credentials are not allowed to access project {project_id}")


def _parse_basic(header: str) -> tuple[str | None, str | None]:
    scheme, _, encoded = header.strip().partition(" ")
    if scheme.lower() != "basic":
        return None, None
    try:
        decoded = base64.b64decode(encoded.strip(), validate=True).decode("utf-8")
    except (binascii.Error, UnicodeDecodeError):
        return None, None
    username, colon, password = decoded.partition(":")
    if not colon:
        return None, None
    return username, password


def _same(given: str, expected: str) -> bool:
    return hmac.compare_digest(given.encode("utf-8"), expected.encode("utf-8"))
