# Contract details: the positive class of numeric labels, conflicting flags, symbolic links as
# outputs, and results that do not depend on the thread count.
source "$(dirname "$0")/lib.sh" "$@"

# -1/+1 labels: the positive class is +1 (the larger number), as scikit-learn's classes_[1].
printf 'x,y\n1,+1\n2,-1\n3,+1\n0,-1\n5,+1\n-1,-1\n2,-1\n4,+1\n' >pm.csv
expect_exit 0 "$LOGREG" train pm.csv -m pm.json --quiet
expect_exit 0 "$LOGREG" inspect -m pm.json
expect_stdout_contains "positive class '+1', negative class '-1'"

# --features and --ignore together are ambiguous: a usage error.
expect_exit 2 "$LOGREG" train "$DATA/admissions.csv" -m x.json --features gpa,gre --ignore gpa
expect_stderr_equals "logreg: --features and --ignore cannot be used together: --features already lists every feature"
expect_no_file x.json

# A one-column header because of the wrong delimiter: the message says so.
printf 'a;b;y\n1;2;0\n3;4;1\n' >semi.csv
expect_exit 1 "$LOGREG" train semi.csv -m x.json
expect_stderr_contains "the header was read as one single column: is --delimiter right?"
expect_exit 0 "$LOGREG" train semi.csv -m x.json --delimiter ';' --quiet

# -o through a symbolic link replaces the file it points to; the link stays a link.
expect_exit 0 "$LOGREG" train "$DATA/admissions.csv" --target admit -m ad.json --quiet
: >real.csv
ln -s real.csv link.csv
expect_exit 0 "$LOGREG" predict "$DATA/admissions.csv" -m ad.json -o link.csv
check "link.csv is still a symbolic link" test -L link.csv
expect_eq "the predictions went to the link's target" "$(wc -l <real.csv)" 401

# The same model, byte for byte (but for the timing field), with 1, 2 and 3 threads.
for t in 1 2 3; do
  expect_exit 0 "$LOGREG" train "$DATA/breast_cancer.csv" -m "t$t.json" --threads "$t" --quiet
  grep -v '"seconds"' "t$t.json" >"t$t.stripped"
done
expect_same_bytes "1 and 2 threads" t1.stripped t2.stripped
expect_same_bytes "1 and 3 threads" t1.stripped t3.stripped
expect_exit 2 "$LOGREG" train "$DATA/breast_cancer.csv" -m t.json --threads -1
expect_stderr_equals "logreg: --threads: expected a whole number from 0 to 1024, got '-1'"

finish
