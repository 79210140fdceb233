"""The dynamic front end: `MixpanelPipeline` and the dynamic `ResourceProvider` behind it."""

import gc
import sys


def in_provider_process() -> bool:
    """Whether this is the SDK's dynamic provider server (`python -m pulumi.dynamic`), not a program."""
    spec = getattr(sys.modules.get("__main__"), "__spec__", None)
    return spec is not None and spec.name == "pulumi.dynamic.__main__"


# The provider process gets here from its first call, having imported the SDK, gRPC and protobuf.
# Frozen, those objects are skipped by the garbage collections that importing the core and
# pydantic sets off (about 10 ms of the cold start to the first Check; docs/benchmarks.md).
if in_provider_process():
    gc.freeze()
