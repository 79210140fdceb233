"""The `mixpanel` provider plugin: the Pulumi SDK's provider API for the provider itself (its
schema and settings), and the resource operations (`resources.py`) on the core it configures.

One process serves one provider instance (the default provider, or each explicit
`mixpanel.Provider`).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Optional

from pulumi.provider.experimental.provider import (
    CheckFailure,
    CheckRequest,
    CheckResponse,
    ConfigureRequest,
    ConfigureResponse,
    DiffRequest,
    DiffResponse,
    GetSchemaRequest,
    GetSchemaResponse,
    Provider,
)

from pulumi_mixpanel.core.errors import SettingsError
from pulumi_mixpanel.core.home import home_of_settings
from pulumi_mixpanel.core.lifecycle import PipelineLifecycle
from pulumi_mixpanel.core.logs import enable_logging_from_environment
from pulumi_mixpanel.core.models import build_validators
from pulumi_mixpanel.core.settings import ProviderSettings
from pulumi_mixpanel.plugin.properties import settings_values
from pulumi_mixpanel.plugin.resources import PipelineResources
from pulumi_mixpanel.plugin.schema import checked_in_schema

HTTP_POOL_SIZE = 64
# The settings that say where pipelines live; the others (credentials, timeouts, CA bundle) reach
# the same pipelines.
HOME_SETTINGS = ("projectId", "region", "endpoint")
HOW_TO_MOVE = (
    "A provider's pipelines move with it when its projectId, region or endpoint input changes (the default "
    "provider: the `mixpanel:*` stack config): they are created in the new home, then cancelled in the old one. "
    "A home changed through MIXPANEL_* environment variables alone is refused instead: set it as a provider "
    "input or stack config."
)


@dataclass(frozen=True)
class SettingsChange:
    """What a change of provider inputs does: the settings that changed, and those that move pipelines."""

    changed: list[str]
    replaces: list[str]
    # Said to the user when pipelines move: the engine shows a moved pipeline as replaced
    # because of its `provider`, and does not display a default provider at all.
    move: Optional[str] = None


def settings_change(old: dict[str, Any], new: dict[str, Any]) -> SettingsChange:
    changed = sorted(key for key in set(old) | set(new) if old.get(key) != new.get(key) and key != "version")
    before, after = home_of_settings(old), home_of_settings(new)
    replaces = [key for key in changed if before.moved_by(after) and key in HOME_SETTINGS]
    move = None
    if replaces:
        move = (
            f"{', '.join(replaces)} changed: this provider's pipelines move from Mixpanel {before.describe()} to "
            f"{after.describe()} (each is created in the new project, then cancelled in the old one)"
        )
    return SettingsChange(changed, replaces, move)


class MixpanelPluginProvider(Provider):
    def __init__(self, lifecycle_factory: Optional[Callable[[ProviderSettings], PipelineLifecycle]] = None) -> None:
        self._lifecycle_factory = lifecycle_factory or (
            lambda settings: PipelineLifecycle(settings, pool_size=HTTP_POOL_SIZE, how_to_move=HOW_TO_MOVE)
        )
        self._lifecycle: Optional[PipelineLifecycle] = None
        self.resources = PipelineResources(lambda: self.lifecycle)

    @property
    def lifecycle(self) -> PipelineLifecycle:
        if self._lifecycle is None:
            raise SettingsError("the Mixpanel provider was not configured")
        return self._lifecycle

    # --- the provider itself ----------------------------------------------------------------

    async def get_schema(self, request: GetSchemaRequest) -> GetSchemaResponse:
        return GetSchemaResponse(schema=checked_in_schema())

    async def check_config(self, request: CheckRequest) -> CheckResponse:
        settings = ProviderSettings.from_sources(settings_values(request.new_inputs))
        failures = [CheckFailure(problem.property, problem.reason) for problem in settings.problems]
        return CheckResponse(inputs=request.new_inputs, failures=failures)

    async def diff_config(self, request: DiffRequest) -> DiffResponse:
        # A new credential, timeout or CA bundle reaches the same pipelines: an update of the
        # provider, in effect in the same run. A new home replaces the provider and its pipelines.
        change = self.settings_change(request)
        return DiffResponse(changes=bool(change.changed), diffs=change.changed, replaces=change.replaces)

    def settings_change(self, request: DiffRequest) -> SettingsChange:
        return settings_change(settings_values(request.old_state), settings_values(request.new_inputs))

    @property
    def configured(self) -> bool:
        return self._lifecycle is not None

    async def configure(self, request: ConfigureRequest) -> ConfigureResponse:
        enable_logging_from_environment()
        settings = ProviderSettings.from_sources(settings_values(request.args))
        if settings.problems:
            raise SettingsError("the Mixpanel provider settings cannot work:", settings.problems)
        self._lifecycle = self._lifecycle_factory(settings)
        # Every pipeline type's validator now, not at the first check of each type: a program
        # mixes types, and a schema built mid-deployment stalls every operation of this process.
        build_validators()
        return ConfigureResponse(
            accept_secrets=True, supports_preview=False, accept_resources=False, accept_outputs=False
        )


__all__ = ["HOME_SETTINGS", "MixpanelPluginProvider", "SettingsChange", "settings_change"]
