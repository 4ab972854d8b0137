# cv --choose-threshold (the threshold chosen on the out-of-fold predictions) and cv --oof --keep.
source "$(dirname "$0")/lib.sh" "$@"

B=$DATA/breast_cancer.csv
A=$DATA/admissions.csv

# The chosen threshold is the best F1 over every distinct out-of-fold probability (largest on ties),
# checked by brute force in awk on the --oof file of the same run.
expect_exit 0 "$LOGREG" cv "$B" --target diagnosis --C-count 5 --choose-threshold f1 --quiet --json --oof oof.csv -m model.json
threshold=$(awk '/"threshold": \{/ { inside = 1 } inside && /^  "threshold": / { gsub(/[ ,]/, ""); sub(/"threshold":/, ""); print; exit }' "$STDOUT")
f1=$(awk '/"threshold": \{/ { inside = 1 } inside && /"f1": / { gsub(/[ ,]/, ""); sub(/"f1":/, ""); print; exit }' "$STDOUT")
best=$(awk -F, 'NR > 1 { p[NR] = $3; y[NR] = ($2 == "malignant"); n = NR }
  END {
    best = -1
    for (i = 2; i <= n; i++) {
      t = p[i]; tp = fp = fn = 0
      for (j = 2; j <= n; j++) { pos = p[j] >= t; tp += pos && y[j]; fp += pos && !y[j]; fn += !pos && y[j] }
      f = 2 * tp / (2 * tp + fp + fn)
      if (f > best || (f == best && t > bt)) { best = f; bt = t }
    }
    printf "%.17g %.6f\n", bt, best
  }' oof.csv)
[ -n "$best" ] && [ -n "$threshold" ] && [ -n "$f1" ] && pass || fail "no threshold or F1 parsed"
expect_eq "the threshold is the brute-force best F1 on the out-of-fold rows" "$best" "$(awk -v t="$threshold" -v f="$f1" 'BEGIN { printf "%.17g %.6f\n", t, f }')"
check "-m stores the threshold in the model" grep -q "\"threshold\": $threshold" model.json
# predict then uses it: a row is positive exactly when its probability is >= the threshold.
"$LOGREG" predict "$B" -m model.json >pred.csv
bad=$(awk -F, -v t="$threshold" 'NR > 1 && (($1 == "malignant") != ($2 >= t)) { n++ } END { print n + 0 }' pred.csv)
expect_eq "predict labels by the stored threshold" 0 "$bad"

# The text report.
expect_exit 0 "$LOGREG" cv "$B" --target diagnosis --C-grid 0.5 --choose-threshold cost --cost-fn 5 --quiet
expect_stdout_contains "threshold on the out-of-fold predictions at the chosen C (positive class 'malignant')"
expect_stdout_contains "chosen by             lowest cost 1 FP + 5 FN"
expect_stdout_contains "candidates            569 distinct probabilities"
# The cost printed is the brute-force lowest 1 FP + 5 FN over the candidates.
"$LOGREG" cv "$B" --target diagnosis --C-grid 0.5 --quiet --oof oof5.csv >/dev/null
cost=$(awk -F, 'NR > 1 { p[NR] = $3; y[NR] = ($2 == "malignant"); n = NR }
  END {
    best = -1
    for (i = 2; i <= n; i++) {
      t = p[i]; c = 0
      for (j = 2; j <= n; j++) { pos = p[j] >= t; c += (pos && !y[j]) + 5 * (!pos && y[j]) }
      if (best < 0 || c < best) best = c
    }
    print best
  }' oof5.csv)
expect_stdout_contains "cost                  $cost"

# Constraints: precision >= 0.99, the best recall among them.
expect_exit 0 "$LOGREG" cv "$B" --target diagnosis --C-grid 0.5 --choose-threshold recall --min-precision 0.99 --quiet --json
expect_stdout_contains '"min_precision": 0.99'
precision=$(awk '/"precision": / { gsub(/[ ,]/, ""); sub(/"precision":/, ""); print; exit }' "$STDOUT")
check "the chosen threshold meets --min-precision 0.99 ($precision)" awk -v p="$precision" 'BEGIN { exit !(p >= 0.99) }'

# Refusals.
expect_exit 2 "$LOGREG" cv "$DATA/iris.csv" --target species --choose-threshold f1
expect_stderr_equals "logreg: --choose-threshold: applies to two classes; the target 'species' has 3"
expect_exit 2 "$LOGREG" cv "$A" --target admit --choose-threshold best
expect_stderr_equals "logreg: --choose-threshold: expected one of f1, youden, cost, precision, recall; got 'best'"
expect_exit 2 "$LOGREG" cv "$A" --target admit --min-recall 0.5
expect_stderr_equals "logreg: --min-recall: applies only with --choose-threshold"
expect_exit 2 "$LOGREG" cv "$A" --target admit --choose-threshold f1 --cost-fp 2
expect_stderr_equals "logreg: --cost-fp: applies only to --choose-threshold cost"
expect_exit 2 "$LOGREG" cv "$A" --target admit --choose-threshold precision
expect_stderr_equals "logreg: --choose-threshold precision: needs --min-recall R (the best precision with recall >= R)"

# ---- --oof --keep ---------------------------------------------------------------------------------
expect_exit 0 "$LOGREG" cv "$A" --target admit --C-count 3 --quiet --oof oof.csv --keep rank,gre
expect_eq "--keep columns come first, in the order given" "rank,gre,fold,label,probability" "$(head -n 1 oof.csv)"
expect_eq "--keep copies the cells of each row, in input order" "$(awk -F, 'NR > 1 { print $4 "," $2 }' "$A")" \
  "$(awk -F, 'NR > 1 { print $1 "," $2 }' oof.csv)"
"$LOGREG" cv "$A" --target admit --C-count 3 --quiet --oof plain.csv >/dev/null
expect_eq "--keep leaves the other columns as they were" "$(cat plain.csv)" "$(cut -d, -f3- oof.csv)"
# From standard input and a FIFO (read twice: the input is copied once).
expect_exit 0 "$LOGREG" cv --target admit --C-count 3 --quiet --oof stdin.csv --keep rank,gre <"$A"
expect_same_bytes "--keep from standard input" oof.csv stdin.csv
mkfifo in.fifo
cat "$A" >in.fifo &
expect_exit 0 "$LOGREG" cv in.fifo --target admit --C-count 3 --quiet --oof fifo.csv --keep rank,gre
wait
expect_same_bytes "--keep from a FIFO" oof.csv fifo.csv
# Quoted cells are written as CSV fields.
printf '%s\n' 'id,x,y' '"a,1",1,0' 'b,2,1' '"c ""q""",3,0' 'd,4,1' 'e,5,0' 'f,6,1' 'g,1.5,1' 'h,2.5,0' 'i,3.5,1' 'j,4.5,0' >q.csv
expect_exit 0 "$LOGREG" cv q.csv --target y --features x --folds 2 --C-grid 1 --quiet --oof q_oof.csv --keep id
expect_eq "--keep quotes as CSV" '"a,1"' "$(sed -n 2p q_oof.csv | cut -c1-5)"
check "--keep: a quote inside is doubled" grep -q '^"c ""q"""' q_oof.csv
# Refusals, before any fit.
expect_exit 1 "$LOGREG" cv "$A" --target admit --oof o.csv --keep rnk
expect_stderr_equals "logreg: error: --keep: $A has no column 'rnk' (did you mean 'rank'?)"
expect_no_file o.csv
expect_exit 2 "$LOGREG" cv "$A" --target admit --keep gre
expect_stderr_equals "logreg: --keep: applies to the --oof output; give --oof FILE"

finish
