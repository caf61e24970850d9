#!/usr/bin/env bash
# THE test command (README; `.ci/run` calls it). On Debian 12 as root it installs
# what the build and the tests need, starts a throwaway gnome-keyring and
# PostgreSQL in a private HOME and D-Bus session, then runs, in order:
#   cargo fmt --check, cargo clippy -D warnings, every test target except the
#   log scan, the doc tests, and last the log scan over the trace log of that run.
# Every step runs even when an earlier one failed; the summary at the end names
# the failures and the exit status is non-zero if there was any.
#
#   bash scripts/test.sh
#
# CARGO_TARGET_DIR defaults to ~/.cache/cuspid-target (shared with scripts/demo.sh).
# CI is passed through as given: under CI the PostgreSQL half of the suite is mandatory.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)

section() { printf '\n=== test.sh: %s ===\n' "$*"; }

# ---- outside the D-Bus session: set-up, private HOME -------------------------
if [ "${1:-}" != "--inside-session" ]; then
  section "set-up: system packages and Rust components (scripts/setup-debian.sh)"
  bash scripts/setup-debian.sh
  if ! command -v cargo >/dev/null 2>&1 && [ -f "$HOME/.cargo/env" ]; then
    # shellcheck disable=SC1091
    . "$HOME/.cargo/env"
  fi
  # Before make_temp_home moves HOME: the build cache must outlive this run.
  export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/cuspid-target}"

  section "set-up: the tests' independent tools (tests/requirements.txt)"
  # pydicom writes DICOM files, fhir.resources validates FHIR R4: a virtual
  # environment of their own, made again only when the pinned list changes.
  venv="$HOME/.cache/cuspid-py"
  if ! cmp -s tests/requirements.txt "$venv/requirements.txt"; then
    rm -rf "$venv"
    python3 -m venv "$venv"
    "$venv/bin/python" -m pip install --quiet --disable-pip-version-check -r tests/requirements.txt
    cp tests/requirements.txt "$venv/requirements.txt"
  fi
  export CUSPID_PYTHON="$venv/bin/python"
  echo "python for the tests: $CUSPID_PYTHON"

  . scripts/lib/services.sh
  make_temp_home
  trap remove_temp_home EXIT
  trap 'exit 130' INT
  trap 'exit 143' TERM
  echo "cargo target dir: $CARGO_TARGET_DIR"
  echo "temporary HOME:   $HOME"
  echo "CI:               ${CI-(unset)}"

  # Not `exec`: this shell stays to delete the temporary HOME afterwards.
  status=0
  dbus-run-session -- bash "$ROOT/scripts/test.sh" --inside-session || status=$?
  exit "$status"
fi

# ---- inside the D-Bus session: services, then the checks ---------------------
. scripts/lib/services.sh
trap stop_services EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# Settings from the caller's shell would steer the CLI under test.
unset CUSPID_PASSWORD CUSPID_NEW_PASSWORD CUSPID_RECOVERY_KEY CUSPID_USER \
  CUSPID_DATA_DIR CUSPID_DATABASE_URL CUSPID_STATE_DIR CUSPID_WORKSTATION \
  CUSPID_TOTP CUSPID_TOTP_NEW CUSPID_TOTP_SECRET

section "services: gnome-keyring (Secret Service) and PostgreSQL"
start_keyring
echo "gnome-keyring: pid ${CUSPID_KEYRING_PID:-?}, default collection unlocked"
start_postgres # exports CUSPID_PG_ADMIN_URL and CUSPID_TEST_POSTGRES_URL
echo "PostgreSQL: $CUSPID_TEST_POSTGRES_URL (admin: $CUSPID_PG_ADMIN_URL)"

results=()
failed=0

# run_step NAME COMMAND...: run one check, record its outcome, never stop the run.
run_step() {
  local name=$1 start=$SECONDS status=0
  shift
  section "$name"
  echo "+ $*"
  "$@" || status=$?
  if [ "$status" -eq 0 ]; then
    results+=("ok      $name ($((SECONDS - start)) s)")
  else
    results+=("FAILED  $name (exit $status, $((SECONDS - start)) s)")
    failed=1
  fi
}

run_step "rustfmt" cargo fmt --all -- --check
run_step "clippy" cargo clippy --workspace --all-targets -- -D warnings

# One trace log for the whole run, which the log scan reads afterwards.
export CUSPID_TEST_LOG="$CUSPID_TEMP_HOME/cuspid-test-trace.log"
rm -f "$CUSPID_TEST_LOG"

# Every integration-test target (tests/*.rs, tests/*/main.rs, the shell's
# src-tauri/tests/*.rs, the CLI's cli/tests/, the migrations' frozen-schema test) except the
# log scan, which must run after everything that writes to the log. `--test NAME`
# picks NAME in every package, so the names differ (the CLI's is `cli`).
test_targets=()
for t in tests/*.rs tests/*/main.rs src-tauri/tests/*.rs cli/tests/*.rs cli/tests/*/main.rs migrations/tests/*.rs; do
  [ -e "$t" ] || continue
  case $t in
    */main.rs) name=$(basename "$(dirname "$t")") ;;
    *) name=$(basename "$t" .rs) ;;
  esac
  [ "$name" = log_scan ] || test_targets+=(--test "$name")
done
run_step "tests (unit and integration, SQLite and PostgreSQL)" \
  cargo test --workspace --no-fail-fast --lib --bins "${test_targets[@]}"
run_step "doc tests" cargo test --workspace --doc

# The UI's TypeScript bindings are checked by the tests above
# (cuspid-app: the_ui_bindings_match_the_rust_side; scripts/bindings.sh rewrites them).

if [ -f ui/package.json ]; then
  ui_checks() {
    (cd ui && npm ci --no-audit --no-fund && npm run check && npm test)
  }
  run_step "UI: type check and unit tests (svelte-check, vitest)" ui_checks
  run_step "end to end: the real app under Xvfb over WebDriver (scripts/e2e.sh)" bash scripts/e2e.sh
fi

if [ -f tests/log_scan.rs ]; then
  run_step "log scan (no personal data in the trace log of this run)" cargo test --workspace --test log_scan
else
  section "log scan"
  echo "tests/log_scan.rs is missing: nothing checks the trace log for personal data"
  results+=("FAILED  log scan (tests/log_scan.rs is missing)")
  failed=1
fi

section "summary"
printf '  %s\n' "${results[@]}"
if [ "$failed" -ne 0 ]; then
  echo "test.sh: FAILED"
  exit 1
fi
echo "test.sh: all checks passed"
