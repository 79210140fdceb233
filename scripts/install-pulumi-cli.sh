#!/usr/bin/env bash
# Build the Pulumi CLI, the language hosts it needs to run Python, Node.js/TypeScript,
# Go and YAML programs, and an SDK generator (Node.js, Python, Go), from Go modules, into
# ~/.cache/pulumi-mixpanel/pulumi-cli/pulumi/bin. Needs only Go and the Go module proxy.
#
#   PATH="$(scripts/install-pulumi-cli.sh):$PATH"
#
# Progress goes to stderr; the last (only) line on stdout is the directory to
# put on PATH. Idempotent: a second run returns at once. Each component has its
# own stamp (pulumi/stamps/<component>), so changing or adding one component
# rebuilds only that one.
#
# Versions are pinned by the Go modules in tools/pulumi-cli/ (see its README):
#   bin/pulumi                        github.com/pulumi/pulumi/pkg/v3/cmd/pulumi v3.274.0  (tools/pulumi-cli/go.mod)
#   libexec/pulumi-language-python    .../sdk/v3/python/cmd/pulumi-language-python v3.68.0 (tools/pulumi-cli/python-langhost/go.mod)
#   bin/pulumi-language-python-exec   from the CLI's own sdk/v3 module (python/cmd/)
#   bin/pulumi-language-python        launcher scripts from tools/pulumi-cli/bin/
#   bin/pulumi-resource-pulumi-python
#   bin/pulumi-language-nodejs        .../sdk/v3/nodejs/cmd/pulumi-language-nodejs v3.68.0 (tools/pulumi-cli/nodejs-langhost/go.mod)
#   bin/pulumi-resource-pulumi-nodejs from the CLI's own sdk/v3 module (nodejs/dist/)
#   bin/pulumi-language-go            .../sdk/v3/go/pulumi-language-go v3.30.0 (tools/pulumi-cli/go-langhost/go.mod;
#                                     runs programs with `go run`, so Go must be on PATH then too)
#   bin/pulumi-language-yaml          github.com/pulumi/pulumi-yaml/cmd/pulumi-language-yaml v1.25.0 (tools/pulumi-cli/yaml-langhost/go.mod)
#   bin/pulumi-gen-sdk                tools/pulumi-cli/cmd/pulumi-gen-sdk (pkg/v3 v3.274.0 codegen/nodejs, python, go;
#                                     `pulumi-gen-sdk --language nodejs|python|go --schema schema.json --out DIR [--version X.Y.Z]`)
#   bin/pulumi-bench-engine           tools/pulumi-cli/cmd/pulumi-bench-engine (the benchmark's engine stand-in,
#                                     sdk/v3 v3.274.0 proto/go and grpc, see bench/engine.py)
#
# Environment:
#   PULUMI_CLI_FORCE_BUILD=1     ignore any pulumi on PATH and rebuild every component
#   PULUMI_CLI_MIN_VERSION=X.Y.Z a pulumi already on PATH is used if at least this
#                                version (default: 3.272.0, the project's Python SDK);
#                                then nothing is built (no pulumi-language-go,
#                                pulumi-gen-sdk or pulumi-bench-engine either)
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
STAMPS="$PREFIX/stamps"        # one file per component: the key it was built from
STAMP="$PREFIX/install.stamp"  # written last, after every component is in place
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

# Same tags as the official release build (pulumi/pulumi .goreleaser.yml).
TAGS="osusergo,grpcnotrace"
VERSION_PKG="github.com/pulumi/pulumi/sdk/v3/go/common/version.Version"
YAML_VERSION_PKG="github.com/pulumi/pulumi-yaml/pkg/version.Version"
# Part of every component's key: change how things are built and everything is rebuilt.
RECIPE="go-build:tags=$TAGS,cgo=0,trimpath,ldflags=-w_-s"

# --- components ---------------------------------------------------------------
# name | output file | Go module dir | version | package | variable set to the version (-X)
COMPONENTS="cli python-host nodejs-host go-host yaml-host gen-sdk bench-engine"

CLI_VERSION=$(modver "$TOOLS/go.mod" github.com/pulumi/pulumi/pkg/v3)
PYTHON_HOST_VERSION=$(modver "$TOOLS/python-langhost/go.mod" github.com/pulumi/pulumi/sdk/v3)
NODEJS_HOST_VERSION=$(modver "$TOOLS/nodejs-langhost/go.mod" github.com/pulumi/pulumi/sdk/v3)
GO_HOST_VERSION=$(modver "$TOOLS/go-langhost/go.mod" github.com/pulumi/pulumi/sdk/v3)
YAML_HOST_VERSION=$(modver "$TOOLS/yaml-langhost/go.mod" github.com/pulumi/pulumi-yaml)
[ -n "$CLI_VERSION" ] || die "no github.com/pulumi/pulumi/pkg/v3 requirement in $TOOLS/go.mod"
[ -n "$PYTHON_HOST_VERSION" ] || die "no github.com/pulumi/pulumi/sdk/v3 requirement in $TOOLS/python-langhost/go.mod"
[ -n "$NODEJS_HOST_VERSION" ] || die "no github.com/pulumi/pulumi/sdk/v3 requirement in $TOOLS/nodejs-langhost/go.mod"
[ -n "$GO_HOST_VERSION" ] || die "no github.com/pulumi/pulumi/sdk/v3 requirement in $TOOLS/go-langhost/go.mod"
[ -n "$YAML_HOST_VERSION" ] || die "no github.com/pulumi/pulumi-yaml requirement in $TOOLS/yaml-langhost/go.mod"

component() { # component NAME: sets C_OUT C_DIR C_VERSION C_PKG C_VERSION_VAR C_INPUTS (files the key hashes)
    case "$1" in
        cli)
            C_OUT="$BIN/pulumi" C_DIR="$TOOLS" C_VERSION="$CLI_VERSION" C_VERSION_VAR="$VERSION_PKG"
            C_PKG=github.com/pulumi/pulumi/pkg/v3/cmd/pulumi ;;
        python-host)
            C_OUT="$LIBEXEC/pulumi-language-python" C_DIR="$TOOLS/python-langhost" C_VERSION="$PYTHON_HOST_VERSION"
            C_VERSION_VAR="$VERSION_PKG" C_PKG=github.com/pulumi/pulumi/sdk/v3/python/cmd/pulumi-language-python ;;
        nodejs-host)
            C_OUT="$BIN/pulumi-language-nodejs" C_DIR="$TOOLS/nodejs-langhost" C_VERSION="$NODEJS_HOST_VERSION"
            C_VERSION_VAR="$VERSION_PKG" C_PKG=github.com/pulumi/pulumi/sdk/v3/nodejs/cmd/pulumi-language-nodejs ;;
        go-host) # sdk/v3 v3.30.0: the last sdk/v3 with the Go host in it (see the README)
            C_OUT="$BIN/pulumi-language-go" C_DIR="$TOOLS/go-langhost" C_VERSION="$GO_HOST_VERSION"
            C_VERSION_VAR="$VERSION_PKG" C_PKG=github.com/pulumi/pulumi/sdk/v3/go/pulumi-language-go ;;
        yaml-host)
            C_OUT="$BIN/pulumi-language-yaml" C_DIR="$TOOLS/yaml-langhost" C_VERSION="$YAML_HOST_VERSION"
            C_VERSION_VAR="$YAML_VERSION_PKG" C_PKG=github.com/pulumi/pulumi-yaml/cmd/pulumi-language-yaml ;;
        gen-sdk) # source in the CLI's module: same pkg/v3, same module graph and build cache
            C_OUT="$BIN/pulumi-gen-sdk" C_DIR="$TOOLS" C_VERSION="$CLI_VERSION"
            C_VERSION_VAR="$VERSION_PKG" C_PKG=./cmd/pulumi-gen-sdk ;;
        bench-engine) # the benchmark's engine stand-in; in the CLI's module like the generator
            C_OUT="$BIN/pulumi-bench-engine" C_DIR="$TOOLS" C_VERSION="$CLI_VERSION"
            C_VERSION_VAR="$VERSION_PKG" C_PKG=./cmd/pulumi-bench-engine ;;
        *) die "unknown component $1" ;;
    esac
    C_INPUTS=("$C_DIR/go.mod" "$C_DIR/go.sum")
    case "$1" in
        gen-sdk | bench-engine) C_INPUTS+=("$TOOLS"/cmd/pulumi-$1/*) ;;
    esac
}

want_key() { # want_key NAME -> what its stamp must say: the pinned inputs. Change any and it is rebuilt.
    component "$1"
    cat "${C_INPUTS[@]}" | cksum |
        awk -v n="$1" -v v="$C_VERSION" -v r="$RECIPE" '{ print n " " v " " r " inputs=" $1 }'
}
stamp_ok() { # stamp_ok NAME: built, and from the pinned inputs
    component "$1"
    [ -x "$C_OUT" ] && [ -f "$STAMPS/$1" ] && [ "$(cat "$STAMPS/$1")" = "$(want_key "$1")" ]
}

# Components this script no longer builds: their binary and stamp are removed on a build,
# so a stale binary does not stay on PATH (pulumi-gen-nodejs-sdk became pulumi-gen-sdk).
RETIRED="gen-nodejs-sdk:pulumi-gen-nodejs-sdk"

# Files copied from the CLI's own sdk/v3 module, next to the binaries (as in the release archive).
COMPANIONS="python/cmd/pulumi-language-python-exec nodejs/dist/pulumi-resource-pulumi-nodejs"

sync_scripts() { # cheap; also run on the fast path so edited launchers are picked up
    mkdir -p "$BIN"
    for f in "$TOOLS"/bin/*; do
        cmp -s "$f" "$BIN/$(basename "$f")" 2>/dev/null || install -m 0755 "$f" "$BIN/"
    done
}

all_current() {
    local c f
    for c in $COMPONENTS; do stamp_ok "$c" || return 1; done
    for f in $COMPANIONS; do [ -f "$BIN/$(basename "$f")" ] || return 1; done
}

# --- fast paths -------------------------------------------------------------

# 1. Our own build is there, every component from its pinned inputs.
if [ -z "${PULUMI_CLI_FORCE_BUILD:-}" ] && all_current; then
    if got=$(pulumi_version "$BIN/pulumi") && [ "$got" = "$CLI_VERSION" ]; then
        sync_scripts
        log "pulumi $got and its components already built in $BIN"
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

mkdir -p "$BIN" "$LIBEXEC" "$STAMPS"
TOTAL_START=$SECONDS

# go_build NAME: build component NAME into its output file, with a heartbeat.
go_build() {
    local name=$1 out dir version var pkg file start=$SECONDS pid rc
    component "$name"
    out=$(dirname "$C_OUT") file=$(basename "$C_OUT") dir=$C_DIR version=$C_VERSION var=$C_VERSION_VAR pkg=$C_PKG
    log "building $file $version ($pkg); downloads modules on first run"
    (cd "$dir" && exec go build -tags "$TAGS" \
        -ldflags "-w -s -X $var=$version" \
        -o "$out/.$file.tmp" "$pkg") &
    pid=$!
    trap 'kill "$pid" 2>/dev/null || true' EXIT INT TERM
    while kill -0 "$pid" 2>/dev/null; do
        for _ in 1 2 3 4 5 6; do
            sleep 5
            kill -0 "$pid" 2>/dev/null || break 2
        done
        log "  ... still building $file ($((SECONDS - start))s)"
    done
    rc=0
    wait "$pid" || rc=$?
    trap - EXIT INT TERM
    [ "$rc" -eq 0 ] || die "go build of $file failed (exit $rc); command: (cd $dir && go build -tags $TAGS -ldflags '-w -s -X $var=$version' -o $out/$file $pkg)"
    mv -f "$out/.$file.tmp" "$out/$file"
    log "built $out/$file in $((SECONDS - start))s ($(du -h "$out/$file" | cut -f1))"
}

# built_from_pins NAME: the existing binary has no (or an outdated) stamp, but was built
# from exactly the modules the pins select: its embedded module list (go version -m)
# equals what `go list -deps` resolves now. Lets a binary built by an earlier version of
# this script, or before an edit to go.mod that does not change what it links, be kept.
built_from_pins() {
    local name=$1 want got
    component "$name"
    [ -x "$C_OUT" ] || return 1
    case "$C_PKG" in ./*) return 1 ;; esac # main-module source: not in the module list
    got=$(go version -m "$C_OUT" 2>/dev/null | awk -F'\t' -v p="$C_PKG" '
        $2 == "path" && $3 != p { bad = 1 }
        $2 == "mod" || $2 == "dep" { if (line != "") print line; line = $3 " " $4 }
        $2 == "=>" { line = line " => " $3 " " $4 }
        END { if (line != "") print line; if (bad) print "path mismatch" }' | sort -u) || return 1
    want=$(cd "$C_DIR" && go list -deps -tags "$TAGS" \
        -f '{{with .Module}}{{.Path}} {{.Version}}{{with .Replace}} => {{.Path}} {{.Version}}{{end}}{{end}}' \
        "$C_PKG" | sort -u) || return 1
    [ -n "$got" ] && [ "$got" = "$want" ] || return 1
    if [ "$name" = cli ]; then
        [ "$(pulumi_version "$C_OUT" || true)" = "$CLI_VERSION" ] || return 1
    fi
}

log "$(go version); GOPATH=$GOPATH"
rm -f "$STAMP"
BUILT=""
# Cheapest first; the generator after the CLI, whose compiled packages it reuses.
for name in python-host nodejs-host go-host yaml-host cli gen-sdk bench-engine; do
    component "$name"
    if [ -z "${PULUMI_CLI_FORCE_BUILD:-}" ]; then
        if stamp_ok "$name"; then
            log "$(basename "$C_OUT") $C_VERSION: up to date"
            continue
        fi
        if built_from_pins "$name"; then
            log "$(basename "$C_OUT") $C_VERSION: existing $C_OUT was built from the pinned modules; keeping it"
            want_key "$name" >"$STAMPS/$name"
            continue
        fi
    fi
    rm -f "$STAMPS/$name"
    go_build "$name"
    want_key "$name" >"$STAMPS/$name"
    BUILT="$BUILT $name"
done

for retired in $RETIRED; do
    if [ -e "$BIN/${retired#*:}" ] || [ -e "$STAMPS/${retired%%:*}" ]; then
        log "removing ${retired#*:} (no longer built)"
        rm -f "$BIN/${retired#*:}" "$STAMPS/${retired%%:*}"
    fi
done

# Scripts that ship with the CLI; take them from the CLI's own sdk/v3 module.
SDK_DIR=$(cd "$TOOLS" && go list -m -f '{{.Dir}}' github.com/pulumi/pulumi/sdk/v3)
for f in $COMPANIONS; do
    [ -f "$SDK_DIR/$f" ] || die "$(basename "$f") not found in $SDK_DIR/$(dirname "$f")"
    cmp -s "$SDK_DIR/$f" "$BIN/$(basename "$f")" 2>/dev/null || install -m 0755 "$SDK_DIR/$f" "$BIN/$(basename "$f")"
done
sync_scripts

got=$(pulumi_version "$BIN/pulumi") || die "$BIN/pulumi version failed"
[ "$got" = "$CLI_VERSION" ] || die "$BIN/pulumi version printed '$got', expected '$CLI_VERSION'"
for c in $COMPONENTS; do cat "$STAMPS/$c"; done >"$STAMP"

log "installed pulumi $got (language hosts: python $PYTHON_HOST_VERSION, nodejs $NODEJS_HOST_VERSION, go $GO_HOST_VERSION, yaml $YAML_HOST_VERSION; pulumi-gen-sdk, pulumi-bench-engine)"
log "built:${BUILT:- nothing} in $((SECONDS - TOTAL_START))s"
log "add to PATH: export PATH=\"$BIN:\$PATH\""
echo "$BIN"
