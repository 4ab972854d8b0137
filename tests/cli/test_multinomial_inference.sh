# inspect for multinomial models: one table per class against the reference class (statsmodels'
# MNLogit on datasets/anes96.csv; tests/fixtures/mnlogit_anes96.json), --level, --robust, --json;
# the approximate symmetric table of L2 fits; one-vs-rest has none; old model files.
source "$(dirname "$0")/lib.sh" "$@"
ANES=$DATA/anes96.csv

# ---- no penalty: the numbers of statsmodels' MNLogit, class '0' as the reference -----------------
expect_exit 0 "$LOGREG" train "$ANES" --target PID --penalty none -m mn.json --quiet
expect_stderr_empty
expect_exit 0 "$LOGREG" inspect -m mn.json
expect_stderr_empty
expect_stdout_contains "multinomial, 7 classes"
expect_stdout_matches '^term +0 +1 +2 +3 +4 +5 +6$'
expect_stdout_contains "Coefficients: maximum likelihood; standard errors from the inverse of the observed information; 95% Wald intervals"
expect_stdout_contains "Parameterization: reference class '0' (the first, as statsmodels' MNLogit)"
expect_eq "one table per class but the reference" \
  "$(grep -E "^class '[0-9]' vs reference '0'$" "$STDOUT" | tr '\n' ' ')" \
  "class '1' vs reference '0' class '2' vs reference '0' class '3' vs reference '0' class '4' vs reference '0' class '5' vs reference '0' class '6' vs reference '0' "
expect_stdout_matches '^term +estimate +std\. error +z value +Pr\(>\|z\|\) +2\.5 % +97\.5 % +RRR +2\.5 % +97\.5 %$'
# class 1 (MNLogit's PID=1): const -0.3734 (0.630), selfLR 0.2977 (0.094), age -0.0249 (0.007)
expect_stdout_matches '^\(Intercept\) +-0\.3734017 +0\.6298376 +-0\.593 +0\.553 +-1\.607861 +0\.8610574 +0\.6883887 +0\.2003157 +2\.365661$'
expect_stdout_matches '^selfLR +0\.2977144 +0\.0936268 +3\.180 +0\.00147 +0\.1142092 +0\.4812195 +1\.346777 +1\.120987 +1\.618046$'
expect_stdout_matches '^age +-0\.024945 +0\.006524858 +-3\.823 +0\.000132 '
# class 6 (PID=6): const -12.1058 (1.060), selfLR 2.0701 (0.143)
expect_stdout_matches '^\(Intercept\) +-12\.10575 +1\.059955 +-11\.421 +<2e-16 '
expect_stdout_matches '^selfLR +2\.07008 +0\.1434089 +14\.435 +<2e-16 '
expect_stdout_matches '^observations +944$'
expect_stdout_matches '^log-likelihood +-1461\.922747 \(null model: -1750\.34671\)$'
expect_stdout_matches '^residual deviance +2923\.845494 on 908 degrees of freedom$'
expect_stdout_matches '^null deviance +3500\.69342 on 938 degrees of freedom$'
expect_stdout_matches '^AIC +2995\.845494$'
expect_stdout_matches '^BIC +3170\.450036$'
expect_stdout_matches '^pseudo R-squared +0\.164781 \(McFadden\)$'
expect_stdout_matches '^LR test +576\.84793 on 30 df, p < 2e-16 \(against the intercept-only model\)$'
expect_stdout_not_contains "APPROXIMATE"
expect_stdout_not_contains "WARNING"

# --level changes the intervals and their headers
expect_exit 0 "$LOGREG" inspect -m mn.json --level 0.9
expect_stdout_contains "90% Wald intervals"
expect_stdout_matches '^term +estimate +std\. error +z value +Pr\(>\|z\|\) +5 % +95 % +RRR +5 % +95 %$'

# --robust: HC0 (statsmodels' cov_type='HC0'): class 1's const 0.594, selfLR 0.0993
expect_exit 0 "$LOGREG" inspect -m mn.json --robust
expect_stdout_contains "Coefficients: maximum likelihood; HC0 (sandwich, heteroskedasticity-consistent) standard errors; 95% Wald intervals"
expect_stdout_matches '^\(Intercept\) +-0\.3734017 +0\.5943331 +-0\.628 '
expect_stdout_matches '^selfLR +0\.2977144 +0\.09934022 +2\.997 '
expect_exit 0 "$LOGREG" train "$ANES" --target PID --penalty none --robust -m mn_robust.json --quiet
expect_stderr_empty
expect_exit 0 "$LOGREG" inspect -m mn_robust.json
expect_stdout_contains "HC0 (sandwich, heteroskedasticity-consistent) standard errors"
expect_stdout_matches '^\(Intercept\) +-0\.3734017 +0\.5943331 +-0\.628 '

# --json: the model's fields plus the terms (one per class and term), the table and the statistics
expect_exit 0 "$LOGREG" inspect -m mn.json --json
cp "$STDOUT" mn_inspect.json
check "inspect --json prints valid JSON" is_valid_json mn_inspect.json
expect_stdout_contains '"kind": "multinomial"'
expect_stdout_contains '"parameterization": "reference"'
expect_stdout_contains '"reference_class": "0"'
expect_stdout_contains '"class": "6"'
expect_stdout_contains '"std_error": 0.093626795'
expect_stdout_contains '"relative_risk_ratio": 1.34677702'
expect_stdout_contains '"relative_risk_ratio_ci_lower": 1.12098661'
expect_stdout_contains '"aic": 2995.84549449'
expect_stdout_contains '"bic": 3170.45003647'
expect_stdout_contains '"df_residual": 908.0'
expect_stdout_contains '"pseudo_r2_mcfadden": 0.16478104'
expect_stdout_contains '"statistic": 576.84792'
expect_stdout_contains '"exact": true'
expect_eq "--json: 6 classes x 6 terms" "$(grep -c '"relative_risk_ratio_ci_upper"' mn_inspect.json)" 36
expect_exit 0 "$LOGREG" inspect -m mn.json --json --robust --level 0.9
expect_stdout_contains '"covariance_type": "HC0"'
expect_stdout_contains '"level": 0.9'
expect_stdout_contains '"std_error": 0.59433'

# ---- L2 (the default): every class's own coefficients, labelled approximate ----------------------
expect_exit 0 "$LOGREG" train "$ANES" --target PID -m l2.json --quiet
expect_stderr_empty
expect_exit 0 "$LOGREG" inspect -m l2.json
expect_stdout_contains "Coefficients: APPROXIMATE: an L2-penalised fit (C = 1), so the estimates are shrunk towards 0; standard errors from the inverse of the penalised Hessian; the tests and 95% intervals are approximations, not exact inference"
expect_stdout_contains "Parameterization: symmetric: the model's own coefficients, one table per class"
expect_stdout_contains "(at the penalised estimates, with the nominal number of parameters: approximate)"
expect_eq "one table per class" "$(grep -cE "^class '[0-6]'$" "$STDOUT")" 7
expect_stdout_matches '^term +estimate +std\. error +z value +Pr\(>\|z\|\) +2\.5 % +97\.5 %$'
expect_stdout_not_contains "RRR"
expect_stdout_matches '^selfLR +-0\.8322459 +0\.2731547 +-3\.047 '
expect_stdout_matches '^AIC +2996\.037076$'
expect_exit 0 "$LOGREG" inspect -m l2.json --json
expect_stdout_contains '"parameterization": "symmetric"'
expect_stdout_contains '"reference_class": null'
expect_stdout_contains '"exact": false'
expect_stdout_contains '"relative_risk_ratio": null'

# ---- one-vs-rest and L1: estimates only --------------------------------------------------------------
expect_exit 0 "$LOGREG" train "$ANES" --target PID --multiclass ovr -m ovr.json --quiet
expect_exit 0 "$LOGREG" inspect -m ovr.json
expect_stdout_contains "Coefficients: estimates only (above): this model holds no inference data"
expect_stdout_contains "(not available for one-vs-rest models: "
expect_stdout_not_contains "AIC"
expect_exit 0 "$LOGREG" inspect -m ovr.json --json
expect_stdout_contains '"statistics": null'
expect_stdout_contains '"std_error": null'
expect_exit 1 "$LOGREG" inspect -m ovr.json --robust
expect_stderr_contains "ovr.json: the model holds no inference data, so no robust standard errors (not available for one-vs-rest models"
expect_exit 0 "$LOGREG" train "$ANES" --target PID --multiclass ovr --robust -m ovr_robust.json
expect_stderr_contains "logreg: warning: --robust: the model holds no standard errors"
expect_exit 0 "$LOGREG" train "$ANES" --target PID --penalty l1 -m l1.json --quiet
expect_exit 0 "$LOGREG" inspect -m l1.json
expect_stdout_contains "Coefficients: estimates only (above): this model holds no inference data"

# ---- a model file without the inference fields (older logreg) -----------------------------------------
check "a multinomial model keeps its inference under 'multinomial_inference'" test "$(grep -c '^ "inference"' mn.json)" = 0
sed '/^ "multinomial_inference": {/,/^ },$/d' mn.json >old.json
check "the old-style file has no inference field" test "$(grep -c 'inference"' old.json)" = 0
expect_exit 0 "$LOGREG" inspect -m old.json
expect_stdout_contains "Coefficients: estimates only (above): this model holds no inference data"
expect_stdout_matches '^selfLR +-0\.8512353 '
expect_exit 1 "$LOGREG" inspect -m old.json --robust
expect_stderr_contains "old.json: the model holds no inference data"
expect_exit 0 "$LOGREG" predict "$ANES" -m mn.json
cp "$STDOUT" mn_pred.csv
expect_exit 0 "$LOGREG" predict "$ANES" -m old.json
expect_same_bytes "an old-style file predicts as before" mn_pred.csv "$STDOUT"
expect_exit 0 "$LOGREG" predict "$ANES" -m mn_robust.json
expect_same_bytes "--robust changes no prediction" mn_pred.csv "$STDOUT"

finish
