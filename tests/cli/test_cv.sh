# logreg cv and logreg path: the chosen model is train's at the chosen C, a path's fit at C is
# train's at C, out-of-fold predictions cover every row once, and the errors.
source "$(dirname "$0")/lib.sh" "$@"

BC=$DATA/breast_cancer.csv
IRIS=$DATA/iris.csv
coefs() { awk '/"coefficients"/ { on = 1; next } on && /\]/ { on = 0 } on { gsub(/[ ,\[\]]/, ""); if ($0 != "") print }' "$1"; }
# max |a - b| / max(1, |b|) over two files of numbers, one per line
close_to() { awk -v tol="$3" 'NR == FNR { a[FNR] = $1; n = FNR; next } { d = a[FNR] - $1; if (d < 0) d = -d; s = $1 < 0 ? -$1 : $1; if (s < 1) s = 1; if (d > tol * s) bad = 1 } END { exit bad || n != FNR }' "$1" "$2"; }

# ---- cv: a table, the chosen row marked, and -m = train at the chosen C --------------------------
expect_exit 0 "$LOGREG" cv "$BC" --target diagnosis --C-grid 0.01,0.1,1,10 --folds 5 -m cv.json --quiet
expect_stdout_contains "cross-validation: 5 folds (stratified, seed 0), metric log-loss, rule best"
check "one row is marked chosen" test "$(grep -c '^\*' "$STDOUT")" = 1
C=$(awk '/"cross_validation"/ { on = 1 } on && /"C":/ { gsub(/[ ,]/, ""); sub(/"C":/, ""); print; exit }' cv.json)
expect_exit 0 "$LOGREG" train "$BC" --target diagnosis --C "$C" -m train.json --quiet
coefs cv.json >cv.coef
coefs train.json >train.coef
check "cv -m writes train's model at the chosen C (bit for bit)" cmp -s cv.coef train.coef
check "the model records the cross-validation" grep -q '"fold_source": "stratified, seed 0"' cv.json
expect_exit 0 "$LOGREG" inspect -m cv.json
expect_stdout_matches '^chosen by    5-fold cross-validation \(stratified, seed 0\) over 4 values, metric log-loss, rule best: [0-9.e-]+ \+- [0-9.e-]+$'
expect_exit 0 "$LOGREG" inspect -m train.json
expect_stdout_not_contains "chosen by"

# ---- --json, --rule 1se, the same folds for the same seed, other folds for another ---------------
expect_exit 0 "$LOGREG" cv "$BC" --target diagnosis --C-count 6 --json --seed 3
cp "$STDOUT" a.json
expect_exit 0 "$LOGREG" cv "$BC" --target diagnosis --C-count 6 --json --seed 3 --threads 1
check "the same seed gives the same scores with any thread count" cmp -s a.json "$STDOUT"
expect_exit 0 "$LOGREG" cv "$BC" --target diagnosis --C-count 6 --json --seed 4
check "another seed gives other folds" bash -c "! cmp -s a.json $STDOUT"
check "--json has the grid and the choice" grep -q '"fold_scores"' a.json
expect_exit 0 "$LOGREG" cv "$BC" --target diagnosis --C-count 6 --rule 1se --metric roc-auc --quiet
expect_stdout_contains "metric roc-auc, rule 1se"

# ---- --oof: one row per input row, in input order, with its fold and label ------------------------
expect_exit 0 "$LOGREG" cv "$IRIS" --target species --C-grid 0.1,1 --oof oof.csv --quiet
expect_eq "oof rows" "150" "$(($(wc -l <oof.csv) - 1))"
expect_eq "oof header" "fold,label,probability_setosa,probability_versicolor,probability_virginica" "$(head -n 1 oof.csv)"
expect_eq "oof labels in input order" "$(tail -n +2 "$IRIS" | cut -d, -f5)" "$(tail -n +2 oof.csv | cut -d, -f2)"
check "each fold holds 30 rows" bash -c "test \"\$(tail -n +2 oof.csv | cut -d, -f1 | sort | uniq -c | awk '{print \$1}' | sort -u)\" = 30"

# ---- --fold-column: its values are the folds, and it is not a feature -----------------------------
awk -F, 'NR == 1 { print $0 ",part"; next } { print $0 "," (NR % 3 ? "a" : "b") }' "$BC" >parts.csv
expect_exit 0 "$LOGREG" cv parts.csv --target diagnosis --fold-column part --C-grid 1 --json
expect_stdout_contains '"folds": 2'
expect_stdout_contains "\"fold_source\": \"column 'part'\""

# ---- path: the fit at C is train's at C ------------------------------------------------------------
expect_exit 0 "$LOGREG" path "$BC" --target diagnosis --C-grid 0.1,1 -o path.csv
expect_eq "path rows" "3" "$(wc -l <path.csv)"
awk -F, 'NR == 3 { for (j = 5; j <= NF; j++) print $j }' path.csv >path.coef
expect_exit 0 "$LOGREG" train "$BC" --target diagnosis --C 1 -m c1.json --quiet
coefs c1.json >c1.coef
check "path's fit at C = 1 is train's to 1e-8" close_to path.coef c1.coef 1e-8
# L1: path's fits (proximal Newton) and train's (OWL-QN and its polish) reach the same optimum;
# the same zeros, and the coefficients to 1e-8.
expect_exit 0 "$LOGREG" path "$BC" --target diagnosis --penalty l1 --C-grid 0.05,0.5 -o path-l1.csv
awk -F, 'NR == 3 { for (j = 5; j <= NF; j++) print $j }' path-l1.csv >path-l1.coef
expect_exit 0 "$LOGREG" train "$BC" --target diagnosis --penalty l1 --C 0.5 -m l1.json --quiet
coefs l1.json >l1.coef
check "path's L1 fit at C = 0.5 is train's to 1e-8" close_to path-l1.coef l1.coef 1e-8
expect_eq "path's L1 fit at C = 0.5 has train's zeros" "$(awk '{ print ($1 == 0) }' l1.coef | tr -d '\n')" "$(awk '{ print ($1 == 0) }' path-l1.coef | tr -d '\n')"
expect_exit 0 "$LOGREG" path "$IRIS" --target species --penalty l1 --C-count 4
expect_eq "path rows for 3 classes" "13" "$(wc -l <"$STDOUT")"

# ---- errors ----------------------------------------------------------------------------------------
expect_exit 2 "$LOGREG" cv "$BC" --target diagnosis --penalty none
expect_stderr_equals "logreg: --penalty none: cv chooses C, which needs a penalty (l2, l1 or elasticnet)"
expect_exit 2 "$LOGREG" cv "$BC" --target diagnosis --C 1
expect_stderr_equals "logreg: --C: cv chooses C; give the values to try with --C-grid (or --C-count)"
expect_exit 2 "$LOGREG" cv "$BC" --target diagnosis --folds 1
expect_stderr_equals "logreg: --folds: expected a whole number from 2 to 1000000, got '1'"
expect_exit 2 "$LOGREG" cv "$BC" --target diagnosis --metric auc
expect_stderr_equals "logreg: --metric: expected one of log-loss, roc-auc, accuracy, brier, f1, average-precision; got 'auc'"
expect_exit 2 "$LOGREG" cv "$IRIS" --target species --metric brier
expect_stderr_equals "logreg: --metric brier: defined for two classes only; the target has 3 (use log-loss, accuracy, f1 or roc-auc)"
expect_exit 2 "$LOGREG" path "$BC" --target diagnosis --penalty none
expect_stderr_equals "logreg: --penalty none: a path over C needs a penalty (l2, l1 or elasticnet)"
# a fold whose rows all weigh 0 has no score: named, before any fit
awk -F, -v OFS=, 'NR == 1 { print $0, "w", "part"; next } { print $0, (NR % 3 == 0 ? 0 : 1), (NR % 3 == 0 ? "z" : "a" NR % 2) }' "$BC" >weighted.csv
expect_exit 1 "$LOGREG" cv weighted.csv --target diagnosis --weight w --fold-column part --C-grid 1
expect_stderr_equals "logreg: error: cv: every row of fold 'z' has weight 0 (190 rows), so its score is undefined; give some of them weight, or use other folds"

# The folds run concurrently (one per thread): the result is the same, bit for bit, for any --threads.
for args in "$DATA/breast_cancer.csv --target diagnosis --C-count 4" "$DATA/iris.csv --target species --C-count 3" \
  "$DATA/adult.csv --target income --C-count 2 --folds 3"; do
  # shellcheck disable=SC2086
  "$LOGREG" cv $args --quiet --json --threads 1 >one.json
  # shellcheck disable=SC2086
  "$LOGREG" cv $args --quiet --json --threads 2 >two.json
  # shellcheck disable=SC2086
  "$LOGREG" cv $args --quiet --json --threads 3 >three.json
  expect_same_bytes "cv --threads 1 and 2 ($args)" one.json two.json
  expect_same_bytes "cv --threads 1 and 3 ($args)" one.json three.json
done

finish
