#!/usr/bin/env bash
# Install what the project needs, idempotently: Debian packages (emscripten,
# chromium, doctest, nlohmann-json, compilers, cmake) and node_modules.
# A second run takes a second or two. Source it or run it; it exports
# NODE_PATH=/usr/share/nodejs for em++ (its JS optimizer needs Debian's acorn).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
export NODE_PATH=/usr/share/nodejs

APT_PACKAGES=(emscripten chromium doctest-dev nlohmann-json3-dev clang cmake g++ python3)

missing=()
for cmd in em++ emcc chromium clang++ cmake g++ python3; do
  command -v "$cmd" >/dev/null 2>&1 || missing+=("$cmd")
done
for header in /usr/include/doctest/doctest.h /usr/include/nlohmann/json.hpp; do
  [[ -f "$header" ]] || missing+=("$header")
done

if ((${#missing[@]} > 0)); then
  echo "setup: installing Debian packages (missing: ${missing[*]})"
  SUDO=()
  if [[ $(id -u) -ne 0 ]]; then SUDO=(sudo); fi
  export DEBIAN_FRONTEND=noninteractive
  "${SUDO[@]}" apt-get update
  "${SUDO[@]}" apt-get install -y "${APT_PACKAGES[@]}"
fi

# node_modules: install when missing or older than the lock file.
cd "$ROOT"
if [[ -f package-lock.json ]]; then
  if [[ ! -d node_modules || package-lock.json -nt node_modules/.package-lock.json ]]; then
    echo "setup: npm ci"
    npm ci --no-audit --no-fund
  fi
elif [[ ! -d node_modules ]]; then
  echo "setup: npm install"
  npm install --no-audit --no-fund
fi
