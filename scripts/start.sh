#!/usr/bin/env bash
# `npm start`: Backstage (frontend :3000, backend :7007) with the GitOps tab against the local
# Argo CD emulator (:7080 and :7081), SQLite and the example catalog. Ctrl-C stops everything.
set -uo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
source scripts/env.sh || exit 1
source scripts/install.sh || exit 1
source scripts/dev-credentials.sh || exit 1
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

yarn workspace @internal/argocd-emulator start:emulator &
pids+=($!)

yarn backstage-cli repo start &
pids+=($!)

echo "[start] emulator :7080/:7081, backend :7007, app http://localhost:3000 — Ctrl-C stops everything"
wait -n "${pids[@]}" || true
echo "[start] a process exited; stopping the rest"
