#!/usr/bin/env bash
# `npm start`: Backstage (frontend :3000, backend :7007) with the GitOps tab against the local
# Argo CD emulator (:7080 and :7081), SQLite and the example catalog. Ctrl-C stops everything.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
source scripts/env.sh
source scripts/install.sh
source scripts/dev-credentials.sh
mkdir -p "$GITOPS_DATA_DIR/sqlite"

set -m # every background job gets its own process group, so Ctrl-C can stop each whole tree
pids=()
cleanup() {
  trap - INT TERM EXIT
  for pid in "${pids[@]}"; do kill -TERM -- "-$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
  echo "[start] stopped"
}
trap cleanup INT TERM EXIT

if node -e "process.exit(require('./packages/argocd-emulator/package.json').scripts['start:emulator']?0:1)"; then
  yarn workspace @internal/argocd-emulator start:emulator &
  pids+=($!)
else
  echo "[start] PLACEHOLDER: packages/argocd-emulator has no start:emulator script yet; the GitOps tab will show connection errors"
fi

yarn backstage-cli repo start &
pids+=($!)

echo "[start] emulator :7080/:7081, backend :7007, app http://localhost:3000 — Ctrl-C stops everything"
wait -n "${pids[@]}" || true
echo "[start] a process exited; stopping the rest"
