# Output files are replaced atomically: a failed command leaves the old file and no temporary files.
source "$(dirname "$0")/lib.sh" "$@"

printf '%s\n' 'x1,x2,y' '1,5,a' '2,3,b' '3,4,a' '4,1,b' '5,2,b' '0.5,6,a' >good.csv
printf '%s\n' 'x1,x2,y' '1,5,a' '2,inf,b' '3,4,a' >bad.csv

# ---- train ----------------------------------------------------------------------------------------
mkdir models
expect_exit 0 "$LOGREG" train good.csv -m models/model.json --quiet
expect_dir_listing models "model.json"
cp models/model.json reference.json

expect_exit 1 "$LOGREG" train bad.csv -m models/model.json
expect_stderr_equals "logreg: error: bad.csv:3:2 (column 'x2'): expected a finite number, found \"inf\""
expect_same_bytes "a failed train (bad cell) keeps the old model" reference.json models/model.json
expect_dir_listing models "model.json"

# Failures after the data is read (a target with one value) and after the fit (separation).
printf '%s\n' 'x1,x2,y' '1,5,a' '2,3,a' >oneclass.csv
expect_exit 1 "$LOGREG" train oneclass.csv -m models/model.json
expect_same_bytes "a failed train (one class) keeps the old model" reference.json models/model.json
printf '%s\n' 'x,y' '1,a' '2,a' '3,b' '4,b' >separable.csv
expect_exit 1 "$LOGREG" train separable.csv -m models/model.json --penalty none
expect_stderr_contains "separated"
expect_same_bytes "a failed train (separation) keeps the old model" reference.json models/model.json
expect_dir_listing models "model.json"

# A usage error, and a missing data file, do not touch the model either.
expect_exit 2 "$LOGREG" train good.csv -m models/model.json --C -1
expect_exit 1 "$LOGREG" train missing.csv -m models/model.json
expect_same_bytes "usage error / missing data keep the old model" reference.json models/model.json
expect_dir_listing models "model.json"

# A successful train replaces the model and leaves no temporary file.
expect_exit 0 "$LOGREG" train good.csv -m models/model.json --quiet --C 0.1
check "a successful train replaces the model" bash -c '! cmp -s reference.json models/model.json'
expect_dir_listing models "model.json"

# A train that fails reading standard input.
expect_exit 1 "$LOGREG" train -m models/model.json --quiet <bad.csv
expect_dir_listing models "model.json"

# ---- train into a directory that does not exist: exit 1, before reading the data ---------------------
expect_exit 1 "$LOGREG" train missing.csv -m no/such/dir/model.json
expect_stderr_equals "logreg: error: no/such/dir/model.json: cannot write the model: directory 'no/such/dir' is not writable or does not exist"
expect_no_file no
# Had it read standard input, it would complain about the bad cell instead.
expect_exit 1 "$LOGREG" train -m nodir/model.json <bad.csv
expect_stderr_equals "logreg: error: nodir/model.json: cannot write the model: directory 'nodir' is not writable or does not exist"
# A FIFO with no writer: reading it would block (and the timeout would fail the check).
if mkfifo never.fifo 2>/dev/null; then
  expect_exit 1 "$LOGREG" train never.fifo -m nodir/model.json
  expect_stderr_equals "logreg: error: nodir/model.json: cannot write the model: directory 'nodir' is not writable or does not exist"
  rm -f never.fifo
fi

# ---- predict -o OUT --------------------------------------------------------------------------------
mkdir out
expect_exit 1 "$LOGREG" predict bad.csv -m models/model.json -o out/pred.csv
expect_stderr_equals "logreg: error: bad.csv:3:2 (column 'x2'): expected a finite number, found \"inf\""
expect_stdout_empty
expect_dir_listing out ""

expect_exit 1 "$LOGREG" predict missing.csv -m models/model.json -o out/pred.csv
expect_dir_listing out ""
printf '%s\n' 'x1,y' '1,a' >nox2.csv
expect_exit 1 "$LOGREG" predict nox2.csv -m models/model.json -o out/pred.csv
expect_stderr_equals "logreg: error: the model needs feature 'x2': nox2.csv has no column 'x2' (did you mean 'x1'?)"
expect_dir_listing out ""
expect_exit 1 "$LOGREG" predict good.csv -m missing.json -o out/pred.csv
expect_dir_listing out ""
expect_exit 2 "$LOGREG" predict good.csv -m models/model.json -o out/pred.csv --threshold 7
expect_dir_listing out ""

# A failure after some predictions were already written (predict streams blocks of 4096 rows).
awk 'BEGIN { print "x1,x2,y"; for (i = 1; i <= 10000; i++) print i % 7 "," i % 5 "," (i % 2 ? "a" : "b"); print "1,bad,a" }' >late.csv
expect_exit 1 "$LOGREG" predict late.csv -m models/model.json -o out/pred.csv
expect_stderr_equals "logreg: error: late.csv:10002:2 (column 'x2'): expected a number, found \"bad\" (the column was numeric in training)"
expect_dir_listing out ""

# An existing OUT survives a failed predict unchanged.
expect_exit 0 "$LOGREG" predict good.csv -m models/model.json -o out/pred.csv
expect_stdout_empty
expect_dir_listing out "pred.csv"
cp out/pred.csv pred_reference.csv
expect_exit 1 "$LOGREG" predict late.csv -m models/model.json -o out/pred.csv
expect_same_bytes "a failed predict keeps the old OUT" pred_reference.csv out/pred.csv
expect_dir_listing out "pred.csv"

# A write error at the very end (the disk fills up): OUT must not be committed. Simulated with a
# file size limit of 1 KiB (SIGXFSZ ignored, so write() fails with EFBIG): the output, about 2 kB,
# fits in stdio's buffer, so the error shows only when the buffer is flushed.
awk 'BEGIN { print "x1,x2,y"; for (i = 1; i <= 80; i++) print i % 7 "," i % 5 "," (i % 2 ? "a" : "b") }' >small.csv
"$LOGREG" predict small.csv -m models/model.json >small_pred.csv
size=$(wc -c <small_pred.csv)
check "the small prediction is between 1 KiB and 4 KiB ($size bytes)" test "$size" -gt 1024 -a "$size" -lt 4096
LIMITED=(bash -c 'trap "" XFSZ; ulimit -f 1; exec "$0" "$@"')
# A write error mid-way (here: the file size limit) fails the run and leaves no truncated file.
expect_exit 1 "${LIMITED[@]}" "$LOGREG" predict small.csv -m models/model.json -o out/limited.csv
expect_stderr_contains "File too large"
expect_dir_listing out "pred.csv"
rm -f out/limited.csv
# The same to standard output: the error is reported.
expect_exit 1 "${LIMITED[@]}" "$LOGREG" predict small.csv -m models/model.json
expect_stderr_contains "File too large"
# An output larger than the buffer fails in fwrite, and is handled.
head -n 10001 late.csv >big.csv
expect_exit 1 "${LIMITED[@]}" "$LOGREG" predict big.csv -m models/model.json -o out/limited.csv
expect_stderr_equals "logreg: error: out/limited.csv: cannot write the predictions: File too large"
expect_dir_listing out "pred.csv"
# train writes the model (here about 3 kB) with write(2) and checks it.
expect_exit 1 "${LIMITED[@]}" "$LOGREG" train "$DATA/breast_cancer.csv" -m out/model.json --quiet
expect_stderr_equals "logreg: error: out/model.json: cannot write the model: File too large"
expect_dir_listing out "pred.csv"

# OUT in a directory that does not exist.
expect_exit 1 "$LOGREG" predict good.csv -m models/model.json -o nowhere/pred.csv
expect_stderr_equals "logreg: error: nowhere/pred.csv: cannot write: No such file or directory"
expect_no_file nowhere

finish
