# logreg train DATA DATA ... (and a quoted glob): several CSV files with the same header are read
# as one file, in order: the model is that of their concatenation, byte for byte (but the
# seconds), for numeric and categorical columns, a last line without its line end, a part with
# its header alone, blank lines at a file's end, quoted texts (as R writes them), imputed missing cells and rows left out (--missing
# drop), libsvm files (Spark's part files); a header that differs, a bad cell (named by its own file and line), a pattern that
# matches nothing and a file that is not there are errors, and no model is written.
source "$(dirname "$0")/lib.sh" "$@"
AD=$DATA/adult.csv
without_seconds() { grep -v '"seconds"' "$1"; }

# Three parts of adult.csv, uneven (the middle one 99 rows), the last without its final line end.
head -n 1 "$AD" >header.txt
{ cat header.txt; sed -n '2,7001p' "$AD"; } >part-a.csv
{ cat header.txt; sed -n '7002,7100p' "$AD"; } >part-b.csv
{ cat header.txt; sed -n '7101,$p' "$AD"; } | head -c -1 >part-c.csv
expect_exit 0 "$LOGREG" train "$AD" --target income -m whole.json --quiet
without_seconds whole.json >whole.txt

expect_exit 0 "$LOGREG" train part-a.csv part-b.csv part-c.csv --target income -m parts.json --quiet
without_seconds parts.json >parts.txt
expect_same_bytes "three files = their concatenation (categorical)" whole.txt parts.txt
# A part with its header alone (as Spark writes an empty part) adds no rows.
cp header.txt empty.csv
expect_exit 0 "$LOGREG" train part-a.csv empty.csv part-b.csv part-c.csv --target income -m parts.json --quiet
without_seconds parts.json >parts.txt
expect_same_bytes "an empty part adds nothing" whole.txt parts.txt
# Blank lines at the end of a file (an editor's extra line end; CR LF ones too) are skipped, as one
# process skips them.
{ cat part-a.csv; printf '\n\n'; } >trail-a.csv
{ sed 's/$/\r/' part-b.csv; printf '\r\n\r\n\r\n'; } >trail-b.csv
expect_exit 0 "$LOGREG" train trail-a.csv trail-b.csv part-c.csv --target income -m parts.json --quiet
without_seconds parts.json >parts.txt
expect_same_bytes "blank lines at the ends of files" whole.txt parts.txt
expect_exit 0 "$LOGREG" train 'part-*.csv' --target income -m glob.json --quiet
without_seconds glob.json >glob.txt
expect_same_bytes "a quoted glob, expanded in sorted order" whole.txt glob.txt
# The texts and the header quoted, as R's write.csv writes them (CR LF in one part): the same model.
# (The quotes are their own: a level that holds the delimiter is in test_mpi.sh.)
r_quote() { awk -F, 'BEGIN { OFS = "," } { for (i = 1; i <= NF; i++) if (NR == 1 || $i !~ /^-?[0-9.]+$/) $i = "\"" $i "\""; print }' "$1"; }
r_quote part-a.csv >r-a.csv
r_quote part-b.csv | sed 's/$/\r/' >r-b.csv
r_quote part-c.csv >r-c.csv
check "R's quoting quotes the texts" grep -q '^"age","type_employer",' r-a.csv
expect_exit 0 "$LOGREG" train r-a.csv r-b.csv r-c.csv --target income -m parts.json --quiet
without_seconds parts.json >parts.txt
expect_same_bytes "quoted texts and header (R's write.csv)" whole.txt parts.txt

NUMERIC=age,fnlwgt,education_num,capital_gain,capital_loss,hr_per_week
# --missing drop: the rows left out of three files = those left out of their concatenation, and
# the first one is named by its own file and line.
awk -F, 'BEGIN { OFS = "," } NR > 1 && NR % 37 == 0 { $1 = "" } NR > 1 && NR % 91 == 5 { $5 = "NA" } { print }' "$AD" >holes.csv
{ cat header.txt; sed -n '2,3p' "$AD"; } >holes-a.csv
{ cat header.txt; sed -n '4,7001p' holes.csv; } >holes-b.csv
{ cat header.txt; sed -n '7002,$p' holes.csv; } >holes-c.csv
{ cat header.txt; sed -n '2,3p' "$AD"; sed -n '4,$p' holes.csv; } >holes-all.csv
expect_exit 0 "$LOGREG" train holes-all.csv --target income --missing drop -m whole.json
expect_stderr_contains "(the first: holes-all.csv:5:5 (column 'education_num'))"
without_seconds whole.json >whole.txt
expect_exit 0 "$LOGREG" train holes-a.csv holes-b.csv holes-c.csv --target income --missing drop -m parts.json
expect_stderr_contains "logreg: warning: --missing drop: left out 1138 of 30162 rows for a missing cell (the first: holes-b.csv:3:5 (column 'education_num'))"
without_seconds parts.json >parts.txt
expect_same_bytes "--missing drop: three files = their concatenation" whole.txt parts.txt
expect_exit 0 "$LOGREG" train "$AD" --target income --features "$NUMERIC" -m whole.json --quiet
expect_exit 0 "$LOGREG" train part-a.csv part-b.csv part-c.csv --target income --features "$NUMERIC" -m parts.json --quiet
without_seconds whole.json >whole.txt
without_seconds parts.json >parts.txt
expect_same_bytes "three files = their concatenation (numbers only)" whole.txt parts.txt

# A large fit (its warm start fits every k-th row first: from 160,000 rows), weighted, in two files.
awk 'BEGIN { srand(3); print "a,b,c,w,y"
  for (r = 0; r < 170000; r++) { a = rand() * 2 - 1; b = rand() * 4; c = rand() - 0.5
    printf "%.6f,%.6f,%.6f,%.3f,%d\n", a, b, c, 0.5 + rand(), (rand() < 1 / (1 + exp(-(a + b - 2 + 3 * c)))) } }' >large.csv
{ head -n 1 large.csv; sed -n '2,100001p' large.csv; } >large-1.csv
{ head -n 1 large.csv; sed -n '100002,$p' large.csv; } >large-2.csv
expect_exit 0 "$LOGREG" train large.csv --target y --weight w -m whole.json --quiet
expect_exit 0 "$LOGREG" train large-1.csv large-2.csv --target y --weight w -m parts.json --quiet
without_seconds whole.json >whole.txt
without_seconds parts.json >parts.txt
expect_same_bytes "170,000 rows in two files (warm start, weights) = one file" whole.txt parts.txt
rm -f large.csv large-1.csv large-2.csv

# Missing cells, imputed: the means are those of all the files' cells.
for f in "$AD" part-a.csv part-b.csv part-c.csv; do
  awk -F, 'BEGIN { OFS = "," } NR > 1 && NR % 37 == 0 { $1 = "" } NR > 1 && NR % 91 == 5 { $5 = "NA" } { print }' "$f" \
    >"na-$(basename "$f")"
done
expect_exit 0 "$LOGREG" train na-part-a.csv na-part-b.csv na-part-c.csv --target income --missing impute -m parts.json --quiet
{ cat header.txt; tail -n +2 na-part-a.csv; tail -n +2 na-part-b.csv; tail -n +2 na-part-c.csv; } >na-whole.csv
expect_exit 0 "$LOGREG" train na-whole.csv --target income --missing impute -m whole.json --quiet
without_seconds whole.json >whole.txt
without_seconds parts.json >parts.txt
expect_same_bytes "--missing impute over three files = over their concatenation" whole.txt parts.txt

# The notes name the file of a column's first text.
expect_exit 0 "$LOGREG" train part-a.csv part-b.csv part-c.csv --target income -m parts.json --verbose
expect_stderr_contains "column 'education' is categorical (\"9th\" on line 2 of part-a.csv): 16 levels"
expect_stderr_contains "read 30162 rows x "

# What the parallel readers do not take, read file by file by the sequential reader: the model of
# the concatenation (one process reads that file sequentially too).
# A quoted field that holds a line break (a level "Private\nInc" in the middle file).
{ sed -n '7002,7010p' "$AD" | sed '3s/^\([0-9]*\),\([^,]*\),/\1,"\2\nInc",/'; sed -n '7011,7100p' "$AD"; } >quoted-rows.txt
{ cat header.txt; cat quoted-rows.txt; } >quoted-b.csv
{ cat header.txt; sed -n '2,7001p' "$AD"; cat quoted-rows.txt; sed -n '7101,$p' "$AD"; } >quoted-all.csv
check "a line break inside quotes" grep -q '^Inc",' quoted-b.csv
expect_exit 0 "$LOGREG" train quoted-all.csv --target income -m whole.json --quiet
expect_exit 0 "$LOGREG" train part-a.csv quoted-b.csv part-c.csv --target income -m parts.json --quiet
without_seconds whole.json >whole.txt
without_seconds parts.json >parts.txt
expect_same_bytes "a line break inside quotes in the middle file = the concatenation" whole.txt parts.txt
# Blank lines between rows with --missing drop: the first row left out is named by its own line.
{ cat header.txt; sed -n '4,100p' holes.csv; echo; sed -n '101,7001p' holes.csv; } >blank-b.csv
{ cat header.txt; sed -n '2,3p' "$AD"; sed -n '4,100p' holes.csv; echo; sed -n '101,$p' holes.csv; } >blank-all.csv
expect_exit 0 "$LOGREG" train blank-all.csv --target income --missing drop -m whole.json
without_seconds whole.json >whole.txt
expect_exit 0 "$LOGREG" train holes-a.csv blank-b.csv holes-c.csv --target income --missing drop -m parts.json
expect_stderr_contains "(the first: blank-b.csv:3:5 (column 'education_num'))"
without_seconds parts.json >parts.txt
expect_same_bytes "--missing drop, a blank line between rows = the concatenation" whole.txt parts.txt
# A column whose first text comes after 10,000 rows of numbers, in the last file: categorical, as
# one process finds it (the files are read again).
awk -F, 'BEGIN { OFS = "," } NR == 1 { $16 = "code" } NR > 1 { $16 = NR % 2 } NR > 10001 { $16 = "t" NR % 20 } { print }' "$AD" >late.csv
{ head -n 7001 late.csv; } >late-a.csv
{ head -n 1 late.csv; sed -n '7002,$p' late.csv; } >late-b.csv
expect_exit 0 "$LOGREG" train late.csv --target income -m whole.json --verbose
expect_stderr_contains "column 'code' is categorical (\"t2\" on line 10002): 22 levels"
without_seconds whole.json >whole.txt
expect_exit 0 "$LOGREG" train late-a.csv late-b.csv --target income -m parts.json --verbose
expect_stderr_contains "column 'code' is categorical (\"t2\" on line 3002 of late-b.csv): 22 levels"
without_seconds parts.json >parts.txt
expect_same_bytes "text after 10,000 rows of numbers, in the second file = one file" whole.txt parts.txt

# ---- errors -------------------------------------------------------------------------------------
rm -f e.json
printf 'age,x\n1,2\n' >other.csv
expect_exit 1 "$LOGREG" train part-a.csv other.csv --target income -m e.json
expect_stderr_equals "logreg: error: other.csv: its header differs from part-a.csv's; the files of one fit must have the same columns in the same order"
awk -F, 'BEGIN { OFS = "," } NR == 5000 { $1 = "old" } { print }' part-c.csv >bad-c.csv
expect_exit 1 "$LOGREG" train part-a.csv part-b.csv bad-c.csv --target income -m e.json
expect_stderr_contains "logreg: error: bad-c.csv:5000:1 (column 'age'): expected a number, found \"old\""
awk -F, 'BEGIN { OFS = "," } NR == 50 { $1 = "old" } { print }' part-b.csv >bad-b.csv
expect_exit 1 "$LOGREG" train part-a.csv bad-b.csv part-c.csv --target income -m e.json
expect_stderr_contains "logreg: error: bad-b.csv:50:1 (column 'age'): expected a number, found \"old\""
expect_exit 1 "$LOGREG" train empty.csv empty.csv --target income -m e.json
expect_stderr_equals "logreg: error: empty.csv and the other files: the headers have no data rows below them"
expect_exit 2 "$LOGREG" train 'nothing-*.csv' --target income -m e.json
expect_stderr_equals "logreg: DATA 'nothing-*.csv': no file matches the pattern"
expect_exit 2 "$LOGREG" train part-a.csv nope.csv --target income -m e.json
expect_stderr_equals "logreg: 'nope.csv': with several DATA files each must be a regular file, not standard input, a pipe or a FIFO"
expect_exit 2 "$LOGREG" train part-a.csv - --target income -m e.json <part-b.csv
expect_stderr_equals "logreg: standard input: with several DATA files each must be a regular file, not standard input, a pipe or a FIFO"
# libsvm files (as Spark's saveAsLibSVMFile writes a directory of part-NNNNN files, an empty part
# among them): the model of their concatenation; a bad line named by its own file and line.
awk -F, 'NR > 1 { line = $15; if ($1 != 0) line = line " 1:" $1; if ($5 != 0) line = line " 3:" $5;
  if ($11 != 0) line = line " 4:" $11; if ($10 == "Male") line = line " 7:1"; print line }' "$AD" >whole.svm
mkdir -p spark
head -n 12000 whole.svm >spark/part-00000
: >spark/part-00001
sed -n '12001,12040p' whole.svm >spark/part-00002
sed -n '12041,$p' whole.svm | head -c -1 >spark/part-00003
expect_exit 0 "$LOGREG" train whole.svm -m whole-svm.json --quiet
without_seconds whole-svm.json >whole-svm.txt
expect_exit 0 "$LOGREG" train 'spark/part-*' --format libsvm -m parts.json --quiet
without_seconds parts.json >parts.txt
expect_same_bytes "libsvm: four part files (one empty) = their concatenation" whole-svm.txt parts.txt
awk 'NR == 25 { $2 = "1:abc" } { print }' spark/part-00002 >bad-part.svm
expect_exit 1 "$LOGREG" train spark/part-00000 bad-part.svm --format libsvm -m e.json
expect_stderr_equals "logreg: error: bad-part.svm:25:2 (index 1): expected a number, found \"abc\""
: >empty.svm
expect_exit 1 "$LOGREG" train empty.svm empty.svm -m e.json
expect_stderr_equals "logreg: error: empty.svm and 1 more: no data rows (the inputs are empty or hold only blank and comment lines)"
expect_exit 2 "$LOGREG" predict part-a.csv part-b.csv -m whole.json
expect_stderr_equals "logreg: 'logreg predict' takes one DATA file, got 2"
expect_no_file e.json
finish
