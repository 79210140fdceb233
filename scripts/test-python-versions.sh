#!/usr/bin/env bash
# The unit tier on the lowest and the highest Python the package claims (requires-python
# >=3.10; 3.13 is the newest tested), each in its own virtualenv (.venv-3.10, .venv-3.13).
# Interpreters come from PATH (python3.10) or pyenv. Arguments go to pytest.
set -euo pipefail
cd "$(dirname "$0")/.."
find_python() {
  local version=$1 candidate
  # A pyenv shim is on PATH even when that version is not selected: check that it runs.
  if "python$version" -c pass >/dev/null 2>&1; then
    "python$version" -c 'import sys; print(sys.executable)'
    return
  fi
  if command -v pyenv >/dev/null 2>&1 || [ -x "$HOME/.pyenv/bin/pyenv" ]; then
    local pyenv_bin
    pyenv_bin=$(command -v pyenv || echo "$HOME/.pyenv/bin/pyenv")
    for candidate in $("$pyenv_bin" versions --bare 2>/dev/null | grep -E "^$version\.[0-9]+$" | sort -t. -k3 -n -r); do
      echo "$("$pyenv_bin" root)/versions/$candidate/bin/python$version"
      return
    done
  fi
  echo "no Python $version found (on PATH as python$version, or in pyenv)" >&2
  return 1
}
for version in 3.10 3.13; do
  python=$(find_python "$version")
  venv=".venv-$version"
  [ -x "$venv/bin/python" ] || "$python" -m venv "$venv"
  echo "==> unit tier on $("$venv/bin/python" --version)" >&2
  "$venv/bin/python" -m pip install --quiet --disable-pip-version-check -e ".[test]"
  PYTHONDONTWRITEBYTECODE= "$venv/bin/python" -m pytest -m unit -p no:cacheprovider "$@"
done
