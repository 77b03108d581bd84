#!/usr/bin/env bash
# Build everything: the native engine and its tests (build/dev), the WASM
# engine and its tests (build/wasm), then the site (web/dist) with the web
# engine artifacts copied in. Incremental: a re-run with nothing changed takes
# a few seconds.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
source scripts/setup.sh
export NODE_PATH=/usr/share/nodejs

JOBS="${JOBS:-$(nproc)}"
step() { printf '\n\033[1m== %s\033[0m\n' "$*"; }

# cmake --preset re-runs configure; skip it when the build dir is configured
# and the presets have not changed since (cmake --build re-configures itself
# when a CMakeLists.txt changes).
configure() {
  local preset="$1" dir="$2"
  if [[ ! -f "$dir/CMakeCache.txt" || CMakePresets.json -nt "$dir/CMakeCache.txt" ]]; then
    cmake --preset "$preset"
  fi
}

step "engine (native, $JOBS jobs)"
configure dev build/dev
cmake --build --preset dev -j "$JOBS"

step "engine (wasm)"
configure wasm build/wasm
cmake --build --preset wasm -j "$JOBS"

step "site"
mkdir -p web/public/engine
for f in aio-engine-web.mjs aio-engine-web.wasm; do
  if [[ ! -f "build/wasm/$f" ]]; then
    echo "build: build/wasm/$f is missing (see docs/engine-abi.md)" >&2
    exit 1
  fi
  cmp -s "build/wasm/$f" "web/public/engine/$f" || cp "build/wasm/$f" "web/public/engine/$f"
done

# vite build only when an input is newer than the last build.
stamp=web/dist/.build-stamp
if [[ -f "$stamp" ]] && [[ -z "$(find web/src web/public web/index.html web/vite.config.ts examples scenario.schema.json \
      package-lock.json -newer "$stamp" -print -quit)" ]]; then
  echo "web/dist is up to date"
else
  node node_modules/vite/bin/vite.js build web --logLevel warn
  touch "$stamp"
  echo "built web/dist"
fi
