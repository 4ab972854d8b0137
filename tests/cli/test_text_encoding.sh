# Issue 13, item 6: input is checked as UTF-8 where it is read (header names, labels, categorical
# levels), a bad byte or a NUL is an error with its place, and messages quote long cells shortened.
# Before, a Latin-1 byte failed after the whole fit with "[json.exception.type_error.316]", and a NUL
# cut messages short and became part of a feature's name.
source "$(dirname "$0")/lib.sh" "$@"

# A Latin-1 byte in a header name, a label, a categorical level: file:line:field, nothing written.
printf 'x,caf\351,y\n1,2,yes\n2,3,no\n3,1,yes\n' >header.csv
expect_exit 1 "$LOGREG" train header.csv -m m.json
expect_stderr_equals 'logreg: error: header.csv:1:2: the column name "caf\xE9" holds the byte 0xE9 at byte 4, which is not valid UTF-8; logreg reads UTF-8 text (convert the file, e.g. iconv -f latin1 -t utf-8)'
expect_no_file m.json
printf 'x,y\n1,yes\n2,no\n3,yes\n4,no\n' >good.csv
expect_exit 0 "$LOGREG" train good.csv -m good.json --quiet
expect_exit 1 "$LOGREG" predict header.csv -m good.json
expect_stderr_contains 'header.csv:1:2: the column name "caf\xE9" holds the byte 0xE9'

printf 'x,y\n1,yes\n2,caf\351\n3,yes\n4,no\n' >label.csv
expect_exit 1 "$LOGREG" train label.csv -m m.json
expect_stderr_equals "logreg: error: label.csv:3:2 (column 'y'): the label \"caf\\xE9\" holds the byte 0xE9 at byte 4, which is not valid UTF-8; logreg reads UTF-8 text (convert the file, e.g. iconv -f latin1 -t utf-8)"
expect_no_file m.json
# The same from standard input (the sequential reader), and with the parallel typed reader.
expect_exit 1 "$LOGREG" train - -m m.json <label.csv
expect_stderr_contains "<stdin>:3:2 (column 'y'): the label \"caf\\xE9\" holds the byte 0xE9 at byte 4"
printf 'x,c,y\n1,a,yes\n2,b,caf\351\n3,a,yes\n4,b,no\n' >label2.csv
expect_exit 1 "$LOGREG" train label2.csv -m m.json
expect_stderr_contains "label2.csv:3:3 (column 'y'): the label \"caf\\xE9\" holds the byte 0xE9 at byte 4"

printf 'x,c,y\n1,a,yes\n2,b\351,no\n3,a,yes\n4,b,no\n' >level.csv
expect_exit 1 "$LOGREG" train level.csv -m m.json
expect_stderr_equals "logreg: error: level.csv:3:2 (column 'c'): the value \"b\\xE9\" holds the byte 0xE9 at byte 2, which is not valid UTF-8; logreg reads UTF-8 text (convert the file, e.g. iconv -f latin1 -t utf-8)"
expect_exit 1 "$LOGREG" train level.csv -m m.json --categorical c --missing drop
expect_stderr_contains "level.csv:3:2 (column 'c'): the value \"b\\xE9\""
expect_no_file m.json

printf '1 1:0.5\n0 1:0.1\nn\351 1:0.3\n' >label.svm
expect_exit 1 "$LOGREG" train label.svm -m m.json
expect_stderr_equals 'logreg: error: label.svm:3:1: the label "n\xE9" holds the byte 0xE9 at byte 2, which is not valid UTF-8; logreg reads UTF-8 text (convert the file, e.g. iconv -f latin1 -t utf-8)'

# NUL bytes: an error with the place, shown as \x00 (a NUL in the header was a feature name).
printf 'x,c\000d,y\n1,2,yes\n2,3,no\n' >nul_header.csv
expect_exit 1 "$LOGREG" train nul_header.csv -m m.json
expect_stderr_equals 'logreg: error: nul_header.csv:1:2: the column name "c\x00d" holds a NUL byte at byte 2; is the file text?'
printf 'x,y\n1,yes\n2,n\000o\n3,yes\n4,no\n' >nul_label.csv
expect_exit 1 "$LOGREG" train nul_label.csv -m m.json
expect_stderr_equals "logreg: error: nul_label.csv:3:2 (column 'y'): the label \"n\\x00o\" holds a NUL byte at byte 2; is the file text?"
printf 'x,z,y\n1,2,yes\n2,3\000,no\n3,4,yes\n4,4,no\n' >nul_cell.csv
expect_exit 1 "$LOGREG" train nul_cell.csv -m m.json
expect_stderr_equals "logreg: error: nul_cell.csv:3:2 (column 'z'): the value \"3\\x00\" holds a NUL byte at byte 2; is the file text?"
expect_no_file m.json

# Long cells are quoted shortened: the first 40 characters, "..." and the length.
long=$(printf '%0200d' 0 | tr 0 w)
{ echo "x,y"; for i in 1 2 3 4 5 6 7 8; do echo "$i,$((i % 2))"; done; echo "$long,1"; } >long.csv
expect_exit 1 "$LOGREG" train long.csv -m m.json
expect_stderr_equals "logreg: error: long.csv:10:1 (column 'x'): expected a number, found \"wwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwww... (200 bytes)\" (8 of the 9 distinct values of the column are numbers); if \"wwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwww... (200 bytes)\" marks a missing value, add it to --na-values; if the column is categorical, name it in --categorical"
# A long name in a message (a column name of 300 bytes, asked for by --features).
name=$(printf '%0300d' 0 | tr 0 n)
expect_exit 1 "$LOGREG" train long.csv -m m.json --features "$name"
expect_stderr_equals "logreg: error: --features: long.csv has no column 'nnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnn... (300 bytes)'"

# --delimiter: the rule is one byte.
expect_exit 2 "$LOGREG" train long.csv -m m.json --delimiter '§'
expect_stderr_equals "logreg: --delimiter: expected one byte (an ASCII character, or 'tab'), got '§', which is 2 bytes in UTF-8"

finish
