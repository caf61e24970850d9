#!/usr/bin/env bash
# Smoke test for scripts/lib/services.sh: starts gnome-keyring and PostgreSQL
# in a private HOME and D-Bus session, proves both work, then cleans up.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/lib/services.sh

make_temp_home
trap remove_temp_home EXIT
trap 'exit 130' INT TERM # turn signals into a normal exit so the EXIT trap runs

# Not `exec`: this shell stays around to delete the temp home afterwards.
dbus-run-session -- bash -c '
  set -euo pipefail
  . scripts/lib/services.sh
  trap stop_services EXIT
  trap "exit 130" INT TERM
  start_keyring
  start_postgres

  one=$("$CUSPID_PG_BINDIR/psql" -X -At -d "$CUSPID_TEST_POSTGRES_URL" -c "select 1")
  [ "$one" = 1 ] || { echo "check-services: postgres query returned [$one]" >&2; exit 1; }
  echo "check-services: postgres OK ($CUSPID_TEST_POSTGRES_URL)"

  value="cuspid-$RANDOM-$$"
  printf "%s" "$value" | secret-tool store --label=cuspid-check service cuspid-check user ci
  got=$(secret-tool lookup service cuspid-check user ci </dev/null)
  [ "$got" = "$value" ] || { echo "check-services: keyring returned [$got]" >&2; exit 1; }
  secret-tool clear service cuspid-check user ci </dev/null
  echo "check-services: keyring OK (pid $CUSPID_KEYRING_PID)"
'
echo "check-services: all services OK"
