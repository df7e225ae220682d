#!/usr/bin/env bash
# Instructions per request, counted by callgrind (repeatable on a loaded machine, unlike
# req/s): /livez (the hello-world baseline) against the 50-post thread page as JSON and as
# HTML, anonymous, on SQLite. Builds nothing: give the binary (default target/debug/kindred,
# so state which profile you measured). Usage: bench/callgrind.sh [requests] [binary];
# bench/callgrind.sh --post [replies] [binary] counts a screened member's replies instead
# (bench/callgrind-post.sh).
# The thread is created by an unmeasured server; the same data directory is then served under
# callgrind, counters are zeroed, N keep-alive requests sent by one curl, and the dump read.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ "${1:-}" = --post ]; then
  shift
  exec bench/callgrind-post.sh "$@"
fi
n=${1:-200}
bin=${2:-target/debug/kindred}
port=18191
base="http://127.0.0.1:$port"
dir=$(mktemp -d)
server=
trap 'kill "$server" 2>/dev/null || true; wait 2>/dev/null; rm -rf "$dir"' EXIT

serve() {
  RUST_LOG=warn KINDRED_DATA_DIR="$dir" KINDRED_BIND="127.0.0.1:$port" "$@" serve >/dev/null 2>&1 &
  server=$!
  for _ in $(seq 1 600); do curl -sf "$base/livez" >/dev/null && return; sleep 0.2; done
  echo "server did not start" >&2; exit 1
}

json() { curl -sf -H 'content-type: application/json' "$@"; }
field() { sed -n "s/.*\"$1\":\"\\([^\"]*\\)\".*/\\1/p"; }
serve "$bin"
echo 'a long benchmark passphrase' | KINDRED_DATA_DIR="$dir" "$bin" admin create bench_admin >/dev/null
token=$(json -X POST "$base/api/v1/auth/login" -d '{"username":"bench_admin","password":"a long benchmark passphrase"}' | field access_token)
auth=(-H "authorization: Bearer $token")
json "${auth[@]}" -X POST "$base/api/v1/communities" -d '{"slug":"bench","name":"Bench","kind":"general","visibility":"public","join_policy":"open","language":"en"}' >/dev/null
body='Thinking of you this week. The waiting before results is the hardest part; **planning something small** for the evening after the scan helped me.'
thread=$(json "${auth[@]}" -X POST "$base/api/v1/communities/bench/threads" -d "{\"title\":\"Benchmark thread\",\"body\":\"$body\"}" | sed -n 's/.*"thread":{"id":"\([0-9]*\)".*/\1/p')
for _ in $(seq 2 50); do
  json "${auth[@]}" -X POST "$base/api/v1/threads/$thread/posts" -d "{\"body\":\"$body\"}" >/dev/null
done
posts=$(curl -sf "$base/api/v1/threads/$thread?limit=50" | grep -o '"body_html"' | wc -l)
echo "thread $thread has $posts posts"
kill "$server"; wait "$server" 2>/dev/null || true

out="$dir/callgrind.out"
# Only what runs inside the HTTP/1 dispatcher counts: parsing, routing, middleware, the
# handler (SQLite reads run on the worker) and writing the answer, not background tasks.
serve valgrind --tool=callgrind --callgrind-out-file="$out" \
  --toggle-collect='*h1::dispatcher::Dispatcher*as core::future::future::Future>::poll' "$bin"
sleep 2

# Instructions per request for N requests to $1 on one keep-alive connection (extra curl
# arguments after it, e.g. a header).
measure() {
  local url=$1; shift
  local urls=()
  for _ in $(seq 1 "$n"); do urls+=("$url"); done
  curl -sf "$@" "$base$url" >/dev/null # warm
  callgrind_control -z "$server" >/dev/null 2>&1
  curl -sf "$@" "${urls[@]/#/$base}" >/dev/null
  callgrind_control -d "$server" >/dev/null 2>&1
  local total
  total=$(cat "$out".* 2>/dev/null | sed -n 's/^summary: //p' | awk '{s+=$1} END {print s}')
  rm -f "$out".*
  echo $((total / n))
}

livez=$(measure /livez)
echo "GET /livez: $livez instructions/request"
for route in "/api/v1/threads/$thread?limit=50" "/t/$thread"; do
  per=$(measure "$route")
  echo "GET $route: $per instructions/request ($(awk "BEGIN {printf \"%.1f\", 100 * $livez / $per}") % of /livez's rate)"
done
# A returning visitor: the HTML page with the CSRF cookie the first visit set (the runs
# above are first visits, each given a new token and cookie).
jar="$dir/cookies"
curl -sf -c "$jar" "$base/t/$thread" >/dev/null
per=$(measure "/t/$thread" -b "$jar")
echo "GET /t/$thread, returning visitor (CSRF cookie): $per instructions/request ($(awk "BEGIN {printf \"%.1f\", 100 * $livez / $per}") % of /livez's rate)"
etag=$(curl -sfI "$base/api/v1/threads/$thread?limit=50" | sed -n 's/^etag: //Ip' | tr -d '\r')
if [ -n "$etag" ]; then
  for route in "/api/v1/threads/$thread?limit=50" "/t/$thread"; do
    # The HTML page's tag is one per CSRF cookie: revalidate as the returning visitor.
    etag=$(curl -sf -b "$jar" -D - -o /dev/null "$base$route" | sed -n 's/^etag: //Ip' | tr -d '\r')
    per=$(measure "$route" -b "$jar" -H "if-none-match: $etag")
    echo "GET $route, If-None-Match -> 304: $per instructions/request ($(awk "BEGIN {printf \"%.1f\", 100 * $livez / $per}") % of /livez's rate)"
  done
fi
