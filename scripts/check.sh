#!/usr/bin/env bash
# The habits CI checks before the tests: lint, formatting and the type check of the package
# (strict on the core). Sets up .venv as ./scripts/test.sh does.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib/bootstrap.sh
bootstrap_environment "test,examples"
echo "==> ruff check" >&2
.venv/bin/ruff check .
echo "==> ruff format --check" >&2
.venv/bin/ruff format --check .
echo "==> mypy" >&2
.venv/bin/mypy
