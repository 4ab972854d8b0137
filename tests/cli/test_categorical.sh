# Categorical columns, missing cells and unseen levels through the command line (issue 6): what
# train, predict, eval and inspect print, their exit codes, and one output row per input row.
source "$(dirname "$0")/lib.sh" "$@"

printf '%s\n' 'size,colour,rank,y' '1.5,red,1,yes' '2.5,blue,2,no' '0.5,red,3,yes' '3.5,green,1,no' \
  '1.0,blue,2,yes' '2.0,green,3,no' '4.0,red,1,no' '0.2,blue,3,yes' >train.csv

# ---- train: text columns are categorical, --categorical adds numeric codes ---------------------------
expect_exit 0 "$LOGREG" train train.csv -m m.json --categorical rank --verbose
expect_stderr_contains "column 'colour' is categorical (\"red\" on line 2): 3 levels"
expect_exit 0 "$LOGREG" inspect -m m.json
expect_stdout_contains "input        3 columns: 1 numeric, 2 categorical (7 terms); missing cells: error"
expect_stdout_contains "colour: categorical, 3 levels, every level has a term"
expect_stdout_contains "rank: categorical, 3 levels, every level has a term"
expect_stdout_matches '^  colour=blue '
expect_stdout_matches '^  rank=3 '
expect_exit 0 "$LOGREG" train train.csv -m ref.json --categorical rank --drop-first --quiet
expect_stderr_empty
expect_exit 0 "$LOGREG" inspect -m ref.json
expect_stdout_contains "colour: categorical, 3 levels, reference 'blue'"
expect_stdout_not_contains "colour=blue"
# The model file holds the encoding (version 2).
grep -q '"version": 2' m.json && pass || fail "m.json is not version 2"
grep -q '"type": "categorical"' m.json && pass || fail "m.json holds no categorical column"

# From standard input: the same model (the data are read twice when a text column appears).
expect_exit 0 "$LOGREG" train -m stdin.json --categorical rank --quiet <train.csv
grep -v '"seconds"' m.json >a.txt
grep -v '"seconds"' stdin.json >b.txt
expect_same_bytes "train from stdin" a.txt b.txt

# A column that turns to text only after the first 10,000 rows: standard input is read twice (from
# its temporary copy), and the model equals the one from the file with the column declared.
awk 'BEGIN { print "x,z,y"; for (i = 0; i < 12000; i++) print i % 7 "," i % 2 "," (i % 3 ? "a" : "b");
             for (i = 0; i < 30; i++) print "1,t" i % 5 "," (i % 2 ? "a" : "b") }' >late.csv
expect_exit 0 "$LOGREG" train -m late_stdin.json --quiet <late.csv
expect_exit 0 "$LOGREG" train late.csv -m late_declared.json --categorical z --quiet
grep -v '"seconds"' late_stdin.json >c.txt
grep -v '"seconds"' late_declared.json >d.txt
grep -q '"z=t4"' c.txt && pass || fail "late_stdin.json has no term z=t4"
expect_same_bytes "a late text column read from standard input" c.txt d.txt

# ---- predict: unseen levels are all-zero indicators (with a count), or an error ----------------------
printf '%s\n' 'size,colour,rank' '1.5,red,1' '2.5,purple,2' '0.5,red,9' '3.5,purple,1' >new.csv
expect_exit 0 "$LOGREG" predict new.csv -m m.json
expect_stderr_equals "logreg: warning: 3 cells hold levels not seen in training; their indicators are 0 (--unknown error makes this an error): colour 2, rank 1"
expect_eq "output rows" 5 "$(wc -l <"$STDOUT")"
expect_exit 0 "$LOGREG" predict new.csv -m m.json --quiet
expect_stderr_contains "3 cells hold levels not seen in training"
expect_exit 1 "$LOGREG" predict new.csv -m m.json --unknown error
expect_stderr_equals "logreg: error: new.csv:3:2 (column 'colour'): the level \"purple\" was not seen in training (the model knows 3 levels of this column); --unknown zero sets its indicators to 0"
expect_stdout_contains "label,probability"
expect_exit 2 "$LOGREG" predict new.csv -m m.json --unknown maybe
expect_stderr_equals "logreg: --unknown: expected error or zero, got 'maybe'"
# Numeric codes match by value: 2.0 is level 2.
printf '%s\n' 'size,colour,rank' '2.5,blue,2' '2.5,blue,2.0' >codes.csv
expect_exit 0 "$LOGREG" predict codes.csv -m m.json --proba-only
expect_stderr_empty
expect_eq "2 and 2.0 give the same probability" "$(sed -n 2p "$STDOUT")" "$(sed -n 3p "$STDOUT")"
# eval applies the same encoding.
expect_exit 0 "$LOGREG" eval train.csv -m m.json --json
expect_stdout_contains '"rows": 8'

# ---- missing cells ------------------------------------------------------------------------------------
printf '%s\n' 'size,colour,y' '1.5,red,yes' ',blue,no' '0.5,NA,yes' '3.5,green,no' '1.0,blue,yes' \
  '2.0,green,no' '4.0,red,no' '?,blue,yes' >holes.csv
expect_exit 1 "$LOGREG" train holes.csv -m h.json
expect_stderr_equals "logreg: error: holes.csv:3:1 (column 'size'): missing value (an empty cell); --missing drop leaves such rows out, --missing impute fills them in"
expect_no_file h.json
expect_exit 0 "$LOGREG" train holes.csv -m drop.json --missing drop
expect_stderr_contains "logreg: warning: --missing drop: left out 3 of 8 rows for a missing cell (the first: holes.csv:3:1 (column 'size'))"
expect_exit 0 "$LOGREG" inspect -m drop.json
expect_stdout_contains "trained on   5 rows"
expect_stdout_contains "missing cells: drop (3 training rows dropped)"
# predict never drops a row: without imputation values a hole is an error with its place ...
expect_exit 1 "$LOGREG" predict holes.csv -m drop.json
expect_stderr_equals "logreg: error: holes.csv:3:1 (column 'size'): missing value (an empty cell); the model has no value to fill in: it was trained with --missing drop (--missing impute stores one)"
# ... with them, every row is predicted and the filled cells are counted.
expect_exit 0 "$LOGREG" train holes.csv -m imp.json --missing impute --quiet
expect_exit 0 "$LOGREG" inspect -m imp.json
expect_stdout_contains "colour: categorical, 3 levels, every level has a term, and a term for missing cells"
expect_stdout_contains "colour=(missing)"
expect_exit 0 "$LOGREG" predict holes.csv -m imp.json
expect_stderr_equals "filled in 3 missing cells as in training (--missing impute): size 2, colour 1"
expect_eq "output rows" 9 "$(wc -l <"$STDOUT")"
expect_exit 0 "$LOGREG" predict holes.csv -m imp.json --quiet
expect_stderr_empty
# --na-values replaces the markers (empty cells always count): '?' is then text in a column of
# numbers, which is an error rather than a guess.
expect_exit 1 "$LOGREG" train holes.csv -m na.json --missing impute --na-values NA
expect_stderr_equals "logreg: error: holes.csv:9:1 (column 'size'): expected a number, found \"?\" (6 of the 7 distinct values of the column are numbers); if \"?\" marks a missing value, add it to --na-values; if the column is categorical, name it in --categorical"
expect_exit 2 "$LOGREG" train holes.csv -m x.json --missing sometimes
expect_stderr_equals "logreg: --missing: expected error, drop or impute, got 'sometimes'"
expect_exit 2 "$LOGREG" train holes.csv -m x.json --na-values 'NA,,?'
expect_stderr_equals "logreg: --na-values: expected comma-separated markers such as NA,?,-999 (empty cells are always missing), got 'NA,,?'"
expect_exit 1 "$LOGREG" train holes.csv -m x.json --categorical y
expect_stderr_equals "logreg: error: --categorical: 'y' is not a feature column (it is the target)"

finish
