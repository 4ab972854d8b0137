# Signals and file size limits never leave a temporary file or a clobbered output (issue 13 item 3).
# The runs are held mid-stream by a FIFO that a writer keeps open, so the signal arrives at a known
# point: after logreg created its temporary output, before it could finish.
source "$(dirname "$0")/lib.sh" "$@"
set -m  # background jobs keep SIGINT (without job control, bash starts them with SIGINT ignored)

export TMPDIR=$WORK/tmp  # logreg's copies of FIFO input go here: it must stay empty
mkdir tmp out
"$LOGREG" train "$DATA/admissions.csv" --target admit -m model.json --quiet
awk 'NR == 1 || NR % 2 == 0' "$DATA/admissions.csv" >half.csv
"$LOGREG" predict half.csv -m model.json -o out/pred.csv
cp out/pred.csv pred_reference.csv
cp model.json model_reference.json

# wait_for PATTERN: up to 10 s for a file matching the glob to appear.
wait_for() {
  local i
  for i in $(seq 100); do
    compgen -G "$1" >/dev/null && return 0
    sleep 0.1
  done
  return 1
}

# held_predict SIGNAL: predict -o out/pred.csv from a FIFO that delivers 3,000 rows and then waits.
held_predict() {
  local sig=$1 rows
  rm -f in.fifo && mkfifo in.fifo
  { head -n 1 "$DATA/admissions.csv"; for rows in $(seq 10); do tail -n +2 "$DATA/admissions.csv"; done; sleep 30; } >in.fifo &
  local writer=$!
  "$LOGREG" predict in.fifo -m model.json -o out/pred.csv 2>stderr.txt &
  local pid=$!
  check "predict -o: a temporary file appears while the input is held ($sig)" wait_for 'out/pred.csv.tmp-*'
  kill -s "$sig" "$pid"
  wait "$pid"
  local rc=$?
  kill -- -"$writer" 2>/dev/null  # the job's process group (set -m): its sleep too
  wait "$writer" 2>/dev/null
  expect_eq "predict ended by SIG$sig (exit status)" "$((128 + $(kill -l "$sig")))" "$rc"
  expect_dir_listing out "pred.csv"
  expect_same_bytes "SIG$sig during predict -o keeps the previous output" pred_reference.csv out/pred.csv
}
for sig in INT TERM HUP; do held_predict "$sig"; done

# The same for cv --oof (an output_file too) and for a train held while reading: no copy of the
# input is left in TMPDIR, and the previous model is unchanged.
for sig in INT TERM; do
  rm -f in.fifo && mkfifo in.fifo
  { head -n 200 "$DATA/admissions.csv"; sleep 30; } >in.fifo &
  writer=$!
  "$LOGREG" train in.fifo --target admit -m model.json --quiet &
  pid=$!
  sleep 0.5
  kill -s "$sig" "$pid"
  wait "$pid"
  rc=$?
  kill -- -"$writer" 2>/dev/null  # the job's process group (set -m): its sleep too
  wait "$writer" 2>/dev/null
  expect_eq "train ended by SIG$sig while reading a FIFO" "$((128 + $(kill -l "$sig")))" "$rc"
  expect_same_bytes "SIG$sig during train keeps the previous model" model_reference.json model.json
  expect_dir_listing tmp ""
done

# Signals at arbitrary moments of a whole train (read, fit, write, sync): either the old model or a
# complete new one, never a temporary file.
{ cat "$DATA/adult.csv"; for i in 1 2 3 4 5; do tail -n +2 "$DATA/adult.csv"; done; } >adult6.csv
for delay in 0.02 0.05 0.1 0.15 0.2 0.25 0.3 0.4 0.5 0.6 0.8; do
  "$LOGREG" train adult6.csv --target income -m model.json --quiet 2>/dev/null &
  pid=$!
  sleep "$delay"
  kill -TERM "$pid" 2>/dev/null
  wait "$pid"
  check "after SIGTERM at ${delay} s: model.json is a whole model" "$LOGREG" inspect -m model.json
  got=$(ls -A | grep -c '\.tmp-')
  expect_eq "after SIGTERM at ${delay} s: no temporary file" 0 "$got"
done

# A file size limit (ulimit -f; SIGXFSZ at its default action would kill the process): logreg
# ignores the signal, reports the failed write, removes its temporary file and exits 1.
cp model_reference.json model.json
LIMITED=(bash -c 'ulimit -f 1; exec "$0" "$@"')
expect_exit 1 "${LIMITED[@]}" "$LOGREG" train "$DATA/breast_cancer.csv" -m model.json --quiet
expect_stderr_equals "logreg: error: model.json: cannot write the model: File too large"
expect_same_bytes "a file size limit keeps the previous model" model_reference.json model.json
expect_exit 1 "${LIMITED[@]}" "$LOGREG" predict "$DATA/admissions.csv" -m model.json -o out/pred.csv
expect_stderr_equals "logreg: error: out/pred.csv: cannot write the predictions: File too large"
expect_dir_listing out "pred.csv"
expect_same_bytes "a file size limit keeps the previous output" pred_reference.csv out/pred.csv
got=$(ls -A | grep -c '\.tmp-')
expect_eq "no temporary file after the file size limits" 0 "$got"

finish
