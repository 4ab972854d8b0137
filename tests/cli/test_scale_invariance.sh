# Issue 13, item 4: standardised fits at any magnitude. A feature times a power of ten gives the same
# probabilities; a tiny spread is not "constant"; a fit that cannot make a usable model exits 1 and
# writes nothing; a model never holds null for a number.
source "$(dirname "$0")/lib.sh" "$@"

# max |p - q| over the probabilities of two predict outputs, as text for awk's comparison.
max_diff() {
  paste -d, "$1" "$2" | awk -F, 'NR > 1 { d = $2 - $4; if (d < 0) d = -d; if (d > m) m = d } END { printf "%.3g\n", m }'
}
within() { awk -v d="$1" -v t="$2" 'BEGIN { exit !(d + 0 <= t + 0) }'; }

expect_exit 0 "$LOGREG" train "$DATA/admissions.csv" --target admit -m base.json --quiet
expect_exit 0 "$LOGREG" predict "$DATA/admissions.csv" -m base.json -o base.out
for k in -300 -155 155 300; do
  awk -F, -v OFS=, -v k="$k" 'NR == 1 { print; next } { $2 = $2 "e" k; print }' "$DATA/admissions.csv" >scaled.csv
  expect_exit 0 "$LOGREG" train scaled.csv --target admit -m scaled.json --quiet
  # The covariance of gre's coefficient divides by its scale (115 x 1e$k) squared: at 1e-155 it fits
  # in doubles; at the other powers it does not, which is said, and it is left out.
  if [ "$k" = -155 ]; then
    expect_stderr_empty
  else
    expect_stderr_equals "logreg: warning: the covariance of the estimates does not fit in doubles on the original scale of 'gre' (a feature of extreme magnitude: the covariance divides by its scale squared), so the model holds no standard errors; rescale such features to units nearer 1 for them"
  fi
  expect_eq "gre x 1e$k: no null in the model" 0 "$(grep -cw null scaled.json)"
  expect_exit 0 "$LOGREG" predict scaled.csv -m scaled.json -o scaled.out
  d=$(max_diff base.out scaled.out)
  check "gre x 1e$k: the probabilities of the unscaled data (max diff $d)" within "$d" 1e-12
done

# A spread of 1e-17 around 1e-15 is not constant: gpa is fitted, as scikit-learn does.
awk -F, -v OFS=, 'NR == 1 { print; next } { $3 = sprintf("%.17g", 1e-15 + $3 * 1e-17); print }' "$DATA/admissions.csv" >tiny.csv
expect_exit 0 "$LOGREG" train tiny.csv --target admit -m tiny.json --quiet
expect_exit 0 "$LOGREG" predict tiny.csv -m tiny.json -o tiny.out
d=$(max_diff base.out tiny.out)
check "gpa squeezed to a spread of 1e-17: the probabilities of the unscaled data (max diff $d)" within "$d" 1e-12

# A constant column of any magnitude: coefficient 0, the other coefficients as without it.
for c in 1e-300 1e+300; do
  awk -F, -v OFS=, -v c="$c" 'NR == 1 { print "c," $0; next } { print c "," $0 }' "$DATA/admissions.csv" >const.csv
  expect_exit 0 "$LOGREG" train const.csv --target admit -m const.json --quiet --penalty none
  expect_stderr_equals "logreg: warning: column 'c' is constant ($c), so collinear with the intercept: without a penalty its coefficient is not identified, so 'c' is dropped from the fit (shown as aliased; 0 in the model)"
done

# Weights whose sum overflows: exit 1, nothing written (it was "objective": null and exit 0).
awk -F, 'NR == 1 { print $0 ",w"; next } { print $0 ",1e308" }' "$DATA/admissions.csv" >heavy.csv
expect_exit 1 "$LOGREG" train heavy.csv --target admit --weight w -m heavy.json
expect_stderr_equals "logreg: error: the objective is out of the range of doubles: C x the sum of the row weights overflows (above 1e+250). Scale the --weight column down (without a penalty only the ratios of the weights matter) or lower --C"
expect_no_file heavy.json

# --no-standardize: the raw penalty of a feature with a standard deviation of 1e-298 overflows.
awk -F, -v OFS=, 'NR == 1 { print; next } { $2 = $2 "e-300"; print }' "$DATA/admissions.csv" >small.csv
expect_exit 1 "$LOGREG" train small.csv --target admit -m small.json --no-standardize
expect_stderr_equals "logreg: error: --no-standardize: the standard deviation of 'gre' is 1.15e-298, so the L2 penalty on its raw coefficient (1 / 1.15e-298^2 in standardised units) is out of the range of doubles; rescale the feature or drop --no-standardize"
expect_no_file small.json
# At 1e-20 the penalty weight is 1e36: Newton still converges (it stopped at the first step).
awk -F, -v OFS=, 'NR == 1 { print; next } { $2 = $2 "e-20"; print }' "$DATA/admissions.csv" >raw20.csv
expect_exit 0 "$LOGREG" train raw20.csv --target admit -m raw20.json --no-standardize
expect_stderr_matches "^converged after [0-9]+ newton iterations \(objective 232.6153941,"

# A number beyond the range of doubles in a model file: the file and the place, no library text.
sed 's/"threshold": 0.5/"threshold": 1e999/' base.json >big.json
expect_exit 1 "$LOGREG" predict "$DATA/admissions.csv" -m big.json
expect_stderr_matches "^logreg: error: big.json: not a valid model file \(the number 1e999 at byte [0-9]+ is out of the range of doubles\)$"
expect_stdout_empty

finish
