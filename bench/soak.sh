#!/usr/bin/env bash
# Soak: a release server on SQLite under steady mixed traffic (replies, thread reads,
# searches, health checks) from a few curl loops on loopback, for a bounded time (default
# 300 s, at most 1800). Every 10 s it samples the server's resident memory, open file
# descriptors, threads and search index lag; at the end it prints the samples and fails
# (exit 1) if memory grew by more than 64 MiB after the first minute (or, on runs of 5
# minutes and more, ended above 1.2× its size at 5 minutes), descriptors grew by more
# than 50, the index did not catch up, or any request failed. Needs curl.
# Usage: bench/soak.sh [seconds]
set -euo pipefail
cd "$(dirname "$0")/.."
duration=${1:-300}
if [ "$duration" -lt 60 ] || [ "$duration" -gt 1800 ]; then
  echo "duration must be between 60 and 1800 seconds" >&2
  exit 2
fi
port=18282
base="http://127.0.0.1:$port"
dir=$(mktemp -d)
workers=()
cleanup() {
  for w in "${workers[@]}"; do kill "$w" 2>/dev/null || true; done
  kill "$server" 2>/dev/null || true
  rm -rf "$dir"
}
trap cleanup EXIT

cargo build --release -q -p kindred-cli
RUST_LOG=warn KINDRED_DATA_DIR="$dir" KINDRED_BIND="127.0.0.1:$port" \
  ./target/release/kindred serve >/dev/null 2>&1 &
server=$!
for _ in $(seq 1 100); do curl -sf "$base/livez" >/dev/null && break; sleep 0.1; done

json() { curl -sf -H 'content-type: application/json' "$@"; }
field() { sed -n "s/.*\"$1\":\"\\([^\"]*\\)\".*/\\1/p"; }
echo 'a long soak test passphrase' | KINDRED_DATA_DIR="$dir" ./target/release/kindred admin create soak_admin >/dev/null
token=$(json -X POST "$base/api/v1/auth/login" -d '{"username":"soak_admin","password":"a long soak test passphrase"}' | field access_token)
auth=(-H "authorization: Bearer $token")
json "${auth[@]}" -X POST "$base/api/v1/communities" -d '{"slug":"soak","name":"Soak","kind":"general","visibility":"public","join_policy":"open"}' >/dev/null
thread=$(json "${auth[@]}" -X POST "$base/api/v1/communities/soak/threads" -d '{"title":"Soak thread","body":"Starting the soak."}' | sed -n 's/.*"thread":{"id":"\([0-9]*\)".*/\1/p')

end=$((SECONDS + duration))
# Every failed request is a line here; the soak fails on any.
errors="$dir/errors"
: > "$errors"
login() {
  json -X POST "$base/api/v1/auth/login" \
    -d '{"username":"soak_admin","password":"a long soak test passphrase"}' | field access_token
}
writer() {
  local i=0 token="" signed_in=0
  while [ $SECONDS -lt $end ]; do
    # Access tokens last 15 minutes: sign in again well before.
    if [ -z "$token" ] || [ $((SECONDS - signed_in)) -ge 600 ]; then
      token=$(login) || true
      signed_in=$SECONDS
    fi
    i=$((i + 1))
    json -H "authorization: Bearer $token" -X POST "$base/api/v1/threads/$thread/posts" \
      -d "{\"body\":\"Soak reply $i from writer $1: the infusion went fine, tired after.\"}" \
      >/dev/null || echo "reply $i (writer $1) at ${SECONDS}s" >> "$errors"
  done
}
reader() {
  while [ $SECONDS -lt $end ]; do
    curl -sf "$base/api/v1/threads/$thread?limit=50" >/dev/null || echo "thread at ${SECONDS}s" >> "$errors"
    curl -sf "$base/api/v1/search?q=infusion&limit=20" >/dev/null || echo "search at ${SECONDS}s" >> "$errors"
    curl -sf "$base/healthz" >/dev/null || echo "healthz at ${SECONDS}s" >> "$errors"
  done
}
for w in 1 2; do writer "$w" & workers+=($!); done
for _ in 1 2; do reader & workers+=($!); done

metric() { curl -sf "$base/metrics" | sed -n "s/^$1 //p"; }
printf '%6s %10s %6s %8s %8s %6s\n' seconds rss_kib fds threads docs lag
first_rss=""; first_fds=""; rss_at_5min=""
start=$SECONDS
while [ $SECONDS -lt $end ]; do
  sleep 10
  elapsed=$((SECONDS - start))
  rss=$(sed -n 's/^VmRSS:[[:space:]]*\([0-9]*\).*/\1/p' "/proc/$server/status")
  fds=$(ls "/proc/$server/fd" | wc -l)
  threads=$(sed -n 's/^Threads:[[:space:]]*//p' "/proc/$server/status")
  printf '%6s %10s %6s %8s %8s %6s\n' "$elapsed" "$rss" "$fds" "$threads" \
    "$(metric kindred_search_documents)" "$(metric kindred_search_index_lag_events)"
  if [ "$elapsed" -ge 60 ] && [ -z "$first_rss" ]; then first_rss=$rss; first_fds=$fds; fi
  if [ "$elapsed" -ge 300 ] && [ -z "$rss_at_5min" ]; then rss_at_5min=$rss; fi
done
for w in "${workers[@]}"; do wait "$w" 2>/dev/null || true; done
workers=()

lag=1
for _ in $(seq 1 30); do
  lag=$(metric kindred_search_index_lag_events)
  [ "$lag" = 0 ] && break
  sleep 1
done
rss=$(sed -n 's/^VmRSS:[[:space:]]*\([0-9]*\).*/\1/p' "/proc/$server/status")
fds=$(ls "/proc/$server/fd" | wc -l)
posts=$(metric kindred_search_documents)
echo "posts indexed: $posts; index lag after the load: $lag events"
echo "after the first minute: memory ${first_rss} → ${rss} KiB, descriptors ${first_fds} → ${fds}"
status=0
if [ $((rss - first_rss)) -gt $((64 * 1024)) ]; then echo "FAIL: memory grew by more than 64 MiB"; status=1; fi
if [ $((fds - first_fds)) -gt 50 ]; then echo "FAIL: file descriptors grew by more than 50"; status=1; fi
if [ "$lag" != 0 ]; then echo "FAIL: the search index did not catch up"; status=1; fi
failed=$(wc -l < "$errors")
echo "failed requests: $failed"
if [ "$failed" -gt 0 ]; then head -5 "$errors"; echo "FAIL: requests failed"; status=1; fi
if [ -n "$rss_at_5min" ]; then
  echo "memory at 5 minutes ${rss_at_5min} KiB, at the end ${rss} KiB"
  if [ $((rss * 10)) -gt $((rss_at_5min * 12)) ]; then echo "FAIL: memory at the end is over 1.2× that at 5 minutes"; status=1; fi
fi
[ $status = 0 ] && echo "soak passed"
exit $status
