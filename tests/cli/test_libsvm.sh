# libsvm / svmlight input: train -> predict -> eval on a .svm file, the same model as from the
# same data as CSV, standard input with --format, exact errors and exit codes.
source "$(dirname "$0")/lib.sh" "$@"

BC=$DATA/breast_cancer.csv
# breast_cancer as libsvm: +1 malignant, -1 benign, zero cells left out.
awk -F, 'NR > 1 { line = ($31 == "malignant" ? "+1" : "-1"); for (j = 1; j <= 30; j++) if ($j + 0 != 0) line = line " " j ":" $j; print line }' "$BC" >bc.svm
ROWS=$(wc -l <bc.svm)

# ---- train: detected from the extension; the same coefficients as from the CSV ----------------
expect_exit 0 "$LOGREG" train bc.svm -m svm.json
expect_stdout_empty
expect_stderr_matches '^converged after 9 newton iterations .*; model written to svm\.json$'
check "the model file is valid JSON" is_valid_json svm.json
expect_exit 0 "$LOGREG" train "$BC" --target diagnosis --positive malignant -m csv.json
check "the model records its input format" grep -q '"input_format": "libsvm"' svm.json
check "a CSV model has no input_format field" bash -c '! grep -q input_format csv.json'
expect_eq "features are the indices 1..30" "$(seq -s ' ' 1 30) " \
  "$(awk '/"features"/ { on = 1; next } on && /\]/ { on = 0 } on { gsub(/[ ,"]/, ""); printf "%s ", $0 }' svm.json)"
# The coefficients, one per line, from each file (the arrays are printed one number per line).
coefs() { awk '/"coefficients"/ { on = 1; next } on && /\]/ { on = 0 } on { gsub(/[ ,]/, ""); print }' "$1"; }
coefs svm.json >svm.coef
coefs csv.json >csv.coef
expect_eq "30 coefficients" "30" "$(wc -l <svm.coef)"
check "libsvm and CSV give the same coefficients to 1e-10" awk 'NR == FNR { a[FNR] = $1; next }
  { d = a[FNR] - $1; if (d < 0) d = -d; s = $1 < 0 ? -$1 : $1; if (d > 1e-10 * (s > 1 ? s : 1)) bad = 1 } END { exit bad }' svm.coef csv.coef
expect_exit 0 "$LOGREG" inspect -m svm.json
expect_stdout_contains "target       'label': positive class '+1', negative class '-1'"

# ---- predict: the CSV output, the same probabilities as the CSV model --------------------------
expect_exit 0 "$LOGREG" predict bc.svm -m svm.json
expect_stderr_empty
cp "$STDOUT" svm_pred.csv
expect_eq "predict header" "label,probability" "$(head -n 1 svm_pred.csv)"
expect_eq "one row per input line" "$ROWS" "$(($(wc -l <svm_pred.csv) - 1))"
expect_eq "first row" "+1,0.999999998792249" "$(sed -n 2p svm_pred.csv)"
expect_exit 0 "$LOGREG" predict "$BC" -m csv.json --proba-only
check "the same probabilities as the CSV model (1e-12)" awk -F, 'NR == FNR { a[FNR] = $2; next }
  FNR > 1 { d = a[FNR] - $1; if (d < 0) d = -d; if (d > 1e-12) bad = 1 } END { exit bad }' svm_pred.csv "$STDOUT"
expect_exit 0 "$LOGREG" predict bc.svm -m svm.json --all-probabilities --threshold 0.9
expect_eq "--all-probabilities header" "label,probability_-1,probability_+1" "$(head -n 1 "$STDOUT")"
# Standard input: the model says libsvm; --format says it too.
"$LOGREG" predict -m svm.json <bc.svm >stdin_pred.csv
expect_same_bytes "standard input, the model's format" svm_pred.csv stdin_pred.csv
"$LOGREG" predict - --format libsvm -m svm.json <bc.svm >stdin_pred2.csv
expect_same_bytes "standard input, --format libsvm" svm_pred.csv stdin_pred2.csv
# Comments, blank lines and indices the model does not know change nothing.
{ echo "# header comment"; echo; sed -n 1p bc.svm | sed 's/$/ 31:5 1000:2 # note/'; } >extra.svm
expect_exit 0 "$LOGREG" predict extra.svm -m svm.json
expect_eq "unknown indices are ignored" "$(sed -n 2p svm_pred.csv)" "$(sed -n 2p "$STDOUT")"
for t in 1 2 3; do "$LOGREG" predict bc.svm -m svm.json --threads $t >"p$t.csv"; done
expect_same_bytes "predict with 1 and 3 threads" p1.csv p3.csv

# ---- eval ---------------------------------------------------------------------------------------
expect_exit 0 "$LOGREG" eval bc.svm -m svm.json
expect_stdout_contains "rows                  569"
expect_stdout_contains "positive class        '+1' (212 rows)"
expect_stdout_contains "accuracy              0.987698"
expect_exit 0 "$LOGREG" eval - --format libsvm -m svm.json --json <bc.svm
expect_stdout_contains '"positive_class": "+1"'

# ---- train from standard input, threads, options --------------------------------------------------
"$LOGREG" train - --format libsvm -m stdin.json --quiet <bc.svm
check "standard input gives the same model" diff <(grep -v '"seconds"' svm.json) <(grep -v '"seconds"' stdin.json)
for t in 1 2 3; do
  "$LOGREG" train bc.svm -m "t$t.json" --threads "$t" --solver lbfgs --quiet
  grep -v '"seconds"' "t$t.json" >"t$t.stripped"
done
expect_same_bytes "1 and 2 threads" t1.stripped t2.stripped
expect_same_bytes "1 and 3 threads" t1.stripped t3.stripped
cp bc.svm bc.data
expect_exit 0 "$LOGREG" train bc.data --format libsvm -m data.json --penalty l1 --C 0.1 --class-weight balanced
expect_stderr_matches '^converged after [0-9]+ owlqn iterations'

# ---- errors ---------------------------------------------------------------------------------------
printf '# c\n\n-1 1:1 2:1\n+1 2:1 1:3\n' >order.svm
expect_exit 1 "$LOGREG" train order.svm -m e.json
expect_stderr_equals "logreg: error: order.svm:4:3 (index 1): feature indices must increase within a line, but 1 follows 2"
printf -- '-1 1:1\n+1 2:x\n' >value.svm
expect_exit 1 "$LOGREG" train value.svm -m e.json
expect_stderr_equals 'logreg: error: value.svm:2:2 (index 2): expected a number, found "x"'
printf -- '-1 1:1\n1:2 3:4\n' | "$LOGREG" train --format libsvm -m e.json 2>"$STDERR"
expect_eq "exit status from standard input" "1" "$?"
expect_stderr_equals 'logreg: error: <stdin>:2:1: expected the label first, found "1:2" (a line is LABEL INDEX:VALUE ...)'
expect_exit 2 "$LOGREG" train bc.svm -m e.json --weight w
expect_stderr_equals "logreg: --weight: does not apply to libsvm input (it has no columns)"
expect_exit 2 "$LOGREG" train bc.svm -m e.json --target label
expect_stderr_equals "logreg: --target: does not apply to libsvm input (the label is the first token of every line)"
expect_exit 2 "$LOGREG" train bc.svm -m e.json --format svm
expect_stderr_equals "logreg: --format: expected one of csv, libsvm; got 'svm'"
expect_exit 2 "$LOGREG" predict bc.svm -m svm.json --keep id
expect_stderr_equals "logreg: --keep: does not apply to libsvm input (it has no columns)"
# The CSV encoding flags do not apply either: a libsvm line has no text and no missing cells.
expect_exit 2 "$LOGREG" train bc.svm -m e.json --categorical 3
expect_stderr_equals "logreg: --categorical: does not apply to libsvm input (its features are numbers at indices)"
expect_exit 2 "$LOGREG" train bc.svm -m e.json --missing impute
expect_stderr_equals "logreg: --missing: does not apply to libsvm input (an index absent from a line is a zero, not a missing value)"
expect_exit 2 "$LOGREG" train bc.svm -m e.json --na-values -1
expect_stderr_equals "logreg: --na-values: does not apply to libsvm input (an index absent from a line is a zero, not a missing value)"
expect_exit 2 "$LOGREG" train bc.svm -m e.json --drop-first
expect_stderr_equals "logreg: --drop-first: does not apply to libsvm input (it has no categorical columns)"
expect_exit 2 "$LOGREG" predict bc.svm -m svm.json --unknown error
expect_stderr_equals "logreg: --unknown: does not apply to libsvm input (it has no columns)"
expect_exit 2 "$LOGREG" eval bc.svm -m svm.json --na-values NA
expect_stderr_equals "logreg: --na-values: does not apply to libsvm input (it has no columns)"
expect_exit 1 "$LOGREG" predict bc.svm -m csv.json
expect_stderr_equals "logreg: error: csv.json: the model was trained on CSV columns ('mean_radius', 'mean_texture', 'mean_perimeter', ...), so it reads CSV input, not libsvm (use --format csv)"
printf -- '-1 1:1\nbenign 2:1\n' >label.svm
expect_exit 1 "$LOGREG" eval label.svm -m svm.json
expect_stderr_equals "logreg: error: label.svm:2:1: the label 'benign' is not one of the model's classes ('-1', '+1')"
expect_no_file e.json

# ---- more than two classes: multinomial and one-vs-rest, as from the same data as CSV -------------
IRIS=$DATA/iris.csv
awk -F, 'NR > 1 { print $5 " 1:" $1 " 2:" $2 " 3:" $3 " 4:" $4 }' "$IRIS" >iris.svm
for mc in multinomial ovr; do
  expect_exit 0 "$LOGREG" train iris.svm -m "svm_$mc.json" --multiclass $mc --quiet
  expect_exit 0 "$LOGREG" train "$IRIS" --target species -m "csv_$mc.json" --multiclass $mc --quiet
  check "$mc: the model records its kind" grep -q "\"kind\": \"$mc\"" "svm_$mc.json"
  expect_exit 0 "$LOGREG" predict iris.svm -m "svm_$mc.json"
  cp "$STDOUT" "svm_$mc.csv"
  expect_eq "$mc: predict header" "label,probability_setosa,probability_versicolor,probability_virginica" "$(head -n 1 "svm_$mc.csv")"
  expect_eq "$mc: one row per input line" "150" "$(($(wc -l <"svm_$mc.csv") - 1))"
  expect_exit 0 "$LOGREG" predict "$IRIS" -m "csv_$mc.json"
  check "$mc: libsvm and CSV models give the same labels and probabilities (1e-12)" awk -F, 'NR == FNR { for (j = 1; j <= NF; j++) a[FNR, j] = $j; next }
    FNR > 1 { if ($1 != a[FNR, 1]) bad = 1; for (j = 2; j <= NF; j++) { d = a[FNR, j] - $j; if (d < 0) d = -d; if (d > 1e-12) bad = 1 } } END { exit bad }' "svm_$mc.csv" "$STDOUT"
  expect_exit 0 "$LOGREG" eval iris.svm -m "svm_$mc.json"
  expect_stdout_contains "rows                  150"
done
expect_exit 0 "$LOGREG" inspect -m svm_multinomial.json
expect_stdout_contains "class 'versicolor'"

finish
