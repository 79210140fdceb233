#!/usr/bin/env bash
# The whole test suite from a fresh clone: virtualenv, dependencies, the Pulumi CLI (built
# from Go modules if it is not on PATH, cached per user), then pytest. Arguments go to pytest.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib/bootstrap.sh
bootstrap_environment "test,examples"
# Bytecode is cached (git-ignored): every provider server a test starts imports the same modules.
unset PYTHONDONTWRITEBYTECODE
echo "==> pytest" >&2
exec .venv/bin/python -m pytest "$@"
