# Sourced by scripts/test.sh and scripts/demo.sh: a virtualenv with pulumi-mixpanel and its
# extras, and a Pulumi CLI on PATH (built from Go modules when none is installed).
# Usage: bootstrap_environment "test,examples"
bootstrap_environment() {
  local extras=$1
  local python=${PYTHON:-python3}
  if [ ! -x .venv/bin/python ]; then
    echo "==> creating .venv" >&2
    "$python" -m venv .venv
  fi
  echo "==> installing pulumi-mixpanel[$extras] into .venv" >&2
  # --no-compile: the examples' cloud SDKs are ~900 MB of .py; byte-compiling all of it takes
  # minutes while the tests import a small part.
  .venv/bin/python -m pip install --quiet --disable-pip-version-check --no-compile -e ".[$extras]"
  # Byte-compile everything but the cloud SDKs: every provider server the tests and the CLI
  # start imports pulumi, grpc and pydantic, and without .pyc files (PYTHONDONTWRITEBYTECODE is
  # common in containers) each start compiles them again (~0.6 s).
  echo "==> byte-compiling the dependencies (of the examples' cloud SDKs, only what they import)" >&2
  local site
  site=$(.venv/bin/python -c 'import sysconfig; print(sysconfig.get_paths()["purelib"])')
  .venv/bin/python -m compileall -q -j 0 -x 'site-packages/pulumi_(aws|gcp|azure_native|snowflake)/' "$site" provider \
    >/dev/null || true
  local module
  for module in pulumi_aws pulumi_aws/s3 pulumi_aws/iam pulumi_aws/glue pulumi_aws/config pulumi_gcp pulumi_gcp/storage \
      pulumi_gcp/bigquery pulumi_gcp/projects pulumi_gcp/config pulumi_azure_native pulumi_azure_native/storage \
      pulumi_azure_native/authorization pulumi_azure_native/resources pulumi_azure_native/config pulumi_snowflake \
      pulumi_snowflake/config; do
    [ -d "$site/$module" ] && .venv/bin/python -m compileall -q -j 0 -l "$site/$module" >/dev/null || true
  done
  echo "==> Pulumi CLI" >&2
  local pulumi_bin
  pulumi_bin=$(scripts/install-pulumi-cli.sh --print-bin-dir)
  export PATH="$PWD/.venv/bin:$pulumi_bin:$PATH"
  # No update checks and no plugin downloads: the only plugins used are on PATH.
  export PULUMI_SKIP_UPDATE_CHECK=1
  export PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION=true
}
