#!/usr/bin/env bash
# The whole test suite, as CI runs it on a fresh clone: installs what is missing, starts MariaDB
# if needed (and stops it again), then typecheck, lint, unit, integration on MariaDB and on
# SQLite (each against a real Temporal dev server the suite starts itself), browser e2e.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh test
source scripts/lib/temporal-bin.sh
source scripts/lib/mariadb.sh
export TEMPORAL_BIN="$(temporal_bin)"

mariadb_start
trap mariadb_stop_if_started EXIT
mariadb_ensure_user sealflow_test sealflow_test

results=test-artifacts/results
rm -rf test-artifacts && mkdir -p "$results"  # screenshots, signed PDFs and results of this run only
started=$(date +%s)

step() { echo; echo "=== $1 ==="; }
vitest_run() { # name, project, extra env...
  local name=$1 project=$2; shift 2
  env "$@" npx vitest run --project "$project" --reporter=default --reporter=json --outputFile.json="$results/$name.json"
}

step "typecheck"; npm run --silent typecheck
step "lint"; npm run --silent lint
step "unit"; vitest_run unit unit
step "workflow paths"; vitest_run workflow workflow TEST_DATABASE_URL=sqlite
step "integration (MariaDB)"; vitest_run integration-mariadb integration TEST_DATABASE_URL=mysql://sealflow_test:sealflow_test@127.0.0.1:3306/unused
step "integration (SQLite)"; vitest_run integration-sqlite integration TEST_DATABASE_URL=sqlite
step "processes (start-up, shutdown)"; vitest_run processes processes TEST_DATABASE_URL=sqlite
step "build UIs"; npm run --silent build:ui >/dev/null
step "browser end-to-end (Chromium)"; vitest_run e2e e2e TEST_DATABASE_URL=sqlite
mariadb_stop_if_started  # before the summary, so that its total is the last line

node -e '
const fs = require("fs"); let passed = 0, failed = 0, skipped = 0;
for (const f of fs.readdirSync(process.argv[1])) {
  const r = JSON.parse(fs.readFileSync(process.argv[1] + "/" + f, "utf8"));
  passed += r.numPassedTests; failed += r.numFailedTests; skipped += r.numPendingTests + r.numTodoTests;
  console.log(`  ${f.replace(".json", "").padEnd(22)} ${r.numPassedTests} passed / ${r.numFailedTests} failed`);
}
console.log(`took ${process.argv[2]} s`);
console.log(`\nTotal: ${passed} passed, ${failed} failed, ${skipped} skipped`);
process.exit(failed ? 1 : 0);
' "$results" "$(( $(date +%s) - started ))"
