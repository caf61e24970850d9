#!/usr/bin/env bash
# Installs what Cuspid's build and tests need on Debian 12 (run as root).
# Idempotent: does nothing (no apt at all) when every package is present.
set -euo pipefail

PACKAGES=(
  libdbus-1-dev pkg-config build-essential file
  dbus dbus-x11 gnome-keyring libsecret-1-dev libsecret-tools keyutils
  poppler-utils postgresql procps psmisc fonts-dejavu-core age
  libwebkit2gtk-4.1-dev libgtk-3-dev librsvg2-dev libayatana-appindicator3-dev libssl-dev
  xvfb xauth x11-utils webkit2gtk-driver imagemagick xdotool libxdo-dev openssl
)

missing=()
for pkg in "${PACKAGES[@]}"; do
  status=$(dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null || true)
  [ "$status" = "install ok installed" ] || missing+=("$pkg")
done

if [ "${#missing[@]}" -gt 0 ]; then
  echo "setup-debian: installing ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -q
  # </dev/null: CI has no stdin; never let a maintainer script wait on a prompt.
  apt-get install -y -q --no-install-recommends "${missing[@]}" </dev/null
else
  echo "setup-debian: all apt packages already installed"
fi

# rustup installs put cargo in ~/.cargo/bin, which a non-login shell may lack.
if ! command -v cargo >/dev/null 2>&1 && [ -f "$HOME/.cargo/env" ]; then
  # shellcheck disable=SC1091
  . "$HOME/.cargo/env"
fi
if ! command -v cargo >/dev/null 2>&1; then
  echo "setup-debian: ERROR: cargo not found on PATH (install Rust via rustup first)" >&2
  exit 1
fi

if ! cargo fmt --version >/dev/null 2>&1 || ! cargo clippy --version >/dev/null 2>&1; then
  if command -v rustup >/dev/null 2>&1; then
    rustup component add rustfmt clippy
  else
    echo "setup-debian: WARNING: rustfmt/clippy missing and rustup not available" >&2
  fi
fi

echo "setup-debian: $(cargo --version)"
