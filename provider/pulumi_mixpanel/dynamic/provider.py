"""The dynamic provider: Pulumi's check/diff/create/read/update/delete, handed to the core.

An instance is pickled (by reference to this class) into every resource's state, so it carries
no attributes of its own until `configure` runs in the provider process. There it reads the
settings from stack config and builds the shared `PipelineLifecycle`. The SDK's provider
server calls these methods from up to four threads at once.
"""

from __future__ import annotations

import datetime as dt
import gc
import time
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, Optional

import pulumi
from pulumi.dynamic import (
    CheckFailure,
    CheckResult,
    ConfigureRequest,
    CreateResult,
    DiffResult,
    ReadResult,
    ResourceProvider,
    UpdateResult,
)

from pulumi_mixpanel.core.lifecycle import PipelineLifecycle, utc_now
from pulumi_mixpanel.core.logs import enable_logging_from_environment
from pulumi_mixpanel.core.models import register_deferred_types
from pulumi_mixpanel.core.settings import SETTING_NAMES, SETTINGS, ProviderSettings
from pulumi_mixpanel.core.state import OUTPUT_FIELDS, PipelineState
from pulumi_mixpanel.dynamic import diagnostics, in_provider_process

if TYPE_CHECKING:
    from pulumi_mixpanel.core.client import MixpanelClient

PROVIDER_KEY = "__provider"
CONFIG_PREFIX = "mixpanel:"
HOW_TO_MOVE = (
    "A Python MixpanelPipeline reaches the one home its stack's `mixpanel:*` config names. To move it on purpose: "
    "with the old settings, remove it from the program and run `pulumi up` (which cancels it), then set the new "
    "settings and add it back. To leave it running where it is and stop managing it: `pulumi state delete <urn>`."
)
_frozen_at_configure = False
# Outputs of a program (Output) and unknowns of a preview (Unknown) are values not known yet.
register_deferred_types(pulumi.Output, pulumi.output.Unknown)


class MixpanelProvider(ResourceProvider):
    # The pickled provider holds no secret (settings are read in the provider process),
    # so it need not be encrypted in state.
    serialize_as_secret_always = False

    # --- set-up (provider process only) ---------------------------------------------------

    def configure(self, req: ConfigureRequest) -> None:
        # The provider process has now imported all it keeps (pydantic, the models): frozen,
        # those objects are skipped by every later garbage collection, which otherwise traverse
        # them all while the first check builds its type's validator (about 20 ms).
        # Once per process: each freeze would keep the cyclic garbage of its moment for good.
        global _frozen_at_configure
        if in_provider_process() and not _frozen_at_configure:
            _frozen_at_configure = True
            gc.freeze()
        enable_logging_from_environment()
        values = {name: req.config.get(CONFIG_PREFIX + name) for name in SETTING_NAMES}
        self.configure_from(ProviderSettings.from_sources(values))

    def configure_from(
        self,
        settings: ProviderSettings,
        *,
        clock: Callable[[], dt.datetime] = utc_now,
        sleep: Callable[[float], None] = time.sleep,
        monotonic: Callable[[], float] = time.monotonic,
        client_factory: Optional[Callable[[ProviderSettings], MixpanelClient]] = None,
    ) -> MixpanelProvider:
        # The SDK's server runs at most four operations at once.
        # The SDK's dynamic provider server cannot record a partial create or update (only the
        # protocol's own providers can): an update that fails part-way takes back what landed.
        self._lifecycle = PipelineLifecycle(
            settings,
            clock=clock,
            sleep=sleep,
            monotonic=monotonic,
            client_factory=client_factory,
            pool_size=4,
            how_to_move=HOW_TO_MOVE,
            records_partial_results=False,
        )
        return self

    @property
    def lifecycle(self) -> PipelineLifecycle:
        return self._lifecycle

    # --- check / diff: no API calls ------------------------------------------------------

    def check(self, olds: dict[str, Any], news: dict[str, Any]) -> CheckResult:
        outcome = self._lifecycle.check(olds, news)
        failures = [CheckFailure(p.property, p.reason) for p in _settings_problems(self._lifecycle.settings)]
        failures += [CheckFailure(p.property, p.reason) for p in outcome.problems]
        return CheckResult(outcome.inputs, failures)

    def diff(self, id_: str, olds: dict[str, Any], news: dict[str, Any]) -> DiffResult:
        plan = self._lifecycle.diff(PipelineState.from_values(olds, id_), news)
        return DiffResult(
            changes=plan.has_changes,
            replaces=plan.replaces,
            stables=list(OUTPUT_FIELDS) if not plan.replaces else [],
            delete_before_replace=plan.delete_before_replace,
        )

    # --- create, read, update, delete ------------------------------------------------------

    def create(self, props: dict[str, Any]) -> CreateResult:
        state = self._lifecycle.create(props)
        return CreateResult(state.resource_id, state.values())

    def read(self, id_: str, props: dict[str, Any]) -> ReadResult:
        state = self._lifecycle.read(id_, PipelineState.from_values(props, id_))
        if state is None:
            return ReadResult("", {})  # an empty id tells the engine the resource is gone
        warning = self._lifecycle.health_warning(state)
        if warning:
            diagnostics.warn(warning)
        return ReadResult(state.resource_id, state.values())

    def update(self, id_: str, olds: dict[str, Any], news: dict[str, Any]) -> UpdateResult:
        # Never the SDK's default update: it would wipe the outputs.
        return UpdateResult(self._lifecycle.update(id_, PipelineState.from_values(olds, id_), news).values())

    def delete(self, id_: str, props: dict[str, Any]) -> None:
        self._lifecycle.delete(id_, PipelineState.from_values(props, id_))


def _settings_problems(settings: ProviderSettings) -> list:
    """Settings that cannot work, named as stack config keys, with where else they come from."""
    environment = {setting.name: setting.environment for setting in SETTINGS}
    return [
        type(problem)(
            CONFIG_PREFIX + problem.property,
            f"{problem.reason} (stack config {CONFIG_PREFIX}{problem.property}, or {environment[problem.property]})",
        )
        for problem in settings.problems
    ]
