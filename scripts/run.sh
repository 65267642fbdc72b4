#!/usr/bin/env bash
# Installs what is missing, builds, and runs Tracklight on SQLite with demo data.
# Settings come from TRACKLIGHT_* environment variables (see the README).
source "$(dirname "$0")/lib.sh"

"$ROOT/scripts/setup.sh"
"$ROOT/scripts/build.sh"
export TRACKLIGHT_SITE_ROOT="${TRACKLIGHT_SITE_ROOT:-$ROOT/target/site}"
export TRACKLIGHT_DATA_DIR="${TRACKLIGHT_DATA_DIR:-$ROOT/data}"
exec "$ROOT/target/release/tracklight"
