"""The `mixpanel` provider's own settings: checked, compared and applied, on plain values by
setting name (`projectId`, `serviceAccountSecret`, ...). One process serves one provider
instance: the default provider, or each explicit `mixpanel.Provider`."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Optional

from pulumi_mixpanel.core.errors import Problem, SettingsError
from pulumi_mixpanel.core.home import home_of_settings
from pulumi_mixpanel.core.lifecycle import PipelineLifecycle
from pulumi_mixpanel.core.logs import enable_logging_from_environment
from pulumi_mixpanel.core.settings import ProviderSettings

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
    """A new credential, timeout or CA bundle reaches the same pipelines: an update of the provider,
    in effect in the same run. A new home replaces the provider, and its pipelines with it."""
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


class ProviderConfiguration:
    def __init__(self, lifecycle_factory: Optional[Callable[[ProviderSettings], PipelineLifecycle]] = None) -> None:
        self._lifecycle_factory = lifecycle_factory or (
            lambda settings: PipelineLifecycle(settings, pool_size=HTTP_POOL_SIZE, how_to_move=HOW_TO_MOVE)
        )
        self._lifecycle: Optional[PipelineLifecycle] = None

    @property
    def lifecycle(self) -> PipelineLifecycle:
        if self._lifecycle is None:
            raise SettingsError("the Mixpanel provider was not configured")
        return self._lifecycle

    @property
    def configured(self) -> bool:
        return self._lifecycle is not None

    def check(self, values: dict[str, Any]) -> list[Problem]:
        return list(ProviderSettings.from_sources(values).problems)

    def change(self, old: dict[str, Any], new: dict[str, Any]) -> SettingsChange:
        return settings_change(old, new)

    def configure(self, values: dict[str, Any]) -> None:
        enable_logging_from_environment()
        settings = ProviderSettings.from_sources(values)
        if settings.problems:
            raise SettingsError("the Mixpanel provider settings cannot work:", settings.problems)
        # Each pipeline type's validator is built at its first check (5-10 ms each): building all
        # eight here would put them all on the start of every `pulumi preview`.
        self._lifecycle = self._lifecycle_factory(settings)


__all__ = ["HOME_SETTINGS", "HOW_TO_MOVE", "ProviderConfiguration", "SettingsChange", "settings_change"]
