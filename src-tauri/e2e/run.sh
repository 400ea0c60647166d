#!/usr/bin/env bash
# The desktop end-to-end test: the built app in a real window under Xvfb, driven by desktop.mjs
# through tauri-driver and WebKitWebDriver. Prints "N passed, N failed".
#
# `./dev desktop-e2e` installs what this needs (Debian packages, npm packages, tauri-driver under
# target/tools), builds the UI and the app, then runs this script; `./dev test` runs it on the
# app its `cargo test` built. Run it alone to test an app already built.
#
# Screenshots, and on a failure the page source and the app's and drivers' log, are kept in
# src-tauri/test-results/desktop-e2e/ (E2E_OUT).
set -euo pipefail
cd "$(dirname "$0")/../.."

export TAURI_DRIVER="${TAURI_DRIVER:-$PWD/target/tools/bin/tauri-driver}"
export E2E_OUT="${E2E_OUT:-$PWD/src-tauri/test-results/desktop-e2e}"
for tool in dbus-run-session xvfb-run WebKitWebDriver "$TAURI_DRIVER" node; do
  command -v "$tool" >/dev/null || { echo "$tool not found: run ./dev desktop-e2e, which installs it" >&2; exit 2; }
done
BIN="${GUILDHALL_DESKTOP_BIN:-$PWD/target/debug/guildhall-desktop}"
[ -x "$BIN" ] || { echo "$BIN not found: run ./dev desktop-e2e, which builds it" >&2; exit 2; }
rm -rf "$E2E_OUT"

# A private D-Bus session bus, so that the single-instance check has one to use.
GUILDHALL_DESKTOP_BIN="$BIN" exec dbus-run-session -- xvfb-run -a -s '-screen 0 1280x800x24' node src-tauri/e2e/desktop.mjs
