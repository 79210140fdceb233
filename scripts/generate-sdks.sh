#!/usr/bin/env bash
# Regenerate what is generated from the input models: the plugin's schema
# (provider/pulumi_mixpanel/plugin/schema.json) and the Node.js SDK (sdk/nodejs).
# Tests fail when either is stale. Needs .venv (./scripts/test.sh makes it) and the
# SDK generator that scripts/install-pulumi-cli.sh builds.
set -euo pipefail
cd "$(dirname "$0")/.."
python=${PYTHON:-.venv/bin/python}
echo "==> schema.json from the models" >&2
"$python" -m pulumi_mixpanel.plugin.schema > provider/pulumi_mixpanel/plugin/schema.json.new
mv provider/pulumi_mixpanel/plugin/schema.json.new provider/pulumi_mixpanel/plugin/schema.json
echo "==> sdk/nodejs from schema.json" >&2
bin_dir=$(scripts/install-pulumi-cli.sh --print-bin-dir)
"$bin_dir/pulumi-gen-nodejs-sdk" --schema provider/pulumi_mixpanel/plugin/schema.json --out sdk/nodejs
