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

# Two bundles: `tracklight` (the `frontend` crate: every merchant page's islands, with the
# Leptos runtime) and `widget` (the `widget` crate: the shopper pages' small module, no UI
# framework; what the embed downloads).
# The widget's glue is a classic script (`no-modules`): its page adds it by script, which a
# hash-based script policy allows (app/src/ui/scripts.rs), where it would refuse a module import.
build_bundle() { # name, crate, wasm-bindgen target
  local name="$1" crate="$2" target="$3"
  say "Building the WebAssembly bundle: $name"
  cargo build -p "$crate" --lib --target wasm32-unknown-unknown --profile wasm-release
  wasm-bindgen --target "$target" --no-typescript --out-dir "$PKG" --out-name "$name" \
    "target/wasm32-unknown-unknown/wasm-release/$crate.wasm"
  if command -v wasm-opt >/dev/null; then
    wasm-opt -Oz --enable-bulk-memory --enable-nontrapping-float-to-int --enable-sign-ext \
      --enable-mutable-globals --enable-reference-types --enable-multivalue "$PKG/${name}_bg.wasm" -o "$PKG/${name}_bg.wasm"
  else
    say "wasm-opt not found (run scripts/setup.sh): the bundle stays larger"
  fi
}
build_bundle tracklight frontend web
build_bundle widget widget no-modules
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
