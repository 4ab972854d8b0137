# Without a penalty, separable classes have no maximum-likelihood estimate: train must refuse.
source "$(dirname "$0")/lib.sh" "$@"

# 'dose' separates the classes (<= 4: healthy, >= 5: sick); 'noise' alone does not (both classes
# share its values). Whether 'noise' is also named is left open (see the report).
printf '%s\n' 'noise,dose,outcome' \
  '2,1,healthy' '4,2,healthy' '1,3,healthy' '3,4,healthy' \
  '2,5,sick' '4,6,sick' '1,7,sick' '3,8,sick' >separable.csv

expect_exit 1 "$LOGREG" train separable.csv --penalty none -m none.json
expect_stdout_empty
expect_stderr_contains "logreg: error: the classes are completely separated by the features"
expect_stderr_contains "separated"
expect_stderr_contains "'dose'"
expect_stderr_contains "--penalty none cannot give a meaningful model"
expect_no_file none.json
expect_dir_listing . "separable.csv"

# The same with the other solver and without standardisation.
expect_exit 1 "$LOGREG" train separable.csv --penalty none --no-standardize -m none.json
expect_stderr_contains "separated"
expect_stderr_contains "'dose'"
expect_no_file none.json
expect_exit 1 "$LOGREG" train separable.csv --penalty none --solver lbfgs -m none.json
expect_stderr_contains "separated"
expect_stderr_contains "'dose'"
expect_no_file none.json
# The message names the solver that ran.
expect_stderr_not_contains "Newton stopped"

# Quasi-complete separation: a tie on the boundary (dose 4 in both classes).
printf '%s\n' 'dose,outcome' '1,no' '2,no' '3,no' '4,no' '4,yes' '5,yes' '6,yes' '7,yes' >quasi.csv
expect_exit 1 "$LOGREG" train quasi.csv --penalty none -m quasi.json
expect_stderr_contains "quasi-completely separated"
expect_stderr_contains "'dose'"
expect_no_file quasi.json

# With the default L2 penalty the same data trains fine, and the model separates the classes.
expect_exit 0 "$LOGREG" train separable.csv -m l2.json
expect_stdout_empty
expect_stderr_matches '^converged after [0-9]+ newton iterations .*; model written to l2\.json$'
expect_file_exists l2.json
expect_exit 0 "$LOGREG" eval separable.csv -m l2.json --json
expect_stdout_contains '"accuracy": 1.0'
expect_exit 0 "$LOGREG" train separable.csv --penalty l2 --C 100 -m l2.json --quiet
expect_stderr_empty
expect_exit 0 "$LOGREG" train quasi.csv -m quasi.json --quiet
expect_stderr_empty

# Data that is not separable trains fine without a penalty.
printf '%s\n' 'dose,outcome' '1,no' '2,no' '3,yes' '4,no' '5,yes' '6,no' '7,yes' '8,yes' >overlap.csv
expect_exit 0 "$LOGREG" train overlap.csv --penalty none -m overlap.json --quiet
expect_stderr_empty
expect_file_exists overlap.json

# A far-out row that is merely well classified is not separation: the fit succeeds.
{ cat "$DATA/admissions.csv"; echo; echo "1,20000,4.0,1"; } >farout.csv
expect_exit 0 "$LOGREG" train farout.csv --target admit --penalty none -m farout.json --quiet
expect_file_exists farout.json

# Quasi-complete separation (a tie on the boundary) is refused too.
printf '%s\n' 'x,y' '1,0' '2,0' '3,0' '3,1' '4,1' '5,1' >quasi.csv
expect_exit 1 "$LOGREG" train quasi.csv --penalty none -m quasi.json
expect_stderr_contains "quasi-completely separated"
expect_stderr_contains "'x'"

finish
