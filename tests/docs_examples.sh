# Docs as tests: runs every ```console block of the documentation and compares what the commands
# print with what the document shows.
#
#   bash tests/docs_examples.sh /abs/path/to/logreg /abs/path/to/repo [DOC.md ...]
#
# DOC paths are relative to the repository; without any, every README.md, docs/*.md and
# examples/*.md. The conventions (what a block may contain, the markers, what is normalised) are
# described in docs/testing.md; in short:
#
# - Each document runs in its own fresh temporary directory, its blocks in the order they appear,
#   so a file made by one block (model.json) is there for the later blocks of the same document.
#   datasets/ in that directory is a symlink to the repository's datasets/, and `logreg` on PATH
#   is the binary under test. LC_ALL=C; standard input is /dev/null.
# - A line starting with "$ " is a command. It continues on the next lines while it ends with a
#   backslash or is not yet complete shell (an open quote): `bash -n` decides. The lines after it,
#   up to the next "$ " line or the end of the block, are its expected output: standard output and
#   standard error together, in the order written (the command runs with 2>&1 into one file).
# - Compared exactly, except: a number followed by " s" or " ms" (a duration) or by " MB/s" (a
#   rate) matches any number; an expected line that is exactly "..." matches any number of lines
#   (0 or more); text matching a machine-dependent pattern of the block is replaced by a
#   placeholder in both (so it must be there in both, at the same place).
# - Markers are HTML comments (not shown by Markdown renderers) on the lines just above the
#   block's opening fence, blank lines allowed in between:
#     <!-- docs-test: skip REASON -->            the block is not run (the reason is required)
#     <!-- docs-test: machine-dependent REGEX --> text of the output that differs between machines
#                                                (an awk regex), e.g. ^BLAS: .* for a whole line
#     <!-- docs-test: setup COMMAND -->          run first, silently (must exit 0), e.g. to make a
#                                                file the text says exists
#     <!-- docs-test: requires PROGRAM -->       skipped, with a note, where PROGRAM is not on PATH
#   A marker that is not followed by a ```console block is an error, and so is a console block with
#   text before its first command or without any command (unless skipped).
#
# Prints, for each mismatch, the document, the line of the command, the command and a diff
# (expected, actual); then one summary line. Exit status 0 when everything matches, 1 on any
# mismatch or malformed block, 2 on a usage error.

set -u

if [ $# -lt 2 ]; then
  echo "usage: bash $0 /abs/path/to/logreg /abs/path/to/repo [DOC.md ...]" >&2
  exit 2
fi
LOGREG=$1
REPO=$2
shift 2
case $LOGREG in /*) ;; */*) LOGREG=$PWD/$LOGREG ;; esac
case $REPO in /*) ;; *) REPO=$PWD/$REPO ;; esac
if [ ! -x "$LOGREG" ]; then
  echo "$0: $LOGREG is not an executable" >&2
  exit 2
fi

if [ $# -eq 0 ]; then
  set --
  for doc in "$REPO"/README.md "$REPO"/docs/*.md "$REPO"/examples/*.md; do
    [ -f "$doc" ] && set -- "$@" "${doc#"$REPO"/}"
  done
fi

BASE=$(mktemp -d "${TMPDIR:-/tmp}/logreg-docs.XXXXXX") || exit 2
trap 'rm -rf "$BASE"' EXIT
trap 'exit 129' HUP
trap 'exit 130' INT
trap 'exit 143' TERM
mkdir "$BASE/bin" || exit 2
ln -s "$LOGREG" "$BASE/bin/logreg" || exit 2
export PATH="$BASE/bin:$PATH"
export LC_ALL=C
unset LOGREG_THREADS 2>/dev/null

BLOCKS=0
COMMANDS=0
SKIPPED=0
FAILED=0

# normalise PATTERN...: stdin to stdout, with durations and rates made uniform and the text matching
# a machine-dependent PATTERN replaced by a placeholder.
normalise() {
  DOCS_TEST_PATTERNS=$(printf '%s\n' "$@") awk '
    BEGIN { n = split(ENVIRON["DOCS_TEST_PATTERNS"], pat, "\n"); np = 0; for (i = 1; i <= n; i++) if (pat[i] != "") p[++np] = pat[i] }
    {
      line = $0
      for (i = 1; i <= np; i++) {
        out = ""
        while (line != "" && match(line, p[i]) && RLENGTH > 0) {
          out = out substr(line, 1, RSTART - 1) "<machine-dependent>"
          line = substr(line, RSTART + RLENGTH)
        }
        line = out line
      }
      out = ""
      while (match(line, /[0-9]+(\.[0-9]+)?(e[-+]?[0-9]+)? (s|ms|MB\/s)([^A-Za-z0-9_]|$)/)) {
        m = substr(line, RSTART, RLENGTH)
        tail = substr(m, RLENGTH, 1)
        if (tail ~ /[A-Za-z\/]/) tail = ""; else m = substr(m, 1, RLENGTH - 1)
        unit = m; sub(/^[^ ]* /, "", unit)
        out = out substr(line, 1, RSTART - 1) "<N> " unit tail
        line = substr(line, RSTART + RLENGTH)
      }
      print out line
    }'
}

# matches EXPECTED ACTUAL: exit 0 when the actual lines match the expected ones, a line "..." in
# the expected lines standing for any number of lines.
matches() {
  awk '
    FNR == NR { e[++ne] = $0; next }
    { a[++na] = $0 }
    END {
      # segments of expected lines between "..." lines
      ns = 1; start[1] = 1; lead = 0; trail = 0
      for (i = 1; i <= ne; i++) if (e[i] == "...") { stop[ns] = i - 1; ns++; start[ns] = i + 1 }
      stop[ns] = ne
      pos = 1
      for (s = 1; s <= ns; s++) {
        len = stop[s] - start[s] + 1
        if (s == 1) {                       # anchored at the start
          if (len > na) exit 1
          for (k = 0; k < len; k++) if (a[1 + k] != e[start[s] + k]) exit 1
          pos = 1 + len
          if (ns == 1 && na != len) exit 1
          continue
        }
        if (s == ns) {                      # anchored at the end
          if (na - len + 1 < pos) exit 1
          for (k = 0; k < len; k++) if (a[na - len + 1 + k] != e[start[s] + k]) exit 1
          continue
        }
        found = 0                           # a middle segment: its first place at or after pos
        for (p = pos; p + len - 1 <= na && !found; p++) {
          ok = 1
          for (k = 0; k < len && ok; k++) if (a[p + k] != e[start[s] + k]) ok = 0
          if (ok) { found = 1; pos = p + len }
        }
        if (!found) exit 1
      }
      exit 0
    }' "$1" "$2"
}

# report DOC LINE MESSAGE [DETAIL FILE]
fail() {
  FAILED=$((FAILED + 1))
  printf 'FAIL %s:%s: %s\n' "$1" "$2" "$3"
  if [ $# -ge 4 ] && [ -f "$4" ]; then sed 's/^/    /' "$4"; fi
}

run_doc() {
  local doc=$1 path=$REPO/$1
  local work=$BASE/work-${doc//\//_}
  mkdir "$work" || exit 2
  ln -s "$REPO/datasets" "$work/datasets" || exit 2

  local -a lines
  mapfile -t lines <"$path"
  local n=${#lines[@]} i=0 line
  local -a ignores=() setups=() requires=()
  local skip="" marker_line=0 in_other=0 in_block=0 block_line=0 block_has_cmd=0 missing=""
  local cmd="" cmd_line=0 expected_file=$BASE/expected actual_file=$BASE/actual have_cmd=0

  finish_command() {
    [ "$have_cmd" = 1 ] || return 0
    have_cmd=0
    [ -n "$skip" ] && return 0
    COMMANDS=$((COMMANDS + 1))
    (cd "$work" && bash -c "$cmd") >"$actual_file" 2>&1 </dev/null
    normalise "${ignores[@]+"${ignores[@]}"}" <"$expected_file" >"$BASE/e.norm"
    normalise "${ignores[@]+"${ignores[@]}"}" <"$actual_file" >"$BASE/a.norm"
    if ! matches "$BASE/e.norm" "$BASE/a.norm"; then
      {
        printf '$ %s\n' "$cmd"
        diff -u --label expected --label actual "$BASE/e.norm" "$BASE/a.norm"
      } >"$BASE/report"
      fail "$doc" "$cmd_line" "the output differs from the document" "$BASE/report"
    fi
  }

  while [ $i -lt $n ]; do
    line=${lines[$i]}
    i=$((i + 1))
    if [ $in_other = 1 ]; then      # another fenced block (```sh, ```json, ...): not looked at
      [[ $line =~ ^\`\`\`[[:space:]]*$ ]] && in_other=0
      continue
    fi
    if [ $in_block = 0 ]; then
      if [[ $line =~ ^\<!--\ docs-test:\ ([a-z-]+)\ (.*)\ --\>$ ]]; then
        local kind=${BASH_REMATCH[1]} arg=${BASH_REMATCH[2]}
        [ $marker_line = 0 ] && marker_line=$i
        case $kind in
          skip) skip=$arg ;;
          machine-dependent) ignores+=("$arg") ;;
          setup) setups+=("$arg") ;;
          requires) requires+=("$arg") ;;
          *) fail "$doc" "$i" "unknown docs-test marker '$kind'" ;;
        esac
      elif [[ $line =~ ^\<!--\ docs-test ]]; then
        fail "$doc" "$i" "malformed docs-test marker (expected '<!-- docs-test: KIND ARGUMENT -->')"
      elif [[ $line =~ ^\`\`\`console[[:space:]]*$ ]]; then
        in_block=1
        block_line=$i
        block_has_cmd=0
        BLOCKS=$((BLOCKS + 1))
        missing=""
        local prog
        for prog in "${requires[@]+"${requires[@]}"}"; do
          command -v "$prog" >/dev/null 2>&1 || missing="$missing $prog"
        done
        if [ -n "$missing" ] && [ -z "$skip" ]; then
          skip="requires$missing"
          printf 'note %s:%s: block skipped: %s is not on PATH\n' "$doc" "$i" "${missing# }"
        fi
        if [ -n "$skip" ]; then
          SKIPPED=$((SKIPPED + 1))
        else
          local s
          for s in "${setups[@]+"${setups[@]}"}"; do
            if ! (cd "$work" && bash -c "$s") >"$actual_file" 2>&1 </dev/null; then
              fail "$doc" "$marker_line" "setup command failed: $s" "$actual_file"
            fi
          done
        fi
      elif [[ $line =~ ^\`\`\` ]]; then
        in_other=1
        if [ $marker_line != 0 ]; then
          fail "$doc" "$marker_line" "docs-test marker not followed by a \`\`\`console block"
          marker_line=0 skip="" ignores=() setups=() requires=()
        fi
      elif [ $marker_line != 0 ] && [[ -n ${line// /} ]]; then
        fail "$doc" "$marker_line" "docs-test marker not followed by a \`\`\`console block"
        marker_line=0 skip="" ignores=() setups=() requires=()
      fi
      continue
    fi

    # inside a console block
    if [[ $line =~ ^\`\`\`[[:space:]]*$ ]]; then
      finish_command
      if [ $block_has_cmd = 0 ] && [ -z "$skip" ]; then
        fail "$doc" "$block_line" "console block without a '\$ ' command (mark it <!-- docs-test: skip REASON --> if it is not meant to run)"
      fi
      in_block=0 marker_line=0 skip="" ignores=() setups=() requires=()
      continue
    fi
    if [[ $line == '$ '* ]]; then
      finish_command
      block_has_cmd=1
      have_cmd=1
      cmd_line=$i
      cmd=${line#'$ '}
      # continuation lines: after a trailing backslash, or while the shell text is incomplete
      while [ $i -lt $n ] && { [[ $cmd == *\\ ]] || ! bash -n -c "$cmd" 2>/dev/null; }; do
        cmd=$cmd$'\n'${lines[$i]}
        i=$((i + 1))
      done
      : >"$expected_file"
      continue
    fi
    if [ $have_cmd = 1 ]; then
      printf '%s\n' "$line" >>"$expected_file"
    elif [ -z "$skip" ] && [ $block_has_cmd = 0 ]; then
      fail "$doc" "$i" "text before the first '\$ ' command of a console block"
      block_has_cmd=2
    fi
  done
  if [ $in_block = 1 ]; then
    fail "$doc" "$block_line" "console block not closed"
  fi
}

for doc in "$@"; do
  if [ ! -f "$REPO/$doc" ]; then
    echo "$0: no such document: $REPO/$doc" >&2
    exit 2
  fi
  run_doc "$doc"
done

printf '%d console blocks (%d skipped), %d commands checked, %d failures\n' \
  "$BLOCKS" "$SKIPPED" "$COMMANDS" "$FAILED"
[ $FAILED = 0 ]
