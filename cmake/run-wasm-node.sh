#!/bin/sh
# Cross-compiling emulator for the wasm preset: runs an em++-built test under node.
# --no-experimental-fetch: Debian's emscripten 3.1.6 glue would otherwise try to fetch() the
# .wasm file by path under node 20 and fail ("Failed to parse URL").
exec node --no-experimental-fetch --stack-size=8000 "$@"
