"""The baseline for the plugin's cold-start figure: a provider plugin that does nothing, on the
same SDK provider API, served by the SDK's own `server.main`."""

from __future__ import annotations

import sys

from pulumi.provider.experimental.provider import CheckRequest, CheckResponse, Provider
from pulumi.provider.experimental.server import main


class NoopPlugin(Provider):
    async def check(self, request: CheckRequest) -> CheckResponse:
        return CheckResponse(inputs=request.new_inputs)


if __name__ == "__main__":
    main(sys.argv[1:], "0.0.1", NoopPlugin())
