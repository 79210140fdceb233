"""Warnings from the dynamic provider, shown by the CLI among the engine's diagnostics.

The SDK's dynamic provider server gives a provider no way to talk to the engine. The engine
starts that server with its own address as the first argument, so the provider sends its
warnings there itself, with the engine's public protocol (`Engine.Log`).
"""

from __future__ import annotations

import logging
import re
import sys
import threading
from typing import Optional

import grpc
from pulumi.runtime.proto import engine_pb2, engine_pb2_grpc

logger = logging.getLogger(__name__)
_ADDRESS = re.compile(r"[\w.\-\[\]:]+:\d+")
_said: set[str] = set()
_lock = threading.Lock()


def engine_address(arguments: Optional[list[str]] = None) -> Optional[str]:
    """The engine's address among the provider server's arguments."""
    return next((argument for argument in (arguments or sys.argv)[1:] if _ADDRESS.fullmatch(argument)), None)


def warn(message: str) -> None:
    """Show `message` as a warning of this deployment, once per provider process."""
    with _lock:
        if message in _said:
            return
        _said.add(message)
    address = engine_address()
    if address is None:
        logger.warning("%s", message)
        return
    try:
        with grpc.insecure_channel(address) as channel:
            engine_pb2_grpc.EngineStub(channel).Log(
                engine_pb2.LogRequest(severity=engine_pb2.WARNING, message=message), timeout=10
            )
    except grpc.RpcError as error:
        # A diagnostic that cannot be shown must not fail the refresh.
        logger.warning("%s (not shown by the engine: %s)", message, error.code())


__all__ = ["engine_address", "warn"]
