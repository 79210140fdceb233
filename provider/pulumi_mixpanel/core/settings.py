"""Provider settings: where they come from, what each means, and whether it can work.

Both front ends read the same settings: the dynamic resource from stack config
(`mixpanel:<name>`), the plugin from its provider inputs (`<name>`); each falls back on the
`MIXPANEL_*` environment variable when the value is absent. Every setting is validated here,
when the provider is configured, so a bad one is named before any API call. Missing
credentials are the exception: `pulumi preview` makes no API call and needs none.
"""

from __future__ import annotations

import ipaddress
import math
import os
import re
import ssl
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Optional
from urllib.parse import urlsplit

from pulumi_mixpanel.core.credentials import Credentials, ProjectSecret, ServiceAccount
from pulumi_mixpanel.core.errors import InsecureEndpointError, Problem, SettingsError
from pulumi_mixpanel.core.models.fields import control_character_in

REGION_HOSTS = {
    "us": "https://data.mixpanel.com",
    "eu": "https://data-eu.mixpanel.com",
    "in": "https://data-in.mixpanel.com",
}
API_ROOT = "/api/2.0"
PIPELINE_PATH = "/nessie/pipeline/"
DEFAULT_REQUEST_TIMEOUT_SECONDS = 60.0
# Longer than any answer Mixpanel gives; larger values overflow the socket layer (1e300).
MAX_REQUEST_TIMEOUT_SECONDS = 3600.0


@dataclass(frozen=True)
class Setting:
    name: str  # the plugin's provider input, and the stack config key `mixpanel:<name>`
    environment: str
    description: str
    secret: bool = False
    kind: str = "string"
    # Other variables read when `environment` is unset: the official Mixpanel Terraform
    # provider's names, so that teams with both tools set them once.
    aliases: tuple[str, ...] = ()

    @property
    def environment_variables(self) -> tuple[str, ...]:
        return (self.environment, *self.aliases)


SETTINGS: tuple[Setting, ...] = (
    Setting(
        "serviceAccountUsername",
        "MIXPANEL_SERVICE_ACCOUNT_USERNAME",
        "The username of a Mixpanel service account with the Admin or Owner role in the project.",
        aliases=("MIXPANEL_SERVICE_ACCOUNT",),
    ),
    Setting(
        "serviceAccountSecret", "MIXPANEL_SERVICE_ACCOUNT_SECRET", "The secret of the service account.", secret=True
    ),
    Setting(
        "projectId",
        "MIXPANEL_PROJECT_ID",
        "The Mixpanel project id; required with a service account (sent as `project_id` on every call).",
    ),
    Setting(
        "apiSecret",
        "MIXPANEL_API_SECRET",
        "The project's API secret (classic authentication, which Mixpanel retires on 2027-03-03).",
        secret=True,
    ),
    Setting(
        "region",
        "MIXPANEL_REGION",
        "The data residency of the project: `us` (default, data.mixpanel.com), `eu` (data-eu) or `in` (data-in).",
    ),
    Setting(
        "endpoint",
        "MIXPANEL_ENDPOINT",
        "A base URL that replaces the region's host, e.g. a local emulator `http://127.0.0.1:8765`; "
        "`/api/2.0/nessie/pipeline/` is appended (an URL already ending in `/api/2.0` is taken as it is). "
        "Plain http is refused unless the host is loopback.",
    ),
    Setting(
        "caBundle",
        "MIXPANEL_CA_BUNDLE",
        "A PEM file of certificate authorities to trust instead of the system's (TLS verification is always on).",
    ),
    Setting(
        "requestTimeout",
        "MIXPANEL_REQUEST_TIMEOUT",
        "Seconds to wait for one answer from Mixpanel (default 60, at most 3600).",
        kind="number",
    ),
)
SETTING_NAMES = tuple(setting.name for setting in SETTINGS)

HOW_TO_AUTHENTICATE = (
    "Set a service account with `pulumi config set mixpanel:serviceAccountUsername ...`, "
    "`pulumi config set --secret mixpanel:serviceAccountSecret ...` and `pulumi config set mixpanel:projectId ...` "
    "(or MIXPANEL_SERVICE_ACCOUNT_USERNAME or MIXPANEL_SERVICE_ACCOUNT, MIXPANEL_SERVICE_ACCOUNT_SECRET and "
    "MIXPANEL_PROJECT_ID), "
    "or a project API secret with `pulumi config set --secret mixpanel:apiSecret ...` (or MIXPANEL_API_SECRET). "
    "An explicit provider takes the same names as its inputs."
)


_ASCII_DIGITS = re.compile(r"[0-9]+")


def is_loopback_host(host: str) -> bool:
    if host.lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def pipeline_api_url(region: str = "us", endpoint: Optional[str] = None) -> str:
    """The pipeline API's base URL, ending in `/nessie/pipeline/`.

    An endpoint may be given bare (`https://host`), as the OpenAPI server URL
    (`https://host/api/2.0`), or down to the pipeline path. Plain http is refused unless the
    host is loopback: the credentials travel in every request.
    """
    if endpoint:
        parts = urlsplit(endpoint)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise SettingsError(f"{endpoint!r} is not an http:// or https:// URL with a host")
        if parts.scheme == "http" and not is_loopback_host(parts.hostname):
            raise InsecureEndpointError(
                f"{endpoint!r} uses plain http to a host that is not loopback; "
                "Mixpanel credentials would be sent unencrypted. Use https://"
            )
        if parts.query or parts.fragment:
            raise SettingsError(f"{endpoint!r} must not have a query or a fragment")
        path = parts.path.rstrip("/")
        for suffix in (API_ROOT + PIPELINE_PATH.rstrip("/"), API_ROOT):
            if path.endswith(suffix):
                path = path[: -len(suffix)]
                break
        return f"{parts.scheme}://{parts.netloc}{path}{API_ROOT}{PIPELINE_PATH}"
    if region not in REGION_HOSTS:
        raise SettingsError(f"{region!r} is not one of {', '.join(REGION_HOSTS)}")
    return REGION_HOSTS[region] + API_ROOT + PIPELINE_PATH


@dataclass(frozen=True)
class ProviderSettings:
    credentials: Optional[Credentials]
    region: str = "us"
    endpoint: Optional[str] = None
    ca_bundle: Optional[str] = None
    # Seconds to wait for Mixpanel's answer to one request (the connect timeout is separate).
    request_timeout: float = DEFAULT_REQUEST_TIMEOUT_SECONDS
    # Why there are no credentials; raised only when an API call needs them, so that
    # `pulumi preview` (which makes none) works without any.
    credentials_problem: Optional[str] = None
    # Settings that cannot work, by setting name; a provider with problems makes no call.
    problems: tuple[Problem, ...] = ()

    @property
    def api_url(self) -> str:
        return pipeline_api_url(self.region, self.endpoint)

    @classmethod
    def from_sources(cls, values: Mapping[str, Any], environ: Optional[Mapping[str, str]] = None) -> ProviderSettings:
        """Settings by name (`region`, `projectId`, ...), the environment filling the gaps.

        Never raises: every setting that cannot work becomes a Problem in `problems`.
        """
        environ = os.environ if environ is None else environ
        raw: dict[str, Optional[str]] = {}
        for setting in SETTINGS:
            value = values.get(setting.name)
            if value is None or value == "":
                value = next((environ[name] for name in setting.environment_variables if environ.get(name)), None)
            raw[setting.name] = None if value is None else _text(value)
        problems: list[Problem] = []
        for name, text in list(raw.items()):
            found = control_character_in(text) if text else None
            if found:
                # A line break in a credential or a URL would end up in an HTTP header or a request line.
                problems.append(Problem(name, f"must not contain control characters (found {found})"))
                raw[name] = None
        region = (raw["region"] or "us").strip().lower()
        project_id = _project_id(raw["projectId"], problems)
        endpoint = raw["endpoint"]
        try:
            pipeline_api_url(region if region in REGION_HOSTS else "us", endpoint)
        except SettingsError as error:
            problems.append(Problem("endpoint", str(error)))
        if region not in REGION_HOSTS:
            problems.append(Problem("region", f"{raw['region']!r} is not one of {', '.join(REGION_HOSTS)}"))
        ca_bundle = raw["caBundle"]
        if ca_bundle is not None:
            problem = _ca_bundle_problem(ca_bundle)
            if problem:
                problems.append(Problem("caBundle", problem))
        timeout = _request_timeout(raw["requestTimeout"], problems)
        credentials, credentials_problem = _credentials(raw, project_id)
        return cls(credentials, region, endpoint, ca_bundle, timeout, credentials_problem, tuple(problems))

    def require_usable(self) -> Credentials:
        """The credentials, once every setting is known to work; raises SettingsError otherwise."""
        if self.problems:
            raise SettingsError("the Mixpanel provider settings cannot work:", self.problems)
        if self.credentials is None:
            raise SettingsError(self.credentials_problem or "Mixpanel credentials are missing. " + HOW_TO_AUTHENTICATE)
        return self.credentials


def _text(value: Any) -> str:
    # Numbers arrive as floats from the plugin protocol: 123.0 is the project id "123".
    if isinstance(value, float) and value.is_integer() and abs(value) < 2**53:
        return str(int(value))
    return str(value)


def _project_id(value: Optional[str], problems: list[Problem]) -> Optional[str]:
    if value is None:
        return None
    text = value.strip()
    # ASCII digits only: str.isdigit() takes superscripts and other scripts' digits, which
    # int() refuses or reads as another number.
    if not _ASCII_DIGITS.fullmatch(text) or int(text) <= 0:
        problems.append(Problem("projectId", f"{value!r} is not a project id (a positive whole number, digits 0-9)"))
        return None
    return str(int(text))


def _ca_bundle_problem(path: str) -> Optional[str]:
    file = Path(path).expanduser()
    if not file.is_file():
        return f"{path!r} is not a file"
    try:
        ssl.create_default_context(cafile=str(file))
    except (ssl.SSLError, OSError, ValueError) as error:
        return f"{path!r} is not a readable PEM bundle of certificate authorities ({error.__class__.__name__})"
    return None


def _request_timeout(value: Optional[str], problems: list[Problem]) -> float:
    if value is None:
        return DEFAULT_REQUEST_TIMEOUT_SECONDS
    try:
        seconds = float(value)
    except ValueError:
        problems.append(Problem("requestTimeout", f"{value!r} is not a number of seconds"))
        return DEFAULT_REQUEST_TIMEOUT_SECONDS
    if not math.isfinite(seconds) or not 0 < seconds <= MAX_REQUEST_TIMEOUT_SECONDS:
        problems.append(
            Problem(
                "requestTimeout",
                f"{value!r} must be a number of seconds above 0 and at most {MAX_REQUEST_TIMEOUT_SECONDS:g}",
            )
        )
        return DEFAULT_REQUEST_TIMEOUT_SECONDS
    return seconds


def _credentials(
    raw: Mapping[str, Optional[str]], project_id: Optional[str]
) -> tuple[Optional[Credentials], Optional[str]]:
    username, secret = raw["serviceAccountUsername"], raw["serviceAccountSecret"]
    if username or secret:
        missing = [
            name
            for name, value in (
                ("serviceAccountUsername", username),
                ("serviceAccountSecret", secret),
                ("projectId", raw["projectId"]),
            )
            if not value
        ]
        if missing:
            listed = ", ".join(f"mixpanel:{name}" for name in missing)
            return None, f"The Mixpanel service account is incomplete: {listed} is not set. " + HOW_TO_AUTHENTICATE
        if project_id is None:
            return None, "The Mixpanel service account has no usable project id (mixpanel:projectId)."
        return ServiceAccount(username or "", secret or "", project_id), None
    if raw["apiSecret"]:
        return ProjectSecret(raw["apiSecret"]), None
    return None, "Mixpanel credentials are missing. " + HOW_TO_AUTHENTICATE
