#!/usr/bin/env bash
# Installs what building and running Tracklight needs, skipping whatever is already there.
#   scripts/setup.sh          tools to build and run
#   scripts/setup.sh --test   also what the test suite needs (Chromium, PostgreSQL, moto's S3)
source "$(dirname "$0")/lib.sh"

want_tests=false
[ "${1:-}" = "--test" ] && want_tests=true

command -v cargo >/dev/null || die "Rust is not installed: see https://rustup.rs (then run this again)"

if ! rustup target list --installed 2>/dev/null | grep -qx wasm32-unknown-unknown; then
  say "Adding the wasm32-unknown-unknown Rust target"
  rustup target add wasm32-unknown-unknown
fi

WB="$(wasm_bindgen_version)"
if ! wasm-bindgen --version 2>/dev/null | grep -qx "wasm-bindgen $WB"; then
  say "Installing wasm-bindgen-cli $WB (a few minutes, once)"
  CARGO_RESOLVER_INCOMPATIBLE_RUST_VERSIONS=fallback cargo install wasm-bindgen-cli --version "$WB"
fi

if ! command -v brotli >/dev/null; then
  say "Installing brotli (pre-compresses the WebAssembly and JS bundles)"
  apt_install brotli
fi

if ! command -v npm >/dev/null; then
  say "Installing Node.js and npm"
  apt_install nodejs npm
fi

node_major="$(node --version 2>/dev/null | sed -E 's/^v([0-9]+).*/\1/')"
if [ "${node_major:-0}" -lt 20 ]; then
  die "Node.js 20 or newer is needed (found $(node --version 2>/dev/null || echo none)): Playwright requires it"
fi

# wasm-opt comes from npm's binaryen (Debian's is too old and breaks hydration); the test
# runner from npm's @playwright/test. package-lock.json pins both.
if [ ! -x end2end/node_modules/.bin/wasm-opt ] || [ end2end/package-lock.json -nt end2end/node_modules/.package-lock.json ]; then
  say "Installing the npm packages in end2end/ (wasm-opt, Playwright)"
  (cd end2end && npm ci --no-audit --no-fund --loglevel=error)
fi

if $want_tests; then
  if ! leptosfmt --version 2>/dev/null | grep -q "0.1.33"; then
    say "Installing leptosfmt (formats view! macros; about a minute, once)"
    cargo install leptosfmt --locked --version 0.1.33
  fi
  if [ ! -x /usr/bin/chromium ]; then
    say "Installing Chromium for the browser tests"
    apt_install chromium
  fi
  if ! ls /usr/lib/postgresql/*/bin/postgres >/dev/null 2>&1; then
    say "Installing PostgreSQL for the storage tests"
    apt_install postgresql
  fi
  # An S3-compatible server for the test of shoppers' photos in a bucket (moto's, from PyPI).
  if ! command -v moto_server >/dev/null; then
    say "Installing moto's S3 server for the media storage tests"
    command -v pip3 >/dev/null || apt_install python3-pip
    pip3 install --quiet "moto[server]==5.*" 2>/dev/null \
      || pip3 install --quiet --break-system-packages "moto[server]==5.*"
  fi
fi
