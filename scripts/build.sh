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
rm -rf "$PKG" "$SITE/build-id"  # no stale files from an earlier build (or from cargo-leptos)
mkdir -p "$PKG"

# Two bundles of the same crate: `tracklight` (every island, for merchant pages) and `widget`
# (the tracking page's islands only, for shoppers: what the embed downloads).
build_bundle() { # name, extra cargo flags...
  local name="$1"; shift
  say "Building the WebAssembly bundle: $name"
  cargo build -p frontend --lib --target wasm32-unknown-unknown --profile wasm-release "$@"
  wasm-bindgen --target web --no-typescript --out-dir "$PKG" --out-name "$name" \
    target/wasm32-unknown-unknown/wasm-release/frontend.wasm
  if command -v wasm-opt >/dev/null; then
    wasm-opt -Oz --enable-bulk-memory --enable-nontrapping-float-to-int --enable-sign-ext \
      --enable-mutable-globals --enable-reference-types --enable-multivalue "$PKG/${name}_bg.wasm" -o "$PKG/${name}_bg.wasm"
  else
    say "wasm-opt not found (run scripts/setup.sh): the bundle stays larger"
  fi
}
build_bundle tracklight
build_bundle widget --no-default-features
cp style/main.css "$PKG/tracklight.css"
cp -r public/. "$SITE/"

# Content-hashed names (the server reads the hash from build-id and caches these for a year);
# the stylesheet also keeps its plain name for the API docs and demo pages.
BUILD_ID="$(cat "$PKG"/tracklight.js "$PKG"/tracklight_bg.wasm "$PKG"/widget.js "$PKG"/widget_bg.wasm \
  "$PKG"/tracklight.css | sha256sum | cut -c1-16)"
for bundle in tracklight widget; do
  mv "$PKG/$bundle.js" "$PKG/$bundle.$BUILD_ID.js"
  mv "$PKG/${bundle}_bg.wasm" "$PKG/$bundle.${BUILD_ID}_bg.wasm"
done
cp "$PKG/tracklight.css" "$PKG/tracklight.$BUILD_ID.css"
echo "$BUILD_ID" > "$SITE/build-id"
for f in "$PKG"/*.js "$PKG"/*.wasm "$PKG"/*.css; do
  gzip -9 -k -f "$f"
  # Brotli when the tool is there (scripts/setup.sh installs it); the server serves .br,
  # then .gz, to browsers that accept them.
  if command -v brotli >/dev/null; then brotli -q 11 -k -f "$f"; fi
done

say "Building the server ($server_profile)"
cargo build -p server --profile "$server_profile"
