#!/usr/bin/env bash
# The quickstart, end to end, with the real Pulumi CLI against the local Mixpanel emulator.
#   ./scripts/demo.sh           set everything up, preview, `pulumi up`, print the outputs
#   ./scripts/demo.sh destroy   tear it all down again
# Everything it keeps lives in .pulumi-state/ (git-ignored): a copy of the quickstart project
# (Pulumi.yaml and __main__.py) with its stack config, the file backend, PULUMI_HOME, the
# emulator's state and log. It writes nothing else into the checkout. No Mixpanel account is needed.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib/bootstrap.sh

ROOT=$PWD
STATE_DIR=$(realpath -m "${MIXPANEL_DEMO_STATE_DIR:-$ROOT/.pulumi-state}")
STACK=demo
EMULATOR_PID="$STATE_DIR/emulator.pid"
export PULUMI_HOME="$STATE_DIR/home"
# The stack's config (Pulumi.demo.yaml, with its encryption salt) lives beside the project the CLI
# runs, so the quickstart runs from a copy in the state folder, on the checkout's virtualenv.
PROJECT_DIR="$STATE_DIR/project"
# The quickstart is a Python program on the dynamic resource, which needs no provider plugin. A
# wheel install of pulumi-mixpanel says so to the Python language host; this checkout's editable
# install does not reach the old host built here, which would then take the plugin from PATH.
export PULUMI_IGNORE_AMBIENT_PLUGINS=true
# Encrypts the stack's secrets in the file backend; any value works for the demo.
export PULUMI_CONFIG_PASSPHRASE=${PULUMI_CONFIG_PASSPHRASE:-mixpanel-demo}

emulator_running() { [ -f "$EMULATOR_PID" ] && kill -0 "$(cat "$EMULATOR_PID")" 2>/dev/null; }

start_emulator() {
  if emulator_running; then
    echo "==> emulator already running at $(head -n1 "$STATE_DIR/emulator.url")" >&2
    return
  fi
  echo "==> starting the Mixpanel emulator (state in .pulumi-state/emulator.json)" >&2
  : > "$STATE_DIR/emulator.url"
  nohup .venv/bin/mixpanel-emulator --port 0 --state "$STATE_DIR/emulator.json" \
    > "$STATE_DIR/emulator.url" 2> "$STATE_DIR/emulator.log" &
  echo $! > "$EMULATOR_PID"
  for _ in $(seq 1 100); do
    [ -s "$STATE_DIR/emulator.url" ] && break
    sleep 0.1
  done
  [ -s "$STATE_DIR/emulator.url" ] || { cat "$STATE_DIR/emulator.log" >&2; echo "the emulator did not start" >&2; exit 1; }
  echo "    $(head -n1 "$STATE_DIR/emulator.url")" >&2
}

stop_emulator() {
  if emulator_running; then
    kill "$(cat "$EMULATOR_PID")"
  fi
  rm -f "$EMULATOR_PID"
}

copy_project() {
  mkdir -p "$PROJECT_DIR"
  cp "$ROOT/__main__.py" "$PROJECT_DIR/"
  sed "s|^\(    virtualenv:\).*|\1 $ROOT/.venv|" "$ROOT/Pulumi.yaml" > "$PROJECT_DIR/Pulumi.yaml"
}

up() {
  bootstrap_environment "test"
  mkdir -p "$STATE_DIR/backend" "$PULUMI_HOME"
  start_emulator
  local endpoint
  endpoint=$(head -n1 "$STATE_DIR/emulator.url")
  copy_project
  cd "$PROJECT_DIR"
  echo "==> pulumi login to the file backend in .pulumi-state/backend" >&2
  pulumi login "file://$STATE_DIR/backend"
  pulumi stack select "$STACK" --create --non-interactive
  echo "==> stack config: the emulator and its default service account" >&2
  pulumi config set mixpanel:endpoint "$endpoint"
  pulumi config set mixpanel:serviceAccountUsername emulator
  pulumi config set --secret mixpanel:serviceAccountSecret emulator-secret
  pulumi config set mixpanel:projectId 1
  # A fixed start date, chosen once: a moving one would replace the pipelines every day.
  pulumi config get quickstart:fromDate >/dev/null 2>&1 ||
    pulumi config set quickstart:fromDate "$(date -u -d '7 days ago' +%F)"
  echo "==> pulumi preview" >&2
  pulumi preview --non-interactive
  echo "==> pulumi up" >&2
  pulumi up --yes --non-interactive --skip-preview
  echo "==> stack outputs" >&2
  pulumi stack output --json
}

destroy() {
  if [ ! -x .venv/bin/python ]; then echo "nothing to tear down" >&2; exit 0; fi
  bootstrap_environment "test"
  if [ -d "$STATE_DIR/backend" ]; then
    start_emulator
    copy_project
    cd "$PROJECT_DIR"
    pulumi login "file://$STATE_DIR/backend"
    if pulumi stack select "$STACK" --non-interactive 2>/dev/null; then
      pulumi config set mixpanel:endpoint "$(head -n1 "$STATE_DIR/emulator.url")"
      echo "==> pulumi destroy (the BigQuery trial is retained: Mixpanel never deletes a trial early)" >&2
      pulumi destroy --yes --non-interactive --skip-preview
      pulumi stack rm "$STACK" --yes --non-interactive
    fi
  fi
  cd "$ROOT"
  stop_emulator
  rm -rf "$STATE_DIR"
  echo "==> torn down: emulator stopped, .pulumi-state removed" >&2
}

case "${1:-up}" in
  up) up ;;
  destroy) destroy ;;
  *) echo "usage: $0 [up|destroy]" >&2; exit 2 ;;
esac
