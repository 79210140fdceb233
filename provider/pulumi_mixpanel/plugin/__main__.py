"""`pulumi-resource-mixpanel`: the plugin the Pulumi CLI starts for the `mixpanel` package."""

from __future__ import annotations

import sys


def main() -> None:
    # Imported here so that `--help` and a bad start fail fast and plainly.
    from pulumi_mixpanel import __version__
    from pulumi_mixpanel.plugin.configuration import ProviderConfiguration
    from pulumi_mixpanel.plugin.wire import serve

    serve(ProviderConfiguration(), __version__, sys.argv[1:])


if __name__ == "__main__":
    main()
