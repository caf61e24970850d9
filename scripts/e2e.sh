#!/usr/bin/env bash
# End-to-end tests of the real app: the built `cuspid-app` in a real window
# under Xvfb, driven over WebDriver (tauri-driver + WebKitWebDriver) inside a
# D-Bus session with a temporary HOME, data folder and keyring.
#
#   bash scripts/e2e.sh            (scripts/test.sh runs it too)
#
# Screenshots of each main screen go to $CUSPID_E2E_OUT (default:
# $CARGO_TARGET_DIR/e2e-screenshots).
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)

# `--bench` measures start-up time and idle memory instead of running the tests
# (of the debug build, or of the binary named by CUSPID_BENCH_APP_BIN).
if [ "${1:-}" = "--bench" ]; then
  export CUSPID_E2E_MODE=bench
  shift
fi

if [ "${1:-}" != "--inside-session" ]; then
  export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/cuspid-target}"
  export CUSPID_E2E_OUT="${CUSPID_E2E_OUT:-$CARGO_TARGET_DIR/e2e-screenshots}"
  command -v tauri-driver >/dev/null 2>&1 || cargo install tauri-driver --locked --version '^2'
  # pyotp: the tests' own authenticator app (RFC 6238), independent of Cuspid's code.
  python3 -c 'import selenium, pytest, pyotp' 2>/dev/null ||
    python3 -m pip install --quiet 'selenium>=4.20,<5' 'pytest>=8,<9' 'pyotp>=2.9,<3'
  # One invocation, so the two share one feature set and their dependencies build once.
  cargo build -p cuspid-app -p cuspid-cli --bin cuspid-app --bin cuspid
  export CUSPID_APP_BIN="$CARGO_TARGET_DIR/debug/cuspid-app"
  # The CLI, for what the tests do from outside the app (disable an account while signed in).
  export CUSPID_CLI_BIN="$CARGO_TARGET_DIR/debug/cuspid"
  rm -rf "$CUSPID_E2E_OUT" && mkdir -p "$CUSPID_E2E_OUT"
  . scripts/lib/services.sh
  make_temp_home
  trap remove_temp_home EXIT
  status=0
  dbus-run-session -- bash "$ROOT/scripts/e2e.sh" --inside-session || status=$?
  exit "$status"
fi

. scripts/lib/services.sh
start_keyring
display=":$((90 + RANDOM % 9))"
Xvfb "$display" -screen 0 1920x1080x24 -nolisten tcp >/dev/null 2>&1 &
xvfb_pid=$!
driver_pid=
cleanup() {
  [ -n "$driver_pid" ] && kill "$driver_pid" 2>/dev/null || true
  kill "$xvfb_pid" 2>/dev/null || true
  stop_services
}
trap cleanup EXIT
export DISPLAY=$display
export CUSPID_DATA_DIR="$CUSPID_TEMP_HOME/clinic-data"
export CUSPID_STATE_DIR="$CUSPID_TEMP_HOME/workstation"
export CUSPID_WORKSTATION="e2e-desk"
for _ in $(seq 50); do xdpyinfo -display "$display" >/dev/null 2>&1 && break; sleep 0.1; done
tauri-driver --port 4444 >"$CUSPID_TEMP_HOME/tauri-driver.log" 2>&1 &
driver_pid=$!
for _ in $(seq 100); do (exec 3<>/dev/tcp/127.0.0.1/4444) 2>/dev/null && break; sleep 0.1; done
if [ "${CUSPID_E2E_MODE:-}" = bench ]; then
  CUSPID_PASSWORD=bench-admin-password "$CUSPID_CLI_BIN" init \
    --clinic-name "Clinica Bench" --address "Str. Benchmark 1, Cluj-Napoca" --fiscal-code 14399840 \
    --dpo-name "Bench DPO" --dpo-email dpo@bench.example --admin-user admin >/dev/null
  (cd tests/e2e && python3 bench_startup.py)
else
  python3 -m pytest -q -p no:cacheprovider tests/e2e
fi
