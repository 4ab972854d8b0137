# inspect's coefficient table and fit statistics, --level, --robust, --json; the approximate table
# of penalised fits; aliased (collinear) columns; the conditioning warning; old model files.
source "$(dirname "$0")/lib.sh" "$@"
AD=$DATA/admissions.csv

# ---- admissions, no penalty: the numbers of R's glm / statsmodels' Logit -----------------------
expect_exit 0 "$LOGREG" train "$AD" --target admit --penalty none -m ad.json --quiet
expect_stderr_empty
expect_exit 0 "$LOGREG" inspect -m ad.json
expect_stderr_empty
expect_stdout_contains "Coefficients: maximum likelihood; standard errors from the inverse of the observed information; 95% Wald intervals"
expect_stdout_matches '^term +estimate +std\. error +z value +Pr\(>\|z\|\) +2\.5 % +97\.5 % +odds ratio +2\.5 % +97\.5 %$'
expect_stdout_matches '^\(Intercept\) +-3\.449548 +1\.132846 +-3\.045 +0\.00233 +-5\.669886 +-1\.229211 +0\.03175998 +0\.003448259 +0\.2925233$'
expect_stdout_matches '^gre +0\.00229396 +0\.001091839 +2\.101 +0\.0356 +0\.0001539942 +0\.004433925 +1\.002297 +1\.000154 +1\.004444$'
expect_stdout_matches '^gpa +0\.7770136 +0\.3274839 +2\.373 +0\.0177 '
expect_stdout_matches '^rank +-0\.5600314 +0\.127137 +-4\.405 +1\.06e-05 '
expect_stdout_matches '^observations +400$'
expect_stdout_matches '^log-likelihood +-229\.7208825 \(null model: -249\.9882588\)$'
expect_stdout_matches '^residual deviance +459\.441765 on 396 degrees of freedom$'
expect_stdout_matches '^null deviance +499\.9765176 on 399 degrees of freedom$'
expect_stdout_matches '^AIC +467\.441765$'
expect_stdout_matches '^BIC +483\.4076232$'
expect_stdout_matches '^pseudo R-squared +0\.0810733 \(McFadden\)$'
expect_stdout_matches '^LR test +40\.534753 on 3 df, p = 8\.21e-09 \(against the intercept-only model\)$'
expect_stdout_not_contains "APPROXIMATE"
expect_stdout_not_contains "WARNING"

# --level changes the intervals (and their headers)
expect_exit 0 "$LOGREG" inspect -m ad.json --level 0.9
expect_stdout_contains "90% Wald intervals"
expect_stdout_matches '^term +estimate +std\. error +z value +Pr\(>\|z\|\) +5 % +95 % +odds ratio +5 % +95 %$'
expect_stdout_matches '^gre +0\.00229396 +0\.001091839 +2\.101 +0\.0356 +0\.000498044 +0\.004089875 '
expect_exit 0 "$LOGREG" inspect -m ad.json --level=0.99
expect_stdout_matches '^term .* 0\.5 % +99\.5 % '
expect_exit 2 "$LOGREG" inspect -m ad.json --level abc
expect_stderr_equals "logreg: --level: expected a number, got 'abc'"
for bad in 1.5 0 1 -0.2; do
  expect_exit 2 "$LOGREG" inspect -m ad.json --level "$bad"
  expect_stderr_equals "logreg: --level: expected a number between 0 and 1 (e.g. 0.95), got '$bad'"
  expect_stdout_empty
done

# --robust at inspect time: HC0 errors (statsmodels' cov_type='HC0')
expect_exit 0 "$LOGREG" inspect -m ad.json --robust
expect_stdout_contains "Coefficients: maximum likelihood; HC0 (sandwich, heteroskedasticity-consistent) standard errors; 95% Wald intervals"
expect_stdout_matches '^\(Intercept\) +-3\.449548 +1\.127195 +-3\.060 '
expect_stdout_matches '^gre +0\.00229396 +0\.001096798 +2\.092 '
# ... or at train time, stored as the model's default
expect_exit 0 "$LOGREG" train "$AD" --target admit --penalty none --robust -m ad_robust.json --quiet
expect_stderr_empty
expect_exit 0 "$LOGREG" inspect -m ad_robust.json
expect_stdout_contains "HC0 (sandwich, heteroskedasticity-consistent) standard errors"
expect_stdout_matches '^gre +0\.00229396 +0\.001096798 +2\.092 '
expect_exit 0 "$LOGREG" predict "$AD" -m ad_robust.json
cp "$STDOUT" robust_pred.csv
expect_exit 0 "$LOGREG" predict "$AD" -m ad.json
expect_same_bytes "--robust changes no prediction" robust_pred.csv "$STDOUT"

# --json: the same as one object; the model's fields and 'terms' are still there
expect_exit 0 "$LOGREG" inspect -m ad.json --json
cp "$STDOUT" ad_inspect.json
check "inspect --json prints valid JSON" is_valid_json ad_inspect.json
expect_stdout_contains '"format": "logreg-model"'
expect_stdout_contains '"term": "gre"'
expect_stdout_contains '"std_error": 0.0010918391'
expect_stdout_contains '"p_value": 0.00232658'
expect_stdout_contains '"ci_lower": -5.6698857'
expect_stdout_contains '"odds_ratio_ci_upper": '
expect_stdout_contains '"aliased": false'
expect_stdout_contains '"covariance_type": "nonrobust"'
expect_stdout_contains '"exact": true'
expect_stdout_contains '"level": 0.95'
expect_stdout_contains '"aic": 467.44176503'
expect_stdout_contains '"bic": 483.40762321'
expect_stdout_contains '"pseudo_r2_mcfadden": 0.08107331'
expect_stdout_contains '"statistic": 40.5347525'
expect_stdout_contains '"df_residual": 396.0'
expect_exit 0 "$LOGREG" inspect -m ad.json --json --robust --level 0.9
expect_stdout_contains '"covariance_type": "HC0"'
expect_stdout_contains '"level": 0.9'
expect_stdout_contains '"std_error": 0.00109679'

# ---- penalised fits: the table is shown, labelled approximate ------------------------------------
expect_exit 0 "$LOGREG" train "$AD" --target admit -m l2.json --quiet
expect_exit 0 "$LOGREG" inspect -m l2.json
expect_stdout_contains "Coefficients: APPROXIMATE: an L2-penalised fit (C = 1), so the estimates are shrunk towards 0; standard errors from the inverse of the penalised Hessian; the tests and 95% intervals are approximations, not exact inference"
expect_stdout_contains "(at the penalised estimates, with the nominal number of parameters: approximate)"
expect_stdout_not_contains "maximum likelihood"
expect_stdout_matches '^gre +[0-9.e-]+ +[0-9.e-]+ +-?[0-9]+\.[0-9]{3} '
expect_exit 0 "$LOGREG" inspect -m l2.json --json
expect_stdout_contains '"exact": false'
expect_stdout_contains '"method": "APPROXIMATE: '
expect_exit 0 "$LOGREG" inspect -m l2.json --robust
expect_stdout_contains "standard errors from the HC0 sandwich around the inverse penalised Hessian"

# ---- collinearity: aliased columns, as R's NA ----------------------------------------------------
# gre2 copies gre; combo = 2 gpa - rank; five is constant
awk -F, 'BEGIN { OFS = "," } NR == 1 { print $0, "gre2", "combo", "five"; next } { print $0, $2, 2 * $3 - $4, 5 }' "$AD" >collinear.csv
expect_exit 0 "$LOGREG" train collinear.csv --target admit --penalty none -m collinear.json
expect_stderr_contains "logreg: warning: column 'gre2' is an exact linear combination of other columns ('gre2' = 'gre'): without a penalty its coefficient is not identified, so 'gre2' is dropped from the fit (shown as aliased; 0 in the model)"
expect_stderr_contains "logreg: warning: column 'combo' is an exact linear combination of other columns ('combo' = 2*'gpa' - 'rank')"
expect_stderr_contains "logreg: warning: column 'five' is constant (5), so collinear with the intercept"
expect_exit 0 "$LOGREG" inspect -m collinear.json
expect_stdout_matches '^gre2 +aliased$'
expect_stdout_matches '^combo +aliased$'
expect_stdout_matches '^five +aliased$'
expect_stdout_contains "aliased: 'gre2', 'combo', 'five' are exact linear combinations of other columns (or constant)"
# the other rows are those of the fit without the aliased columns
expect_stdout_matches '^gre +0\.00229396 +0\.001091839 +2\.101 +0\.0356 '
expect_stdout_matches '^AIC +467\.441765$'
expect_exit 0 "$LOGREG" inspect -m collinear.json --json
cp "$STDOUT" collinear_inspect.json
check "inspect --json with aliased terms is valid JSON" is_valid_json collinear_inspect.json
expect_stdout_contains '"aliased": true'
expect_stdout_contains '"estimate": null'
# predictions ignore the aliased columns (coefficient 0): the same as the plain model's
expect_exit 0 "$LOGREG" predict collinear.csv -m collinear.json
cut -d, -f2 "$STDOUT" >collinear_p.csv
cut -d, -f2 robust_pred.csv >plain_p.csv
expect_eq "aliased columns: same probabilities to 9 digits" "$(awk '{ printf "%.9g\n", $1 }' plain_p.csv)" "$(awk '{ printf "%.9g\n", $1 }' collinear_p.csv)"
# with L2 nothing is dropped
expect_exit 0 "$LOGREG" train collinear.csv --target admit -m collinear_l2.json --quiet
expect_stderr_empty

# ---- conditioning: a nearly collinear column is kept, with a warning -----------------------------
awk -F, 'BEGIN { OFS = "," } NR == 1 { print $0, "gre_wiggle"; next } { print $0, $2 + ((NR * 37) % 101 - 50) / 5000 }' "$AD" >wiggle.csv
expect_exit 0 "$LOGREG" train wiggle.csv --target admit --penalty none -m wiggle.json --quiet
expect_stderr_matches '^logreg: warning: the information matrix is near-singular \(condition number [0-9.]+e\+[0-9]+ after scaling to unit diagonal\)'
expect_exit 0 "$LOGREG" inspect -m wiggle.json
expect_stdout_matches '^WARNING +the information matrix is near-singular \(condition number [0-9.]+e\+[0-9]+\)'
expect_stdout_matches '^gre_wiggle +-?[0-9]'

# ---- separation still refuses, and names the feature ---------------------------------------------
printf '%s\n' 'noise,dose,dose_copy,outcome' \
  '2,1,1,healthy' '4,2,2,healthy' '1,3,3,healthy' '3,4,4,healthy' \
  '2,5,5,sick' '4,6,6,sick' '1,7,7,sick' '3,8,8,sick' >separable.csv
expect_exit 1 "$LOGREG" train separable.csv --penalty none -m sep.json
expect_stderr_contains "logreg: error: the classes are completely separated by the features"
expect_stderr_contains "'dose'"
expect_stderr_contains "Use --penalty l2"
expect_no_file sep.json

# ---- model files without the inference fields (older logreg) --------------------------------------
sed '/^ "inference": {/,/^ },$/d' ad.json >old.json
check "the old-style file has no inference field" test "$(grep -c '"inference"' old.json)" = 0
expect_exit 0 "$LOGREG" inspect -m old.json
expect_stdout_contains "Coefficients: estimates only: this model holds no inference data"
expect_stdout_matches '^term +estimate +odds ratio$'
expect_stdout_matches '^gre +0\.00229396 +1\.002297$'
expect_stdout_not_contains "AIC"
expect_exit 0 "$LOGREG" inspect -m old.json --json
expect_stdout_contains '"statistics": null'
expect_stdout_contains '"std_error": null'
expect_exit 1 "$LOGREG" inspect -m old.json --robust
expect_stderr_contains "old.json: the model holds no inference data"
expect_exit 0 "$LOGREG" predict "$AD" -m old.json
expect_same_bytes "an old-style file predicts as before" robust_pred.csv "$STDOUT"

finish
