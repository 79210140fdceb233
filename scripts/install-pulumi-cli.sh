#!/usr/bin/env bash
# Build the Pulumi CLI (and what it needs to run Python programs) from Go
# modules, into ~/.cache/pulumi-mixpanel/pulumi-cli/pulumi/bin. Needs only Go and the Go module proxy.
#
#   PATH="$(scripts/install-pulumi-cli.sh):$PATH"
#
# Progress goes to stderr; the last (only) line on stdout is the directory to
# put on PATH. Idempotent: a second run returns at once.
#
# Versions are pinned by the Go modules in tools/pulumi-cli/ (see its README):
#   bin/pulumi                        github.com/pulumi/pulumi/pkg/v3/cmd/pulumi    (tools/pulumi-cli/go.mod)
#   libexec/pulumi-language-python    .../sdk/v3/python/cmd/pulumi-language-python  (tools/pulumi-cli/python-langhost/go.mod)
#   bin/pulumi-language-python-exec   from the CLI's own sdk/v3 module (python/cmd/)
#   bin/pulumi-language-python        launcher scripts from tools/pulumi-cli/bin/
#   bin/pulumi-resource-pulumi-python
#
# Environment:
#   PULUMI_CLI_FORCE_BUILD=1     ignore any pulumi on PATH and rebuild
#   PULUMI_CLI_MIN_VERSION=X.Y.Z a pulumi already on PATH is used if at least this
#                                version (default: 3.272.0, the project's Python SDK)
#   PULUMI_CLI_TOOLS_DIR=DIR     put binaries and Go caches in DIR instead of
#                                ~/.cache/pulumi-mixpanel/pulumi-cli
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
TOOLS="$ROOT/tools/pulumi-cli"
# PULUMI_CLI_TOOLS_DIR: where binaries and Go caches go. The default is a per-user cache
# outside the clone, so every clone on the machine (CI clones afresh each run) shares one
# ~17-minute build instead of repeating it.
TOOLS_ROOT="${PULUMI_CLI_TOOLS_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/pulumi-mixpanel/pulumi-cli}"
PREFIX="$TOOLS_ROOT/pulumi"
BIN="$PREFIX/bin"
LIBEXEC="$PREFIX/libexec"
STAMP="$PREFIX/install.stamp"
MIN_VERSION="${PULUMI_CLI_MIN_VERSION:-3.272.0}"

case "${1:-}" in
    "" | --print-bin-dir) ;; # printing the bin dir on stdout is what this script always does
    -h | --help) sed -n '2,/^set -euo/p' "$0" | sed '$d'; exit 0 ;;
    *) echo "usage: $0 [--print-bin-dir]" >&2; exit 2 ;;
esac

export PULUMI_SKIP_UPDATE_CHECK=1

log() { printf '[install-pulumi-cli] %s\n' "$*" >&2; }
die() { log "ERROR: $*"; exit 1; }

modver() { # modver GO_MOD MODULE -> version required in that go.mod
    awk -v m="$2" '$1 == m && $2 ~ /^v/ { print $2; exit }' "$1"
}
pulumi_version() { # the CLI writes a log per command under PULUMI_HOME: keep ours in TOOLS_ROOT
    PULUMI_HOME="$PREFIX/home" "$1" version 2>/dev/null
}
version_ge() { # version_ge A B: A >= B (leading "v" ignored)
    [ "$(printf '%s\n%s\n' "${1#v}" "${2#v}" | sort -V | head -n1)" = "${2#v}" ]
}

CLI_VERSION=$(modver "$TOOLS/go.mod" github.com/pulumi/pulumi/pkg/v3)
LANGHOST_VERSION=$(modver "$TOOLS/python-langhost/go.mod" github.com/pulumi/pulumi/sdk/v3)
[ -n "$CLI_VERSION" ] || die "no github.com/pulumi/pulumi/pkg/v3 requirement in $TOOLS/go.mod"
[ -n "$LANGHOST_VERSION" ] || die "no github.com/pulumi/pulumi/sdk/v3 requirement in $TOOLS/python-langhost/go.mod"

# What the stamp records: the pinned inputs. Change any of them and we rebuild.
want_stamp() {
    cat "$TOOLS/go.mod" "$TOOLS/go.sum" "$TOOLS/python-langhost/go.mod" "$TOOLS/python-langhost/go.sum" |
        cksum | awk -v c="$CLI_VERSION" -v l="$LANGHOST_VERSION" '{ print "cli=" c " langhost=" l " inputs=" $1 }'
}

sync_scripts() { # cheap; also run on the fast path so edited launchers are picked up
    mkdir -p "$BIN"
    for f in "$TOOLS"/bin/*; do
        cmp -s "$f" "$BIN/$(basename "$f")" 2>/dev/null || install -m 0755 "$f" "$BIN/"
    done
}

# --- fast paths -------------------------------------------------------------

# 1. Our own build is there and is the pinned one.
if [ -z "${PULUMI_CLI_FORCE_BUILD:-}" ] && [ -x "$BIN/pulumi" ] && [ -x "$LIBEXEC/pulumi-language-python" ] &&
    [ -f "$BIN/pulumi-language-python-exec" ] && [ -f "$STAMP" ] && [ "$(cat "$STAMP")" = "$(want_stamp)" ]; then
    if got=$(pulumi_version "$BIN/pulumi") && [ "$got" = "$CLI_VERSION" ]; then
        sync_scripts
        log "pulumi $got already built in $BIN"
        echo "$BIN"
        exit 0
    fi
fi

# 2. A Pulumi CLI already on PATH (e.g. an official install) that is new enough.
realdir() { (cd "$1" 2>/dev/null && pwd -P) || echo "$1"; }
if [ -z "${PULUMI_CLI_FORCE_BUILD:-}" ] && existing=$(command -v pulumi 2>/dev/null) &&
    [ "$(realdir "$(dirname "$existing")")" != "$(realdir "$BIN")" ]; then
    if got=$(pulumi_version "$existing") && version_ge "$got" "$MIN_VERSION"; then
        log "using pulumi $got already on PATH at $existing (>= $MIN_VERSION)"
        dirname "$existing"
        exit 0
    fi
    log "ignoring pulumi on PATH at $existing (version '${got:-?}' < $MIN_VERSION)"
fi

# --- build ------------------------------------------------------------------

command -v go >/dev/null 2>&1 || die "Go is not installed (need Go >= 1.26.6; see tools/pulumi-cli/README.md)"

# Everything Go writes stays under $TOOLS_ROOT/go.
export GOPATH="$TOOLS_ROOT/go"
export GOMODCACHE="$GOPATH/pkg/mod"
export GOCACHE="$GOPATH/cache"
# readonly: build exactly what go.mod/go.sum pin; modcacherw: `rm -rf $TOOLS_ROOT` works.
export GOFLAGS="-mod=readonly -modcacherw -buildvcs=false -trimpath"
export CGO_ENABLED=0
# Same tags as the official release build (pulumi/pulumi .goreleaser.yml).
TAGS="osusergo,grpcnotrace"
VERSION_PKG="github.com/pulumi/pulumi/sdk/v3/go/common/version.Version"

mkdir -p "$BIN" "$LIBEXEC"
TOTAL_START=$SECONDS

# go_build OUT_DIR NAME MODULE_DIR VERSION PACKAGE: build PACKAGE into OUT_DIR/NAME, with a heartbeat.
go_build() {
    local out=$1 name=$2 dir=$3 version=$4 pkg=$5 start=$SECONDS pid rc
    log "building $name $version ($pkg); downloads modules on first run"
    (cd "$dir" && exec go build -tags "$TAGS" \
        -ldflags "-w -s -X $VERSION_PKG=$version" \
        -o "$out/.$name.tmp" "$pkg") &
    pid=$!
    trap 'kill "$pid" 2>/dev/null || true' EXIT INT TERM
    while kill -0 "$pid" 2>/dev/null; do
        for _ in 1 2 3 4 5 6; do
            sleep 5
            kill -0 "$pid" 2>/dev/null || break 2
        done
        log "  ... still building $name ($((SECONDS - start))s)"
    done
    rc=0
    wait "$pid" || rc=$?
    trap - EXIT INT TERM
    [ "$rc" -eq 0 ] || die "go build of $name failed (exit $rc); command: (cd $dir && go build -tags $TAGS -ldflags '-w -s -X $VERSION_PKG=$version' -o $out/$name $pkg)"
    mv -f "$out/.$name.tmp" "$out/$name"
    log "built $out/$name in $((SECONDS - start))s ($(du -h "$out/$name" | cut -f1))"
}

log "$(go version); GOPATH=$GOPATH"
rm -f "$STAMP"

go_build "$LIBEXEC" pulumi-language-python "$TOOLS/python-langhost" "$LANGHOST_VERSION" \
    github.com/pulumi/pulumi/sdk/v3/python/cmd/pulumi-language-python

go_build "$BIN" pulumi "$TOOLS" "$CLI_VERSION" github.com/pulumi/pulumi/pkg/v3/cmd/pulumi

# The Python executor script ships with the CLI; take it from the CLI's own sdk/v3 module.
SDK_DIR=$(cd "$TOOLS" && go list -m -f '{{.Dir}}' github.com/pulumi/pulumi/sdk/v3)
[ -f "$SDK_DIR/python/cmd/pulumi-language-python-exec" ] ||
    die "pulumi-language-python-exec not found in $SDK_DIR/python/cmd"
install -m 0755 "$SDK_DIR/python/cmd/pulumi-language-python-exec" "$BIN/pulumi-language-python-exec"
sync_scripts

got=$(pulumi_version "$BIN/pulumi") || die "$BIN/pulumi version failed"
[ "$got" = "$CLI_VERSION" ] || die "$BIN/pulumi version printed '$got', expected '$CLI_VERSION'"
want_stamp >"$STAMP"

log "installed pulumi $got (python language host $LANGHOST_VERSION) in $((SECONDS - TOTAL_START))s"
log "add to PATH: export PATH=\"$BIN:\$PATH\""
echo "$BIN"
