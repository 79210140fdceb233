"""The baseline for the cold-start figure: a dynamic provider that does nothing.

It lives in an importable module so that, like MixpanelProvider, it is pickled *by
reference* into `__provider`; the provider server then imports this module (and nothing
else beyond the SDK) when it deserializes it.
"""

from __future__ import annotations

from typing import Any, Optional

import pulumi
import pulumi.dynamic
from pulumi.dynamic import CheckResult, CreateResult, ResourceProvider


class NoopProvider(ResourceProvider):
    serialize_as_secret_always = False

    def check(self, olds: dict[str, Any], news: dict[str, Any]) -> CheckResult:
        return CheckResult(news, [])

    def create(self, props: dict[str, Any]) -> CreateResult:
        return CreateResult("noop", props)


class NoopResource(pulumi.dynamic.Resource, module="bench", name="Noop"):
    def __init__(self, resource_name: str, value: Any = 1, opts: Optional[pulumi.ResourceOptions] = None) -> None:
        super().__init__(NoopProvider(), resource_name, {"value": value}, opts)
