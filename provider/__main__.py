"""The mixpanel provider plugin, run from this folder (see PulumiPlugin.yaml)."""

from pulumi_mixpanel.plugin.__main__ import main

main()
