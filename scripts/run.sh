#!/usr/bin/env bash
# The README's run command: installs what the build needs (Debian 12, as root),
# builds the desktop app (the UI through Tauri's build hook) and opens it.
#
#   bash scripts/run.sh                 build, then open the app on this desktop
#   bash scripts/run.sh --build-only    build and print where the binary is
#
# The first start shows the set-up wizard; the clinic's data goes to
# ~/.local/share/cuspid unless the wizard is pointed elsewhere (a folder or a
# PostgreSQL server). CARGO_TARGET_DIR defaults to ~/.cache/cuspid-target (the
# build scripts/test.sh makes too, so a run after the tests builds nothing new).
set -euo pipefail
cd "$(dirname "$0")/.."

say() { printf '\n==> %s\n' "$*"; }
die() { printf 'run: %s\n' "$*" >&2; exit 1; }

build_only=
for arg in "$@"; do
  case $arg in
    --build-only) build_only=1 ;;
    -h | --help) sed -n '2,11p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) printf 'run: unknown option %s (the only one is --build-only)\n' "$arg" >&2; exit 2 ;;
  esac
done

# Checked first, so a refusal costs no build.
if [ -z "$build_only" ] && [ -z "${DISPLAY:-}" ] && [ -z "${WAYLAND_DISPLAY:-}" ]; then
  die "no graphical session here (DISPLAY and WAYLAND_DISPLAY are unset). Run this from the
     clinic computer's desktop, or build only with 'bash scripts/run.sh --build-only'."
fi

say "Installing what the build needs (scripts/setup-debian.sh)"
bash scripts/setup-debian.sh
if ! command -v cargo >/dev/null 2>&1 && [ -f "$HOME/.cargo/env" ]; then
  # shellcheck disable=SC1091
  . "$HOME/.cargo/env"
fi
command -v npm >/dev/null 2>&1 || die "npm not found: install Node.js 20.19 or newer (the UI is built with it)"

export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/cuspid-target}"
say "Building the app (cargo build -p cuspid-app; the UI is built by its build hook; target dir $CARGO_TARGET_DIR)"
cargo build -p cuspid-app
BIN="$CARGO_TARGET_DIR/debug/cuspid-app"
[ -x "$BIN" ] || die "the build finished but $BIN is missing"

if [ -n "$build_only" ]; then
  say "Built: $BIN"
  exit 0
fi

say "Opening Cuspid"
exec "$BIN"
