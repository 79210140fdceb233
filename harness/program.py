"""Run Pulumi program code under `pulumi.runtime.set_mocks` and capture what it registers."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pulumi


class CapturingMocks(pulumi.runtime.Mocks):
    """Records every registered resource's inputs; outputs echo the inputs."""

    def __init__(self) -> None:
        self.resources: dict[str, dict[str, Any]] = {}

    def new_resource(self, args: pulumi.runtime.MockResourceArgs):
        self.resources[args.name] = {"type": args.typ, "inputs": dict(args.inputs)}
        return f"{args.name}-id", dict(args.inputs)

    def call(self, args: pulumi.runtime.MockCallArgs):
        return {}


def run_program(build: Callable[[], Any], *, preview: bool = False) -> CapturingMocks:
    """Call build() as a Pulumi program and wait until every resource is registered."""
    mocks = CapturingMocks()
    pulumi.runtime.set_mocks(mocks, preview=preview)

    @pulumi.runtime.test
    def program():
        built = build()
        resources = built if isinstance(built, (list, tuple)) else [built]
        return pulumi.Output.all(*[r.urn for r in resources])

    program()
    return mocks


def resource_inputs(build: Callable[[], Any], name: str) -> dict[str, Any]:
    """The inputs, including `__provider`, that the real resource class sends for `name`."""
    return run_program(build).resources[name]["inputs"]
