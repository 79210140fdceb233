#!/usr/bin/env bash
# The whole test suite from a fresh clone: virtualenv, dependencies, the Pulumi CLI
# (built from Go modules if it is not on PATH), then pytest. Extra arguments go to pytest.
set -euo pipefail
cd "$(dirname "$0")/.."

python=${PYTHON:-python3}
if [ ! -x .venv/bin/python ]; then
  echo "==> creating .venv"
  "$python" -m venv .venv
fi
echo "==> installing pulumi-mixpanel with its test and examples extras"
# --no-compile: the cloud SDKs of the examples are ~900 MB of .py; compiling all of it costs
# minutes, while the tests import only a small part.
.venv/bin/python -m pip install --quiet --disable-pip-version-check --no-compile -e '.[test,examples]'

if [ -x scripts/install-pulumi-cli.sh ]; then
  echo "==> Pulumi CLI"
  pulumi_bin=$(scripts/install-pulumi-cli.sh --print-bin-dir)
  export PATH="$pulumi_bin:$PATH"
fi

echo "==> pytest"
exec .venv/bin/python -m pytest "$@"
