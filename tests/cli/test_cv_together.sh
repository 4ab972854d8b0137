# logreg cv on data large enough for every fold to fit at once (src/fit/fold_fits.cpp: rows x
# (features + 1) x folds >= 2 million): each fold's score is what train on the other folds' rows
# and eval on the fold's rows give, for L2 and L1; the same bits for any --threads and for the
# same parts under other fold labels.
source "$(dirname "$0")/lib.sh" "$@"

# 40,000 rows x 10 features, labels from a logistic model, a fold column 'part' (p0 .. p4).
awk 'BEGIN { srand(7); print "x0,x1,x2,x3,x4,x5,x6,x7,x8,x9,y,part"
  for (i = 0; i < 40000; i++) { z = 0.2; line = ""
    for (j = 0; j < 10; j++) { x = (rand() + rand() + rand() - 1.5) * (1 + j / 3) + (j == 4 ? 50 : 0)
      z += (x - (j == 4 ? 50 : 0)) * (0.6 - 0.1 * j) / (1 + j / 3); line = line sprintf("%.6f,", x) }
    print line (rand() < 1 / (1 + exp(-z)) ? 1 : 0) ",p" ((i * 7 + 3) % 5) } }' >big.csv
# The same parts under other names, first appearing in another order.
awk -F, -v OFS=, 'NR > 1 { sub(/^p/, "part-", $12) } 1' big.csv >renamed.csv
# Fold p3 (the first value of the column: fold 1 of the scores) apart: its rows, and the others'.
awk -F, -v OFS=, 'NR == 1 || $12 != "p3" { NF = 11; print }' big.csv >rest.csv
awk -F, -v OFS=, 'NR == 1 || $12 == "p3" { NF = 11; print }' big.csv >p3.csv

# the score of fold 1 at the i-th value of C in a cv --json
fold1() { awk -v want="$2" '/"fold_scores"/ { n++; getline; if (n == want) { gsub(/[ ,]/, ""); print; exit } }' "$1"; }
# eval's log loss
log_loss() { awk '/"log_loss"/ { gsub(/[ ,]/, ""); sub(/"log_loss":/, ""); print; exit }' "$1"; }
# |a - b| <= tol |b|
near() { awk -v a="$1" -v b="$2" -v tol="$3" 'BEGIN { d = a - b; if (d < 0) d = -d; s = b < 0 ? -b : b; exit !(d <= tol * s) }'; }

for penalty in l2 l1; do
  expect_exit 0 "$LOGREG" cv big.csv --target y --fold-column part --penalty $penalty --C-grid 0.001,0.1,10 --json --verbose
  cp "$STDOUT" $penalty.json
  expect_stderr_contains "fitted in every fold (3 of 3)"  # the folds fitted together
  expect_exit 0 "$LOGREG" cv big.csv --target y --fold-column part --penalty $penalty --C-grid 0.001,0.1,10 --json --threads 1
  check "$penalty: the same scores with one thread" cmp -s $penalty.json "$STDOUT"
  expect_exit 0 "$LOGREG" cv renamed.csv --target y --fold-column part --penalty $penalty --C-grid 0.001,0.1,10 --json
  sed 's/part-/p/g' "$STDOUT" >renamed.json
  check "$penalty: the same scores for the same parts under other labels" cmp -s $penalty.json renamed.json
  i=0
  for C in 0.001 0.1 10; do
    i=$((i + 1))
    expect_exit 0 "$LOGREG" train rest.csv --target y --penalty $penalty --C $C -m m.json --quiet
    expect_exit 0 "$LOGREG" eval p3.csv -m m.json --json
    cp "$STDOUT" eval.json
    want=$(log_loss eval.json)
    got=$(fold1 $penalty.json $i)
    check "$penalty, C = $C: fold p3's score $got is train + eval's $want (1e-8)" near "$got" "$want" 1e-8
  done
done

finish
