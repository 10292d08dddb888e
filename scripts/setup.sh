#!/usr/bin/env bash
# GaitLab setup on a fresh machine: system packages (Debian/Ubuntu), npm dependencies, the build,
# and the Electron binary where it can be downloaded (without it, `npm start` uses browser mode).
# Idempotent: what is already there is kept, so `npm test` runs it first at little cost.
#   bash scripts/setup.sh            everything
#   bash scripts/setup.sh --quick    skip npm ci when node_modules is already installed
set -euo pipefail
cd "$(dirname "$0")/.."
quick=0
[ "${1:-}" = "--quick" ] && quick=1

# Debian chromium (browser tests, PDF rendering later), poppler-utils (PDF → PNG), socat (serial pty tests).
need=()
command -v chromium >/dev/null 2>&1 || need+=(chromium)
command -v pdftoppm >/dev/null 2>&1 || need+=(poppler-utils)
command -v socat >/dev/null 2>&1 || need+=(socat)
if [ ${#need[@]} -gt 0 ]; then
  if command -v apt-get >/dev/null 2>&1; then
    sudo=""
    [ "$(id -u)" -ne 0 ] && sudo="sudo"
    echo "setup: installing ${need[*]} (apt)"
    $sudo apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${need[@]}" >/dev/null
  else
    echo "setup: please install ${need[*]} with your package manager (browser tests need chromium)" >&2
  fi
fi

# npm dependencies. The Electron binary is fetched separately below, so that a machine without
# access to its download host still installs everything else.
if [ $quick -eq 0 ] || [ ! -x node_modules/.bin/tsx ]; then
  ELECTRON_SKIP_BINARY_DOWNLOAD=1 npm ci --no-audit --no-fund
fi

npm run build --silent

if [ ! -d node_modules/electron/dist ] && [ -z "${CI:-}" ] && [ $quick -eq 0 ]; then
  if node node_modules/electron/install.js >/dev/null 2>&1; then
    echo "setup: Electron binary installed"
    npm run --silent rebuild:electron || echo "setup: native modules could not be rebuilt for Electron; npm start will use browser mode" >&2
  else
    echo "setup: no Electron binary could be downloaded here; npm start will open GaitLab in browser mode"
  fi
fi
