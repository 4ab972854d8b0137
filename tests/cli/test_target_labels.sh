# Issue 13, item 5: missing-value markers in the target are missing labels, never classes (an error
# with the place by default; --missing drop leaves the rows out, as if the file did not have them);
# labels that differ only in case or surrounding blanks are named in a warning.
source "$(dirname "$0")/lib.sh" "$@"

# Numbers only: the parallel fast path read "NA" as a third class (also under --missing drop).
awk 'BEGIN { srand(4); print "x1,x2,y"
  for (i = 1; i <= 60; i++) { y = (rand() < 0.5 ? 0 : 1); x = rand(); label = y
    if (i == 8) label = "NA"; if (i == 20) label = "NaN"; if (i == 33) label = ""
    printf "%.4f,%.4f,%s\n", x, rand() + y * 0.3, label } }' >na.csv
awk -F, 'NR == 1 || ($3 != "NA" && $3 != "NaN" && $3 != "")' na.csv >clean.csv
expect_exit 1 "$LOGREG" train na.csv -m na.json
expect_stderr_equals 'logreg: error: na.csv:9:3 (column '"'"'y'"'"'): the target is missing ("NA"); every row needs a label (--missing drop leaves such rows out)'
expect_no_file na.json
expect_exit 0 "$LOGREG" train na.csv -m na.json --missing drop
expect_stderr_contains "--missing drop: left out 3 of 60 rows for a missing cell (the first: na.csv:9:3 (column 'y'))"
expect_exit 0 "$LOGREG" train clean.csv -m clean.json --quiet
expect_eq "--missing drop: the coefficients of the file without those rows" \
  "$(grep -A3 '"coefficients"' clean.json)" "$(grep -A3 '"coefficients"' na.json)"
expect_eq "two classes, not three" 2 "$(awk '/"classes"/ { on = 1; next } on && /\]/ { exit } on { n++ } END { print n + 0 }' na.json)"
# --missing impute cannot fill in a label.
expect_exit 1 "$LOGREG" train na.csv -m na.json --missing impute
expect_stderr_contains 'na.csv:9:3 (column '"'"'y'"'"'): the target is missing ("NA")'
# A marker of --na-values, and one with blanks around it.
sed 's/,NA$/,-1/' na.csv >marker.csv
expect_exit 1 "$LOGREG" train marker.csv -m x.json --na-values=-1,NaN
expect_stderr_equals 'logreg: error: marker.csv:9:3 (column '"'"'y'"'"'): the target is missing ("-1"); every row needs a label (--missing drop leaves such rows out)'
sed 's/,NA$/, NA /' na.csv >blanks.csv
expect_exit 1 "$LOGREG" train blanks.csv -m x.json
expect_stderr_contains 'blanks.csv:9:3 (column '"'"'y'"'"'): the target is missing (" NA ")'
# From standard input: the same.
expect_exit 1 "$LOGREG" train - -m x.json <na.csv
expect_stderr_contains '<stdin>:9:3 (column '"'"'y'"'"'): the target is missing ("NA")'

# libsvm: a marker as the label is an error with the line.
printf '1 1:0.5\n0 1:0.1\nNA 1:0.3\n1 1:0.9\n' >na.svm
expect_exit 1 "$LOGREG" train na.svm -m x.json
expect_stderr_equals 'logreg: error: na.svm:3:1: the label is missing ("NA"); every line needs a label'
expect_no_file x.json

# Near-duplicate labels: a warning names every spelling (it was a silent 4-class model).
printf 'x,y\n1,yes\n2,Yes\n3,yes \n4,no\n5,no\n6,yes\n7,no\n8,Yes\n' >dup.csv
expect_exit 0 "$LOGREG" train dup.csv -m dup.json
expect_stderr_contains "logreg: warning: column 'y' (the target) has values that differ only in case or surrounding blanks, which makes them different classes: 'yes', 'Yes' and 'yes '; if they mean the same class, write them alike"
# path reads the classes the same way (cv too: it stops at an empty fold class here).
expect_exit 0 "$LOGREG" path dup.csv --C-count 2
expect_stderr_contains "logreg: warning: column 'y' (the target) has values that differ only in case or surrounding blanks"
printf 'x,y\n1,a\n2,b\n3,a\n4,b\n5,a\n6,c\n' >plain.csv
expect_exit 0 "$LOGREG" train plain.csv -m plain.json
expect_stderr_not_contains "differ only in case"

finish
