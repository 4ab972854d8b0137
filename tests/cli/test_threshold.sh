# logreg threshold: the chosen threshold and its metrics (text and --json), each metric and
# constraint, --weight, --write (then predict and eval use the stored threshold; --threshold still
# overrides), and every error with its exact message and exit code. The reference thresholds were
# computed from the model's predicted probabilities with scripts/fixtures/selection_fixtures.py's
# scan and choice (exact fractions; the scan equals scikit-learn's roc_curve and
# precision_recall_curve).
source "$(dirname "$0")/lib.sh" "$@"
BC=$DATA/breast_cancer.csv

json_value() { grep -m 1 -E "^ *\"$1\": " "$2" | sed -E 's/^[^:]*: *//; s/,$//'; }

expect_exit 0 "$LOGREG" train "$BC" --target diagnosis -m model.json --quiet
cp model.json original.json
# The chosen thresholds are predicted probabilities: their last digits follow the BLAS kernel the
# fit ran on (docs/testing.md). They must equal the references to 1e-12, and every later output
# this machine's value, digit for digit.
near() { awk -v a="$1" -v b="$2" -v t="$3" 'BEGIN { d = a - b; if (d < 0) d = -d; exit !(d <= t) }'; }
T_F1=$(json_value threshold <("$LOGREG" threshold "$BC" -m model.json --json))
T_COST=$(json_value threshold <("$LOGREG" threshold "$BC" -m model.json --metric cost --cost-fp 1 --cost-fn 10 --json))
if near "$T_F1" 0.5792884689383253 1e-12; then pass; else fail "best F1 threshold" "expected: 0.5792884689383253" "got:      $T_F1"; fi
if near "$T_COST" 0.114201593593889 1e-12; then pass; else fail "cost threshold" "expected: 0.114201593593889" "got:      $T_COST"; fi

# ---- F1, the default: the whole table ------------------------------------------------------------
expect_exit 0 "$LOGREG" threshold "$BC" -m model.json
expect_stderr_empty
expect_stdout_equals "rows                  569
positive class        'malignant' (212 rows)
chosen by             best F1
candidates            568 distinct probabilities
threshold             $T_F1
model's threshold     0.5

accuracy              0.991213
precision             1.000000
recall (sensitivity)  0.976415
specificity           1.000000
F1                    0.988067
Youden's J            0.976415

tp                    207
fp                    0
tn                    357
fn                    5"
expect_same_bytes "threshold reads, never writes, without --write" model.json original.json

# ---- --json --------------------------------------------------------------------------------------
expect_exit 0 "$LOGREG" threshold "$BC" -m model.json --metric f1 --json
cp "$STDOUT" f1.json
check "threshold --json is valid JSON" is_valid_json f1.json
expect_eq "--json threshold" $T_F1 "$(json_value threshold f1.json)"
expect_eq "--json metric" '"f1"' "$(json_value metric f1.json)"
expect_eq "--json value (the F1)" 0.9880668257756563 "$(json_value value f1.json)"
expect_eq "--json f1" 0.9880668257756563 "$(json_value f1 f1.json)"
expect_eq "--json tp" 207 "$(json_value tp f1.json)"
expect_eq "--json fn" 5 "$(json_value fn f1.json)"
expect_eq "--json candidates" 568 "$(json_value candidates f1.json)"
expect_eq "--json written" false "$(json_value written f1.json)"
expect_eq "--json model_threshold" 0.5 "$(json_value model_threshold f1.json)"

# ---- the other metrics and the constraints --------------------------------------------------------
expect_exit 0 "$LOGREG" threshold "$BC" -m model.json --metric youden --json
expect_eq "youden" $T_F1 "$(json_value threshold "$STDOUT")"
expect_eq "youden: value = recall + specificity - 1" 0.9764150943396226 "$(json_value value "$STDOUT")"
expect_exit 0 "$LOGREG" threshold "$BC" -m model.json --metric cost --cost-fp 1 --cost-fn 10 --json
expect_eq "cost 1 FP + 10 FN" $T_COST "$(json_value threshold "$STDOUT")"
expect_eq "cost: value" 35.0 "$(json_value value "$STDOUT")"
# --cost-fn alone means --metric cost
expect_exit 0 "$LOGREG" threshold "$BC" -m model.json --cost-fn 10
expect_stdout_contains "chosen by             lowest cost 1 FP + 10 FN"
expect_stdout_contains "threshold             $T_COST"
expect_stdout_contains "cost                  35"
# --min-precision alone: the best recall with precision >= P
expect_exit 0 "$LOGREG" threshold "$BC" -m model.json --min-precision 1
expect_stdout_contains "chosen by             best recall, precision >= 1"
expect_stdout_contains "candidates            568 distinct probabilities (206 meet the constraints)"
expect_stdout_contains "threshold             $T_F1"
expect_exit 0 "$LOGREG" threshold "$BC" -m model.json --metric precision --min-recall 0.99 --json
expect_eq "best precision with recall >= 0.99" $T_COST "$(json_value threshold "$STDOUT")"
expect_eq "--json min_recall" 0.99 "$(json_value min_recall "$STDOUT")"
expect_eq "--json eligible" 335 "$(json_value eligible "$STDOUT")"

# ---- weights (whole numbers: every count is weighted) --------------------------------------------
awk 'NR == 1 { print $0 ",w"; next } { print $0 "," (1 + (NR - 2) % 3) }' "$BC" >weighted.csv
expect_exit 0 "$LOGREG" threshold weighted.csv -m model.json --weight w --json
expect_eq "weighted F1: threshold" $T_F1 "$(json_value threshold "$STDOUT")"
expect_eq "weighted F1: value" 0.9890909090909091 "$(json_value value "$STDOUT")"
expect_eq "weighted tp" 408 "$(json_value tp "$STDOUT")"
expect_exit 0 "$LOGREG" threshold weighted.csv -m model.json --weight w --cost-fn 10 --json
expect_eq "weighted cost: threshold" $T_COST "$(json_value threshold "$STDOUT")"
expect_eq "weighted cost: value" 60.0 "$(json_value value "$STDOUT")"
expect_exit 0 "$LOGREG" threshold weighted.csv -m model.json --weight w
expect_stdout_contains "positive class        'malignant' (417 by weight)"

# ---- standard input ------------------------------------------------------------------------------
expect_exit 0 "$LOGREG" threshold -m model.json --json <"$BC"
expect_eq "standard input" $T_F1 "$(json_value threshold "$STDOUT")"

# ---- --write, then predict and eval use the threshold ---------------------------------------------
expect_exit 0 "$LOGREG" threshold "$BC" -m model.json --write
expect_stdout_contains "threshold             $T_F1"
expect_stdout_contains "written to            model.json (its threshold was 0.5)"
expect_stdout_not_contains "model's threshold"
grep -v '"threshold":' original.json >a.txt
grep -v '"threshold":' model.json >b.txt
expect_same_bytes "--write changes only the threshold" a.txt b.txt
expect_eq "the stored threshold" " \"threshold\": $T_F1," "$(grep '"threshold":' model.json)"
expect_dir_listing . "a.txt
b.txt
f1.json
model.json
original.json
weighted.csv"
expect_exit 0 "$LOGREG" inspect -m model.json
expect_stdout_matches "^threshold    ${T_F1//./\\.}\$"
expect_exit 0 "$LOGREG" eval "$BC" -m model.json --json
expect_eq "eval uses the stored threshold" $T_F1 "$(json_value threshold "$STDOUT")"
expect_eq "eval: the same F1 as threshold printed" 0.9880668257756563 "$(json_value f1 "$STDOUT")"
expect_exit 0 "$LOGREG" predict "$BC" -m model.json
expect_eq "predict uses the stored threshold: 207 malignant" 207 "$(grep -c '^malignant,' "$STDOUT")"
expect_exit 0 "$LOGREG" predict "$BC" -m model.json --threshold 0.5
expect_eq "--threshold still overrides: 209 malignant" 209 "$(grep -c '^malignant,' "$STDOUT")"
expect_exit 0 "$LOGREG" eval "$BC" -m model.json --threshold 0.5 --json
expect_eq "eval --threshold overrides" 0.5 "$(json_value threshold "$STDOUT")"
# --write --json, and the same threshold written again: the file is unchanged
cp model.json written.json
expect_exit 0 "$LOGREG" threshold "$BC" -m model.json --write --json
expect_eq "--write --json: written" true "$(json_value written "$STDOUT")"
expect_eq "--write --json: model_threshold (before)" $T_F1 "$(json_value model_threshold "$STDOUT")"
expect_same_bytes "writing the same threshold again" model.json written.json
# a failed choice writes nothing
expect_exit 1 "$LOGREG" threshold "$BC" -m model.json --min-precision 0.99 --min-recall 0.99 --write
expect_same_bytes "a failed threshold --write leaves the model alone" model.json written.json
rm -f written.json

# ---- errors ---------------------------------------------------------------------------------------
expect_exit 0 "$LOGREG" train "$DATA/iris.csv" -m iris.json --quiet
expect_exit 2 "$LOGREG" threshold "$DATA/iris.csv" -m iris.json
expect_stderr_equals "logreg: threshold: applies to two-class models; iris.json has 3 classes"
expect_exit 2 "$LOGREG" threshold "$BC"
expect_stderr_equals "logreg: threshold: -m/--model MODEL is required"
expect_exit 2 "$LOGREG" threshold "$BC" -m model.json --metric recall
expect_stderr_equals "logreg: --metric recall: needs --min-precision P (the best recall with precision >= P; recall alone is 1 at the lowest threshold)"
expect_exit 2 "$LOGREG" threshold "$BC" -m model.json --metric precision
expect_stderr_equals "logreg: --metric precision: needs --min-recall R (the best precision with recall >= R)"
expect_exit 2 "$LOGREG" threshold "$BC" -m model.json --metric accuracy
expect_stderr_equals "logreg: --metric: expected one of f1, youden, cost, precision, recall; got 'accuracy'"
expect_exit 2 "$LOGREG" threshold "$BC" -m model.json --metric f1 --cost-fp 2
expect_stderr_equals "logreg: --cost-fp: applies only to --metric cost"
expect_exit 2 "$LOGREG" threshold "$BC" -m model.json --cost-fp -1
expect_stderr_equals "logreg: --cost-fp: expected a non-negative number, got '-1'"
expect_exit 2 "$LOGREG" threshold "$BC" -m model.json --cost-fn abc
expect_stderr_equals "logreg: --cost-fn: expected a number, got 'abc'"
expect_exit 2 "$LOGREG" threshold "$BC" -m model.json --min-precision 1.5
expect_stderr_equals "logreg: --min-precision: expected a number from 0 to 1, got '1.5'"
expect_exit 2 "$LOGREG" threshold "$BC" -m model.json --write=yes
expect_stderr_equals "logreg: --write: this flag takes no value"
expect_exit 1 "$LOGREG" threshold "$BC" -m model.json --min-precision 0.99 --min-recall 0.99
expect_stderr_equals "logreg: error: $BC: no threshold gives both precision >= 0.99 and recall >= 0.99 (with recall >= 0.99 the highest precision is 0.894068)"
grep -v ',malignant$' "$BC" >benign.csv
expect_exit 1 "$LOGREG" threshold benign.csv -m model.json
expect_stderr_equals "logreg: error: benign.csv: every row is 'benign': choosing a threshold needs both classes"
expect_exit 1 "$LOGREG" threshold "$BC" -m nomodel.json
expect_stderr_equals "logreg: error: nomodel.json: cannot open the model: No such file or directory"
expect_exit 1 "$LOGREG" threshold "$BC" -m /nonexistent/dir/m.json --write
expect_stderr_equals "logreg: error: /nonexistent/dir/m.json: cannot write the model: directory '/nonexistent/dir' is not writable or does not exist"
expect_exit 2 "$LOGREG" threshold "$REPO/tests/fixtures/sparse_synthetic.svm" -m model.json --weight w
expect_stderr_equals "logreg: --weight: does not apply to libsvm input (it has no columns)"

# ---- help ----------------------------------------------------------------------------------------
expect_exit 0 "$LOGREG" help
expect_stdout_contains "  threshold choose a two-class model's decision threshold on labelled data (F1, Youden, cost, ...)"
expect_exit 0 "$LOGREG" help threshold
expect_stdout_contains "usage: logreg threshold [DATA] -m MODEL [--metric M] [options]"

finish
