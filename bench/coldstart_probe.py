"""`python -m bench.coldstart_probe` (JSON on stdin: provider, inputs, config): what a provider
server does before it can answer its first Check, step by step, timed in one fresh
interpreter. Prints a JSON object of seconds per step.

Steps, as in pulumi/dynamic/__main__.py:
  sdk_imports   the modules the server imports before it listens (pulumi.dynamic, dill, grpc...)
  unpickle      dill.loads of `__provider`: imports the provider's module and everything it imports
  configure     provider.configure(ConfigureRequest(...)) with the stack config
  first_check   provider.check({}, inputs)
"""

from __future__ import annotations

import time

_started = time.perf_counter()

import asyncio  # noqa: E402,F401
import base64  # noqa: E402
import json  # noqa: E402
import sys  # noqa: E402
from concurrent import futures  # noqa: E402,F401

import dill  # noqa: E402
import grpc  # noqa: E402,F401
from google.protobuf import empty_pb2  # noqa: E402,F401
from pulumi.dynamic import Config, ConfigureRequest  # noqa: E402
from pulumi.runtime import configure, proto, rpc  # noqa: E402,F401
from pulumi.runtime._serialization import _deserialize  # noqa: E402
from pulumi.runtime.proto import provider_pb2_grpc  # noqa: E402,F401


def main() -> None:
    sdk_imports = time.perf_counter() - _started
    request = json.loads(sys.stdin.read())
    t0 = time.perf_counter()
    provider = _deserialize(lambda: dill.loads(base64.b64decode(request["provider"])))
    t1 = time.perf_counter()
    provider.configure(ConfigureRequest(config=Config(raw_config=request["config"], project_name="project")))
    t2 = time.perf_counter()
    result = provider.check({}, request["inputs"])
    t3 = time.perf_counter()
    assert not result.failures, result.failures
    print(json.dumps({"sdk_imports": sdk_imports, "unpickle": t1 - t0, "configure": t2 - t1, "first_check": t3 - t2}))


if __name__ == "__main__":
    main()
