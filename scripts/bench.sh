#!/usr/bin/env bash
# Benchmarks, each printed side by side with a baseline measured in the same run:
#   1. Tracking page throughput: the server-rendered /t/{token} against the same bytes served
#      as a static file by the same server (target: within a small factor).
#   2. What a shopper downloads for the page's interactivity (gzip), against the HTML itself.
# Uses the release build and wrk (installed from Debian if missing). Not part of CI.
#   scripts/bench.sh [seconds per run, default 10]
source "$(dirname "$0")/lib.sh"

DURATION="${1:-10}"
PORT="${TRACKLIGHT_BENCH_PORT:-3987}"
BASE="http://127.0.0.1:$PORT"
DATA="$ROOT/target/bench-data"

"$ROOT/scripts/setup.sh"
command -v wrk >/dev/null || { say "Installing wrk"; apt_install wrk; }
"$ROOT/scripts/build.sh"

rm -rf "$DATA"
TRACKLIGHT_BIND="127.0.0.1:$PORT" TRACKLIGHT_DATA_DIR="$DATA" TRACKLIGHT_LOG=warn \
  TRACKLIGHT_SITE_ROOT="$ROOT/target/site" "$ROOT/target/release/tracklight" > "$DATA.log" 2>&1 &
SERVER=$!
trap 'kill $SERVER 2>/dev/null; rm -f "$ROOT"/target/site/pkg/bench-page.html*' EXIT
for _ in $(seq 1 50); do curl -fs "$BASE/readyz" >/dev/null && break; sleep 0.2; done
curl -fs "$BASE/readyz" >/dev/null || die "the server did not start (see $DATA.log)"

PAGE="$(grep -o "$BASE/t/[A-Za-z0-9_-]*" "$DATA.log" | head -n 1)"
[ -n "$PAGE" ] || die "no demo tracking page in $DATA.log"
curl -fs "$PAGE" -o "$ROOT/target/site/pkg/bench-page.html"
gzip -9 -k -f "$ROOT/target/site/pkg/bench-page.html"  # served pre-compressed, like the assets
STATIC="$BASE/pkg/bench-page.html"

run() { # url → "requests/s p50 p99"
  wrk -t2 -c32 -d"${DURATION}s" --latency -H 'Accept-Encoding: gzip' "$1" | awk '
    /Requests\/sec/ { rps = $2 }
    /^ +50%/ { p50 = $2 }
    /^ +99%/ { p99 = $2 }
    END { printf "%s %s %s", rps, p50, p99 }'
}

say "Measuring ($DURATION s each, 32 connections, gzip)"
read -r s_rps s_p50 s_p99 <<<"$(run "$STATIC")"
read -r p_rps p_p50 p_p99 <<<"$(run "$PAGE")"

gz() { gzip -9 -c "$1" | wc -c; }
js=$(gz target/site/pkg/tracklight.js)
wasm=$(gz target/site/pkg/tracklight_bg.wasm)
css=$(gz target/site/pkg/tracklight.css)
html=$(gz target/site/pkg/bench-page.html)

echo
echo "Tracking page throughput (same machine, same server, same bytes)"
printf '  %-34s %12s %10s %10s\n' "" "requests/s" "p50" "p99"
printf '  %-34s %12s %10s %10s\n' "static file (baseline)" "$s_rps" "$s_p50" "$s_p99"
printf '  %-34s %12s %10s %10s\n' "server-rendered /t/{token}" "$p_rps" "$p_p50" "$p_p99"
awk -v s="$s_rps" -v p="$p_rps" 'BEGIN { printf "  server-rendered / static: %.2f\n", p / s }'
echo
echo "Bytes a shopper downloads (gzip -9)"
printf '  %-34s %10s\n' "page HTML (baseline)" "$html"
printf '  %-34s %10s\n' "CSS" "$css"
printf '  %-34s %10s\n' "JS glue" "$js"
printf '  %-34s %10s\n' "WebAssembly" "$wasm"
printf '  %-34s %10s\n' "total" "$((html + css + js + wasm))"
