#!/usr/bin/env bash
# Installs the workspace's dependencies when yarn.lock or a package.json changed since the last install.
# Sourced after scripts/env.sh by start.sh, test.sh and e2e.sh: never changes the caller's shell
# options; returns 1 (with the end of the log) when the install fails. Under CI (CI=true) the install
# is --immutable: the committed yarn.lock must already be complete.
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
_stamp_file="$ROOT/node_modules/.gitops-install-stamp"
_stamp=$( (cat "$ROOT/yarn.lock" "$ROOT/.yarnrc.yml"; find "$ROOT/package.json" "$ROOT/packages" "$ROOT/plugins" -maxdepth 2 -name package.json -not -path '*/node_modules/*' | sort | xargs cat; node -v) | sha1sum | cut -d' ' -f1)
if [ ! -f "$_stamp_file" ] || [ "$(cat "$_stamp_file")" != "$_stamp" ]; then
  if [ "${CI:-}" = "true" ]; then _flags=--immutable; else _flags=; fi
  echo "[bootstrap] yarn install $_flags (first run takes a few minutes)"
  _start=$SECONDS
  mkdir -p "$ROOT/.tools"
  if ! (cd "$ROOT" && yarn install $_flags) >"$ROOT/.tools/yarn-install.log" 2>&1; then
    tail -40 "$ROOT/.tools/yarn-install.log"
    echo "[bootstrap] yarn install failed (full log: .tools/yarn-install.log)"
    return 1
  fi
  echo "$_stamp" >"$_stamp_file"
  echo "[bootstrap] yarn install done in $((SECONDS - _start))s"
fi
return 0
