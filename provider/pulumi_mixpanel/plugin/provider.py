"""The `mixpanel` provider plugin: the Pulumi SDK's provider API for the provider itself (its
schema and settings), and the resource operations (`resources.py`) on the core it configures.

One process serves one provider instance (the default provider, or each explicit
`mixpanel.Provider`).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Optional

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
from pulumi_mixpanel.core.lifecycle import PipelineLifecycle
from pulumi_mixpanel.core.logs import enable_logging_from_environment
from pulumi_mixpanel.core.models import build_validators
from pulumi_mixpanel.core.settings import ProviderSettings
from pulumi_mixpanel.plugin.properties import settings_values
from pulumi_mixpanel.plugin.resources import PipelineResources
from pulumi_mixpanel.plugin.schema import checked_in_schema

HTTP_POOL_SIZE = 64


class MixpanelPluginProvider(Provider):
    def __init__(self, lifecycle_factory: Optional[Callable[[ProviderSettings], PipelineLifecycle]] = None) -> None:
        self._lifecycle_factory = lifecycle_factory or (
            lambda settings: PipelineLifecycle(settings, pool_size=HTTP_POOL_SIZE)
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
        # A new credential or endpoint reaches the same pipelines: never a replacement.
        old, new = settings_values(request.old_state), settings_values(request.new_inputs)
        changed = sorted(key for key in set(old) | set(new) if old.get(key) != new.get(key) and key != "version")
        return DiffResponse(changes=bool(changed), diffs=changed)

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


__all__ = ["MixpanelPluginProvider"]
