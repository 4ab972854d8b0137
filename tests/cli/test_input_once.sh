# Input that cannot be read twice (a FIFO, /dev/stdin, process substitution, a pipe by path) is read
# exactly once by every command, with the same result as the regular file; outputs to a FIFO or a
# device are written through, never replaced (issue 13 items 1-3).
source "$(dirname "$0")/lib.sh" "$@"

export TMPDIR=$WORK/tmp  # the copy of such input is made here, unlinked: it must stay empty
mkdir tmp
CSV=$DATA/admissions.csv
"$LOGREG" train "$CSV" --target admit -m model.json --quiet
printf '%s\n' '1 1:0.5 2:1' '0 1:1.5 2:0.2' '2 1:0.1 2:1.3' '0 1:2 2:0.1' '1 1:0.3' '2 1:1.1 2:0.05' \
  '1 1:0.6 2:0.9' '0 1:1.7' '2 2:1.2' >s.svm
"$LOGREG" train s.svm -m svm.json --quiet

# same_as_file NAME KIND CMD...: the command with the input as the word @ replaced by the regular
# file, then by a FIFO, /dev/stdin (a pipe), and <(cat FILE): same stdout, stderr and exit status.
# KIND csv or svm picks the file. Lines with "seconds" (timings) are left out of the comparison.
same_as_file() {
  local name=$1 kind=$2
  shift 2
  local file=$CSV
  [ "$kind" = svm ] && file=$PWD/s.svm
  local args=() a
  for a in "$@"; do [ "$a" = @ ] && args+=("$file") || args+=("$a"); done
  timeout 60 "${args[@]}" 2>&1 | grep -v '"seconds"' >ref.txt
  echo "exit ${PIPESTATUS[0]}" >>ref.txt
  local how
  for how in fifo stdin procsub; do
    args=()
    case $how in
      fifo)
        rm -f in.fifo && mkfifo in.fifo
        cat "$file" >in.fifo &
        local writer=$!
        for a in "$@"; do [ "$a" = @ ] && args+=(in.fifo) || args+=("$a"); done
        timeout 60 "${args[@]}" 2>&1 | grep -v '"seconds"' >got.txt
        echo "exit ${PIPESTATUS[0]}" >>got.txt
        kill "$writer" 2>/dev/null ;;  # had the command not opened the FIFO, the writer would wait
      stdin)
        for a in "$@"; do [ "$a" = @ ] && args+=(/dev/stdin) || args+=("$a"); done
        cat "$file" | timeout 60 "${args[@]}" 2>&1 | grep -v '"seconds"' >got.txt
        echo "exit ${PIPESTATUS[1]}" >>got.txt ;;
      procsub)  # (a <(...) made earlier, in an assignment, is closed by the time the command runs)
        local before=() after=() seen=0
        for a in "$@"; do
          if [ "$a" = @ ]; then seen=1; elif [ $seen = 0 ]; then before+=("$a"); else after+=("$a"); fi
        done
        timeout 60 "${before[@]}" <(cat "$file") "${after[@]}" 2>&1 | grep -v '"seconds"' >got.txt
        echo "exit ${PIPESTATUS[0]}" >>got.txt ;;
    esac
    # Messages name the input as given: the regular file's name is replaced to compare.
    sed -i "s#in\.fifo#$file#g; s#/dev/stdin#$file#g; s#/dev/fd/[0-9]*#$file#g" got.txt
    if cmp -s ref.txt got.txt; then pass; else
      fail "$name from a $how differs from the regular file" "$(diff ref.txt got.txt | head -n 6)"
    fi
    rm -f in.fifo
    wait
  done
}

# train writes its model to stdout (-m /dev/stdout), so that the comparison covers it.
same_as_file "train" csv "$LOGREG" train @ --target admit -m /dev/stdout --quiet
same_as_file "train --categorical" csv "$LOGREG" train @ --target admit --categorical rank -m /dev/stdout --quiet
same_as_file "train (libsvm, multinomial)" svm "$LOGREG" train @ --format libsvm -m /dev/stdout --quiet
same_as_file "predict" csv "$LOGREG" predict @ -m model.json
same_as_file "predict (libsvm)" svm "$LOGREG" predict @ -m svm.json --format libsvm
same_as_file "eval" csv "$LOGREG" eval @ -m model.json --json
same_as_file "eval --calibration" csv "$LOGREG" eval @ -m model.json --calibration
same_as_file "threshold" csv "$LOGREG" threshold @ -m model.json --metric f1
same_as_file "cv" csv "$LOGREG" cv @ --target admit --C-count 3 --quiet --json
same_as_file "cv --oof" csv "$LOGREG" cv @ --target admit --C-count 3 --quiet --oof /dev/stdout
same_as_file "path" csv "$LOGREG" path @ --target admit --C-count 3 --quiet
expect_dir_listing tmp ""

# A model read from a pipe by path.
expect_exit 0 "$LOGREG" inspect -m <(cat model.json)
expect_stdout_contains "admit"
"$LOGREG" inspect -m model.json >inspect_ref.txt
expect_exit 0 "$LOGREG" predict "$CSV" -m <(cat model.json)
"$LOGREG" predict "$CSV" -m model.json >pred_ref.csv
expect_same_bytes "predict -m <(cat model.json)" pred_ref.csv "$STDOUT"

# An empty FIFO: the regular file's message, with the FIFO's name.
rm -f empty.fifo && mkfifo empty.fifo
: >empty.fifo &
expect_exit 1 "$LOGREG" train empty.fifo --target admit -m m.json
expect_stderr_equals "logreg: error: empty.fifo: the input is empty; expected a header row"
expect_no_file m.json
wait

# ---- outputs that are not regular files: written through, never replaced ------------------------
rm -f out.fifo && mkfifo out.fifo
cat out.fifo >from_fifo.json &
expect_exit 0 "$LOGREG" train "$CSV" --target admit -m out.fifo --quiet
wait
check "train -m FIFO: the FIFO is still a FIFO" test -p out.fifo
check "train -m FIFO: the model went through it" is_valid_json from_fifo.json
"$LOGREG" train "$CSV" --target admit -m regular.json --quiet
expect_eq "train -m FIFO: the same model as to a file" "$(grep -v '"seconds"' regular.json)" "$(grep -v '"seconds"' from_fifo.json)"
cat out.fifo >from_fifo.csv &
expect_exit 0 "$LOGREG" predict "$CSV" -m model.json -o out.fifo
wait
check "predict -o FIFO: still a FIFO" test -p out.fifo
expect_same_bytes "predict -o FIFO: the predictions went through it" pred_ref.csv from_fifo.csv
cat out.fifo >from_fifo_path.csv &
expect_exit 0 "$LOGREG" path "$CSV" --target admit --C-count 3 --quiet -o out.fifo
wait
check "path -o FIFO: still a FIFO" test -p out.fifo
check "path -o FIFO: a table came through" test "$(wc -l <from_fifo_path.csv)" -eq 4
if [ -w /dev/full ]; then
  expect_exit 1 "$LOGREG" train "$CSV" --target admit -m /dev/full --quiet
  expect_stderr_equals "logreg: error: /dev/full: cannot write the model: No space left on device"
  check "/dev/full is still a character device" test -c /dev/full
  expect_exit 1 "$LOGREG" predict "$CSV" -m model.json -o /dev/full
  expect_stderr_contains "No space left on device"
  check "/dev/full is still a character device" test -c /dev/full
fi
expect_exit 0 "$LOGREG" train "$CSV" --target admit -m /dev/null --quiet
check "/dev/null is still a character device" test -c /dev/null

# ---- directories -------------------------------------------------------------------------------
mkdir adir
expect_exit 1 "$LOGREG" inspect -m adir
expect_stderr_equals "logreg: error: adir: cannot read the model: it is a directory; -m names a model file"
expect_exit 1 "$LOGREG" predict "$CSV" -m adir
expect_stderr_equals "logreg: error: adir: cannot read the model: it is a directory; -m names a model file"
expect_exit 1 "$LOGREG" predict "$CSV" -m model.json -o adir
expect_stderr_equals "logreg: error: adir: cannot write: it is a directory"
expect_dir_listing adir ""
expect_dir_listing tmp ""

finish
