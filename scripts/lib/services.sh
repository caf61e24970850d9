# shellcheck shell=bash
# Throwaway services for Cuspid's tests: PostgreSQL and gnome-keyring.
# Source this file (`. scripts/lib/services.sh`); it only defines functions.
# Functions return non-zero on failure (they never `exit`), so they work
# with or without `set -e` in the caller. Call start_*/stop_* in the same
# shell (not inside `$(...)`), since they record state in variables.
#
#   make_temp_home            before dbus-run-session: fresh HOME + XDG dirs
#   start_keyring/stop_keyring inside dbus-run-session
#   start_postgres/stop_postgres
#   stop_services             stop everything that was started (for traps)

CUSPID_PG_USER=${CUSPID_PG_USER:-cuspid-pg}

# Creates a private HOME with XDG dirs and exports it (CUSPID_TEMP_HOME too).
make_temp_home() {
  # rustup/cargo find toolchains via $HOME by default: pin them before HOME moves.
  export CARGO_HOME="${CARGO_HOME:-$HOME/.cargo}"
  export RUSTUP_HOME="${RUSTUP_HOME:-$HOME/.rustup}"
  CUSPID_TEMP_HOME=$(mktemp -d /tmp/cuspid-home.XXXXXX) || return 1
  export CUSPID_TEMP_HOME HOME="$CUSPID_TEMP_HOME"
  export XDG_DATA_HOME="$HOME/.local/share" XDG_CONFIG_HOME="$HOME/.config"
  export XDG_CACHE_HOME="$HOME/.cache" XDG_RUNTIME_DIR="$HOME/run"
  mkdir -p "$XDG_DATA_HOME" "$XDG_CONFIG_HOME" "$XDG_CACHE_HOME" "$XDG_RUNTIME_DIR" || return 1
  # gnome-keyring and dbus refuse a runtime dir that others can read.
  chmod 700 "$XDG_RUNTIME_DIR"
}

remove_temp_home() {
  if [ -n "${CUSPID_TEMP_HOME:-}" ]; then rm -rf "$CUSPID_TEMP_HOME"; fi
}

# --- gnome-keyring (Secret Service) ---------------------------------------

# Starts gnome-keyring's secrets component with an unlocked "login" keyring
# that is the Secret Service "default" collection (what the keyring crate uses).
start_keyring() {
  local pass="${CUSPID_KEYRING_PASSWORD:-cuspid-test}" out more line reply i
  if [ -z "${DBUS_SESSION_BUS_ADDRESS:-}" ]; then
    echo "start_keyring: no D-Bus session bus; run inside dbus-run-session" >&2
    return 1
  fi
  # --unlock reads the password from stdin, creating the login keyring if needed.
  out=$(printf '%s' "$pass" | gnome-keyring-daemon --unlock --components=secrets) || {
    echo "start_keyring: gnome-keyring-daemon --unlock failed" >&2; return 1; }
  more=$(gnome-keyring-daemon --start --components=secrets </dev/null 2>/dev/null) || {
    echo "start_keyring: gnome-keyring-daemon --start failed" >&2; return 1; }
  while IFS= read -r line; do
    case $line in [A-Z]*=*) export "${line?}" ;; esac
  done <<EOF
$out
$more
EOF
  # Wait until the daemon owns org.freedesktop.secrets with a "default" alias.
  for i in $(seq 1 100); do
    reply=$(dbus-send --session --print-reply=literal --dest=org.freedesktop.secrets \
      /org/freedesktop/secrets org.freedesktop.Secret.Service.ReadAlias string:default 2>/dev/null) || reply=
    case $reply in */collection/*) break ;; esac
    sleep 0.1
  done
  case $reply in */collection/*) ;; *)
    echo "start_keyring: Secret Service has no default collection (got '$reply')" >&2
    return 1 ;;
  esac
  CUSPID_KEYRING_PID=$(dbus-send --session --print-reply=literal --dest=org.freedesktop.DBus / \
    org.freedesktop.DBus.GetConnectionUnixProcessID string:org.freedesktop.secrets 2>/dev/null |
    awk '{print $NF}') || CUSPID_KEYRING_PID=
  export CUSPID_KEYRING_PID
}

# The daemon also exits on its own when the D-Bus session ends.
stop_keyring() {
  if [ -n "${CUSPID_KEYRING_PID:-}" ]; then
    kill "$CUSPID_KEYRING_PID" 2>/dev/null || true
    unset CUSPID_KEYRING_PID
  fi
}

# --- PostgreSQL -----------------------------------------------------------

# Runs a command as the unprivileged PostgreSQL user (postgres refuses root).
_cuspid_as_pg() {
  if [ "$(id -u)" -eq 0 ]; then
    (cd / && runuser -u "$CUSPID_PG_USER" -- "$@")
  else
    "$@"
  fi
}

# A throwaway CA and a server certificate for localhost/127.0.0.1 signed by it, plus
# another CA that signed nothing (to see a wrong CA file refused), in $1.
_cuspid_pg_tls() {
  local tls=$1
  mkdir -p "$tls" || return 1
  (
    cd "$tls" || exit 1
    openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj "/CN=Cuspid test CA" \
      -keyout ca.key -out ca.crt 2>/dev/null &&
      openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj "/CN=Some other CA" \
        -keyout wrong-ca.key -out wrong-ca.crt 2>/dev/null &&
      openssl req -newkey rsa:2048 -nodes -subj "/CN=localhost" -keyout server.key -out server.csr 2>/dev/null &&
      printf 'subjectAltName=DNS:localhost,IP:127.0.0.1\nbasicConstraints=CA:FALSE\n' >server.ext &&
      openssl x509 -req -in server.csr -CA ca.crt -CAkey ca.key -CAcreateserial -days 2 \
        -extfile server.ext -out server.crt 2>/dev/null &&
      chmod 600 server.key
  ) || { echo "start_postgres: could not make the test certificates (openssl)" >&2; return 1; }
}

# Starts a private server on 127.0.0.1:<free port> with database cuspid_test. It
# accepts TLS only (a throwaway CA, exported as CUSPID_PG_CA), as a clinic's should.
start_postgres() {
  local bindir dir port try log ok=
  bindir=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1) || true
  if [ ! -x "$bindir/pg_ctl" ]; then
    echo "start_postgres: no PostgreSQL under /usr/lib/postgresql/*/bin" >&2
    return 1
  fi
  if [ "$(id -u)" -eq 0 ] && ! id -u "$CUSPID_PG_USER" >/dev/null 2>&1; then
    # `|| id -u`: a parallel run may have created the user first.
    useradd --system --no-create-home --home-dir /nonexistent \
      --shell /usr/sbin/nologin "$CUSPID_PG_USER" 2>/dev/null ||
      id -u "$CUSPID_PG_USER" >/dev/null || return 1
  fi
  dir=$(mktemp -d /tmp/cuspid-pg.XXXXXX) || return 1
  log="$dir/postgres.log"
  if [ "$(id -u)" -eq 0 ]; then chown "$CUSPID_PG_USER" "$dir" || return 1; fi
  if ! _cuspid_as_pg "$bindir/initdb" -D "$dir/data" -A trust -U cuspid \
      --encoding=UTF8 --locale=C.UTF-8 --no-sync >"$dir/initdb.log" 2>&1; then
    echo "start_postgres: initdb failed:" >&2; cat "$dir/initdb.log" >&2
    rm -rf "$dir"; return 1
  fi
  _cuspid_pg_tls "$dir/tls" || { rm -rf "$dir"; return 1; }
  # Encrypted connections only over TCP; the local socket stays for createdb.
  printf 'local all all trust\nhostssl all all 127.0.0.1/32 trust\nhostssl all all ::1/128 trust\n' \
    >"$dir/pg_hba.conf"
  if [ "$(id -u)" -eq 0 ]; then chown -R "$CUSPID_PG_USER" "$dir" || return 1; fi
  for try in 1 2 3 4 5 6 7 8; do
    port=$((20000 + RANDOM % 30000))
    # A successful connect means something already listens there.
    if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then continue; fi
    if _cuspid_as_pg "$bindir/pg_ctl" -D "$dir/data" -l "$log" -w -t 60 \
        -o "-k $dir -p $port -h 127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200 -c ssl=on -c ssl_cert_file=$dir/tls/server.crt -c ssl_key_file=$dir/tls/server.key -c hba_file=$dir/pg_hba.conf" \
        start >/dev/null 2>&1; then
      ok=1; break
    fi
    # Retry only if we lost a race for the port; anything else is fatal.
    grep -q 'could not bind\|could not create any TCP/IP sockets' "$log" 2>/dev/null || break
  done
  if [ -z "$ok" ]; then
    echo "start_postgres: server failed to start; log:" >&2; cat "$log" >&2 || true
    _cuspid_as_pg "$bindir/pg_ctl" -D "$dir/data" -m immediate stop >/dev/null 2>&1 || true
    rm -rf "$dir"; return 1
  fi
  export CUSPID_PG_BINDIR="$bindir" CUSPID_PG_DIR="$dir" CUSPID_PG_PORT="$port"
  local tls="sslmode=verify-full&sslrootcert=$dir/tls/ca.crt"
  export CUSPID_PG_CA="$dir/tls/ca.crt" CUSPID_PG_WRONG_CA="$dir/tls/wrong-ca.crt"
  export CUSPID_PG_ADMIN_URL="postgres://cuspid@localhost:$port/postgres?$tls"
  export CUSPID_TEST_POSTGRES_URL="postgres://cuspid@localhost:$port/cuspid_test?$tls"
  if ! "$bindir/createdb" -h "$dir" -p "$port" -U cuspid cuspid_test; then
    echo "start_postgres: createdb failed; log:" >&2; cat "$log" >&2
    stop_postgres; return 1
  fi
  # As the README's set-up: one role owns the tables (and runs `cuspid db setup`),
  # the workstations connect as another that may only append to the audit log.
  if ! "$bindir/psql" -X -q -h "$dir" -p "$port" -U cuspid -d postgres \
      -c "CREATE ROLE cuspid_owner LOGIN" -c "CREATE ROLE cuspid_app LOGIN"; then
    echo "start_postgres: could not create the owner and workstation roles" >&2
    stop_postgres; return 1
  fi
  export CUSPID_PG_OWNER_ROLE=cuspid_owner CUSPID_PG_APP_ROLE=cuspid_app
}

stop_postgres() {
  if [ -z "${CUSPID_PG_DIR:-}" ]; then return 0; fi
  _cuspid_as_pg "$CUSPID_PG_BINDIR/pg_ctl" -D "$CUSPID_PG_DIR/data" -m fast -w -t 30 stop >/dev/null 2>&1 ||
    _cuspid_as_pg "$CUSPID_PG_BINDIR/pg_ctl" -D "$CUSPID_PG_DIR/data" -m immediate -w stop >/dev/null 2>&1 || true
  rm -rf "$CUSPID_PG_DIR"
  unset CUSPID_PG_DIR CUSPID_PG_PORT CUSPID_PG_ADMIN_URL CUSPID_TEST_POSTGRES_URL CUSPID_PG_CA CUSPID_PG_WRONG_CA \
    CUSPID_PG_OWNER_ROLE CUSPID_PG_APP_ROLE
}

# For `trap stop_services EXIT`: safe to call twice or when nothing started.
stop_services() {
  stop_postgres
  stop_keyring
}
