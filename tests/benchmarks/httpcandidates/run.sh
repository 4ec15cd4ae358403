#!/usr/bin/env bash
# Builds the candidates (alabos's build tree must be built: ./scripts/build) and measures each
# with wrk on this machine: GET /devices/{id} at 64 and at 1,000 connections, SECONDS each.
# Needs libmicrohttpd-dev and qt6-httpserver-dev besides scripts/install-deps (the suite does
# not build the candidates: apt-get install libmicrohttpd-dev qt6-httpserver-dev).
set -euo pipefail
cd "$(dirname "$0")"
seconds=${1:-10}
cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build build -j2 >/dev/null
cat > build/ids.lua <<'LUA'
request = function()
  return wrk.format("GET", "/devices/device-" .. math.random(0, 9999))
end
LUA
port=18100
printf '| candidate | connections | requests/s | p99 | errors | peak RSS |\n|---|---|---|---|---|---|\n'
for candidate in beast qthttpserver microhttpd; do
  port=$((port + 1))
  "build/candidate-$candidate" "$port" 2>/dev/null &
  pid=$!
  sleep 1
  for connections in 64 1000; do
    out=$(wrk -t2 -c"$connections" -d"${seconds}s" --timeout 5s --latency -s build/ids.lua "http://127.0.0.1:$port" 2>&1)
    rps=$(sed -n 's/^Requests\/sec: *//p' <<<"$out")
    p99=$(sed -n 's/^ *99% *//p' <<<"$out")
    errors=$(sed -n 's/.*Socket errors: \(.*\)/\1/p' <<<"$out")
    non2xx=$(sed -n 's/.*Non-2xx or 3xx responses: *//p' <<<"$out")
    rss=$(awk '/VmHWM/ {print $2/1024 " MB"}' "/proc/$pid/status")
    printf '| %s | %s | %s | %s | %s | %s |\n' "$candidate" "$connections" "$rps" "$p99" \
      "${errors:-none}${non2xx:+, non-2xx $non2xx}" "$rss"
  done
  kill "$pid"
  wait "$pid" 2>/dev/null || true
done
