#!/usr/bin/env bash
# Install everything and run the whole system on its embedded defaults (PostgreSQL from a pip wheel).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/bootstrap.sh
exec .venv/bin/pustaka up "$@"
