#!/usr/bin/env bash
# Regenerate the UI's TypeScript from the Rust side (ui/src/lib/bindings/: the commands,
# every type they carry, the error kinds and the input limits). The UI is not built on
# the way (CUSPID_SKIP_UI_BUILD), so a UI that does not compile against the old files
# does not stop the new ones being written. `cargo test -p cuspid-app` fails while they
# are stale.
set -euo pipefail
cd "$(dirname "$0")/.."
mkdir -p ui/dist
[ -e ui/dist/index.html ] || echo '<!doctype html><title>Cuspid</title>' > ui/dist/index.html
CUSPID_SKIP_UI_BUILD=1 CUSPID_WRITE_BINDINGS=1 \
  cargo test -p cuspid-app --lib the_ui_bindings_match_the_rust_side -- --quiet
git status --short -- ui/src/lib/bindings
