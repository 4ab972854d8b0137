# Issue 13, item 10: a Newton polish after L-BFGS is recorded in the model (fit.polish_steps, its
# steps counted in fit.iterations), while train's summary and inspect's fit line keep their form
# (scripts and the docs read them). A fit without one has no such field. Data: scikit-learn's
# digits 0-4 (tests/fixtures/digits.csv), a multinomial L2 fit at C = 100: 325 coefficients, so
# L-BFGS, ill-conditioned enough to be polished (tests/test_default_accuracy.cpp checks the result).
source "$(dirname "$0")/lib.sh" "$@"

{ awk 'BEGIN { for (j = 0; j < 64; j++) printf "p%d,", j; print "y" }'
  awk -F, '$65 < 5' "$REPO/tests/fixtures/digits.csv"; } >d5.csv
expect_exit 0 "$LOGREG" train d5.csv --target y --C 100 -m d5.json --verbose
expect_stderr_matches '^converged after [0-9]+ lbfgs iterations \(objective 82\.9568047'
expect_stdout_empty
expect_eq "fit.polish_steps in the model" 1 "$(grep -c '"polish_steps": [1-9]' d5.json)"
# --verbose shows the polish steps as the last iterations, with step 1 and a gradient far below the tolerance
last=$(grep -E '^iteration +[0-9]+:' "$STDERR" | tail -n 1)
expect_eq "the last iteration's step" "step 1" "${last##*, }"
iterations=$(sed -n 's/^converged after \([0-9]*\) .*/\1/p' "$STDERR")
expect_eq "iterations shown = iterations reported" "$iterations" "$(grep -cE '^iteration +[0-9]+:' "$STDERR")"
expect_exit 0 "$LOGREG" inspect -m d5.json
expect_stdout_matches '^fit +converged after [0-9]+ lbfgs iterations: objective 82\.9568047'

# Newton fits are never polished: no such field.
expect_exit 0 "$LOGREG" train "$DATA/breast_cancer.csv" --target diagnosis -m bc.json
expect_stderr_matches '^converged after [0-9]+ newton iterations \(objective'
expect_eq "no fit.polish_steps" 0 "$(grep -c polish_steps bc.json)"

finish
