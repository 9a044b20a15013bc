#!/usr/bin/env bash
# Run the benchmarks under tests/bench/ and write their figures to tests/bench/results/.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/bootstrap.sh
for bench in tests/bench/bench_*.py; do
    echo "== $bench" >&2
    .venv/bin/python "$bench"
done
