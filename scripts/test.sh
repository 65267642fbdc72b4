#!/usr/bin/env bash
# The whole test suite, as CI runs it. Installs what is missing (Rust target, wasm-bindgen,
# npm packages, Chromium, PostgreSQL), starts PostgreSQL if it is stopped, then:
#   formatting, clippy (server and wasm builds), unit + API + storage tests on SQLite and
#   PostgreSQL, the site build, and the browser tests in Chromium.
source "$(dirname "$0")/lib.sh"

"$ROOT/scripts/setup.sh" --test

# --- PostgreSQL: the storage and API tests run against it too, never skipped. ---------------
export TRACKLIGHT_TEST_POSTGRES_URL="${TRACKLIGHT_TEST_POSTGRES_URL:-postgres://postgres@127.0.0.1:5432/postgres}"
pg_ready() { pg_isready -q -h 127.0.0.1 -p 5432 2>/dev/null; }
if [[ "$TRACKLIGHT_TEST_POSTGRES_URL" == *"@127.0.0.1:5432/"* ]] && ! pg_ready; then
  say "Starting PostgreSQL"
  cluster_version="$(ls /etc/postgresql | sort -V | tail -n 1)"
  [ -n "$cluster_version" ] || die "PostgreSQL is installed but has no cluster (see /etc/postgresql)"
  pg_ctlcluster --skip-systemctl-redirect "$cluster_version" main start
  for _ in $(seq 1 30); do pg_ready && break; sleep 1; done
  pg_ready || die "PostgreSQL did not start"
fi
if [[ "$TRACKLIGHT_TEST_POSTGRES_URL" == *"@127.0.0.1:5432/"* ]]; then
  if ! psql "$TRACKLIGHT_TEST_POSTGRES_URL" -qAtc 'SELECT 1' >/dev/null 2>&1; then
    # A fresh Debian install asks for passwords over TCP: use a test role with one.
    say "Creating the PostgreSQL role tracklight_test"
    su postgres -c "psql -qc \"DO \\\$\\\$ BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'tracklight_test') THEN CREATE ROLE tracklight_test LOGIN CREATEDB PASSWORD 'tracklight_test'; END IF; END \\\$\\\$\"" \
      || die "cannot create a PostgreSQL role; set TRACKLIGHT_TEST_POSTGRES_URL to a server where tests may create databases"
    export TRACKLIGHT_TEST_POSTGRES_URL="postgres://tracklight_test:tracklight_test@127.0.0.1:5432/postgres"
  fi
  # Drop databases left by earlier runs.
  psql "$TRACKLIGHT_TEST_POSTGRES_URL" -qAtc \
    "SELECT 'DROP DATABASE ' || quote_ident(datname) || ';' FROM pg_database WHERE datname LIKE 'tracklight_test_%'" \
    | psql "$TRACKLIGHT_TEST_POSTGRES_URL" -q >/dev/null 2>&1 || true
fi

say "Formatting (rustfmt, leptosfmt for view! macros)"
cargo fmt --all --check
leptosfmt --check --quiet app/src frontend/src \
  || die "view! macros are not formatted: run leptosfmt app/src frontend/src && cargo fmt --all"

say "Clippy: server build (ssr)"
cargo clippy -p app -p sandbox -p server --features app/ssr --all-targets --locked -- -D warnings

say "Clippy: the merchant pages' WebAssembly build (hydrate)"
cargo clippy -p app -p frontend --target wasm32-unknown-unknown --locked -- -D warnings
say "Clippy: the shopper widget's WebAssembly (widget/)"
cargo clippy -p widget --target wasm32-unknown-unknown --locked -- -D warnings

say "The WebAssembly builds contain no server-only crates, and the widget no UI framework"
server_only="$(cargo tree -p frontend --target wasm32-unknown-unknown -e normal --prefix none --locked \
  | sort -u | grep -E '^(sqlx|sqlx-core|reqwest|phonenumber|axum|hyper|tokio) ' || true)"
[ -z "$server_only" ] || die "server-only crates in the wasm build: $server_only"
widget_heavy="$(cargo tree -p widget --target wasm32-unknown-unknown -e normal --prefix none --locked \
  | sort -u | grep -E '^(leptos|serde|serde_json|app) ' || true)"
[ -z "$widget_heavy" ] || die "the shopper widget pulls in: $widget_heavy"

say "Unit tests (app with ssr: services, queue, parsers; the provider sandboxes)"
cargo test -p app --features ssr --locked
cargo test -p sandbox --locked

say "Server tests: unit, API, storage, OpenAPI (SQLite and PostgreSQL)"
cargo test -p server --locked

say "Building the site and the server for the browser tests"
"$ROOT/scripts/build.sh" --debug

say "Browser tests (Playwright, Chromium)"
(cd end2end && npx playwright test)

say "All tests passed"
