#!/usr/bin/env bash
# Builds the site (WebAssembly, JS glue, CSS, static files into target/site) and the server.
#   scripts/build.sh            server in release mode (what run.sh uses)
#   scripts/build.sh --debug    server in debug mode (what the tests use; shares their build)
# Does what `cargo leptos build` does, without needing cargo-leptos installed.
source "$(dirname "$0")/lib.sh"

server_profile=release
[ "${1:-}" = "--debug" ] && server_profile=dev

SITE="$ROOT/target/site"
PKG="$SITE/pkg"
rm -rf "$PKG"  # no stale files from an earlier build (or from cargo-leptos)
mkdir -p "$PKG"

say "Building the WebAssembly bundle"
cargo build -p frontend --lib --target wasm32-unknown-unknown --profile wasm-release
wasm-bindgen --target web --no-typescript --out-dir "$PKG" --out-name tracklight \
  target/wasm32-unknown-unknown/wasm-release/frontend.wasm
if command -v wasm-opt >/dev/null; then
  wasm-opt -Oz --enable-bulk-memory --enable-nontrapping-float-to-int --enable-sign-ext \
    --enable-mutable-globals --enable-reference-types --enable-multivalue "$PKG/tracklight_bg.wasm" -o "$PKG/tracklight_bg.wasm"
else
  say "wasm-opt not found (run scripts/setup.sh): the bundle stays larger"
fi
cp style/main.css "$PKG/tracklight.css"
cp -r public/. "$SITE/"
for f in "$PKG"/tracklight.js "$PKG"/tracklight_bg.wasm "$PKG"/tracklight.css; do
  gzip -9 -k -f "$f"
done

say "Building the server ($server_profile)"
cargo build -p server --profile "$server_profile"
