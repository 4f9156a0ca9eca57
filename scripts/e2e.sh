#!/usr/bin/env bash
# Browser tests (`yarn test:e2e`, and the last step of `npm test`): Playwright (playwright-core)
# driving Debian's Chromium against the app, the backend, the Argo CD emulator and an image registry
# (Debian's docker-registry), all started by the test runner on free ports. Bootstraps like `npm test`
# (Node, yarn install) and installs Chromium and docker-registry when
# missing, so it also works alone on a fresh clone. Ends with `N passed, N failed`.
set -uo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
source scripts/env.sh || { echo "0 passed, 1 failed"; exit 1; }
source scripts/install.sh || { echo "0 passed, 1 failed"; exit 1; }
source scripts/lib/chromium.sh
ensure_chromium "$ROOT/.tools/apt-chromium.log" || { echo "0 passed, 1 failed"; exit 1; }
# the stack starts a real image registry (scripts/lib/registry.sh)
source scripts/lib/registry.sh
ensure_registry "$ROOT/.tools/apt-registry.log" || { echo "0 passed, 1 failed"; exit 1; }
yarn workspace @internal/plugin-gitops e2e
