#!/usr/bin/env bash
# `npm test`: bootstrap, script self-check, type check, lint, every package's tests (SQLite and a
# throwaway PostgreSQL), then the browser tests. Every step runs whatever happened before it; the
# last line is `N passed, M failed` and the exit code is non-zero when M > 0 (scripts/lib/steps.sh).
set -uo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
# Before the install: under CI the install is --immutable; jest runs without watch mode; TestDatabases
# must not try Docker; PostgreSQL suites fail (never skip) when PostgreSQL is missing.
export CI="${CI:-true}"
source scripts/env.sh || { echo "[test] bootstrap (Node, yarn) failed"; echo "0 passed, 1 failed"; exit 1; }
source scripts/install.sh || { echo "0 passed, 1 failed"; exit 1; }
source scripts/postgres.sh
source scripts/lib/steps.sh
source scripts/lib/registry.sh
mkdir -p artifacts
trap 'pg_stop' EXIT
trap 'echo "[test] interrupted"; exit 130' INT TERM # the EXIT trap still stops PostgreSQL

jest_step() {
  trap 'pg_stop' EXIT
  trap 'exit 130' INT TERM
  rm -f artifacts/jest-results.json
  pg_start || echo "[test] PostgreSQL could not start: the PostgreSQL suites will fail"
  ensure_registry "$ROOT/.tools/apt-registry.log" || echo "[test] docker-registry could not be installed: the registry suites will fail"
  yarn backstage-cli repo test --maxWorkers=2 --json --outputFile=artifacts/jest-results.json 2>&1 | tee artifacts/jest.log
  local rc=${PIPESTATUS[0]}
  echo "[test] jest exited with $rc"
  pg_stop
  if [ ! -f artifacts/jest-results.json ]; then
    echo "[test] jest wrote no results"
    return 1
  fi
  # failed suites without a failed test (a file that does not load, a throw at module level) count too
  node -e "const r=require('./artifacts/jest-results.json');const bad=r.numFailedTestSuites-r.testResults.filter(t=>t.assertionResults.some(a=>a.status==='failed')).length;console.log('jest: '+r.numPassedTests+' passed, '+(r.numFailedTests+Math.max(0,bad))+' failed')"
  return "$rc"
}

run_step "script self-check (step counting, sourced scripts, Chromium install)" bash scripts/test-selfcheck.sh
# not incremental: the API-report step reads these declarations, and union order in them depends on incremental state
run_step "type check (tsc)" yarn tsc --incremental false
# `yarn lint` is both; run apart here so that a lint error does not hide a formatting one
run_step "lint (eslint)" yarn backstage-cli repo lint
# layering of the backend plugin (dependency-cruiser; also in its package `lint` script)
run_step "lint (gitops-backend layering, dependency-cruiser)" yarn workspace @internal/plugin-gitops-backend lint:layers
run_step "lint (prettier --check)" yarn prettier --check .
# API reports of the three plugin packages (api-extractor on the declarations the tsc step above wrote into
# dist-types, so no second tsc; `yarn lint:api-reports` is the same check with its own tsc)
run_step "lint (API reports)" yarn build:api-reports:only --ci
run_step "unit, integration and database tests (jest; SQLite and PostgreSQL 15)" jest_step
run_step "browser tests (Playwright + Chromium)" bash scripts/e2e.sh
finish_steps
