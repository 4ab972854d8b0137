# What train, predict and eval print on stderr: --quiet, --verbose, and non-convergence warnings.
source "$(dirname "$0")/lib.sh" "$@"

BC=$DATA/breast_cancer.csv
ITERATION_RE='^iteration +[0-9]+: objective [-0-9.e+]+, max\|gradient\| [-0-9.e+]+, step [-0-9.e+]+$'

# ---- a clean fit ----------------------------------------------------------------------------------
expect_exit 0 "$LOGREG" train "$BC" --target diagnosis -m quiet.json --quiet
expect_stdout_empty
expect_stderr_empty
expect_file_exists quiet.json

# Default: one summary line, no iteration lines (stderr is not a terminal here).
expect_exit 0 "$LOGREG" train "$BC" --target diagnosis -m default.json
expect_stdout_empty
expect_eq "default train prints one line on stderr" 1 "$(wc -l <"$STDERR")"
expect_stderr_matches '^converged after [0-9]+ newton iterations \(objective [0-9.e+-]+, max\|gradient\| [0-9.e+-]+, [0-9.]+ s\); model written to default\.json$'
expect_same_bytes "--quiet writes the same model, except the fit time" \
  <(grep -v '"seconds"' quiet.json) <(grep -v '"seconds"' default.json)

# --verbose: every iteration and the load summary.
expect_exit 0 "$LOGREG" train "$BC" --target diagnosis -m verbose.json --verbose
expect_stdout_empty
expect_stderr_matches "$ITERATION_RE"
expect_stderr_matches '^iteration +1: objective '
expect_stderr_matches '^read 569 rows x 30 features \([0-9.]+ MB\) in [0-9.]+ s, [0-9]+ MB/s$'
expect_stderr_matches '^converged after [0-9]+ newton iterations .*; model written to verbose\.json$'
iterations=$(grep -cE "$ITERATION_RE" "$STDERR")
reported=$(sed -n 's/^converged after \([0-9]*\) newton iterations.*/\1/p' "$STDERR")
expect_eq "--verbose prints one line per iteration" "$reported" "$iterations"
expect_exit 0 "$LOGREG" train "$BC" --target diagnosis -m verbose.json --verbose --solver lbfgs
expect_stderr_matches "$ITERATION_RE"
expect_stderr_matches '^converged after [0-9]+ lbfgs iterations '

# Reading standard input names it in the same way.
expect_exit 0 "$LOGREG" train -m stdin.json --target diagnosis --verbose <"$BC"
expect_stderr_matches '^read 569 rows x 30 features '

# predict / eval with a converged model print nothing on stderr.
expect_exit 0 "$LOGREG" predict "$BC" -m default.json
expect_stderr_empty
expect_exit 0 "$LOGREG" eval "$BC" -m default.json
expect_stderr_empty
expect_exit 0 "$LOGREG" eval "$BC" -m default.json --quiet --json
expect_stderr_empty

# A failed train prints its error and nothing on stdout, quiet or not.
printf 'a,y\n1,p\n2,q\nNA,p\n' >bad.csv
expect_exit 1 "$LOGREG" train bad.csv -m bad.json --quiet
expect_stdout_empty
expect_stderr_equals "logreg: error: bad.csv:4:1 (column 'a'): missing value (\"NA\"); --missing drop leaves such rows out, --missing impute fills them in"

# ---- an iteration limit: a warning, exit 0, and the status in the model ------------------------------
expect_exit 0 "$LOGREG" train "$BC" --target diagnosis -m limited.json --max-iter 1
expect_stdout_empty
expect_stderr_contains "did not converge"
expect_stderr_matches '^logreg: warning: the fit did not converge \(iteration_limit after 1 newton iterations; '
expect_stderr_matches '^iteration_limit after 1 newton iterations .*; model written to limited\.json$'
expect_file_exists limited.json

# --quiet keeps the warning and drops the summary.
expect_exit 0 "$LOGREG" train "$BC" --target diagnosis -m limited_quiet.json --max-iter 1 --quiet
expect_stdout_empty
expect_eq "--quiet with a warning prints one line" 1 "$(wc -l <"$STDERR")"
expect_stderr_matches '^logreg: warning: the fit did not converge \(iteration_limit after 1 newton iterations; '

expect_exit 0 "$LOGREG" inspect -m limited.json
expect_stdout_matches '^fit +iteration_limit after 1 newton iterations: '
expect_stdout_matches "^settings +penalty l2, C 1, intercept yes, standardized yes, solver auto, tol [0-9.e+-]+, max-iter 1\$"
expect_stdout_contains "WARNING      the fit did not converge: these are not the optimal coefficients"
expect_exit 0 "$LOGREG" inspect -m limited.json --json
expect_stdout_contains '"status": "iteration_limit"'

# Using a model that did not converge warns, even with --quiet.
WARNING="logreg: warning: limited.json: this model's fit did not converge (iteration_limit); its predictions are not those of the optimum"
expect_exit 0 "$LOGREG" predict "$BC" -m limited.json
expect_stderr_equals "$WARNING"
expect_eq "predict still writes every row" 570 "$(wc -l <"$STDOUT")"
expect_exit 0 "$LOGREG" predict "$BC" -m limited.json --quiet
expect_stderr_equals "$WARNING"
expect_exit 0 "$LOGREG" eval "$BC" -m limited.json
expect_stderr_equals "$WARNING"
expect_stdout_contains "accuracy "

# ---- other warnings ----------------------------------------------------------------------------------
expect_exit 0 "$LOGREG" train "$DATA/admissions.csv" --target admit --penalty none --C 5 -m ad.json --quiet
expect_stdout_empty
expect_stderr_equals "logreg: warning: --C has no effect with --penalty none"

# eval on data with only one class: ROC AUC is undefined.
head -n 1 "$BC" >benign_only.csv
grep ',benign$' "$BC" >>benign_only.csv
expect_exit 0 "$LOGREG" eval benign_only.csv -m default.json
expect_stderr_equals "logreg: warning: only one class is present in the data: ROC AUC is undefined"
expect_stdout_matches '^ROC AUC +undefined$'
expect_exit 0 "$LOGREG" eval benign_only.csv -m default.json --json
expect_stdout_contains '"roc_auc": null'

finish
