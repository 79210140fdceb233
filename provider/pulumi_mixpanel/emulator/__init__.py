"""A local emulator of Mixpanel's Data Pipelines API (`/api/2.0/nessie/pipeline/...`).

An independent implementation of the API: it shares no code with the provider, so a
misreading of the reference on one side shows up as a failure on the other. It never imports
Pulumi, and EmulatorServer (with cheroot and werkzeug, the `emulator` extra) is imported on
first use, so the command line answers `--help` and bad flags quickly. See README.md in this
directory.
"""

from typing import TYPE_CHECKING, Any

__all__ = ["EmulatorServer"]

if TYPE_CHECKING:  # pragma: no cover - for type checkers and IDEs only
    from .server import EmulatorServer


def __getattr__(name: str) -> Any:
    if name == "EmulatorServer":
        from .server import EmulatorServer

        return EmulatorServer
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
