# logreg split: every row in exactly one part, unchanged and in input order; round(F n) test rows
# per class; the same parts for the same seed from any input source; errors leave nothing behind.
source "$(dirname "$0")/lib.sh" "$@"

A=$DATA/admissions.csv

# A file with a unique id per row and three classes of unequal sizes (600 / 300 / 101 rows).
awk 'BEGIN { print "id,x,class"; for (i = 1; i <= 1001; i++) printf "%d,%.3f,%s\n", i, i / 7, (i % 10 < 6 ? "a" : (i % 10 < 9 ? "b" : "c")) }' >ids.csv
expect_exit 0 "$LOGREG" split ids.csv --test-fraction 0.3 --stratify class --train tr.csv --test te.csv
expect_stderr_equals "split 1001 rows of ids.csv: 701 to tr.csv, 300 to te.csv (3 classes of 'class' split alike)"
expect_eq "both parts start with the header" "id,x,class id,x,class" "$(head -1 tr.csv) $(head -1 te.csv)"
expect_eq "every row in exactly one part, unchanged (sorted)" "$(tail -n +2 ids.csv | sort)" "$( (tail -n +2 tr.csv; tail -n +2 te.csv) | sort)"
expect_eq "the training part in input order" "" "$(awk -F, 'NR > 2 && $1 + 0 <= last { print "out of order: " $0 } { last = $1 + 0 }' tr.csv)"
expect_eq "the test part in input order" "" "$(awk -F, 'NR > 2 && $1 + 0 <= last { print "out of order: " $0 } { last = $1 + 0 }' te.csv)"
# round(0.3 x 600) = 180, round(0.3 x 300) = 90, round(0.3 x 101) = round(30.3) = 30.
expect_eq "round(F n) test rows of each class" "a 180 b 90 c 30" "$(awk -F, 'NR > 1 { n[$3]++ } END { printf "a %d b %d c %d", n["a"], n["b"], n["c"] }' te.csv)"
# Without --stratify: round(0.3 x 1001) = 300 test rows in all.
expect_exit 0 "$LOGREG" split ids.csv --test-fraction 0.3 --train tr0.csv --test te0.csv --quiet
expect_stderr_empty
expect_eq "round(F n) test rows without --stratify" 301 "$(wc -l <te0.csv)"

# The same seed gives the same bytes; another seed other rows; any input source the same parts.
"$LOGREG" split ids.csv --test-fraction 0.3 --stratify class --train tr2.csv --test te2.csv --quiet
check "the same seed: the same parts" cmp -s te.csv te2.csv
"$LOGREG" split ids.csv --test-fraction 0.3 --stratify class --seed 7 --train tr7.csv --test te7.csv --quiet
check "another seed: another choice of rows" sh -c '! cmp -s te.csv te7.csv'
expect_eq "another seed: the same counts" "a 180 b 90 c 30" "$(awk -F, 'NR > 1 { n[$3]++ } END { printf "a %d b %d c %d", n["a"], n["b"], n["c"] }' te7.csv)"
"$LOGREG" split --test-fraction 0.3 --stratify class --train trs.csv --test tes.csv --quiet <ids.csv
check "standard input: the same parts" sh -c 'cmp -s tr.csv trs.csv && cmp -s te.csv tes.csv'
mkfifo fifo
cat ids.csv >fifo &
"$LOGREG" split fifo --test-fraction 0.3 --stratify class --train trf.csv --test tef.csv --quiet
wait
check "a FIFO: the same parts" sh -c 'cmp -s tr.csv trf.csv && cmp -s te.csv tef.csv'
"$LOGREG" split ids.csv --test-fraction 0.3 --stratify class --train trd.csv --test - --quiet >ted.csv
check "--test -: the test part on standard output" cmp -s te.csv ted.csv

# The acceptance case: admissions, 20 % of each class of admit (273 and 127 rows: 55 + 25).
expect_exit 0 "$LOGREG" split "$A" --test-fraction 0.2 --stratify admit --seed 3 --train atr.csv --test ate.csv --quiet
expect_eq "admissions: 80 test rows" 81 "$(wc -l <ate.csv)"
expect_eq "admissions: 55 of admit 0 and 25 of admit 1" "55 25" "$(awk -F, 'NR > 1 { n[$1]++ } END { print n[0], n[1] }' ate.csv)"
expect_eq "admissions: every row once" "$(tail -n +2 "$A" | sort)" "$( (tail -n +2 atr.csv; tail -n +2 ate.csv) | sort)"

# Bytes as they are: a byte order mark, CRLF line ends, quoted fields holding the delimiter, a quote
# and a line break, blank lines (not rows: left out), a last row without a line end (given the
# header's). The parts for seed 0, checked by eye once: one row of each class in the test part.
printf '\xef\xbb\xbfname,y\r\n"a, b",1\r\n\r\n"say ""hi""",0\r\n"two\r\nlines",1\r\nlast,0' >bytes.csv
expect_exit 0 "$LOGREG" split bytes.csv --test-fraction 0.5 --stratify y --train btr.csv --test bte.csv --quiet
printf '\xef\xbb\xbfname,y\r\n"a, b",1\r\nlast,0\r\n' >want-btr.csv
printf '\xef\xbb\xbfname,y\r\n"say ""hi""",0\r\n"two\r\nlines",1\r\n' >want-bte.csv
expect_same_bytes "the training part, byte for byte" btr.csv want-btr.csv
expect_same_bytes "the test part, byte for byte" bte.csv want-bte.csv

# A class too small to be in both parts: a warning that names it.
printf 'x,y\n1,a\n2,a\n3,a\n4,a\n5,b\n' >small.csv
expect_exit 0 "$LOGREG" split small.csv --test-fraction 0.25 --stratify y --train str.csv --test ste.csv --quiet
expect_stderr_equals "logreg: warning: 1 of the 2 classes of 'y' have too few rows to be in both parts: 'b' (1 row)"

# Errors: exit 1 or 2 with the place, and no output file made or changed.
echo "previous" >keep.csv
printf 'x,y\n1,a\n2,a,3\n' >bad.csv
expect_exit 1 "$LOGREG" split bad.csv --test-fraction 0.5 --train keep.csv --test te-bad.csv
expect_stderr_equals "logreg: error: bad.csv:3: expected 2 fields as in the header, found 3"
expect_eq "a failed split leaves the previous file as it was" previous "$(cat keep.csv)"
expect_no_file te-bad.csv
check "no temporary file left" sh -c '! ls -A | grep -q tmp'
# A write error (the disk fills up; here a file size limit of 1 KiB with SIGXFSZ ignored): exit 1,
# neither part left behind.
LIMITED=(bash -c 'trap "" XFSZ; ulimit -f 1; exec "$0" "$@"')
expect_exit 1 "${LIMITED[@]}" "$LOGREG" split ids.csv --test-fraction 0.3 --train lim-tr.csv --test lim-te.csv
expect_stderr_contains "File too large"
expect_no_file lim-tr.csv
expect_no_file lim-te.csv
check "no temporary file left after the write error" sh -c '! ls -A | grep -q tmp'
printf 'x,y\n' >header-only.csv
expect_exit 1 "$LOGREG" split header-only.csv --test-fraction 0.5 --train a.csv --test b.csv
expect_stderr_equals "logreg: error: header-only.csv: the header has no data rows below it"
expect_exit 1 "$LOGREG" split ids.csv --test-fraction 0.5 --stratify nope --train a.csv --test b.csv
expect_stderr_equals "logreg: error: --stratify: ids.csv has no column 'nope'"
expect_no_file a.csv
expect_exit 2 "$LOGREG" split ids.csv --test-fraction 1 --train a.csv --test b.csv
expect_stderr_equals "logreg: --test-fraction: expected a number between 0 and 1 (exclusive), got '1'"
expect_exit 2 "$LOGREG" split ids.csv --test-fraction 0.2 --test b.csv
expect_stderr_equals "logreg: split: --train FILE is required (where to write the training part)"
expect_exit 2 "$LOGREG" split ids.csv --test-fraction 0.2 --train b.csv --test b.csv
expect_stderr_equals "logreg: --train and --test name the same file 'b.csv'"
expect_exit 2 "$LOGREG" split ids.csv --test-fraction 0.2 --train ids.csv --test b.csv
expect_stderr_equals "logreg: --train: 'ids.csv' is the input file; write the parts to other files"
expect_eq "the input is intact" 1002 "$(wc -l <ids.csv)"

# Streaming: memory does not grow with the input (1.5M rows, about 60 MB; peak RSS well under it).
# Skipped in sanitizer builds (their shadow memory) and without GNU time.
if [ -x /usr/bin/time ] && ! grep -q __asan_init "$LOGREG"; then
  awk 'BEGIN { print "id,x,class"; for (i = 1; i <= 1500000; i++) printf "%d,%.6f,\"c %d\"\n", i, i / 7, i % 5 }' >big.csv
  /usr/bin/time -f %M -o rss.txt "$LOGREG" split big.csv --test-fraction 0.1 --stratify class --train btr2.csv --test bte2.csv --quiet
  rss=$(tail -1 rss.txt)
  check "1.5M rows split in bounded memory (peak RSS $rss KB < 40 MB)" test "$rss" -lt 40000
  expect_eq "1.5M rows: 150,000 test rows" 150001 "$(wc -l <bte2.csv)"
  rm -f big.csv btr2.csv bte2.csv
fi

finish
