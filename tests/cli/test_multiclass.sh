# More than two classes (issue 4): multinomial and one-vs-rest training on iris, predict's
# probability_<class> columns, eval's K-class table and --json, inspect per class. The reference
# numbers are scikit-learn's (tests/fixtures/breadth_iris.json, scripts/fixtures/breadth_fixtures.py).
source "$(dirname "$0")/lib.sh" "$@"
IRIS=$DATA/iris.csv

# near A B TOL: |A - B| <= TOL
near() { awk -v a="$1" -v b="$2" -v t="$3" 'BEGIN { d = a - b; if (d < 0) d = -d; exit !(d <= t) }'; }

# expect_near DESCRIPTION GOT WANT TOL
expect_near() {
  if [ -n "$2" ] && near "$2" "$3" "$4"; then pass; else fail "$1" "expected: $3 (within $4)" "got:      $2"; fi
}

# json_value KEY FILE: the number after the first "KEY": of a pretty-printed JSON file.
json_value() { grep -m 1 -E "^ *\"$1\": " "$2" | sed -E 's/^[^:]*: *//; s/,$//'; }

# matrix_shape FILE: "ROWS COLS SUM" of the first "matrix" array of arrays in a pretty-printed JSON file
# (COLS: of every row, or "ragged").
matrix_shape() {
  awk '
    !inside && /"matrix": \[/ { inside = 1; depth = 0 }
    inside {
      line = $0
      sub(/^[^[]*"matrix": /, "", line)
      for (i = 1; i <= length(line); i++) {
        ch = substr(line, i, 1)
        if (ch == "[") { depth++; if (depth == 2) { rows++; cols = 0 } }
        else if (ch == "]") {
          if (depth == 2) { if (width == "") width = cols; else if (width != cols) width = "ragged" }
          depth--
          if (depth == 0) { inside = 0; done = 1; break }
        }
      }
      if (match(line, /-?[0-9]+(\.[0-9]+)?([eE][-+]?[0-9]+)?/)) { sum += substr(line, RSTART, RLENGTH); cols++ }
      if (done) exit
    }
    END { print rows + 0, width, sum + 0 }' "$1"
}

# rows_sum_to_one FILE FIRST_COL LAST_COL: every data row'"'"'s probabilities add up to 1 within 1e-12,
# and each lies in [0, 1]; prints the worst |sum - 1|.
rows_sum_to_one() {
  awk -F, -v a="$2" -v b="$3" '
    NR == 1 { next }
    { s = 0; for (k = a; k <= b; k++) { if ($k < 0 || $k > 1) bad = 1; s += $k }
      d = s - 1; if (d < 0) d = -d; if (d > worst) worst = d }
    END { printf "%.3g\n", worst; exit !(worst <= 1e-12 && !bad) }' "$1"
}

# ---- train: more than two classes gives a multinomial model by default --------------------------
expect_exit 0 "$LOGREG" train "$IRIS" --target species -m iris.json
expect_stderr_matches '^converged after [0-9]+ [a-z]+ iterations \(objective 31\.37876826, '
expect_stdout_empty
check "the model file is valid JSON" is_valid_json iris.json
grep -q '"kind": "multinomial"' iris.json && pass || fail "the model is not multinomial"
tr -d ' \n' <iris.json | grep -q '"classes":\["setosa","versicolor","virginica"\]' && pass ||
  fail "the model's classes are not setosa, versicolor, virginica in order"

# ---- predict: label and one probability column per class, in model order ------------------------
expect_exit 0 "$LOGREG" predict "$IRIS" -m iris.json
expect_stderr_empty
cp "$STDOUT" pred.csv
expect_eq "predict header" "label,probability_setosa,probability_versicolor,probability_virginica" "$(head -n 1 pred.csv)"
expect_eq "one output row per input row" 150 "$(($(wc -l <pred.csv) - 1))"
worst=$(rows_sum_to_one pred.csv 2 4) && pass || fail "some row's probabilities do not sum to 1 within 1e-12 (worst $worst)"
# every label is a class, and the label is the most probable class
awk -F, 'NR > 1 { best = 2; for (k = 3; k <= 4; k++) if ($k > $best) best = k
                  split("x,setosa,versicolor,virginica", name, ",")
                  if ($1 != name[best]) exit 1 }' pred.csv && pass || fail "a label is not the most probable class"
# scikit-learn's probabilities (rows 1, 51 and 101 of the data; 1e-7 is the issue's tolerance)
row() { sed -n "$(($1 + 1))p" pred.csv | cut -d, -f"$2"; }
expect_eq "row 1 label" setosa "$(row 1 1)"
expect_near "row 1 P(setosa)" "$(row 1 2)" 0.9846955587159983 1e-7
expect_near "row 1 P(versicolor)" "$(row 1 3)" 0.015304379267370959 1e-7
expect_near "row 1 P(virginica)" "$(row 1 4)" 6.201663072899566e-08 1e-7
expect_eq "row 51 label" versicolor "$(row 51 1)"
expect_near "row 51 P(setosa)" "$(row 51 2)" 0.004729631265723627 1e-7
expect_near "row 51 P(versicolor)" "$(row 51 3)" 0.8648970886967405 1e-7
expect_near "row 51 P(virginica)" "$(row 51 4)" 0.13037328003753584 1e-7
expect_eq "row 101 label" virginica "$(row 101 1)"
expect_near "row 101 P(virginica)" "$(row 101 4)" 0.9937602060375978 1e-7
# the labels agree with the confusion matrix: 50 predicted setosa, 47 + 1 versicolor
expect_eq "predicted setosa" 50 "$(grep -c '^setosa,' pred.csv)"
expect_eq "predicted versicolor" 48 "$(grep -c '^versicolor,' pred.csv)"

# --proba-only: the probabilities alone
expect_exit 0 "$LOGREG" predict "$IRIS" -m iris.json --proba-only
expect_eq "--proba-only header" "probability_setosa,probability_versicolor,probability_virginica" "$(head -n 1 "$STDOUT")"
cut -d, -f2- pred.csv >want.csv
expect_same_bytes "--proba-only drops only the label" want.csv "$STDOUT"
# --keep puts input columns first; standard input works the same
expect_exit 0 "$LOGREG" predict -m iris.json --keep species <"$IRIS"
expect_eq "--keep header" "species,label,probability_setosa,probability_versicolor,probability_virginica" "$(head -n 1 "$STDOUT")"
cut -d, -f2- "$STDOUT" >kept.csv
expect_same_bytes "predict from standard input with --keep" pred.csv kept.csv
# the input does not need the target column
cut -d, -f1-4 "$IRIS" >features_only.csv
expect_exit 0 "$LOGREG" predict features_only.csv -m iris.json
expect_same_bytes "predict without the target column" pred.csv "$STDOUT"
# --all-probabilities changes nothing for K > 2 (every class has its column already)
expect_exit 0 "$LOGREG" predict "$IRIS" -m iris.json --all-probabilities
expect_same_bytes "--all-probabilities with K classes" pred.csv "$STDOUT"

# ---- eval: the K-class table ---------------------------------------------------------------------
expect_exit 0 "$LOGREG" eval "$IRIS" -m iris.json
expect_stderr_empty
expect_stdout_matches '^rows +150$'
expect_stdout_matches '^classes +3$'
expect_stdout_matches '^accuracy +0\.973333$'
expect_stdout_matches '^log loss +0\.129542$'
expect_stdout_matches '^ROC AUC \(ovr, macro\) +0\.998467$'
expect_stdout_matches '^class +precision +recall +F1 +support$'
expect_stdout_matches '^setosa +1\.000000 +1\.000000 +1\.000000 +50$'
expect_stdout_matches '^versicolor +0\.979167 +0\.940000 +0\.959184 +50$'
expect_stdout_matches '^virginica +0\.942308 +0\.980000 +0\.960784 +50$'
expect_stdout_matches '^macro avg +0\.973825 +0\.973333 +0\.973323$'
expect_stdout_matches '^weighted avg +0\.973825 +0\.973333 +0\.973323$'
expect_stdout_contains "confusion matrix (rows: actual, columns: predicted)"
expect_stdout_matches '^ +setosa +versicolor +virginica$'
expect_stdout_matches '^  setosa +50 +0 +0$'
expect_stdout_matches '^  versicolor +0 +47 +3$'
expect_stdout_matches '^  virginica +0 +1 +49$'

# eval --json: one object with every metric
expect_exit 0 "$LOGREG" eval "$IRIS" -m iris.json --json
expect_stderr_empty
cp "$STDOUT" eval.json
check "eval --json is valid JSON" is_valid_json eval.json
for key in rows classes accuracy per_class macro weighted log_loss roc_auc_ovr_macro confusion_matrix; do
  grep -q "^  \"$key\": " eval.json && pass || fail "eval --json has no top-level key '$key'"
done
for key in precision recall f1 support class; do
  expect_eq "per_class entries with '$key'" 3 "$(grep -c "^      \"$key\": " eval.json)"
done
expect_near "accuracy" "$(json_value accuracy eval.json)" 0.9733333333333334 1e-12
expect_near "log loss (scikit-learn's log_loss)" "$(json_value log_loss eval.json)" 0.12954226809583025 1e-9
expect_near "ROC AUC ovr macro (scikit-learn's)" "$(json_value roc_auc_ovr_macro eval.json)" 0.9984666666666667 1e-12
expect_eq "confusion matrix: 3 x 3, summing to 150" "3 3 150" "$(matrix_shape eval.json)"
tr -d ' \n' <eval.json | grep -q '"matrix":\[\[50,0,0\],\[0,47,3\],\[0,1,49\]\]' && pass ||
  fail "confusion matrix is not [[50,0,0],[0,47,3],[0,1,49]]"

# eval: a label that is no class of the model is an error with its place
sed '5s/setosa$/daisy/' "$IRIS" >daisy.csv
expect_exit 1 "$LOGREG" eval daisy.csv -m iris.json
expect_stderr_matches "^logreg: error: daisy\.csv:5:5 \(column 'species'\): the label 'daisy' is not one of the model's 3 classes"

# ---- inspect: every class --------------------------------------------------------------------------
expect_exit 0 "$LOGREG" inspect -m iris.json
expect_stderr_empty
expect_stdout_contains "multinomial, 3 classes"
expect_stdout_matches '^term +setosa +versicolor +virginica$'
expect_stdout_matches '^\(Intercept\) +6\.2184355 +2\.5403021 +-8\.7587377$'
expect_stdout_matches '^sepal_length +-1\.3014231 +0\.71223715 +0\.58918594$'
expect_stdout_matches '^petal_width +-2\.3845909 +-1\.0876367 +3\.4722276$'
for f in sepal_length sepal_width petal_length petal_width; do expect_stdout_matches "^$f( +-?[0-9.e+-]+){3}$"; done
expect_stdout_matches '^zeros +0 of 12 coefficients are exactly 0$'
expect_exit 0 "$LOGREG" inspect -m iris.json --json
check "inspect --json is valid JSON" is_valid_json "$STDOUT"
expect_stdout_matches '^  "zero_coefficients": 0,?$'

# ---- --multiclass ovr: one binary model per class, sigmoids normalised ---------------------------
expect_exit 0 "$LOGREG" train "$IRIS" --target species --multiclass ovr -m ovr.json --quiet
expect_stderr_empty
grep -q '"kind": "ovr"' ovr.json && pass || fail "the model is not ovr"
expect_exit 0 "$LOGREG" predict "$IRIS" -m ovr.json
cp "$STDOUT" ovr.csv
expect_eq "ovr predict header" "label,probability_setosa,probability_versicolor,probability_virginica" "$(head -n 1 ovr.csv)"
expect_eq "ovr: one output row per input row" 150 "$(($(wc -l <ovr.csv) - 1))"
worst=$(rows_sum_to_one ovr.csv 2 4) && pass || fail "ovr: some row's probabilities do not sum to 1 within 1e-12 (worst $worst)"
expect_near "ovr row 1 P(setosa) (scikit-learn's)" "$(sed -n 2p ovr.csv | cut -d, -f2)" 0.9098328478468188 1e-7
expect_near "ovr row 51 P(versicolor)" "$(sed -n 52p ovr.csv | cut -d, -f3)" 0.6120996868333657 1e-7
expect_near "ovr row 101 P(virginica)" "$(sed -n 102p ovr.csv | cut -d, -f4)" 0.9024469881156852 1e-7
cmp -s pred.csv ovr.csv && fail "ovr and multinomial give the same predictions" || pass
expect_exit 0 "$LOGREG" eval "$IRIS" -m ovr.json --json
expect_near "ovr accuracy" "$(json_value accuracy "$STDOUT")" 0.9466666666666667 1e-12
expect_near "ovr log loss" "$(json_value log_loss "$STDOUT")" 0.2804076058326229 1e-9
expect_eq "ovr confusion matrix" "3 3 150" "$(matrix_shape "$STDOUT")"
expect_exit 0 "$LOGREG" inspect -m ovr.json
expect_stdout_contains "ovr, 3 classes"
expect_stdout_matches '^term +setosa +versicolor +virginica$'

# ---- L1 with several classes: scikit-learn's zeros (saga, C=0.5) --------------------------------
expect_exit 0 "$LOGREG" train "$IRIS" --target species --penalty l1 --C 0.5 -m l1.json
expect_stderr_matches '^converged after [0-9]+ owlqn iterations \(objective 20\.98902963, '
expect_exit 0 "$LOGREG" inspect -m l1.json
expect_stdout_matches '^zeros +7 of 12 coefficients are exactly 0$'
# zero pattern (scikit-learn): setosa: sepal_length, petal_width; versicolor: all; virginica: sepal_length
expect_stdout_matches '^sepal_length +0 +0 +0$'
expect_stdout_matches '^sepal_width +[0-9.]+ +0 +-[0-9.]+$'
expect_stdout_matches '^petal_length +-[0-9.]+ +0 +[0-9.]+$'
expect_stdout_matches '^petal_width +0 +0 +[0-9.]+$'

# ---- class weights by label, and errors ----------------------------------------------------------
expect_exit 0 "$LOGREG" train "$IRIS" --target species --class-weight virginica=2,setosa=0.5 -m cw.json --quiet
expect_stderr_empty
expect_exit 1 "$LOGREG" train "$IRIS" --target species --class-weight Setosa=2 -m x.json
expect_stderr_equals "logreg: error: --class-weight: 'Setosa' is not a class of the target (its classes are 'setosa', 'versicolor', 'virginica')"
expect_no_file x.json
expect_exit 1 "$LOGREG" train "$IRIS" --target species --positive setosa -m x.json
expect_stderr_equals "logreg: error: --positive: the target 'species' has 3 classes; --positive applies to two"
expect_exit 2 "$LOGREG" train "$IRIS" --target species --multiclass softmax -m x.json
expect_stderr_contains "--multiclass"
expect_stdout_empty
expect_no_file x.json

# a target of one value is still an error; any distinct texts are classes (sorted numerically here)
printf 'x,y\n1,10\n2,9\n3,2\n4,10\n5,9\n6,2\n1.5,2\n7,9\n' >num.csv
expect_exit 0 "$LOGREG" train num.csv -m num.json --quiet
expect_exit 0 "$LOGREG" predict num.csv -m num.json
expect_eq "numeric classes in numeric order" "label,probability_2,probability_9,probability_10" "$(head -n 1 "$STDOUT")"

# Without a penalty, separable classes (setosa) have no maximum-likelihood fit: refused.
expect_exit 1 "$LOGREG" train "$DATA/iris.csv" --target species --penalty none -m sep.json
expect_stderr_contains "separated"
expect_no_file sep.json
expect_exit 1 "$LOGREG" train "$DATA/iris.csv" --target species --penalty none --multiclass ovr -m sep.json
expect_stderr_contains "separated"
expect_no_file sep.json
# Overlapping classes without a penalty fit fine, both ways.
expect_exit 0 "$LOGREG" train "$DATA/admissions.csv" --target rank --penalty none -m rank.json --quiet
expect_exit 0 "$LOGREG" train "$DATA/admissions.csv" --target rank --penalty none --multiclass ovr -m rank_ovr.json --quiet

# --threshold applies to two classes only.
expect_exit 0 "$LOGREG" train "$DATA/iris.csv" --target species -m thr.json --quiet
expect_exit 2 "$LOGREG" predict "$DATA/iris.csv" -m thr.json --threshold 0.3
expect_stderr_contains "--threshold: applies to two-class models"
expect_exit 2 "$LOGREG" eval "$DATA/iris.csv" -m thr.json --threshold 0.3

# Weights that leave one class without weight leave nothing to learn.
expect_exit 1 "$LOGREG" train "$DATA/iris.csv" --target species -m w0.json --class-weight setosa=0,versicolor=0
expect_stderr_contains "only the class 'virginica' with a positive total weight"
expect_no_file w0.json

finish
