#!/usr/bin/env bash
# Fuzzes the API against its own OpenAPI document with schemathesis: a live
# `kindred serve --demo` on SQLite (temporary data directory) and on PostgreSQL (a fresh
# database), signed in as the demo admin. Fails on any 5xx and on any response that
# does not match the document (status, content type, headers, body schema).
#
#   .ci/schemathesis.sh [sqlite|postgres|both]     (default: both)
#
# The checks are schemathesis's conformance checks plus "no 5xx". Its `all` adds checks
# that expect every schema-valid request to succeed (positive_data_acceptance), which no
# schema can promise for opaque cursors or the common-password list, and 405 for unknown
# methods, where the API answers its usual 404.
#
# Environment: ST_CHECKS (default: the five above), ST_MAX_EXAMPLES (default 25),
# ST_SEED (a fixed seed reproduces a run), KINDRED_BIN (default: target/debug/kindred,
# built first), KINDRED_TEST_POSTGRES (default postgres://postgres@127.0.0.1:5432).
set -euo pipefail
cd "$(dirname "$0")/.."

backends=${1:-both}
case "$backends" in
  both) backends="sqlite postgres" ;;
  sqlite | postgres) ;;
  *) echo "usage: $0 [sqlite|postgres|both]" >&2; exit 2 ;;
esac

st=$PWD/target/st/bin/schemathesis
if [ ! -x "$st" ]; then
  python3 -m venv target/st
  # The CLI's flags changed between majors; these are 4.x's.
  target/st/bin/pip install -q 'schemathesis>=4,<5'
fi
"$st" --version

# The test suite builds the server as a library; the binary may be older than the code.
if [ -z "${KINDRED_BIN:-}" ]; then
  cargo build -p kindred-cli --bin kindred
fi
bin=${KINDRED_BIN:-target/debug/kindred}
pg_base=${KINDRED_TEST_POSTGRES:-postgres://postgres@127.0.0.1:5432}

server_pid=""
work=""
cleanup() {
  if [ -n "$server_pid" ]; then
    kill "$server_pid" 2>/dev/null || true
    wait "$server_pid" 2>/dev/null || true
    server_pid=""
  fi
  if [ -n "$work" ]; then
    rm -rf "$work"
    work=""
  fi
}
trap cleanup EXIT

free_port() {
  python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

run_backend() {
  local backend=$1 port base database_url token
  work=$(mktemp -d)
  port=$(free_port)
  base="http://127.0.0.1:$port"
  case "$backend" in
    sqlite) database_url="sqlite://$work/kindred.db" ;;
    postgres)
      local db="kindred_st_$$"
      psql "$pg_base/postgres" -qc "DROP DATABASE IF EXISTS $db"
      psql "$pg_base/postgres" -qc "CREATE DATABASE $db"
      database_url="$pg_base/$db?sslmode=disable&gssencmode=disable"
      ;;
  esac
  printf '\n=== schemathesis: %s on %s\n' "$backend" "$base"
  KINDRED_DATA_DIR="$work" DATABASE_URL="$database_url" KINDRED_BIND="127.0.0.1:$port" \
    RUST_LOG=warn "$bin" serve --demo >"$work/server.log" 2>&1 &
  server_pid=$!
  for _ in $(seq 1 100); do
    curl -fsS "$base/livez" >/dev/null 2>&1 && break
    sleep 0.2
  done
  curl -fsS "$base/livez" >/dev/null

  # A member of our own, so the run also sees a plain account; the fuzzing signs in as
  # the demo admin, who may reach every route.
  curl -fsS -H 'content-type: application/json' \
    -d '{"username": "st_member", "password": "fuzzing is patient work"}' \
    "$base/api/v1/auth/register" >/dev/null
  token=$(curl -fsS -H 'content-type: application/json' \
    -d '{"username": "admin", "password": "kindred-demo-2026"}' \
    "$base/api/v1/auth/login" | python3 -c 'import json, sys; print(json.load(sys.stdin)["access_token"])')

  local seed=()
  [ -n "${ST_SEED:-}" ] && seed=(--seed "$ST_SEED")
  local status=0
  # Run from the scratch directory, where schemathesis keeps its `.schemathesis` cache.
  pushd "$work" >/dev/null
  # Signing out would revoke the token the rest of the run uses. One worker: with two,
  # hypothesis's lambda descriptions have failed in CPython 3.11's ast module ("AST
  # constructor recursion depth mismatch"), a fuzzer error rather than an API failure.
  "$st" --no-color run "$base/api/v1/openapi.json" \
    --url "$base" \
    -H "Authorization: Bearer $token" \
    --checks "${ST_CHECKS:-not_a_server_error,status_code_conformance,content_type_conformance,response_headers_conformance,response_schema_conformance}" \
    --phases examples,coverage,fuzzing,stateful \
    --exclude-path /api/v1/auth/logout \
    --max-examples "${ST_MAX_EXAMPLES:-25}" \
    --request-timeout 10 \
    --workers 1 \
    --suppress-health-check all \
    "${seed[@]}" || status=$?
  popd >/dev/null
  if grep -q 'request failed' "$work/server.log"; then
    echo "the server logged failed requests:" >&2
    grep 'request failed' "$work/server.log" | head -20 >&2
    status=1
  fi
  cleanup
  if [ "$backend" = postgres ]; then
    psql "$pg_base/postgres" -qc "DROP DATABASE IF EXISTS kindred_st_$$" || true
  fi
  return "$status"
}

failed=0
for backend in $backends; do
  run_backend "$backend" || failed=1
done
exit "$failed"
