#!/usr/bin/env bash
# `kindred screen` throughput on N generated lines (default 100,000), twice: corpus posts
# as written (about 150 characters on average) and the same posts repeated to about 2 KB. The
# lines are generated deterministically (line i is corpus post i·7919 mod n, with its
# number) from seed-data/moderation/corpus-*.jsonl. Needs python3.
# Usage: bench/screen.sh [lines]
set -euo pipefail
cd "$(dirname "$0")/.."
lines=${1:-100000}
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT

cargo build --release -q -p kindred-cli
python3 - "$lines" "$dir" <<'PY'
import json, sys
lines, out = int(sys.argv[1]), sys.argv[2]
texts = []
for part in "abc":
    with open(f"seed-data/moderation/corpus-{part}.jsonl") as f:
        texts += [json.loads(l)["text"] for l in f if l.strip()]
def long(text):
    repeated = text
    while len(repeated) + len(text) + 2 < 2048:
        repeated += "\n\n" + text
    return repeated
for name, shape in [("corpus", lambda t: t), ("2kb", long)]:
    with open(f"{out}/{name}.jsonl", "w") as f:
        for i in range(lines):
            text = shape(texts[(i * 7919) % len(texts)])
            f.write(json.dumps({"id": f"p{i}", "text": f"{text} ({i})"}) + "\n")
PY
for name in corpus 2kb; do
  file="$dir/$name.jsonl"
  bytes=$(( $(wc -c <"$file") / lines ))
  start=$(date +%s.%N)
  ./target/release/kindred screen <"$file" >"$dir/out.jsonl"
  end=$(date +%s.%N)
  answered=$(wc -l <"$dir/out.jsonl")
  awk -v n="$answered" -v s="$start" -v e="$end" -v b="$bytes" -v name="$name" \
    'BEGIN { printf "%-7s %d lines of ~%d bytes: %.2f s, %.0f posts/s\n", name, n, b, e - s, n / (e - s) }'
done
echo "cores: $(nproc), load average: $(cut -d' ' -f1-3 /proc/loadavg)"
