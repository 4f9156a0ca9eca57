#!/usr/bin/env bash
# Installs the workspace's dependencies when yarn.lock or a package.json changed since the last install.
# Sourced after scripts/env.sh by start.sh and test.sh.
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
stamp_file="$ROOT/node_modules/.gitops-install-stamp"
stamp=$( (cat "$ROOT/yarn.lock" "$ROOT/.yarnrc.yml"; find "$ROOT/package.json" "$ROOT/packages" "$ROOT/plugins" -maxdepth 2 -name package.json -not -path '*/node_modules/*' | sort | xargs cat; node -v) | sha1sum | cut -d' ' -f1)
if [ ! -f "$stamp_file" ] || [ "$(cat "$stamp_file")" != "$stamp" ]; then
  echo "[bootstrap] yarn install (first run takes a few minutes)"
  start=$(date +%s)
  if [ "${CI:-}" = "true" ]; then flags=--immutable; else flags=; fi
  (cd "$ROOT" && yarn install $flags) > "$ROOT/.tools/yarn-install.log" 2>&1 || {
    tail -40 "$ROOT/.tools/yarn-install.log"; echo "[bootstrap] yarn install failed (full log: .tools/yarn-install.log)"; exit 1; }
  echo "$stamp" > "$stamp_file"
  echo "[bootstrap] yarn install done in $(( $(date +%s) - start ))s"
fi
