#!/usr/bin/env bash
# Build every artifact a release publishes into dist/, from this checkout:
#   pulumi_mixpanel-<V>-py3-none-any.whl, pulumi_mixpanel-<V>.tar.gz    the provider package (PyPI)
#   pulumi-resource-mixpanel-v<V>-linux-amd64.tar.gz                     the plugin archive (release assets)
#   pulumi-mixpanel-mixpanel-<V>.tgz                                      the Node.js SDK (npm pack)
#   pulumi_mixpanel_sdk-<V>-py3-none-any.whl                              the Python SDK (PyPI)
#   SHA256SUMS
# The Go SDK is the module in sdk/ (github.com/pulumi-mixpanel/pulumi-mixpanel/sdk), released by a
# tag. One version, pulumi_mixpanel.__version__, is in every name and every artifact.
#
# Run after the README's set-up (./scripts/test.sh makes .venv and the Pulumi tools). Needs only
# the package registries (PyPI, npm), python3.10 to 3.13 for the plugin archive, Node.js and npm.
# Refuses to build from generated files (schema, SDKs) that are stale. Progress goes to stderr;
# the last line on stdout is the dist/ folder.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
python=${PYTHON:-$root/.venv/bin/python}
dist=${RELEASE_DIST_DIR:-$root/dist}

log() { echo "==> $*" >&2; }
die() { echo "release: error: $*" >&2; exit 1; }

[ -x "$python" ] || die "no $python: run ./scripts/test.sh (the README's set-up) first"
version=$("$python" -c 'import pulumi_mixpanel; print(pulumi_mixpanel.__version__)')
log "pulumi-mixpanel $version"

log "checking the generated files are current (schema, SDKs)"
"$python" -m pulumi_mixpanel.plugin.schema | cmp -s - provider/pulumi_mixpanel/plugin/schema.json ||
  die "provider/pulumi_mixpanel/plugin/schema.json is stale: run ./scripts/generate-sdks.sh"
bin_dir=$(scripts/install-pulumi-cli.sh --print-bin-dir)
fresh=$(mktemp -d "${TMPDIR:-/tmp}/release-sdks.XXXXXX")
trap 'rm -rf "$fresh"' EXIT
for language in nodejs python go; do
  "$bin_dir/pulumi-gen-sdk" --language "$language" --schema provider/pulumi_mixpanel/plugin/schema.json \
    --out "$fresh/$language" 2>/dev/null
  stale=$(cd "$fresh/$language" && find . -type f -print0 | xargs -0 -I{} sh -c \
    'cmp -s "$1" "$2/$1" || echo "$1"' _ {} "$root/sdk/$language")
  [ -z "$stale" ] || die "sdk/$language is stale ($(echo "$stale" | head -n3 | tr '\n' ' ')): run ./scripts/generate-sdks.sh"
done
"$python" tools/registry-docs/generate.py --check >&2 || die "docs/ is stale: run ./scripts/generate-sdks.sh"
grep -q "^## \[$version\]" CHANGELOG.md || die "CHANGELOG.md has no section for $version"

rm -rf "$dist"
mkdir -p "$dist"

log "the provider package: wheel and sdist"
# setuptools keeps build/lib between builds, modules since removed included: start clean.
rm -rf build provider/pulumi_mixpanel.egg-info
"$python" -m build --no-isolation --wheel --sdist --outdir "$dist" . >&2
wheel="$dist/pulumi_mixpanel-$version-py3-none-any.whl"
[ -f "$wheel" ] || die "the build made no $wheel"

log "the plugin archive"
scripts/build-plugin-archive.sh "$wheel" "$dist" >/dev/null

log "the Node.js SDK"
built=$(scripts/build-nodejs-sdk.sh | tail -n1)
(cd "$dist" && npm pack "$built" --loglevel=error >/dev/null)

log "the Python SDK"
# Built from a copy: setuptools leaves build/ and *.egg-info beside the sources it builds.
cp -r sdk/python "$fresh/python-sdk-build"
# The generated pyproject names README.md beside it (PyPI's description); the generator writes it
# into the package, as Pulumi's own provider builds copy it up.
cp sdk/python/pulumi_mixpanel_sdk/README.md "$fresh/python-sdk-build/README.md"
"$python" -m build --no-isolation --wheel --outdir "$dist" "$fresh/python-sdk-build" >&2

(cd "$dist" && sha256sum -- * > SHA256SUMS)
log "dist/:"
(cd "$dist" && ls -l --block-size=K -- * | awk '{print "    " $5 "  " $9}') >&2
echo "$dist"
