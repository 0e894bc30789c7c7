#!/usr/bin/env bash
# The whole platform on the embedded default (SQLite + Temporal dev server), with demo data.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh run
npm run --silent build:ui >/dev/null
source scripts/lib/temporal-bin.sh
TEMPORAL_BIN="$(temporal_bin)" exec node --import tsx scripts/dev.ts
