"""`mixpanel-adopt`: list a Mixpanel project's pipelines and write what adopts them with Pulumi.

    mixpanel-adopt --format pulumi-import > import.json && pulumi import --file import.json
    mixpanel-adopt --format python > adopted.py

Credentials come from the environment (MIXPANEL_SERVICE_ACCOUNT_USERNAME, _SECRET and
MIXPANEL_PROJECT_ID, or MIXPANEL_API_SECRET), as the provider reads them; the flags override the
other settings. Exit status: 0, or 1 with one line on stderr when Mixpanel cannot be asked.
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from typing import NoReturn, Optional

from pulumi_mixpanel.adopt.formats import FORMATS, render


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:  # one line, not the usage block
        self.exit(2, f"{self.prog}: error: {message}\n")


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="mixpanel-adopt", description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument(
        "--format",
        choices=FORMATS,
        default="pulumi-import",
        help="what to write on stdout (default pulumi-import: a file for `pulumi import --file`)",
    )
    parser.add_argument(
        "--provider-urn",
        metavar="URN",
        help="pulumi-import: the explicit mixpanel provider the resources use (its URN)",
    )
    parser.add_argument("--region", help="us, eu or in (default MIXPANEL_REGION, else us)")
    parser.add_argument("--endpoint", help="a base URL instead of the region's (default MIXPANEL_ENDPOINT)")
    parser.add_argument("--project-id", help="the project (default MIXPANEL_PROJECT_ID)")
    parser.add_argument(
        "--ca-bundle", metavar="PEM", help="certificate authorities to trust (default MIXPANEL_CA_BUNDLE)"
    )
    return parser


def main(argv: Optional[list[str]] = None) -> int:
    args = build_parser().parse_args(argv)
    if args.provider_urn and args.format != "pulumi-import":
        build_parser().error("--provider-urn goes with --format pulumi-import")
    from pulumi_mixpanel.adopt.discovery import discover
    from pulumi_mixpanel.core.errors import MixpanelError, SettingsError
    from pulumi_mixpanel.core.lifecycle import PipelineLifecycle
    from pulumi_mixpanel.core.settings import ProviderSettings

    overrides = {
        "region": args.region,
        "endpoint": args.endpoint,
        "projectId": args.project_id,
        "caBundle": args.ca_bundle,
    }
    settings = ProviderSettings.from_sources({k: v for k, v in overrides.items() if v is not None})
    try:
        settings.require_usable()
        discovery = discover(PipelineLifecycle(settings), dt.datetime.now(dt.timezone.utc).date())
    except (MixpanelError, SettingsError) as error:
        print(f"mixpanel-adopt: {' '.join(str(error).split())}", file=sys.stderr)
        return 1
    project = getattr(settings.credentials, "project_id", "")
    sys.stdout.write(render(discovery, args.format, provider_urn=args.provider_urn, project=project))
    for name in discovery.skipped:
        print(
            f"mixpanel-adopt: skipped {name}: not a name Mixpanel gives a pipeline, so its type is unknown",
            file=sys.stderr,
        )
    if not discovery.found:
        print("mixpanel-adopt: the project has no pipelines to adopt", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
