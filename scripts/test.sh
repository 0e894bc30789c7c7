#!/usr/bin/env bash
# The whole test suite, as CI runs it on a fresh clone: installs what is missing, starts MariaDB
# if needed (and stops it again), then unit, integration on MariaDB and (the dialect-sensitive files)
# on SQLite (each against a real Temporal dev server the suite starts itself), workflow paths and
# process tests, with typecheck and lint beside them, then browser e2e on SQLite.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh test
source scripts/lib/temporal-bin.sh
source scripts/lib/mariadb.sh
export TEMPORAL_BIN="$(temporal_bin)"

mariadb_start
# The summary is the run's last lines, also when a phase fails: which lanes failed, which tests, and the tail of
# the log of a lane that failed without a test failing (its set-up died, for instance).
summary() {
  node scripts/lib/test-summary.mjs "$results" "$logs" "$(( $(date +%s) - started ))" "${failed_lanes[@]}"
}
on_exit() { local rc=$?; mariadb_stop_if_started; if [ $rc -ne 0 ] && [ -n "${started:-}" ] && [ -z "${summarized:-}" ]; then summary || true; fi; exit $rc; }
trap on_exit EXIT
mariadb_ensure_user sealflow_test sealflow_test

results=test-artifacts/results
rm -rf test-artifacts && mkdir -p "$results"  # screenshots, signed PDFs and results of this run only
started=$(date +%s)

step() { echo; echo "=== $1 === (at $(( $(date +%s) - started )) s)"; }
vitest_run() { # name, project, then VAR=value settings and vitest arguments (options, files)
  local name=$1 project=$2; shift 2
  local vars=() opts=()
  for a in "$@"; do if [[ $a == *=* && $a != -* ]]; then vars+=("$a"); else opts+=("$a"); fi; done
  env "${vars[@]}" npx vitest run --project "$project" "${opts[@]}" --reporter=default --reporter=json --outputFile.json="$results/$name.json"
}

# Lanes run at the same time where the suites mostly wait on servers (Temporal, the database, the browser):
# each vitest run has its own Temporal dev server, database and ports, so lanes never share state.
# A lane's output goes to its log, printed when the phase ends; the first failing phase stops the run.
logs=test-artifacts/logs
mkdir -p "$logs"
# The lane's wall time and the CPU time of everything it ran (vitest, Temporal, Chromium, ...): how busy it kept the machine.
# (`times` prints the shell's own user/system time, then that of its finished children: the second line.)
lane_cpu() { echo "[lane] wall $(( SECONDS - $1 )) s; CPU time, user and system: this shell, then its processes"; times; }
lanes() { # "name|cmd ..." per lane (the name is also its log file: no slashes); runs them concurrently, prints each log, fails if any failed
  local pids=() names=() failed=0
  for spec in "$@"; do
    local name=${spec%%|*} cmd=${spec#*|}
    names+=("$name")
    ( local t0=$SECONDS rc=0; eval "$cmd" || rc=$?; lane_cpu $t0; exit $rc ) >"$logs/$name.log" 2>&1 &
    pids+=($!)
  done
  for i in "${!pids[@]}"; do
    if wait "${pids[$i]}"; then status=ok; else status=FAILED; failed=1; failed_lanes+=("${names[$i]}"); fi
    step "${names[$i]} ($status)"; cat "$logs/${names[$i]}.log"
  done
  return $failed
}
failed_lanes=()

step "unit"; vitest_run unit unit  # alone: CPU-bound (a process per core), and its hostile-file tests check time budgets
# Integration: every file on MariaDB (production's database), and on SQLite (the embedded default) the files
# marked `// @sqlite-too: <why>` in their first line: what the dialect changes (migrations, plain SQL, lists,
# counters, one-time tokens, unique keys and locks under parallel requests). The browser suite below runs on
# SQLite too, through the whole platform. Running every integration file on both cost a lane of ~400 s on a
# machine that is CPU-bound in this phase (the phase: 665 → 505 s); the others exercise the same ORM calls on
# either dialect.
# Each lane has its own Temporal dev server, database and ports. tsc and eslint run beside them at the lowest
# CPU priority (nice 19), which gets them only the idle time left. On their own they were a 68 s phase.
sqlite_files() { grep -l '^// @sqlite-too: ' test/integration/*.test.ts; }
lanes "integration (MariaDB)|vitest_run integration-mariadb integration TEST_DATABASE_URL=mysql://sealflow_test:sealflow_test@127.0.0.1:3306/unused" \
      "workflow paths, then integration (SQLite, @sqlite-too files)|vitest_run workflow workflow TEST_DATABASE_URL=sqlite && vitest_run integration-sqlite integration TEST_DATABASE_URL=sqlite $(sqlite_files | tr '\n' ' ')" \
      "processes|vitest_run processes processes TEST_DATABASE_URL=sqlite" \
      "typecheck (nice 19)|nice -n 19 npm run --silent typecheck" "lint (nice 19)|nice -n 19 npm run --silent lint"
step "build UIs"; npm run --silent build:ui >/dev/null
# The browser files in two lanes of about the same length (by test/e2e/durations.json; refresh it with
# `node scripts/lib/test-lanes.mjs --record test/e2e test-artifacts/results/e2e-*.json`), each lane one platform +
# Chromium at a time. The phase is CPU-bound (vmstat: no idle time): Chromium takes ~520 s of CPU (renderers
# ~370: React and page loads), the platforms and vitest ~250 s, in ~420 s on two cores (test/harness/browser.ts
# has what its flags save). The lane's CPU figure below misses Chromium: its processes outlive the vitest worker.
# Four lanes were slower than two.
e2e_lane() { echo "browser end-to-end, lane $(( $1 + 1 )) (Chromium)|vitest_run e2e-$(( $1 + 1 )) e2e TEST_DATABASE_URL=sqlite $(node scripts/lib/test-lanes.mjs test/e2e 2 "$1")"; }
lanes "$(e2e_lane 0)" "$(e2e_lane 1)"
mariadb_stop_if_started  # before the summary, so that its total is the last lines
summarized=1; summary
