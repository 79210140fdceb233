"""What the real Pulumi CLI needs to run this checkout's programs as a user's install runs them."""

from __future__ import annotations

# A Python program on the dynamic resource needs no provider plugin: a wheel of pulumi-mixpanel
# says so to the Python language host (its pulumi-plugin.json, `resource: false`). The editable
# install's is not where the old host built here looks, so the engine would start the checkout's
# plugin from PATH for nothing, and warn. scripts/demo.sh sets the same.
DYNAMIC_PROGRAM_ENV = {"PULUMI_IGNORE_AMBIENT_PLUGINS": "true"}
