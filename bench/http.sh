#!/usr/bin/env bash
# HTTP benchmark, side by side in one run: the liveness route (hello-world baseline) vs
# GET /api/v1/threads/{id} for a 50-post thread, and POST replies, with wrk at 200
# connections. Needs wrk (Debian: apt-get install wrk). Usage: bench/http.sh [seconds]
set -euo pipefail
cd "$(dirname "$0")/.."
duration=${1:-15}
port=18181
base="http://127.0.0.1:$port"
dir=$(mktemp -d)
trap 'kill "$server" 2>/dev/null || true; rm -rf "$dir"' EXIT

cargo build --release -q -p kindred-cli
RUST_LOG=warn KINDRED_DATA_DIR="$dir" KINDRED_BIND="127.0.0.1:$port" \
  ./target/release/kindred serve >/dev/null 2>&1 &
server=$!
for _ in $(seq 1 100); do curl -sf "$base/livez" >/dev/null && break; sleep 0.1; done

json() { curl -sf -H 'content-type: application/json' "$@"; }
field() { sed -n "s/.*\"$1\":\"\\([^\"]*\\)\".*/\\1/p"; }
echo 'a long benchmark passphrase' | KINDRED_DATA_DIR="$dir" ./target/release/kindred admin create bench_admin >/dev/null
token=$(json -X POST "$base/api/v1/auth/login" -d '{"username":"bench_admin","password":"a long benchmark passphrase"}' | field access_token)
auth=(-H "authorization: Bearer $token")
json "${auth[@]}" -X POST "$base/api/v1/communities" -d '{"slug":"bench","name":"Bench","kind":"general","visibility":"public","join_policy":"open"}' >/dev/null
body='Thinking of you this week. The waiting before results is the hardest part; **planning something small** for the evening after the scan helped me.'
thread=$(json "${auth[@]}" -X POST "$base/api/v1/communities/bench/threads" -d "{\"title\":\"Benchmark thread\",\"body\":\"$body\"}" | sed -n 's/.*"thread":{"id":"\([0-9]*\)".*/\1/p')
for _ in $(seq 2 50); do
  json "${auth[@]}" -X POST "$base/api/v1/threads/$thread/posts" -d "{\"body\":\"$body\"}" >/dev/null
done
posts=$(curl -sf "$base/api/v1/threads/$thread?limit=50" | grep -o '"body_html"' | wc -l)
echo "thread $thread has $posts posts"

echo "machine: $(nproc) cores, $(free -g | awk '/Mem:/{print $2}') GiB, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)"
echo
echo "== GET /livez (baseline)"
wrk -t2 -c200 -d"${duration}s" --latency "$base/livez"
echo
echo "== GET /api/v1/threads/{id}?limit=50 (50 posts)"
wrk -t2 -c200 -d"${duration}s" --latency "$base/api/v1/threads/$thread?limit=50"
echo
cat > "$dir/post.lua" <<LUA
wrk.method = "POST"
wrk.headers["content-type"] = "application/json"
wrk.headers["authorization"] = "Bearer $token"
wrk.body = '{"body":"$body"}'
LUA
echo "== POST /api/v1/threads/{id}/posts (SQLite, 50 connections)"
wrk -t2 -c50 -d"${duration}s" --latency -s "$dir/post.lua" "$base/api/v1/threads/$thread/posts"
