#!/usr/bin/env bash
# `npm start`: Backstage (frontend :3000, backend :7007) with the GitOps tab against the local
# Argo CD emulator (:7080 and :7081), a local image registry (:7082, Debian's docker-registry, installed
# when missing, seeded with the example images), SQLite and the example catalog. Ctrl-C stops everything.
# When the registry cannot start, the rest still starts and the image checks report "unavailable".
set -uo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
source scripts/env.sh || exit 1
source scripts/install.sh || exit 1
source scripts/dev-credentials.sh || exit 1
source scripts/lib/registry.sh
mkdir -p "$GITOPS_DATA_DIR/sqlite"

set -m # every background job gets its own process group, so Ctrl-C can stop each whole tree
pids=()
cleanup() {
  trap - INT TERM EXIT
  for pid in "${pids[@]}"; do kill -TERM -- "-$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
  registry_stop
  echo "[start] stopped"
}
trap cleanup INT TERM EXIT

yarn workspace @internal/argocd-emulator start:emulator &
pids+=($!)

# The image registry (its storage is a fresh temp dir each time; the seed pushes the example images).
registry="image registry: NOT RUNNING, image checks report 'unavailable'"
if ensure_registry "$ROOT/.tools/apt-registry.log" && registry_start "" "${GITOPS_REGISTRY_PORT:-7082}"; then
  pids+=("$GITOPS_REGISTRY_PID")
  if yarn workspace @internal/argocd-emulator seed:registry "$GITOPS_REGISTRY_URL"; then
    registry="image registry $GITOPS_REGISTRY_URL"
  else
    registry="image registry $GITOPS_REGISTRY_URL (seeding FAILED: its tags are missing)"
  fi
else
  echo "[start] the image registry could not start (see above); Backstage starts without it and the"
  echo "[start] image checks (image-exists, same digest) report 'unavailable', so promotions that need them are refused"
fi

yarn backstage-cli repo start &
pids+=($!)

echo "[start] emulator :7080/:7081, $registry, backend :7007, app http://localhost:3000 — Ctrl-C stops everything"
wait -n "${pids[@]}" || true
echo "[start] a process exited; stopping the rest"
