#!/usr/bin/env bash
# ensure_chromium <log file> [command]: installs Debian's chromium when `command` (default chromium) is missing (sourced; changes no shell option).
# As root apt-get runs directly, otherwise through sudo; `env` carries DEBIAN_FRONTEND in both cases.
# When the package is unknown (a fresh machine's empty apt lists) apt-get update runs first.
# On failure the end of the apt log is shown and it returns 1.
ensure_chromium() {
  local log=$1 cmd=${2:-chromium} sudo=() apt
  command -v "$cmd" >/dev/null 2>&1 && return 0
  [ "$(id -u)" = 0 ] || sudo=(sudo)
  apt=("${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get)
  echo "[e2e] installing Debian's chromium (log: $log)"
  mkdir -p "$(dirname "$log")"
  : >"$log"
  local installed=1
  if apt-cache policy chromium 2>>"$log" | grep -q 'Candidate: [0-9]'; then
    "${apt[@]}" install -y -qq chromium >>"$log" 2>&1 && installed=0
  else
    echo "[e2e] chromium is not in the apt lists" | tee -a "$log"
  fi
  if [ "$installed" != 0 ]; then # unknown package or stale lists: update, then install
    echo "[e2e] apt-get update" | tee -a "$log"
    "${apt[@]}" update -qq >>"$log" 2>&1 || {
      echo "[e2e] apt-get update failed; end of $log:"; tail -20 "$log"; return 1; }
    "${apt[@]}" install -y -qq chromium >>"$log" 2>&1 || {
      echo "[e2e] apt-get install chromium failed; end of $log:"; tail -20 "$log"; return 1; }
  fi
  command -v "$cmd" >/dev/null 2>&1 || {
    echo "[e2e] $cmd still not on PATH after apt-get install; end of $log:"; tail -20 "$log"; return 1; }
  echo "[e2e] chromium installed: $("$cmd" --version 2>/dev/null)"
}
