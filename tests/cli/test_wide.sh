# Issue 13, item 7: wide and pathological shapes. A header of a million names and no rows fails at
# once with the loaders' message (it used to index every name first: 108 s and 5.8 GB at 13.9M
# names); predict's set-up is linear in the columns (100k columns took 9-14 s for one row).
# The timeouts only turn a hang into a failure; they are far above the times measured, so these
# tests check the results, not the speed: 1M names and no rows took 5.4 s and 466 MB before, 0.53 s
# and 87 MB now; 13.9M names 60+ s and 2.2 GB before, 10-20 s and 1.1-1.4 GB now.
source "$(dirname "$0")/lib.sh" "$@"

awk 'BEGIN { for (j = 1; j <= 1000000; j++) printf "%sc%d", (j > 1 ? "," : ""), j; print "" }' >header_only.csv
expect_exit 1 timeout 60 "$LOGREG" train header_only.csv -m x.json
expect_stderr_equals 'logreg: error: header_only.csv: the header has no data rows below it'
expect_no_file x.json
# The same names twice (the last one repeated): with rows, the duplicate is found at once.
awk 'BEGIN { for (j = 1; j <= 200000; j++) printf "c%d,", j; print "c200000"
  for (j = 1; j <= 200001; j++) printf "%s1", (j > 1 ? "," : ""); print "" }' >dup.csv
expect_exit 1 timeout 60 "$LOGREG" train dup.csv -m x.json
expect_stderr_equals 'logreg: error: dup.csv:1:200001: duplicate column name '"'"'c200000'"'"' in the header (also column 200000)'

# 50,000 columns: train, then predict one row and many; the same probabilities for the row alone.
awk 'BEGIN { srand(7); for (j = 1; j <= 50000; j++) printf "x%d,", j; print "y"
  for (i = 1; i <= 12; i++) { for (j = 1; j <= 50000; j++) printf "%d,", int(rand() * 10); print i % 2 } }' >wide.csv
expect_exit 0 timeout 120 "$LOGREG" train wide.csv -m wide.json --quiet
expect_exit 0 timeout 120 "$LOGREG" predict wide.csv -m wide.json
cp "$STDOUT" all.csv
expect_eq "one row per input row" 13 "$(wc -l <all.csv)"
head -n 3 wide.csv | sed -n '1p;3p' >one.csv
expect_exit 0 timeout 60 "$LOGREG" predict one.csv -m wide.json
expect_eq "the second row alone: the same label and probability" "$(sed -n 3p all.csv)" "$(sed -n 2p "$STDOUT")"

finish
