#!/usr/bin/env bash
# A throwaway container image registry (Debian's `docker-registry`, the CNCF distribution 2.8 server) for
# `npm start`, the browser tests and the jest suites that talk to a real registry (sourced; defines
# functions only and never changes the caller's shell options).
#
# ensure_registry <log file> [command]: installs Debian's docker-registry when `command` (default
#   docker-registry) is missing, exactly as ensure_chromium installs Chromium: as root apt-get runs
#   directly, otherwise through sudo; DEBIAN_FRONTEND=noninteractive; apt-get update first when the
#   package is unknown; on failure the end of the apt log is shown and it returns 1.
# registry_start [dir] [port] [auth file]: starts `docker-registry serve <dir>/config.yml` on a loopback
#   port (default: a free one) with its own storage in <dir> (default: a new temp dir), waits until
#   `GET /v2/` answers (any status) and exports GITOPS_REGISTRY_URL (http://127.0.0.1:<port>), GITOPS_REGISTRY_PID and
#   GITOPS_REGISTRY_DIR. Anonymous access unless [auth file] holds an `auth:` section of the registry's
#   config (htpasswd or token). Deletes enabled. Returns 1 (with the end of its log) when it cannot start.
# registry_stop: stops the registry started by registry_start and removes its directory.
GITOPS_REGISTRY_PACKAGE=docker-registry

ensure_registry() {
  local log=$1 cmd=${2:-docker-registry} sudo=() apt
  command -v "$cmd" >/dev/null 2>&1 && return 0
  [ "$(id -u)" = 0 ] || sudo=(sudo)
  apt=("${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get)
  echo "[registry] installing Debian's $GITOPS_REGISTRY_PACKAGE (log: $log)"
  mkdir -p "$(dirname "$log")"
  : >"$log"
  local installed=1
  if apt-cache policy "$GITOPS_REGISTRY_PACKAGE" 2>>"$log" | grep -q 'Candidate: [0-9]'; then
    "${apt[@]}" install -y -qq "$GITOPS_REGISTRY_PACKAGE" >>"$log" 2>&1 && installed=0
  else
    echo "[registry] $GITOPS_REGISTRY_PACKAGE is not in the apt lists" | tee -a "$log"
  fi
  if [ "$installed" != 0 ]; then # unknown package or stale lists: update, then install
    echo "[registry] apt-get update" | tee -a "$log"
    "${apt[@]}" update -qq >>"$log" 2>&1 || {
      echo "[registry] apt-get update failed; end of $log:"; tail -20 "$log"; return 1; }
    "${apt[@]}" install -y -qq "$GITOPS_REGISTRY_PACKAGE" >>"$log" 2>&1 || {
      echo "[registry] apt-get install $GITOPS_REGISTRY_PACKAGE failed; end of $log:"; tail -20 "$log"; return 1; }
  fi
  command -v "$cmd" >/dev/null 2>&1 || {
    echo "[registry] $cmd still not on PATH after apt-get install; end of $log:"; tail -20 "$log"; return 1; }
  echo "[registry] $GITOPS_REGISTRY_PACKAGE installed: $("$cmd" --version 2>/dev/null)"
}

registry_start() {
  local dir=${1:-} want_port=${2:-} auth_file=${3:-} port i
  command -v docker-registry >/dev/null 2>&1 || {
    echo "[registry] docker-registry is not installed (Debian: apt-get install docker-registry)"; return 1; }
  if [ -z "$dir" ]; then dir=$(mktemp -d "${TMPDIR:-/tmp}/gitops-registry.XXXXXX") || return 1; fi
  mkdir -p "$dir/storage" || return 1
  for i in 1 2 3; do
    port=$want_port
    [ -n "$port" ] || port=$(node -e "const s=require('net').createServer();s.listen(0,'127.0.0.1',()=>{console.log(s.address().port);s.close()})") || return 1
    cat >"$dir/config.yml" <<YAML
version: 0.1
log:
  level: warn
  accesslog:
    disabled: true
storage:
  filesystem:
    rootdirectory: $dir/storage
  delete:
    enabled: true
  maintenance:
    uploadpurging:
      enabled: false
http:
  addr: 127.0.0.1:$port
  secret: local-only-$(node -e "process.stdout.write(require('crypto').randomBytes(12).toString('hex'))")
YAML
    if [ -n "$auth_file" ]; then cat "$auth_file" >>"$dir/config.yml" || return 1; fi
    docker-registry serve "$dir/config.yml" >"$dir/registry.log" 2>&1 &
    GITOPS_REGISTRY_PID=$!
    local waited=0
    while [ "$waited" -lt 100 ]; do # up to 10 s
      # ours answers (any status, with the distribution API header) and still runs: not another server on the port
      if node -e "require('http').get('http://127.0.0.1:$port/v2/',r=>process.exit(r.headers['docker-distribution-api-version']?0:1)).on('error',()=>process.exit(1))" 2>/dev/null &&
        kill -0 "$GITOPS_REGISTRY_PID" 2>/dev/null; then
        export GITOPS_REGISTRY_URL="http://127.0.0.1:$port" GITOPS_REGISTRY_PID GITOPS_REGISTRY_DIR="$dir"
        return 0
      fi
      kill -0 "$GITOPS_REGISTRY_PID" 2>/dev/null || break # exited (e.g. the port was taken)
      sleep 0.1
      waited=$((waited + 1))
    done
    kill "$GITOPS_REGISTRY_PID" 2>/dev/null
    wait "$GITOPS_REGISTRY_PID" 2>/dev/null
    [ -z "$want_port" ] || break # a fixed port that is taken stays taken
  done
  echo "[registry] docker-registry did not start; end of its log:"
  tail -20 "$dir/registry.log"
  GITOPS_REGISTRY_PID=
  return 1
}

registry_stop() {
  if [ -n "${GITOPS_REGISTRY_PID:-}" ]; then
    kill "$GITOPS_REGISTRY_PID" 2>/dev/null
    wait "$GITOPS_REGISTRY_PID" 2>/dev/null
  fi
  [ -n "${GITOPS_REGISTRY_DIR:-}" ] && rm -rf "$GITOPS_REGISTRY_DIR"
  GITOPS_REGISTRY_PID= GITOPS_REGISTRY_DIR=
  unset GITOPS_REGISTRY_URL
  return 0
}
