#!/usr/bin/env bash
# Install everything and run the whole test suite against a real PostgreSQL (embedded, or PUSTAKA_DATABASE_URL).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/bootstrap.sh
exec .venv/bin/python -m pytest "$@"
