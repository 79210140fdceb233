#!/usr/bin/env bash
# Regenerate what is generated from the input models: the plugin's schema
# (provider/pulumi_mixpanel/plugin/schema.json), the SDKs made from it: sdk/nodejs, sdk/python
# and sdk/go (the Go code in sdk/go/mixpanel, at the schema's importBasePath), and the registry
# docs (docs/reference/, the generated sections of docs/_index.md and installation-configuration.md).
# Tests fail when any of them is stale. Needs .venv (./scripts/test.sh makes it) and the
# SDK generator that scripts/install-pulumi-cli.sh builds.
#
# sdk/go.mod and sdk/go.sum (module github.com/pulumi-mixpanel/pulumi-mixpanel/sdk) are not
# generated: when the Go SDK imports something new, run `go mod tidy` in sdk/.
set -euo pipefail
cd "$(dirname "$0")/.."
python=${PYTHON:-.venv/bin/python}
schema=provider/pulumi_mixpanel/plugin/schema.json
echo "==> $schema from the models" >&2
"$python" -m pulumi_mixpanel.plugin.schema > "$schema.new"
mv "$schema.new" "$schema"
bin_dir=$(scripts/install-pulumi-cli.sh --print-bin-dir)
for language in nodejs python go; do
    echo "==> sdk/$language from $schema" >&2
    "$bin_dir/pulumi-gen-sdk" --language "$language" --schema "$schema" --out "sdk/$language"
done
echo "==> docs/ from $schema and the SDKs (the examples read the SDKs' enum names)" >&2
"$python" tools/registry-docs/generate.py
