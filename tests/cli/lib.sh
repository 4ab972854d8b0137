# Shared helper for the command-line tests; sourced by every tests/cli/test_*.sh:
#
#   source "$(dirname "$0")/lib.sh" "$@"      # $1: the logreg binary, $2: the repository root
#   expect_exit 1 "$LOGREG" train bad.csv -m m.json
#   expect_stderr_equals "logreg: error: ..."
#   ...
#   finish                                     # prints "N passed, N failed"; exits 1 on any failure
#
# Every test runs in its own mktemp -d directory (the current directory), removed at exit.
# Standard input is /dev/null unless a test redirects it. Only bash, coreutils and awk are used.

set -u

if [ $# -lt 2 ]; then
  echo "usage: bash $0 /abs/path/to/logreg /abs/path/to/repo" >&2
  exit 2
fi
LOGREG=$1
REPO=$2
# The tests cd into a temporary directory: make relative paths absolute first.
case $LOGREG in /*) ;; */*) LOGREG=$PWD/$LOGREG ;; esac
case $REPO in /*) ;; *) REPO=$PWD/$REPO ;; esac
DATA=$REPO/datasets
if [ ! -x "$LOGREG" ]; then
  echo "$0: $LOGREG is not an executable" >&2
  exit 2
fi

# BASE/work is the test's current directory; BASE/run holds the captured output of the last
# command, outside the work directory so that listings of it show only what the tool made.
BASE=$(mktemp -d "${TMPDIR:-/tmp}/logreg-cli.XXXXXX") || exit 2
trap 'rm -rf "$BASE"' EXIT
trap 'exit 129' HUP
trap 'exit 130' INT
trap 'exit 143' TERM
WORK=$BASE/work
RUN_DIR=$BASE/run
mkdir "$WORK" "$RUN_DIR" || exit 2
STDOUT=$RUN_DIR/stdout
STDERR=$RUN_DIR/stderr
: >"$STDOUT"
: >"$STDERR"
RC=0
LAST_CMD=
cd "$WORK" || exit 2
exec </dev/null

PASSED=0
FAILED=0
TEST_NAME=$(basename "$0" .sh)

pass() { PASSED=$((PASSED + 1)); }

# fail DESCRIPTION [DETAIL...]: count a failure and explain it.
fail() {
  FAILED=$((FAILED + 1))
  printf 'FAIL [%s]: %s\n' "$TEST_NAME" "$1"
  shift
  local line
  for line in "$@"; do printf '    %s\n' "$line"; done
  if [ -n "$LAST_CMD" ]; then
    printf '    last command: %s (exit %s)\n' "$LAST_CMD" "$RC"
    if [ -s "$STDERR" ]; then
      printf '    its stderr:\n'
      head -n 5 "$STDERR" | sed 's/^/      | /'
    fi
  fi
}

# check DESCRIPTION CONDITION_COMMAND...: pass when the command succeeds.
check() {
  local what=$1
  shift
  if "$@"; then pass; else fail "$what"; fi
}

# run CMD...: run a command (stdin inherited), capture stdout/stderr/exit code; no assertion.
run() {
  LAST_CMD="$*"
  timeout 60 "$@" >"$STDOUT" 2>"$STDERR"
  RC=$?
}

# expect_exit CODE CMD...: run the command and check its exit code.
expect_exit() {
  local want=$1
  shift
  run "$@"
  if [ "$RC" = "$want" ]; then pass; else fail "expected exit $want, got $RC"; fi
}

# Trailing newlines are ignored by the *_equals checks (command substitution semantics).
expect_stdout_equals() {
  local got
  got=$(cat "$STDOUT")
  if [ "$got" = "$1" ]; then pass; else
    fail "stdout differs" "expected: $(printf '%s' "$1" | head -c 400)" "got:      $(printf '%s' "$got" | head -c 400)"
  fi
}

expect_stderr_equals() {
  local got
  got=$(cat "$STDERR")
  if [ "$got" = "$1" ]; then pass; else
    fail "stderr differs" "expected: $1" "got:      $got"
  fi
}

expect_stdout_contains() {
  if grep -qF -- "$1" "$STDOUT"; then pass; else fail "stdout does not contain: $1"; fi
}

expect_stdout_not_contains() {
  if grep -qF -- "$1" "$STDOUT"; then fail "stdout contains: $1"; else pass; fi
}

expect_stderr_contains() {
  if grep -qF -- "$1" "$STDERR"; then pass; else fail "stderr does not contain: $1"; fi
}

expect_stderr_not_contains() {
  if grep -qF -- "$1" "$STDERR"; then fail "stderr contains: $1"; else pass; fi
}

# expect_stderr_matches ERE / expect_stdout_matches ERE: some line matches.
expect_stderr_matches() {
  if grep -qE -- "$1" "$STDERR"; then pass; else fail "no stderr line matches /$1/"; fi
}

expect_stdout_matches() {
  if grep -qE -- "$1" "$STDOUT"; then pass; else fail "no stdout line matches /$1/"; fi
}

expect_stdout_empty() {
  if [ -s "$STDOUT" ]; then fail "stdout is not empty" "got: $(head -c 300 "$STDOUT")"; else pass; fi
}

expect_stderr_empty() {
  if [ -s "$STDERR" ]; then fail "stderr is not empty" "got: $(head -c 300 "$STDERR")"; else pass; fi
}

# expect_same_bytes DESCRIPTION FILE_A FILE_B
expect_same_bytes() {
  if cmp -s -- "$2" "$3"; then pass; else fail "$1: $2 and $3 differ" "$(cmp -- "$2" "$3" 2>&1 | head -n 1)"; fi
}

# expect_eq DESCRIPTION EXPECTED ACTUAL
expect_eq() {
  if [ "$2" = "$3" ]; then pass; else fail "$1" "expected: $2" "got:      $3"; fi
}

expect_file_exists() {
  if [ -e "$1" ]; then pass; else fail "expected file $1 to exist"; fi
}

expect_no_file() {
  if [ -e "$1" ]; then fail "expected no file $1"; else pass; fi
}

# expect_dir_listing DIR EXPECTED: the sorted names in DIR (hidden ones too), one per line.
expect_dir_listing() {
  local got
  got=$(cd "$1" && ls -A | LC_ALL=C sort)
  if [ "$got" = "$2" ]; then pass; else
    fail "unexpected files in $1" "expected: $(printf '%s' "$2" | tr '\n' ' ')" "got:      $(printf '%s' "$got" | tr '\n' ' ')"
  fi
}

# is_valid_json FILE: a strict RFC 8259 syntax check in awk (no Python or jq needed).
is_valid_json() {
  awk '
    function ws() { while (pos <= n && index(" \t\n\r", substr(s, pos, 1)) > 0) pos++ }
    function value(   c) {
      ws(); c = substr(s, pos, 1)
      if (c == "{") return object()
      if (c == "[") return array()
      if (c == "\"") return str()
      if (substr(s, pos, 4) == "true" || substr(s, pos, 4) == "null") { pos += 4; return 1 }
      if (substr(s, pos, 5) == "false") { pos += 5; return 1 }
      return number()
    }
    function object(   c) {
      pos++; ws()
      if (substr(s, pos, 1) == "}") { pos++; return 1 }
      for (;;) {
        ws()
        if (substr(s, pos, 1) != "\"" || !str()) return 0
        ws()
        if (substr(s, pos, 1) != ":") return 0
        pos++
        if (!value()) return 0
        ws(); c = substr(s, pos, 1); pos++
        if (c == "}") return 1
        if (c != ",") return 0
      }
    }
    function array(   c) {
      pos++; ws()
      if (substr(s, pos, 1) == "]") { pos++; return 1 }
      for (;;) {
        if (!value()) return 0
        ws(); c = substr(s, pos, 1); pos++
        if (c == "]") return 1
        if (c != ",") return 0
      }
    }
    function str(   c, e) {
      pos++
      while (pos <= n) {
        c = substr(s, pos, 1)
        if (c == "\"") { pos++; return 1 }
        if (c == "\\") {
          e = substr(s, pos + 1, 1)
          if (index("\"\\/bfnrt", e) > 0) { pos += 2; continue }
          if (e == "u" && substr(s, pos + 2, 4) ~ /^[0-9a-fA-F][0-9a-fA-F][0-9a-fA-F][0-9a-fA-F]$/) { pos += 6; continue }
          return 0
        }
        if (index(ctl, c) > 0) return 0
        pos++
      }
      return 0
    }
    function number(   t) {
      t = substr(s, pos, 64)
      if (match(t, /^-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?/) && RLENGTH > 0) { pos += RLENGTH; return 1 }
      return 0
    }
    { s = s $0 "\n" }
    END {
      for (i = 1; i < 32; i++) ctl = ctl sprintf("%c", i)
      n = length(s); pos = 1
      ok = value()
      ws()
      exit !(ok && pos > n)
    }' "$1"
}

# finish: the summary line; exit status 1 when anything failed.
finish() {
  echo "$PASSED passed, $FAILED failed"
  [ "$FAILED" -eq 0 ] || exit 1
  exit 0
}
