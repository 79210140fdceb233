"""Pulumi's secret envelope, as the SDK defines it (never retyped)."""

from __future__ import annotations

from typing import Any

from pulumi.runtime.rpc import UNKNOWN
from pulumi.runtime.rpc import _special_secret_sig as SECRET_SIGNATURE
from pulumi.runtime.rpc import _special_sig_key as SIGNATURE_KEY

__all__ = ["SECRET_SIGNATURE", "SIGNATURE_KEY", "UNKNOWN", "is_secret_envelope", "reveal", "secret"]


def secret(value: Any) -> dict[str, Any]:
    return {SIGNATURE_KEY: SECRET_SIGNATURE, "value": value}


def is_secret_envelope(value: Any) -> bool:
    return isinstance(value, dict) and value.get(SIGNATURE_KEY) == SECRET_SIGNATURE


def reveal(value: Any) -> Any:
    """The plain value, with every secret envelope replaced by what it holds."""
    if is_secret_envelope(value):
        return reveal(value.get("value"))
    if isinstance(value, dict):
        return {k: reveal(v) for k, v in value.items()}
    if isinstance(value, list):
        return [reveal(v) for v in value]
    return value
