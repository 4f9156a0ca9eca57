#!/usr/bin/env bash
# Self-check of the test machinery, run as the first step of `npm test` (also alone:
# `bash scripts/test-selfcheck.sh`). Fast and offline: stubs stand in for npm, apt-get and sudo.
# 1. A pipeline built like scripts/test.sh (same sourced scripts, same step runner) with a step
#    forced to fail: every later step still runs, the last line is `N passed, M failed` with the
#    exact counts, and the exit code is non-zero.
# 2. Sourcing env.sh, install.sh (after env.sh, as everywhere), postgres.sh and lib/*.sh leaves the caller's shell options as they
#    were (the cause of a past bug: errexit leaking into test.sh stopped it right after jest), and a
#    failing env.sh returns 1 to its caller instead of ending it; PostgreSQL's server binaries are
#    found through pg_config when they are not on PATH.
# 3. Chromium is installed with DEBIAN_FRONTEND=noninteractive as root (no sudo) and through sudo,
#    apt-get update runs first when the package is unknown, and the apt log is shown on failure.
# 4. The same for Debian's docker-registry (scripts/lib/registry.sh, ensure_registry).
# Prints `selfcheck: N passed, M failed`; exits non-zero when a check failed.
set -uo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
ok=0; bad=0
check() { # check <description> <command...>
  if ("${@:2}"); then ok=$((ok + 1)); echo "  ok   $1"; else bad=$((bad + 1)); echo "  FAIL $1"; fi
}

# ---------------------------------------------------------------- 1. counting
cat >"$work/pipeline.sh" <<PIPE
set -uo pipefail
cd "$ROOT"
source scripts/env.sh >/dev/null || exit 90
source scripts/install.sh >/dev/null || exit 91
source scripts/postgres.sh
source scripts/lib/steps.sh
run_step "passes" true
run_step "fails" false
run_step "reports tests" echo "3 passed, 0 failed"
run_step "reports a failed test" sh -c 'echo "jest: 2 passed, 1 failed"; exit 1'
run_step "exits non-zero, reports none failed" sh -c 'echo "5 passed, 0 failed"; exit 1'
run_step "ends its shell" sh -c 'exit 7'
run_step "runs although earlier steps failed" touch "$work/later-step-ran"
finish_steps
PIPE
bash "$work/pipeline.sh" >"$work/pipeline.out" 2>&1
pipeline_rc=$?
last=$(tail -1 "$work/pipeline.out")
check "a failed step exits non-zero (exit $pipeline_rc)" test "$pipeline_rc" = 1
check "every later step ran" test -f "$work/later-step-ran"
check "final line is '12 passed, 4 failed' (got '$last')" test "$last" = "12 passed, 4 failed"
rm -f "$work/later-step-ran"
sed -i 's/^run_step "fails" false$//; s/^run_step "reports a failed test".*$//; s/^run_step "exits non-zero.*$//; s/^run_step "ends its shell".*$//' "$work/pipeline.sh"
bash "$work/pipeline.sh" >"$work/pipeline.out" 2>&1
pipeline_rc=$?
check "all steps passing: exit 0 and '5 passed, 0 failed' (exit $pipeline_rc, '$(tail -1 "$work/pipeline.out")')" \
  test "$pipeline_rc:$(tail -1 "$work/pipeline.out")" = "0:5 passed, 0 failed"

# ---------------------------------------------------------------- 2. sourced scripts
opts() { echo "$-|$(shopt -po | tr '\n' ' ')"; }
export GITOPS_DATA_DIR="$work/data" # dev-credentials.sh writes there
for script in env.sh install.sh postgres.sh dev-credentials.sh lib/steps.sh lib/chromium.sh lib/registry.sh; do
  for mode in "+euo pipefail" "-euo pipefail" "-u"; do
    # printed from the shell itself (a command substitution would not show errexit)
    (cd "$ROOT" && bash -c "set $mode; $(declare -f opts); case $script in install.sh|dev-credentials.sh) source scripts/env.sh >/dev/null 2>&1;; esac; true; opts >'$work/before'; source scripts/$script >/dev/null 2>&1; opts >'$work/after'")
    check "sourcing $script (set $mode) keeps the shell options" cmp -s "$work/before" "$work/after"
  done
done
mkdir -p "$work/stub-bin"
printf '#!/bin/sh\necho "npm stub: failing" >&2\nexit 1\n' >"$work/stub-bin/npm"
chmod +x "$work/stub-bin/npm"
out=$(cd "$ROOT" && PATH="$work/stub-bin:$PATH" bash -c 'set +e; source scripts/env.sh 2>/dev/null; echo "rc=$? still running"')
check "a failing env.sh returns 1 to its caller, which goes on ($out)" test "$out" = "rc=1 still running"

# PostgreSQL server binaries off PATH: found through pg_config --bindir (Debian keeps them in
# /usr/lib/postgresql/<version>/bin, which is searched last)
mkdir -p "$work/pg/bin" "$work/pg/server-bin"
printf '#!/bin/sh\necho "%s"\n' "$work/pg/server-bin" >"$work/pg/bin/pg_config"
printf '#!/bin/sh\nexit 0\n' >"$work/pg/server-bin/initdb"
cp "$work/pg/server-bin/initdb" "$work/pg/server-bin/pg_ctl"
chmod +x "$work/pg/bin/pg_config" "$work/pg/server-bin/"*
out=$(PATH="$work/pg/bin:/usr/bin:/bin" bash -c "hash -r; command -v initdb >/dev/null && echo on-path; source '$ROOT/scripts/postgres.sh'; pg_bindir")
check "PostgreSQL binaries off PATH are found via pg_config --bindir (got '$out')" test "$out" = "$work/pg/server-bin"

# ---------------------------------------------------------------- 3. Chromium install
# (the stub apt-get "installs" chromium-stub, so a Chromium already on this machine does not matter)
chromium_case() { # chromium_case <uid> <known before update: yes|no> <apt fails: yes|no>
  local dir="$work/apt-$1-$2-$3"
  mkdir -p "$dir/bin"
  cat >"$dir/bin/id" <<STUB
#!/bin/sh
[ "\$1" = -u ] && { echo $1; exit 0; }
exec /usr/bin/id "\$@"
STUB
  cat >"$dir/bin/sudo" <<STUB
#!/bin/sh
echo "sudo \$*" >>"$dir/calls"
exec "\$@"
STUB
  cat >"$dir/bin/apt-cache" <<STUB
#!/bin/sh
if [ "$2" = yes ] || [ -f "$dir/updated" ]; then echo "  Candidate: 150.0-1"; else echo "  Candidate: (none)"; fi
STUB
  cat >"$dir/bin/apt-get" <<STUB
#!/bin/sh
echo "apt-get DEBIAN_FRONTEND=\${DEBIAN_FRONTEND:-unset} uid=\$(id -u) \$*" >>"$dir/calls"
case "\$*" in
  *update*) touch "$dir/updated"; exit 0 ;;
  *install*)
    if [ "$3" = yes ]; then echo "E: Unable to fetch some archives (stub)"; exit 100; fi
    [ -f "$dir/updated" ] || [ "$2" = yes ] || { echo "E: Unable to locate package chromium"; exit 100; }
    printf '#!/bin/sh\necho "Chromium 150.0 stub"\n' >"$dir/bin/chromium-stub"; chmod +x "$dir/bin/chromium-stub" ;;
esac
STUB
  chmod +x "$dir/bin/"*
  (PATH="$dir/bin:/usr/bin:/bin" && source "$ROOT/scripts/lib/chromium.sh" && ensure_chromium "$dir/apt.log" chromium-stub) >"$dir/out" 2>&1
  echo $? >"$dir/rc"
  echo "$dir"
}
d=$(chromium_case 0 no no)
check "as root: apt-get without sudo, DEBIAN_FRONTEND=noninteractive, update first when unknown" \
  test "$(cat "$d/rc")|$(cat "$d/calls")" = "0|apt-get DEBIAN_FRONTEND=noninteractive uid=0 update -qq
apt-get DEBIAN_FRONTEND=noninteractive uid=0 install -y -qq chromium"
d=$(chromium_case 1000 yes no)
check "as a user: through sudo with DEBIAN_FRONTEND=noninteractive, no update when known" \
  test "$(cat "$d/rc")|$(cat "$d/calls")" = "0|sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium
apt-get DEBIAN_FRONTEND=noninteractive uid=1000 install -y -qq chromium"
d=$(chromium_case 0 yes yes)
check "a failing install returns 1 and shows the apt log" \
  sh -c "test \"\$(cat '$d/rc')\" = 1 && grep -q 'Unable to fetch some archives (stub)' '$d/out'"

# ---------------------------------------------------------------- 4. docker-registry install (as Chromium)
registry_case() { # registry_case <uid> <known before update: yes|no> <apt fails: yes|no>
  local dir="$work/reg-$1-$2-$3"
  mkdir -p "$dir/bin"
  printf '#!/bin/sh\n[ "$1" = -u ] && { echo %s; exit 0; }\nexec /usr/bin/id "$@"\n' "$1" >"$dir/bin/id"
  printf '#!/bin/sh\necho "sudo $*" >>"%s/calls"\nexec "$@"\n' "$dir" >"$dir/bin/sudo"
  cat >"$dir/bin/apt-cache" <<STUB
#!/bin/sh
if [ "$2" = yes ] || [ -f "$dir/updated" ]; then echo "  Candidate: 2.8.2+ds1-1"; else echo "  Candidate: (none)"; fi
STUB
  cat >"$dir/bin/apt-get" <<STUB
#!/bin/sh
echo "apt-get DEBIAN_FRONTEND=\${DEBIAN_FRONTEND:-unset} uid=\$(id -u) \$*" >>"$dir/calls"
case "\$*" in
  *update*) touch "$dir/updated"; exit 0 ;;
  *install*)
    if [ "$3" = yes ]; then echo "E: Unable to fetch some archives (stub)"; exit 100; fi
    [ -f "$dir/updated" ] || [ "$2" = yes ] || { echo "E: Unable to locate package docker-registry"; exit 100; }
    printf '#!/bin/sh\necho "docker-registry stub 2.8.2"\n' >"$dir/bin/registry-stub"; chmod +x "$dir/bin/registry-stub" ;;
esac
STUB
  chmod +x "$dir/bin/"*
  (PATH="$dir/bin:/usr/bin:/bin" && source "$ROOT/scripts/lib/registry.sh" && ensure_registry "$dir/apt.log" registry-stub) >"$dir/out" 2>&1
  echo $? >"$dir/rc"
  echo "$dir"
}
d=$(registry_case 0 no no)
check "docker-registry as root: no sudo, DEBIAN_FRONTEND=noninteractive, update first when unknown" \
  test "$(cat "$d/rc")|$(cat "$d/calls")" = "0|apt-get DEBIAN_FRONTEND=noninteractive uid=0 update -qq
apt-get DEBIAN_FRONTEND=noninteractive uid=0 install -y -qq docker-registry"
d=$(registry_case 1000 yes no)
check "docker-registry as a user: through sudo, no update when known" \
  test "$(cat "$d/rc")|$(cat "$d/calls")" = "0|sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq docker-registry
apt-get DEBIAN_FRONTEND=noninteractive uid=1000 install -y -qq docker-registry"
d=$(registry_case 0 yes yes)
check "docker-registry: a failing install returns 1 and shows the apt log" \
  sh -c "test \"\$(cat '$d/rc')\" = 1 && grep -q 'Unable to fetch some archives (stub)' '$d/out'"

echo "selfcheck: $ok passed, $bad failed"
[ "$bad" = 0 ]
