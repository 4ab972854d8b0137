# eval --calibration [--bins B]: the reliability table, the ECE and the Hosmer-Lemeshow test in text
# and under "calibration" in --json; weights; errors. The reference numbers were computed from the
# models' predicted probabilities by scripts/fixtures/selection_fixtures.py's implementation and,
# for the test, by R's hoslem.test code (ResourceSelection) on the same doubles: breast cancer
# 1.6539327066257614 (p 0.9898474852453043 in R's 1 - pchisq), admissions 3.029249586490699
# (p 0.9325085770624219), breast cancer with weights 1, 2, 3 as repeated rows 2.7224747915209253.
source "$(dirname "$0")/lib.sh" "$@"
BC=$DATA/breast_cancer.csv
AD=$DATA/admissions.csv

near() { awk -v a="$1" -v b="$2" -v t="$3" 'BEGIN { d = a - b; if (d < 0) d = -d; exit !(d <= t) }'; }
expect_near() {
  if [ -n "$2" ] && near "$2" "$3" "$4"; then pass; else fail "$1" "expected: $3 (within $4)" "got:      $2"; fi
}
json_value() { grep -m 1 -E "^ *\"$1\": " "$2" | sed -E 's/^[^:]*: *//; s/,$//'; }

expect_exit 0 "$LOGREG" train "$BC" --target diagnosis -m bc.json --quiet
expect_exit 0 "$LOGREG" train "$AD" --target admit -m ad.json --quiet

# ---- text: eval's table, then the calibration section ---------------------------------------------
expect_exit 0 "$LOGREG" eval "$BC" -m bc.json
cp "$STDOUT" plain.txt
expect_exit 0 "$LOGREG" eval "$BC" -m bc.json --calibration
expect_stderr_empty
head -n "$(wc -l <plain.txt)" "$STDOUT" >head.txt
expect_same_bytes "--calibration keeps eval's table as it was" plain.txt head.txt
tail -n +"$(($(wc -l <plain.txt) + 1))" "$STDOUT" >calibration.txt
expect_eq "the calibration section" "
calibration (10 equal-width bins)
  bin                    count  mean predicted    observed
  [0, 0.1)                 328        0.009209    0.003049
  [0.1, 0.2)                20        0.141010    0.150000
  [0.2, 0.3)                 5        0.271080    0.000000
  [0.3, 0.4)                 6        0.348696    0.166667
  [0.4, 0.5)                 1        0.421405    0.000000
  [0.5, 0.6)                 4        0.567651    0.500000
  [0.6, 0.7)                 4        0.666640    1.000000
  [0.7, 0.8)                 5        0.759158    1.000000
  [0.8, 0.9)                 9        0.842465    1.000000
  [0.9, 1]                 187        0.994520    1.000000

ECE                   0.018137
Hosmer-Lemeshow       chi-square 1.653933, df 8, p-value 0.989847 (10 groups)" "$(cat calibration.txt)"

# empty bins print '-'
expect_exit 0 "$LOGREG" eval "$AD" -m ad.json --calibration
expect_stdout_contains "  [0.7, 0.8)                 2        0.711564    0.500000"
expect_stdout_contains "  [0.8, 0.9)                 0               -           -"
expect_stdout_contains "  [0.9, 1]                   0               -           -"
expect_stdout_contains "ECE                   0.032714"
expect_stdout_contains "Hosmer-Lemeshow       chi-square 3.029250, df 8, p-value 0.932509 (10 groups)"

expect_exit 0 "$LOGREG" eval "$BC" -m bc.json --calibration --bins 5
expect_stdout_contains "calibration (5 equal-width bins)"
expect_stdout_contains "  [0.8, 1]                 196        0.987538    1.000000"
expect_stdout_contains "ECE                   0.017505"

# ---- --json --------------------------------------------------------------------------------------
expect_exit 0 "$LOGREG" eval "$BC" -m bc.json --json
expect_stdout_not_contains '"calibration"'
expect_exit 0 "$LOGREG" eval "$BC" -m bc.json --calibration --json
cp "$STDOUT" bc_cal.json
check "eval --calibration --json is valid JSON" is_valid_json bc_cal.json
# (the probabilities' last digits follow the BLAS kernel: docs/testing.md)
expect_near "ECE" "$(json_value ece bc_cal.json)" 0.018137099799835354 1e-14
expect_near "Hosmer-Lemeshow statistic (R: 1.6539327066257614)" "$(json_value statistic bc_cal.json)" 1.6539327066257614 1e-10
expect_near "Hosmer-Lemeshow p-value (R: 0.9898474852453043)" "$(json_value p_value bc_cal.json)" 0.9898474852453043 1e-10
expect_eq "df" 8 "$(json_value df bc_cal.json)"
expect_eq "10 bins" 10 "$(grep -c '"mean_predicted"' bc_cal.json)"
expect_eq "10 groups" 10 "$(grep -c '"expected"' bc_cal.json)"
expect_eq "first bin's count" 328 "$(json_value count bc_cal.json)"
expect_eq "first bin's observed" 0.003048780487804878 "$(json_value observed bc_cal.json)"
expect_eq "the last bin's upper edge" '"upper": 1.0' "$(grep '"upper"' bc_cal.json | sed -n 10p | sed 's/^ *//')"
expect_exit 0 "$LOGREG" eval "$AD" -m ad.json --calibration --json
cp "$STDOUT" ad_cal.json
expect_eq "empty bins: null means" 4 "$(grep -cE '"(mean_predicted|observed)": null' ad_cal.json)"
expect_near "admissions: Hosmer-Lemeshow statistic (R: 3.029249586490699)" "$(json_value statistic ad_cal.json)" 3.029249586490699 1e-10
expect_near "admissions: p-value (R: 0.9325085770624219)" "$(json_value p_value ad_cal.json)" 0.9325085770624219 1e-10

# ---- weights: frequencies ------------------------------------------------------------------------
awk 'NR == 1 { print $0 ",w"; next } { print $0 "," (1 + (NR - 2) % 3) }' "$BC" >weighted.csv
expect_exit 0 "$LOGREG" eval weighted.csv -m bc.json --weight w --calibration --json
expect_stderr_empty
expect_near "weighted Hosmer-Lemeshow = repeated rows (R: 2.7224747915209253)" "$(json_value statistic "$STDOUT")" 2.7224747915209253 1e-10
expect_eq "weighted ECE" 0.018910191915278207 "$(json_value ece "$STDOUT")"
expect_eq "weighted first bin's count" 658 "$(json_value count "$STDOUT")"
awk 'NR == 1 { print $0 ",w"; next } { print $0 "," (0.5 + (NR - 2) % 3) }' "$BC" >fractional.csv
expect_exit 0 "$LOGREG" eval fractional.csv -m bc.json --weight w --calibration --json
expect_stderr_equals "logreg: warning: the Hosmer-Lemeshow test needs whole-number weights (frequencies); row 1 has weight 0.5: the test is left out"
expect_eq "fractional weights: no test" null "$(json_value hosmer_lemeshow "$STDOUT")"
expect_exit 0 "$LOGREG" eval fractional.csv -m bc.json --weight w --calibration
expect_stdout_contains "Hosmer-Lemeshow       not computed: the weights are not whole numbers"

# ---- errors ---------------------------------------------------------------------------------------
expect_exit 2 "$LOGREG" eval "$BC" -m bc.json --bins 5
expect_stderr_equals "logreg: --bins: applies only with --calibration or --plot"
expect_exit 2 "$LOGREG" eval "$BC" -m bc.json --calibration --bins 0
expect_stderr_equals "logreg: --bins: expected a whole number from 1 to 1000, got '0'"
expect_exit 0 "$LOGREG" train "$DATA/iris.csv" -m iris.json --quiet
expect_exit 2 "$LOGREG" eval "$DATA/iris.csv" -m iris.json --calibration
expect_stderr_equals "logreg: --calibration: applies to two-class models; this one has 3 classes"

finish
