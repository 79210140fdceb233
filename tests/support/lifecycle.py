"""Glue for lifecycle tests: inputs from the real resource class, fed to the provider server."""

from __future__ import annotations

import datetime as dt
from typing import Any

from pulumi_mixpanel import MixpanelPipeline
from pulumi_mixpanel.destinations import PipelineArgs
from support.program import resource_inputs

SECRET_SIGNATURE = "4dabf18193072939515e22adb298388d"
TODAY = dt.date.today()
RECENT = (TODAY - dt.timedelta(days=7)).isoformat()
UNKNOWN_MARKER = "04da6b54-80e4-46f7-96ec-b56ff0331ba9"


def engine_view(value: Any) -> Any:
    """What the engine hands a provider that does not accept secrets: plain values."""
    if isinstance(value, dict):
        if value.get(SECRET_SIGNATURE) is not None and "value" in value:
            return engine_view(value["value"])
        return {k: engine_view(v) for k, v in value.items()}
    if isinstance(value, list):
        return [engine_view(v) for v in value]
    return value


def program_inputs(args: PipelineArgs, name: str = "pipeline") -> dict[str, Any]:
    """The inputs, with `__provider`, that MixpanelPipeline(name, args) registers."""
    inputs = resource_inputs(lambda: MixpanelPipeline(name, args), name)
    return engine_view(inputs)


SECRET_SETTINGS = frozenset({"mixpanel:serviceAccountSecret", "mixpanel:apiSecret"})


def emulator_config(base_url: str, secret: str = "emulator-secret") -> dict[str, str]:
    """Provider settings for an emulator's service account `emulator`, project 1."""
    return {
        "mixpanel:endpoint": base_url,
        "mixpanel:serviceAccountUsername": "emulator",
        "mixpanel:serviceAccountSecret": secret,
        "mixpanel:projectId": "1",
    }
