"""The dynamic provider's cold-start floor, a measuring instrument: a dynamic provider that does
only what the contract requires of the dynamic resource's first Check, and nothing of its own.
Its check validates the inputs with a pydantic model (the contract's validation library) of
two fields, built at that check as the real models are; nothing else is imported.

Over the no-op provider it is what pydantic alone costs at start; the real provider over it is
what the provider's own models, rules and lifecycle add.
"""

from __future__ import annotations

from typing import Any, Optional

import pulumi
import pulumi.dynamic
from pulumi.dynamic import CheckResult, CreateResult, ResourceProvider


class PydanticFloorProvider(ResourceProvider):
    serialize_as_secret_always = False

    def check(self, olds: dict[str, Any], news: dict[str, Any]) -> CheckResult:
        from pydantic import BaseModel, ConfigDict, Field

        class Inputs(BaseModel):
            model_config = ConfigDict(extra="ignore", defer_build=True)
            value: int = Field(default=1, ge=0)
            name: Optional[str] = None

        Inputs.model_validate(news)
        return CheckResult(news, [])

    def create(self, props: dict[str, Any]) -> CreateResult:
        return CreateResult("floor", props)


class FloorResource(pulumi.dynamic.Resource, module="bench", name="Floor"):
    def __init__(self, resource_name: str, value: Any = 1, opts: Optional[pulumi.ResourceOptions] = None) -> None:
        super().__init__(PydanticFloorProvider(), resource_name, {"value": value}, opts)
