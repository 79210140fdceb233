"""The Go toolchain's environment for the tests that build Go programs: its caches are shared per
user with the CLI's build (scripts/install-pulumi-cli.sh), so a Go program's first build compiles
the Pulumi SDK once for every later run."""

from __future__ import annotations

import os
from pathlib import Path

GO_CACHE = Path(os.environ.get("PULUMI_CLI_TOOLS_DIR", Path.home() / ".cache/pulumi-mixpanel/pulumi-cli")) / "go"
GO_ENV = {
    "GOMODCACHE": str(GO_CACHE / "pkg/mod"),
    "GOCACHE": str(GO_CACHE / "cache"),
    "GOFLAGS": "-modcacherw -trimpath -tags=osusergo,grpcnotrace",
    "CGO_ENABLED": "0",
    "GOTOOLCHAIN": "local",  # build with the Go here; never download another
}
