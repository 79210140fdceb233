#!/usr/bin/env bash
# Build the provider plugin archive the Pulumi CLI installs:
#   scripts/build-plugin-archive.sh WHEEL OUT_DIR
# WHEEL is the pulumi-mixpanel wheel built from this checkout; its file name gives the version.
# Writes OUT_DIR/pulumi-resource-mixpanel-v<VERSION>-linux-amd64.tar.gz and prints its path as
# the last line on stdout (progress goes to stderr). tools/plugin-archive/README.md says what the
# archive holds. Needs, on a linux x86_64 machine, python3.10 to python3.13 (on PATH or in pyenv):
# each one resolves its own dependencies (pip evaluates markers on the interpreter it runs on),
# compiles its bytecode and starts the staged plugin once. Uses PyPI through pip, nothing else.
set -euo pipefail
cd "$(dirname "$0")/.."
tools=$PWD/tools/plugin-archive

PYTHON_VERSIONS=(3.10 3.11 3.12 3.13)
# One pip for every interpreter (theirs differ), from PyPI; PIP_* settings of the machine apply.
PIP_VERSION=26.3
PLATFORM=manylinux2014_x86_64
# Fixed archive timestamps: SOURCE_DATE_EPOCH when the caller sets one, else 1980-01-01.
EPOCH=${SOURCE_DATE_EPOCH:-315532800}

log() { echo "[build-plugin-archive] $*" >&2; }
die() { log "error: $*"; exit 1; }

[ $# -eq 2 ] || die "usage: $0 WHEEL OUT_DIR"
wheel=$(realpath -- "$1")
out_dir=$2
[ -f "$wheel" ] || die "no wheel at $1"
# pulumi_mixpanel-<version>-<python tag>-<abi tag>-<platform tag>.whl (PEP 427: no '-' in a field)
IFS=- read -r dist version _ <<<"$(basename "$wheel" .whl)"
if [ "$dist" != pulumi_mixpanel ] || [ -z "$version" ]; then die "$1 is not a pulumi-mixpanel wheel"; fi
[ "$(uname -sm)" = "Linux x86_64" ] || die "builds the linux-amd64 archive on linux x86_64 only (markers are evaluated on this machine)"
archive_name=pulumi-resource-mixpanel-v$version-linux-amd64.tar.gz

find_python() {
  local version=$1 pyenv_bin candidate
  # A pyenv shim is on PATH even when that version is not selected: check that it runs.
  if "python$version" -c pass >/dev/null 2>&1; then
    "python$version" -c 'import sys; print(sys.executable)'
    return
  fi
  pyenv_bin=$(command -v pyenv || echo "$HOME/.pyenv/bin/pyenv")
  if [ -x "$pyenv_bin" ]; then
    for candidate in $("$pyenv_bin" versions --bare 2>/dev/null | grep -E "^$version\.[0-9]+$" | sort -t. -k3 -n -r); do
      echo "$("$pyenv_bin" root)/versions/$candidate/bin/python$version"
      return
    done
  fi
  die "no Python $version found (on PATH as python$version, or in pyenv); the archive carries 3.10 to 3.13"
}
declare -A python_for
for v in "${PYTHON_VERSIONS[@]}"; do
  python_for[$v]=$(find_python "$v")
done
first_python=${python_for[${PYTHON_VERSIONS[0]}]}

work=$(mktemp -d "${TMPDIR:-/tmp}/plugin-archive.XXXXXX")
partial=
trap 'rm -rf "$work" ${partial:+"$partial"}' EXIT
started=$SECONDS

log "pip $PIP_VERSION from PyPI"
"$first_python" -m pip download --quiet --disable-pip-version-check --no-deps --only-binary=:all: \
  "pip==$PIP_VERSION" -d "$work/pip-wheel" >&2
"$first_python" -m zipfile -e "$work"/pip-wheel/pip-*.whl "$work/pip"

for v in "${PYTHON_VERSIONS[@]}"; do
  log "Python $v ($("${python_for[$v]}" -c 'import sys; print(sys.version.split()[0])')): dependencies for $PLATFORM"
  PYTHONPATH=$work/pip "${python_for[$v]}" -m pip install --quiet --no-input --disable-pip-version-check \
    --root-user-action=ignore --no-warn-conflicts --no-warn-script-location --no-compile \
    --target "$work/site/$v" --only-binary=:all: --platform "$PLATFORM" \
    --python-version "$v" --implementation cp --abi "cp${v/./}" "$wheel" >&2
done

stage=$work/stage
mkdir -p "$stage/lib"
"$first_python" "$tools/stage.py" clean "${PYTHON_VERSIONS[@]/#/$work/site/}"
split_args=()
for v in "${PYTHON_VERSIONS[@]}"; do split_args+=("$v=$work/site/$v"); done
"$first_python" "$tools/stage.py" split "$stage/lib" "${split_args[@]}"
for v in "${PYTHON_VERSIONS[@]}"; do
  # -B: importing the staged `packaging` must not leave timestamp-based .pyc files behind.
  "${python_for[$v]}" -I -B "$tools/stage.py" check "$stage/lib" "$v" "$version"
done

# Bytecode, so that no start compiles or writes into the plugin's folder: every interpreter
# compiles the shared packages (each writes its own cpython-3X.pyc) and its own.
# - unchecked-hash: the CLI's extraction does not keep mtimes; installed files never change.
# - PYTHONHASHSEED fixes the order of set constants (3.10 marshals them unsorted): hence -s, not
#   -I, which would ignore it. One process (no -j): 3.10 marks a string as shared by its
#   refcount, which depends on what the same worker compiled before. So builds are identical.
# - Not debugpy: pulumi depends on it for debugging programs, the plugin never imports it, and
#   its bytecode would be a quarter of the extracted size (6 MB of the archive).
for v in "${PYTHON_VERSIONS[@]}"; do
  log "Python $v: bytecode"
  for dir in common "python$v"; do
    PYTHONHASHSEED=0 PYTHONPATH='' "${python_for[$v]}" -s -m compileall -f -q \
      --invalidation-mode unchecked-hash -x '/lib/common/debugpy/' -d "lib/$dir" "$stage/lib/$dir" \
      >"$work/compile.log" 2>&1 ||
      die "Python $v could not compile lib/$dir: $(grep -m 3 -E 'Error|\*\*\*' "$work/compile.log" || tail -n 3 "$work/compile.log")"
  done
done

cp "$tools/pulumi-resource-mixpanel" "$stage/pulumi-resource-mixpanel"
cp "$tools/start.py" "$stage/lib/start.py"
cp "$tools/README.md" "$stage/README.md"
# Read-only for group and others, executable only where it needs to be.
chmod -R u=rwX,go=rX "$stage"
chmod 0755 "$stage/pulumi-resource-mixpanel"

for v in "${PYTHON_VERSIONS[@]}"; do
  "$first_python" "$tools/stage.py" smoke "$stage" "${python_for[$v]}"
done

log "archive"
mkdir -p "$out_dir"
out_dir=$(realpath -- "$out_dir")
partial=$(mktemp "$out_dir/.$archive_name.XXXXXX")
tar -C "$stage" --sort=name --format=gnu --mtime="@$EPOCH" --owner=0 --group=0 --numeric-owner \
  -cf - README.md lib pulumi-resource-mixpanel | gzip -n -9 >"$partial"
chmod 0644 "$partial"
mv -f "$partial" "$out_dir/$archive_name"
log "$archive_name: $(du -h --apparent-size "$out_dir/$archive_name" | cut -f1) compressed, $(du -sh --apparent-size "$stage" | cut -f1) extracted, $((SECONDS - started)) s"
echo "$out_dir/$archive_name"
