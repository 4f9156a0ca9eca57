#!/usr/bin/env bash
# The step runner of `npm test` (sourced; defines functions and two counters, changes no shell option).
# Every step runs, whatever happened before it; each adds to the counts:
# - a step whose output has a line `N passed, M failed` (optionally `name: N passed, M failed`) adds
#   N and M (its last such line), plus 1 failure when it exited non-zero but reported none;
# - any other step counts as 1 passed (exit 0) or 1 failed.
# finish_steps prints the final line `N passed, M failed` and returns non-zero when M > 0.
STEPS_PASSED=0
STEPS_FAILED=0
STEPS_COUNT_RE='^([A-Za-z0-9_-]+: )?[0-9]+ passed, [0-9]+ failed'

# run_step <title> <command> [args...]: runs the command in a subshell (an `exit` or a failing
# command inside cannot end the caller), showing its output.
run_step() {
  local title=$1 out rc line p f
  shift
  echo
  echo "=== $title ==="
  out=$(mktemp)
  local started=$SECONDS
  ("$@") 2>&1 | tee "$out"
  rc=${PIPESTATUS[0]}
  line=$(grep -E "$STEPS_COUNT_RE" "$out" | tail -1)
  rm -f "$out"
  if [ -n "$line" ]; then
    p=$(echo "$line" | sed -E 's/^([A-Za-z0-9_-]+: )?([0-9]+) passed, ([0-9]+) failed.*/\2/')
    f=$(echo "$line" | sed -E 's/^([A-Za-z0-9_-]+: )?([0-9]+) passed, ([0-9]+) failed.*/\3/')
    if [ "$rc" != 0 ] && [ "$f" = 0 ]; then f=1; fi
  elif [ "$rc" = 0 ]; then
    p=1; f=0
  else
    p=0; f=1
  fi
  STEPS_PASSED=$((STEPS_PASSED + p))
  STEPS_FAILED=$((STEPS_FAILED + f))
  echo "[test] $title: exit $rc, $p passed, $f failed ($((SECONDS - started))s)"
  return 0
}

finish_steps() {
  echo
  echo "$STEPS_PASSED passed, $STEPS_FAILED failed"
  [ "$STEPS_FAILED" = 0 ]
}
