"""Provider settings from stack config, falling back to the environment.

Read in the provider process, so `pulumi refresh` and `pulumi destroy` work without the
program and no credential is ever written into a resource's state.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from typing import Any, Mapping, Optional

from pulumi_mixpanel.credentials import Credentials, ProjectSecret, ServiceAccount

# setting -> (stack config key, environment variable)
SETTING_SOURCES: dict[str, tuple[str, str]] = {
    "service_account_username": ("mixpanel:serviceAccountUsername", "MIXPANEL_SERVICE_ACCOUNT_USERNAME"),
    "service_account_secret": ("mixpanel:serviceAccountSecret", "MIXPANEL_SERVICE_ACCOUNT_SECRET"),
    "project_id": ("mixpanel:projectId", "MIXPANEL_PROJECT_ID"),
    "api_secret": ("mixpanel:apiSecret", "MIXPANEL_API_SECRET"),
    "region": ("mixpanel:region", "MIXPANEL_REGION"),
    "endpoint": ("mixpanel:endpoint", "MIXPANEL_ENDPOINT"),
    "ca_bundle": ("mixpanel:caBundle", "MIXPANEL_CA_BUNDLE"),
    "request_timeout": ("mixpanel:requestTimeout", "MIXPANEL_REQUEST_TIMEOUT"),
}
DEFAULT_REQUEST_TIMEOUT_SECONDS = 60.0

HOW_TO_AUTHENTICATE = (
    "Set a service account with `pulumi config set mixpanel:serviceAccountUsername ...`, "
    "`pulumi config set --secret mixpanel:serviceAccountSecret ...` and `pulumi config set mixpanel:projectId ...` "
    "(or MIXPANEL_SERVICE_ACCOUNT_USERNAME, MIXPANEL_SERVICE_ACCOUNT_SECRET and MIXPANEL_PROJECT_ID), "
    "or a project API secret with `pulumi config set --secret mixpanel:apiSecret ...` (or MIXPANEL_API_SECRET)."
)


class SettingsError(ValueError):
    """The provider settings are missing or inconsistent."""


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

    @classmethod
    def from_sources(cls, config: Mapping[str, Any], environ: Optional[Mapping[str, str]] = None) -> "ProviderSettings":
        environ = os.environ if environ is None else environ
        values: dict[str, Optional[str]] = {}
        for setting, (config_key, env_name) in SETTING_SOURCES.items():
            value = config.get(config_key)
            if value is None or value == "":
                value = environ.get(env_name) or None
            values[setting] = None if value is None else str(value)
        region = (values["region"] or "us").lower()
        credentials, problem = _credentials(values)
        timeout = _positive_seconds(values["request_timeout"], "mixpanel:requestTimeout")
        return cls(credentials, region, values["endpoint"], values["ca_bundle"], timeout, problem)

    def require_credentials(self) -> Credentials:
        if self.credentials is None:
            raise SettingsError(self.credentials_problem or "Mixpanel credentials are missing. " + HOW_TO_AUTHENTICATE)
        return self.credentials


def _credentials(values: Mapping[str, Optional[str]]) -> tuple[Optional[Credentials], Optional[str]]:
    username, secret, project_id = (
        values["service_account_username"],
        values["service_account_secret"],
        values["project_id"],
    )
    if username or secret:
        missing = [
            key
            for key, value in (
                ("mixpanel:serviceAccountUsername", username),
                ("mixpanel:serviceAccountSecret", secret),
                ("mixpanel:projectId", project_id),
            )
            if not value
        ]
        if missing:
            return None, f"The Mixpanel service account is incomplete: {', '.join(missing)} is not set. " + HOW_TO_AUTHENTICATE
        return ServiceAccount(username, secret, project_id), None  # type: ignore[arg-type]
    if values["api_secret"]:
        return ProjectSecret(values["api_secret"]), None
    return None, "Mixpanel credentials are missing. " + HOW_TO_AUTHENTICATE


def _positive_seconds(value: Optional[str], key: str) -> float:
    if value is None:
        return DEFAULT_REQUEST_TIMEOUT_SECONDS
    try:
        seconds = float(value)
    except ValueError:
        raise SettingsError(f"{key} must be a number of seconds, not {value!r}") from None
    if seconds <= 0:
        raise SettingsError(f"{key} must be more than 0 seconds")
    return seconds
