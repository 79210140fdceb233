"""A pipeline's home: the Mixpanel project it lives in, and the API host that reaches it.

A pipeline name is unique only within a project, so the state records each pipeline's home
next to its names, and every operation checks it against the home its settings reach now.
Written in state with the settings' own names: `{"projectId": "1", "region": "eu"}`, or
`{"projectId": "1", "endpoint": "https://..."}` when an endpoint replaces the region's host.

With a project API secret (classic auth) the project is the secret's own and no id is sent,
so the home has no `projectId`: switching such a stack to a service account, or back, keeps
the pipelines where they are (the usual migration before Mixpanel retires API secrets).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Optional
from urllib.parse import urlsplit

from pulumi_mixpanel.core.credentials import ServiceAccount
from pulumi_mixpanel.core.errors import SettingsError
from pulumi_mixpanel.core.settings import REGION_HOSTS, ProviderSettings, pipeline_api_url


@dataclass(frozen=True)
class Home:
    project_id: Optional[str]  # None: the project of a project API secret
    region: str = "us"
    endpoint: Optional[str] = None

    @classmethod
    def of(cls, settings: ProviderSettings) -> Home:
        credentials = settings.credentials
        project_id = credentials.project_id if isinstance(credentials, ServiceAccount) else None
        return cls(project_id, settings.region, settings.endpoint)

    @classmethod
    def from_state(cls, value: Any) -> Optional[Home]:
        """The home a state records, or None for a state written before homes were recorded."""
        if not isinstance(value, Mapping):
            return None
        project_id, region, endpoint = value.get("projectId"), value.get("region"), value.get("endpoint")
        return cls(
            str(project_id) if project_id not in (None, "") else None,
            str(region) if isinstance(region, str) and region in REGION_HOSTS else "us",
            str(endpoint) if isinstance(endpoint, str) and endpoint else None,
        )

    def to_state(self) -> dict[str, str]:
        recorded = {"projectId": self.project_id} if self.project_id else {}
        if self.endpoint:
            recorded["endpoint"] = self.endpoint
        else:
            recorded["region"] = self.region
        return recorded

    @property
    def api_url(self) -> str:
        try:
            return pipeline_api_url(self.region, self.endpoint)
        except SettingsError:
            return self.endpoint or self.region  # a setting that cannot work; compared as written

    @property
    def host(self) -> str:
        parts = urlsplit(self.api_url)
        return f"{parts.scheme}://{parts.netloc}" if parts.netloc else self.api_url

    def describe(self) -> str:
        project = f"project {self.project_id}" if self.project_id else "the project of the API secret"
        return f"{project} at {self.host}"

    def moved_by(self, current: Home) -> list[str]:
        """The settings whose change moves a pipeline from this home to `current` ([] when it stays).

        A project is compared only when both are known: an API secret does not say its project.
        """
        moved = []
        if self.project_id and current.project_id and self.project_id != current.project_id:
            moved.append("projectId")
        if self.api_url != current.api_url:
            moved.append("endpoint" if self.endpoint or current.endpoint else "region")
        return moved

    def updated_with(self, current: Home) -> Home:
        """This home once `current` (which does not move it) reached it: a project id learnt is kept."""
        return Home(self.project_id or current.project_id, current.region, current.endpoint)


def home_of_settings(values: Mapping[str, Any], environ: Optional[Mapping[str, str]] = None) -> Home:
    """The home that provider settings by name reach (the environment filling the gaps)."""
    return Home.of(ProviderSettings.from_sources(values, environ))


__all__ = ["Home", "home_of_settings"]
