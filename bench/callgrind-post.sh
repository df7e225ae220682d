#!/usr/bin/env bash
# Instructions and SQL statements per reply, for an ordinary screened member (not the
# admin, who is not screened) posting N replies to one thread on SQLite, each with its own
# Idempotency-Key as the pages send. Builds nothing: give the binary (default
# target/debug/kindred; state which profile you measured).
# Usage: bench/callgrind.sh --post [replies] [binary]   (or bench/callgrind-post.sh …)
# The community, member (registered and joined) and thread are made by an unmeasured
# server; the same data directory is then served under callgrind, which counts every
# thread of the process (the request, the blocking pool, and the work after the commit:
# realtime tail and search indexer). Counters are zeroed, N replies sent on one keep-alive
# connection, the indexer given time to catch up, and the dump read. Statements come from
# `kindred_db_statements_total` on /metrics before and after.
set -euo pipefail
cd "$(dirname "$0")/.."
n=${1:-100}
bin=${2:-target/debug/kindred}
port=18192
base="http://127.0.0.1:$port"
dir=$(mktemp -d)
server=
trap 'kill "$server" 2>/dev/null || true; wait 2>/dev/null; rm -rf "$dir"' EXIT

serve() {
  # The hourly posting limits would stop a new member after 20 replies; they are still
  # checked and counted on every reply.
  RUST_LOG=warn KINDRED_DATA_DIR="$dir" KINDRED_BIND="127.0.0.1:$port" \
    KINDRED_POSTS_PER_HOUR=1000000000 KINDRED_NEW_MEMBER_POSTS_PER_HOUR=1000000000 \
    "$@" serve >/dev/null 2>&1 &
  server=$!
  for _ in $(seq 1 600); do curl -sf "$base/livez" >/dev/null && return; sleep 0.2; done
  echo "server did not start" >&2; exit 1
}

json() { curl -sf -H 'content-type: application/json' "$@"; }
field() { sed -n "s/.*\"$1\":\"\\([^\"]*\\)\".*/\\1/p"; }
statements() { curl -sf "$base/metrics" | sed -n "s/^kindred_db_statements$1_total //p"; }
password='a long benchmark passphrase'
serve "$bin"
echo "$password" | KINDRED_DATA_DIR="$dir" "$bin" admin create bench_admin >/dev/null
admin=$(json -X POST "$base/api/v1/auth/login" -d "{\"username\":\"bench_admin\",\"password\":\"$password\"}" | field access_token)
json -H "authorization: Bearer $admin" -X POST "$base/api/v1/communities" -d '{"slug":"bench","name":"Bench","kind":"general","visibility":"public","join_policy":"open","language":"en"}' >/dev/null
member=$(json -X POST "$base/api/v1/auth/register" -d "{\"username\":\"bench_member\",\"password\":\"$password\"}" | field access_token)
json -H "authorization: Bearer $member" -X POST "$base/api/v1/communities/bench/join" -d '{}' >/dev/null
body='Thinking of you this week. The waiting before results is the hardest part; **planning something small** for the evening after the scan helped me.'
thread=$(json -H "authorization: Bearer $admin" -X POST "$base/api/v1/communities/bench/threads" -d "{\"title\":\"Benchmark thread\",\"body\":\"$body\"}" | sed -n 's/.*"thread":{"id":"\([0-9]*\)".*/\1/p')
kill "$server"; wait "$server" 2>/dev/null || true

out="$dir/callgrind.out"
serve valgrind --tool=callgrind --callgrind-out-file="$out" "$bin"

# N replies on one keep-alive connection, each its own transfer (`--next`) with its own key.
replies() {
  local args=() i
  for i in $(seq 1 "$1"); do
    [ "$i" -gt 1 ] && args+=(--next)
    args+=(-s -o /dev/null -w '%{http_code}\n' -H "authorization: Bearer $member"
      -H 'content-type: application/json' -H "idempotency-key: $2-$i"
      -X POST -d "{\"body\":\"$body\"}" "$base/api/v1/threads/$thread/posts")
  done
  curl "${args[@]}"
}
replies 5 warm >/dev/null # the first statements of each kind are prepared here
sleep 3
before=$(statements "")
prepared_before=$(statements _prepared)
callgrind_control -z "$server" >/dev/null 2>&1
codes=$(replies "$n" measured | sort | uniq -c | awk '{printf "%s%s x %s", sep, $1, $2; sep=", "}')
sleep 3 # the search indexer commits at most once a second
callgrind_control -d "$server" >/dev/null 2>&1
after=$(statements "")
prepared_after=$(statements _prepared)
total=$(cat "$out".* 2>/dev/null | sed -n 's/^summary: //p' | awk '{s+=$1} END {print s}')
# Inclusive cost of one function over the dump files (callgrind_annotate reads one each).
inclusive() {
  local f sum=0 v
  for f in "$out".*; do
    v=$(callgrind_annotate --inclusive=yes --threshold=100 "$f" 2>/dev/null | grep -F "$1" | head -1 | awk '{gsub(",", "", $1); print $1}')
    sum=$((sum + ${v:-0}))
  done
  echo "$sum"
}
service=$(inclusive 'kindred_server::service::threads::posting::reply ')
echo "$n replies by an ordinary member, answers: $codes"
echo "instructions per reply (whole process, background tasks and idle timers included): $((total / n))"
echo "instructions per reply in service::threads::posting::reply (inclusive): $((service / n))"
# One /metrics scrape's own outbox count falls between the two readings.
echo "statements per reply: $(awk "BEGIN {printf \"%.2f\", ($after - $before - 1) / $n}")"
echo "statements prepared into the cache during the run: $((prepared_after - prepared_before))"
