#!/usr/bin/env bash
# `npm test`: bootstrap, type check, lint, every package's tests (SQLite and a throwaway PostgreSQL),
# then the browser tests. Ends with one line `N passed, N failed`.
set -uo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
source scripts/env.sh || exit 1
source scripts/install.sh || exit 1
source scripts/postgres.sh
export CI="${CI:-true}" # jest without watch mode; TestDatabases must not try Docker
mkdir -p artifacts
passed=0; failed=0
step() { echo; echo "=== $* ==="; }
trap 'pg_stop' EXIT INT TERM

step "type check (tsc)"
if yarn tsc; then passed=$((passed+1)); echo "tsc: ok"; else failed=$((failed+1)); echo "tsc: FAILED"; fi

step "lint"
if yarn backstage-cli repo lint; then passed=$((passed+1)); echo "lint: ok"; else failed=$((failed+1)); echo "lint: FAILED"; fi

step "unit, integration and database tests (jest; SQLite and PostgreSQL 15)"
if pg_start; then
  yarn backstage-cli repo test --maxWorkers=2 --json --outputFile=artifacts/jest-results.json 2>&1 | tee artifacts/jest.log
  jest_rc=${PIPESTATUS[0]}
  echo "[test] jest exited with $jest_rc"
  pg_stop
  if [ -f artifacts/jest-results.json ]; then
    read -r jp jf < <(node -e "const r=require('./artifacts/jest-results.json');const bad=r.numFailedTestSuites-r.testResults.filter(t=>t.assertionResults.some(a=>a.status==='failed')).length;console.log(r.numPassedTests, r.numFailedTests+Math.max(0,bad))")
    passed=$((passed+jp)); failed=$((failed+jf))
    [ "$jest_rc" != 0 ] && [ "$jf" = 0 ] && failed=$((failed+1))
  else
    echo "jest wrote no results"; failed=$((failed+1))
  fi
else
  echo "PostgreSQL could not start"; failed=$((failed+1))
fi

if [ -f scripts/e2e.sh ]; then
  step "browser tests (Playwright + Chromium)"
  e2e_out=$(mktemp)
  bash scripts/e2e.sh 2>&1 | tee "$e2e_out"
  e2e_rc=${PIPESTATUS[0]}
  line=$(grep -E '^(e2e: )?[0-9]+ passed, [0-9]+ failed' "$e2e_out" | tail -1)
  if [ -n "$line" ]; then
    ep=$(echo "$line" | sed -E 's/^(e2e: )?([0-9]+) passed, ([0-9]+) failed.*/\2/'); ef=$(echo "$line" | sed -E 's/^(e2e: )?([0-9]+) passed, ([0-9]+) failed.*/\3/')
    passed=$((passed+ep)); failed=$((failed+ef))
    [ "$e2e_rc" != 0 ] && [ "$ef" = 0 ] && failed=$((failed+1))
  else
    failed=$((failed+1))
  fi
  rm -f "$e2e_out"
fi

echo
echo "$passed passed, $failed failed"
[ "$failed" = 0 ]
