# L1 and elastic net, class weights and sample weights (issue 4) on breast cancer, and predict's
# --all-probabilities for two classes. Reference numbers: scikit-learn's
# (tests/fixtures/breadth_breast_cancer.json, scripts/fixtures/breadth_fixtures.py); the train
# message prints the objective with 10 significant digits, in scikit-learn's formula
# C * sum_i c_i loss_i + R |w|_1 + (1 - R)/2 |w|^2 on the standardised features.
source "$(dirname "$0")/lib.sh" "$@"
BC=$DATA/breast_cancer.csv
IRIS=$DATA/iris.csv

near() { awk -v a="$1" -v b="$2" -v t="$3" 'BEGIN { d = a - b; if (d < 0) d = -d; exit !(d <= t) }'; }
expect_near() {
  if [ -n "$2" ] && near "$2" "$3" "$4"; then pass; else fail "$1" "expected: $3 (within $4)" "got:      $2"; fi
}
json_value() { grep -m 1 -E "^ *\"$1\": " "$2" | sed -E 's/^[^:]*: *//; s/,$//'; }

# coefficients MODEL: the binary model's coefficients, one per line (the "coefficients" array of the
# pretty-printed model file).
coefficients() {
  awk '/^ *"coefficients": \[/ { on = 1; next } on && /^ *\]/ { exit } on { gsub(/[ ,]/, ""); print }' "$1"
}
# features MODEL: its feature names, one per line.
features() {
  awk '/^ *"features": \[/ { on = 1; next } on && /^ *\]/ { exit } on { gsub(/[ ,"]/, ""); print }' "$1"
}
# nonzero_features MODEL: the names of the features with a coefficient other than exactly 0.
nonzero_features() {
  coefficients "$1" >coef.txt
  features "$1" >feat.txt
  paste -d' ' coef.txt feat.txt | awk '$1 + 0 != 0 { print $2 }' | tr '\n' ' ' | sed 's/ $//'
}

# A copy of the data with a sample-weight column w_i = 1 + (i % 3) (i: 0-based data row).
awk 'NR == 1 { print $0 ",w"; next } { print $0 "," (1 + (NR - 2) % 3) }' "$BC" >weighted.csv
awk 'NR == 1 { print $0 ",w"; next } { print $0 "," (1 + (NR - 2) % 3) }' "$IRIS" >iris_weighted.csv

# ---- two classes: predict keeps v1's columns; --all-probabilities gives both -----------------------
expect_exit 0 "$LOGREG" train "$BC" -m l2.json --quiet
expect_exit 0 "$LOGREG" predict "$BC" -m l2.json
cp "$STDOUT" v1.csv
expect_eq "binary predict header (v1)" "label,probability" "$(head -n 1 v1.csv)"
expect_exit 0 "$LOGREG" predict "$BC" -m l2.json --all-probabilities
cp "$STDOUT" all.csv
expect_eq "--all-probabilities header" "label,probability_benign,probability_malignant" "$(head -n 1 all.csv)"
expect_eq "--all-probabilities: one row per input row" 569 "$(($(wc -l <all.csv) - 1))"
awk -F, 'NR > 1 { d = $2 + $3 - 1; if (d < 0) d = -d; if (d > 1e-12) exit 1 }' all.csv && pass ||
  fail "--all-probabilities: a row does not sum to 1 within 1e-12"
cut -d, -f1,3 all.csv | tail -n +2 >a.txt
tail -n +2 v1.csv >b.txt
expect_same_bytes "probability_malignant is v1's probability, labels unchanged" a.txt b.txt
expect_exit 0 "$LOGREG" predict "$BC" -m l2.json --all-probabilities --proba-only
expect_eq "--all-probabilities --proba-only header" "probability_benign,probability_malignant" "$(head -n 1 "$STDOUT")"

# ---- L1, C = 0.1: exact zeros, scikit-learn's pattern (22 of 30) and objective ---------------------
expect_exit 0 "$LOGREG" train "$BC" --penalty l1 --C 0.1 -m l1.json
expect_stderr_matches '^converged after [0-9]+ owlqn iterations \(objective 11\.64500205, '
expect_eq "L1: exact zeros in the model file" 22 "$(coefficients l1.json | grep -cxE -- '-?0(\.0+)?(e[-+]?0+)?')"
expect_eq "L1: scikit-learn's nonzero features" \
  "mean_concave_points radius_error worst_radius worst_texture worst_smoothness worst_concavity worst_concave_points worst_symmetry" \
  "$(nonzero_features l1.json)"
expect_near "L1: fit objective in the model file" "$(json_value objective l1.json)" 11.645002047796638 1.2e-6
expect_exit 0 "$LOGREG" inspect -m l1.json
expect_stdout_matches '^zeros +22 of 30 coefficients are exactly 0$'
expect_stdout_matches '^mean_radius +0( |$)'
expect_exit 0 "$LOGREG" predict "$BC" -m l1.json
expect_eq "L1 model predicts every row" 569 "$(($(wc -l <"$STDOUT") - 1))"

# ---- elastic net --------------------------------------------------------------------------------
expect_exit 0 "$LOGREG" train "$BC" --penalty elasticnet --l1-ratio 0.5 --C 0.1 -m en.json
expect_stderr_matches '^converged after [0-9]+ owlqn iterations \(objective 9\.668788915, '
expect_eq "elastic net C=0.1: exact zeros" 12 "$(coefficients en.json | grep -cxE -- '-?0(\.0+)?(e[-+]?0+)?')"
expect_exit 0 "$LOGREG" inspect -m en.json
expect_stdout_matches '^zeros +12 of 30 coefficients are exactly 0$'
expect_exit 0 "$LOGREG" train "$BC" --penalty elasticnet --l1-ratio 0.5 -m en1.json
expect_stderr_matches '^converged after [0-9]+ owlqn iterations \(objective 42\.71049685, '
expect_eq "elastic net C=1: scikit-learn's zeros" \
  "mean_smoothness mean_symmetry concavity_error worst_compactness" \
  "$(coefficients en1.json | paste -d' ' - feat.txt | awk '$1 + 0 == 0 { print $2 }' | tr '\n' ' ' | sed 's/ $//')"
# the order of the flags does not matter
expect_exit 0 "$LOGREG" train "$BC" --l1-ratio 0.5 --penalty elasticnet --C 0.1 -m en2.json --quiet
expect_eq "--l1-ratio before --penalty" "$(coefficients en.json)" "$(coefficients en2.json)"

# --l1-ratio belongs to elastic net only: a usage error otherwise; out of [0, 1] too
for p in "" "--penalty l1" "--penalty l2" "--penalty none"; do
  # shellcheck disable=SC2086
  expect_exit 2 "$LOGREG" train "$BC" $p --l1-ratio 0.5 -m x.json
  expect_stderr_equals "logreg: --l1-ratio: applies only to --penalty elasticnet"
  expect_stdout_empty
done
for r in 1.5 -0.1 abc; do
  expect_exit 2 "$LOGREG" train "$BC" --penalty elasticnet --l1-ratio "$r" -m x.json
  expect_stderr_contains "--l1-ratio"
done
expect_no_file x.json

# ---- class weights -------------------------------------------------------------------------------
expect_exit 0 "$LOGREG" train "$BC" --class-weight balanced -m bal.json
expect_stderr_matches '^converged after [0-9]+ [a-z]+ iterations \(objective 40\.60943916, '
expect_exit 0 "$LOGREG" train "$BC" --class-weight malignant=2 -m mal2.json
expect_stderr_matches '^converged after [0-9]+ [a-z]+ iterations \(objective 53\.19655195, '
# benign=1 is the default weight: the same model
expect_exit 0 "$LOGREG" train "$BC" --class-weight malignant=2,benign=1 -m mal2b.json --quiet
expect_eq "naming the default weight changes nothing" "$(coefficients mal2.json)" "$(coefficients mal2b.json)"
cmp -s <(coefficients l2.json) <(coefficients bal.json) && fail "balanced weights changed nothing" || pass

expect_exit 1 "$LOGREG" train "$BC" --class-weight foo=2 -m x.json
expect_stderr_equals "logreg: error: --class-weight: 'foo' is not a class of the target (its classes are 'benign', 'malignant')"
for bad in bad "" malignant malignant=-1 malignant=abc =2; do
  expect_exit 2 "$LOGREG" train "$BC" --class-weight "$bad" -m x.json
  expect_stderr_matches "^logreg: --class-weight: expected 'balanced' or LABEL=WEIGHT,\.\.\..*, got '$bad'$"
done
expect_no_file x.json

# ---- sample weights: --weight COL ----------------------------------------------------------------
expect_exit 0 "$LOGREG" train weighted.csv --target diagnosis --weight w -m w.json
expect_stderr_matches '^converged after [0-9]+ [a-z]+ iterations \(objective 59\.91416835, '
expect_eq "the weight column is no feature" "$(features l2.json)" "$(features w.json)"
expect_exit 0 "$LOGREG" train weighted.csv --target diagnosis --weight w --class-weight balanced -m wb.json
expect_stderr_matches '^converged after [0-9]+ [a-z]+ iterations \(objective 64\.40415343, '
# weights 1 everywhere = no weights
awk 'NR == 1 { print $0 ",one"; next } { print $0 ",1" }' "$BC" >ones.csv
expect_exit 0 "$LOGREG" train ones.csv --target diagnosis --weight one -m ones.json --quiet
expect_eq "unit weights give the unweighted model" "$(coefficients l2.json)" "$(coefficients ones.json)"

# a bad weight is an error with its place: file:line:field and the column name
awk 'NR == 8 { sub(/,[0-9]+$/, ",-1") } { print }' weighted.csv >negative.csv
expect_exit 1 "$LOGREG" train negative.csv --target diagnosis --weight w -m x.json
expect_stderr_equals "logreg: error: negative.csv:8:32 (column 'w'): expected a non-negative number as the row's weight, found \"-1\""
awk 'NR == 300 { sub(/,[0-9]+$/, ",heavy") } { print }' weighted.csv >text.csv
expect_exit 1 "$LOGREG" train text.csv --target diagnosis --weight w -m x.json
expect_stderr_equals "logreg: error: text.csv:300:32 (column 'w'): expected a non-negative number as the row's weight, found \"heavy\""
expect_exit 1 "$LOGREG" train weighted.csv --target diagnosis --weight nope -m x.json
expect_stderr_contains "'nope'"
expect_exit 1 "$LOGREG" train weighted.csv --target diagnosis --weight diagnosis -m x.json
expect_stderr_equals "logreg: error: --weight: 'diagnosis' is the target column"
expect_no_file x.json

# ---- eval --weight: weighted metrics (scikit-learn's with sample_weight) --------------------------
expect_exit 0 "$LOGREG" eval weighted.csv -m w.json --weight w --json
expect_stderr_empty
cp "$STDOUT" weval.json
check "eval --weight --json is valid JSON" is_valid_json weval.json
expect_near "weighted accuracy" "$(json_value accuracy weval.json)" 0.9876868953386104 1e-12
expect_near "weighted log loss" "$(json_value log_loss weval.json)" 0.04246537812138984 1e-9
expect_near "weighted ROC AUC" "$(json_value roc_auc weval.json)" 0.9983013589128698 1e-9
tr -d ' \n' <weval.json | grep -q '"matrix":\[\[715,5\],\[9,408\]\]' && pass ||
  fail "weighted confusion matrix is not [[715,5],[9,408]] (total weight 1137)"
expect_exit 0 "$LOGREG" eval weighted.csv -m w.json --json
expect_near "unweighted accuracy" "$(json_value accuracy "$STDOUT")" 0.98769771528998 1e-6
tr -d ' \n' <"$STDOUT" | grep -q '"matrix":\[\[355,2\],\[5,207\]\]' && pass || fail "unweighted confusion matrix"
expect_exit 1 "$LOGREG" eval negative.csv -m w.json --weight w
expect_stderr_equals "logreg: error: negative.csv:8:32 (column 'w'): expected a non-negative number as the row's weight, found \"-1\""

# several classes: weighted training and weighted eval (iris; total weight 300)
expect_exit 0 "$LOGREG" train iris_weighted.csv --target species --weight w -m iw.json
expect_stderr_matches '^converged after [0-9]+ [a-z]+ iterations \(objective 49\.48875593, '
expect_exit 0 "$LOGREG" eval iris_weighted.csv -m iw.json --weight w --json
expect_near "iris weighted accuracy" "$(json_value accuracy "$STDOUT")" 0.9766666666666667 1e-12
expect_near "iris weighted log loss" "$(json_value log_loss "$STDOUT")" 0.10223606518584902 1e-9
tr -d ' \n' <"$STDOUT" | grep -q '"matrix":\[\[99,0,0\],\[0,95,5\],\[0,2,99\]\]' && pass ||
  fail "iris weighted confusion matrix is not [[99,0,0],[0,95,5],[0,2,99]]"

finish
