"""The two ways to authenticate to Mixpanel; their reprs never show the secret."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Union

from pulumi_mixpanel.core.redaction import REDACTED, basic_auth_forms, secret_forms


@dataclass(frozen=True, repr=False)
class ServiceAccount:
    """Service-account auth: Basic username:secret, and `project_id` on every call."""

    username: str
    secret: str
    project_id: str

    def __repr__(self) -> str:
        return f"ServiceAccount(username={self.username!r}, secret={REDACTED}, project_id={self.project_id!r})"

    @property
    def basic_auth(self) -> tuple[str, str]:
        return (self.username, self.secret)

    def secret_forms(self) -> set[str]:
        return secret_forms(self.secret) | basic_auth_forms(*self.basic_auth)


@dataclass(frozen=True, repr=False)
class ProjectSecret:
    """Classic auth: the project's API secret as the Basic username, empty password."""

    api_secret: str

    def __repr__(self) -> str:
        return f"ProjectSecret(api_secret={REDACTED})"

    @property
    def basic_auth(self) -> tuple[str, str]:
        return (self.api_secret, "")

    def secret_forms(self) -> set[str]:
        return secret_forms(self.api_secret) | basic_auth_forms(*self.basic_auth)


Credentials = Union[ServiceAccount, ProjectSecret]
