"""Opt-in logs: MIXPANEL_LOG_LEVEL=DEBUG|INFO|WARNING sends this package's and urllib3's logs to
stderr, which Pulumi shows with `pulumi up -v=9 --logtostderr`. Secrets are never logged."""

from __future__ import annotations

import logging
import os
import sys


def enable_logging_from_environment() -> None:
    level = os.environ.get("MIXPANEL_LOG_LEVEL", "").upper()
    if level not in ("DEBUG", "INFO", "WARNING"):
        return
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("%(asctime)s %(name)s %(levelname)s %(message)s"))
    for name in ("pulumi_mixpanel", "urllib3"):
        named = logging.getLogger(name)
        named.setLevel(level)
        if not named.handlers:
            named.addHandler(handler)
