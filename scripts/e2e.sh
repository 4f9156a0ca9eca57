#!/usr/bin/env bash
# Browser tests: Playwright (playwright-core) driving Debian's Chromium against the app, the backend
# and the Argo CD emulator, all started by the test runner on free ports. Installs Chromium when missing.
set -uo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
if ! command -v chromium >/dev/null 2>&1; then
  echo "[e2e] installing Debian's chromium"
  sudo=; [ "$(id -u)" = 0 ] || sudo=sudo
  ($sudo apt-get update -qq && $sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium) > .tools/apt-chromium.log 2>&1 || {
    tail -20 .tools/apt-chromium.log; echo "0 passed, 1 failed"; exit 1; }
fi
if ! node -e "process.exit(require('./plugins/gitops/package.json').scripts?.e2e?0:1)"; then
  echo "[e2e] no browser tests defined yet (plugins/gitops has no e2e script)"
  echo "0 passed, 0 failed"
  exit 0
fi
yarn workspace @internal/plugin-gitops e2e
