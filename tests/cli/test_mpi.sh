# mpirun -np 1..4 logreg train: the model of every rank count is the one-process model, byte for
# byte (but the seconds), for numeric and categorical files, several files, quoted texts, imputed missing cells, weights,
# rows left out (--missing drop), several classes, every penalty, the inference table and the separation check (--penalty none),
# and out of core per rank (--memory-limit); each rank's peak memory follows its share; a bad cell
# on any rank's part stops every rank with the one-process message, exit 1, no model, no hang; what
# does not run under mpirun says so. Skipped (77) when logreg was built without MPI or mpirun is
# missing (scripts/install-deps installs Open MPI).
source "$(dirname "$0")/lib.sh" "$@"
AD=$DATA/adult.csv

if ! "$LOGREG" --version | grep -q '^MPI: Open MPI' || ! command -v mpirun >/dev/null; then
  echo "skipped: logreg built without MPI, or no mpirun" >&2
  exit 77
fi
# The sanitizer build: Open MPI's own allocations left at exit are not this program's leaks.
if ldd "$LOGREG" 2>/dev/null | grep -q libasan; then
  export ASAN_OPTIONS=${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0
fi
MPIRUN=(mpirun --oversubscribe)
[ "$(id -u)" = 0 ] && MPIRUN+=(--allow-run-as-root)
without_seconds() { grep -v '"seconds"' "$1"; }

expect_exit 0 "$LOGREG" --version
expect_stdout_matches '^MPI: Open MPI v[0-9.]+ \(MPI [0-9.]+\)$'

# ---- the same model for any number of ranks ----------------------------------------------------
NUMERIC=age,fnlwgt,education_num,capital_gain,capital_loss,hr_per_week
cases=(
  "categorical|$AD --target income"
  "numeric, weights|$AD --target income --features age,education_num,capital_gain,capital_loss,hr_per_week --weight fnlwgt"
  "multinomial|$AD --target race --features $NUMERIC,sex,relationship"
  "one-vs-rest balanced|$AD --target race --features $NUMERIC --multiclass ovr --class-weight balanced"
  "l1|$AD --target income --penalty l1 --C 0.01"
  "elasticnet, lbfgs|$AD --target income --features $NUMERIC,marital --penalty elasticnet --l1-ratio 0.5"
  "no penalty: inference|$AD --target income --features $NUMERIC,sex,race --penalty none"
)
# Missing cells (empty and NA) in numeric and categorical columns, imputed.
awk -F, 'BEGIN { OFS = "," } NR > 1 && NR % 37 == 0 { $1 = "" } NR > 1 && NR % 53 == 0 { $2 = "" }
  NR > 1 && NR % 91 == 5 { $5 = "NA" } { print }' "$AD" >missing.csv
# Three files (the middle one 99 rows, the last without its final line end), read as one.
head -n 1 "$AD" >header.txt
{ cat header.txt; sed -n '2,7001p' "$AD"; } >part-a.csv
{ cat header.txt; sed -n '7002,7100p' "$AD"; } >part-b.csv
{ cat header.txt; sed -n '7101,$p' "$AD"; } | head -c -1 >part-c.csv
cases+=("three files|part-a.csv part-b.csv part-c.csv --target income")
# Blank lines at the end of the file (CR LF line ends): skipped, as one process skips them.
{ sed 's/$/\r/' "$AD"; printf '\r\n\r\n'; } >trailing.csv
cases+=("blank lines at the end|trailing.csv --target income")
# Blank lines between rows (LF and CR LF ones), after the header, in runs: skipped.
awk 'NR == 1 || NR % 97 != 0 { print; next } { print; print ""; if (NR % 3 == 0) print "" }' "$AD" >blank.csv
{ head -n 1 "$AD"; printf '\n'; sed -n '2,$p' "$AD" | awk 'NR % 50 == 0 { print; print ""; next } { print }'; } | sed 's/$/\r/' >blank-crlf.csv
cases+=("blank lines between rows|blank.csv --target income"
        "blank lines between rows, CR LF, categorical, weights|blank-crlf.csv --target income --features age,education,race --weight fnlwgt")
# The texts and the header quoted as R's write.csv quotes them, one level with doubled quotes and
# one with the delimiter inside its quotes.
awk -F, 'BEGIN { OFS = "," } { for (i = 1; i <= NF; i++) if (NR == 1 || $i !~ /^-?[0-9.]+$/) $i = "\"" $i "\""; print }' "$AD" |
  sed -e 's/"Tech-support"/"Tech ""support"""/' -e 's/"Married-civ-spouse"/"Married, civ spouse"/' >quoted.csv
cases+=("quoted texts (R's write.csv), doubled quotes, a delimiter in quotes|quoted.csv --target income")
cases+=("--missing impute, categorical|missing.csv --target income --missing impute"
        "--missing impute, numeric|missing.csv --target income --missing impute --features $NUMERIC")
# Rows left out (--missing drop): the rows kept are cut among the ranks again. In front.csv two
# thirds of the first 12,000 rows go: rank 0's part keeps few rows and the others' rows move
# towards it (across more than one rank at -np 4).
awk -F, 'BEGIN { OFS = "," } NR > 1 && NR < 12000 && NR % 3 != 0 { $1 = "" } { print }' "$AD" >front.csv
cases+=("--missing drop, categorical|missing.csv --target income --missing drop"
        "--missing drop, numeric, missing weights|missing.csv --target income --missing drop --features age,education_num,capital_gain,capital_loss,hr_per_week --weight fnlwgt"
        "--missing drop, most of the first rows|front.csv --target income --missing drop")
# libsvm input: adult's numbers and indicators of sex and race (zeros left out), the income as the
# label, a comment line, a blank line and a comment after a row among them; race as the label
# (several classes). A large one (170,000 rows: the warm start on a subsample gathers its rows).
to_svm() {  # $1: the label's column
  awk -F, -v label="$1" 'NR == 1 { next } NR == 5000 { print "# a comment line" } NR == 20000 { print "" }
    { split("White Black Asian-Pac-Islander Amer-Indian-Eskimo Other", races, " ")
      line = $label; v[1] = $1; v[2] = $3 / 1000; v[3] = $5; v[4] = $11; v[5] = $12; v[6] = $13; v[7] = ($10 == "Male")
      for (k = 1; k <= 5; k++) v[7 + k] = ($9 == races[k]) * (label == 9 ? 0 : 1)
      for (j = 1; j <= 12; j++) if (v[j] != 0) line = line " " j ":" v[j]
      print line (NR == 7 ? " # a comment after a row" : "") }' "$AD"
}
to_svm 15 >adult.svm
to_svm 9 >race.svm
awk 'BEGIN { srand(11); for (r = 0; r < 170000; r++) { s = 0; line = ""
    for (k = 1; k <= 5; k++) { v = rand() * 2 - 1; if (rand() < 0.3) continue; s += v * (k - 3); line = line " " k ":" sprintf("%.5f", v) }
    print (rand() < 1 / (1 + exp(-s)) ? "+1" : "-1") line } }' >big.svm
# A class and the largest index first seen in the last rows (the last rank's part): agreed by all.
awk -v n="$(wc -l <adult.svm)" '{ if (NR > n - 200) $1 = "late"; if (NR == n) $0 = $0 " 40:2.5"; print }' adult.svm >late.svm
cases+=("libsvm, a class and the largest index first seen at the end|late.svm"
        "libsvm|adult.svm"
        "libsvm, l1|adult.svm --penalty l1 --C 0.01"
        "libsvm, elasticnet, lbfgs|adult.svm --penalty elasticnet --l1-ratio 0.5"
        "libsvm, no penalty: inference|adult.svm --penalty none"
        "libsvm, multinomial|race.svm"
        "libsvm, one-vs-rest balanced|race.svm --multiclass ovr --class-weight balanced"
        "libsvm, 170,000 rows (warm start)|big.svm")
# libsvm in three files (the last without its final line end), read as one: the model of adult.svm.
head -n 9000 adult.svm >svm-a.svm
sed -n '9001,9030p' adult.svm >svm-b.svm
sed -n '9031,$p' adult.svm | head -c -1 >svm-c.svm
expect_exit 0 "$LOGREG" train adult.svm -m one.json --quiet
without_seconds one.json >one.txt
for np in 2 3 4; do
  expect_exit 0 "${MPIRUN[@]}" -np "$np" "$LOGREG" train svm-a.svm svm-b.svm svm-c.svm -m ranks.json --quiet
  without_seconds ranks.json >ranks.txt
  expect_same_bytes "libsvm, three files: mpirun -np $np = one process on the whole file" one.txt ranks.txt
done
# Split by files, a bad line is named by its own file and line, by the rank that read it.
awk 'NR == 20 { $2 = "1:abc" } { print }' svm-b.svm >bad-b.svm
rm -f ranks.json
for np in 1 3; do
  expect_exit 1 "${MPIRUN[@]}" -np "$np" "$LOGREG" train svm-a.svm bad-b.svm svm-c.svm -m ranks.json
  expect_stderr_contains "logreg: error: bad-b.svm:20:2 (index 1): expected a number, found \"abc\""
  expect_eq "said once" 1 "$(grep -c '^logreg:' "$STDERR")"
  expect_no_file ranks.json
done
for c in "${cases[@]}"; do
  name=${c%%|*}
  read -r -a args <<<"${c#*|}"
  expect_exit 0 "$LOGREG" train "${args[@]}" -m one.json --quiet
  without_seconds one.json >one.txt
  for np in 1 2 3 4; do
    expect_exit 0 "${MPIRUN[@]}" -np "$np" "$LOGREG" train "${args[@]}" -m ranks.json --quiet
    without_seconds ranks.json >ranks.txt
    expect_same_bytes "$name: mpirun -np $np = one process" one.txt ranks.txt
    rm -f ranks.json
  done
done

# Out of core on every rank: the same model again.
expect_exit 0 "$LOGREG" train "$AD" --target income -m one.json --quiet
without_seconds one.json >one.txt
expect_exit 0 "${MPIRUN[@]}" -np 3 "$LOGREG" train "$AD" --target income -m ranks.json --memory-limit 1M --quiet
without_seconds ranks.json >ranks.txt
expect_same_bytes "--memory-limit 1M on each of 3 ranks = one process in memory" one.txt ranks.txt

expect_exit 0 "$LOGREG" train adult.svm -m one.json --quiet
without_seconds one.json >one.txt
expect_exit 0 "${MPIRUN[@]}" -np 3 "$LOGREG" train adult.svm -m ranks.json --memory-limit 1M --quiet
without_seconds ranks.json >ranks.txt
expect_same_bytes "libsvm, --memory-limit 1M on each of 3 ranks = one process in memory" one.txt ranks.txt

# Each rank holds only its share: 600,000 x 10 numbers (a 48 MB matrix), the peak resident memory
# of each of 4 ranks at least 24 MB (half the matrix) below the one process's, and a rank of 2
# at least 6 MB (half the difference of the shares) above a rank of 4.
awk 'BEGIN { srand(7); print "a,b,c,d,e,f,g,h,i,j,y"
  for (r = 0; r < 600000; r++) { s = 0; line = ""
    for (k = 0; k < 10; k++) { v = rand() * 2 - 1; s += v * (k % 3 - 1); line = line sprintf("%.6f,", v) }
    print line (rand() < 1 / (1 + exp(-s)) ? 1 : 0) } }' >mem.csv
expect_exit 0 /usr/bin/time -f %M -o rss1.txt "$LOGREG" train mem.csv --target y -m one.json --quiet
expect_exit 0 "${MPIRUN[@]}" -np 4 /usr/bin/time -f %M -a -o rss4.txt "$LOGREG" train mem.csv --target y -m ranks.json --quiet
expect_exit 0 "${MPIRUN[@]}" -np 2 /usr/bin/time -f %M -a -o rss2.txt "$LOGREG" train mem.csv --target y -m ranks2.json --quiet
one_kb=$(tail -n 1 rss1.txt)
max4_kb=$(sort -n rss4.txt | tail -n 1)
min2_kb=$(sort -n rss2.txt | head -n 1)
expect_eq "4 ranks measured" 4 "$(wc -l <rss4.txt)"
check "each of 4 ranks: peak RSS ${max4_kb} kB <= one process ${one_kb} kB - 24 MB" test "$max4_kb" -le $((one_kb - 24 * 1024))
check "a rank of 2 (${min2_kb} kB) >= a rank of 4 (${max4_kb} kB) + 6 MB" test "$min2_kb" -ge $((max4_kb + 6 * 1024))
without_seconds one.json >one.txt
without_seconds ranks.json >ranks.txt
expect_same_bytes "mem.csv: 4 ranks = one process" one.txt ranks.txt
rm -f mem.csv ranks.json ranks2.json

# Rank 0 speaks for all: the notes once.
expect_exit 0 "${MPIRUN[@]}" -np 3 "$LOGREG" train "$AD" --target income -m ranks.json
expect_eq "one report" 1 "$(grep -c '^converged after' "$STDERR")"
expect_exit 0 "${MPIRUN[@]}" -np 3 "$LOGREG" train "$AD" --target income -m ranks.json --verbose
expect_eq "one 'read' note, of all rows" 1 "$(grep -c '^read 30162 rows x' "$STDERR")"

# By files, cut anywhere: adult.csv's rows cut at seeded random places into 2 to 7 files (empty
# ones among them, some files' last line without its line end), on 2 to 4 ranks, numbers and
# categorical: always the one-process model of the whole file.
expect_exit 0 "$LOGREG" train "$AD" --target income -m one-cat.json --quiet
expect_exit 0 "$LOGREG" train "$AD" --target income --features "$NUMERIC" -m one-num.json --quiet
without_seconds one-cat.json >one-cat.txt
without_seconds one-num.json >one-num.txt
for seed in 1 2 3 4 5 6; do
  rm -f cut-*.csv
  awk -v seed="$seed" 'BEGIN { srand(seed); files = 2 + int(rand() * 6); n = 30162
    for (f = 0; f < files - 1; f++) cut[f] = 2 + int(rand() * n); cut[files - 1] = n + 2
    for (f = 0; f < files; f++) for (g = f + 1; g < files; g++) if (cut[g] < cut[f]) { t = cut[f]; cut[f] = cut[g]; cut[g] = t }
    if (seed % 3 == 0 && files > 2) cut[1] = cut[0]  # file 1 gets no rows
    f = 0 }
    NR == 1 { header = $0; for (k = 0; k < files; k++) print header >sprintf("cut-%d.csv", k); next }
    { while (NR >= cut[f]) f++; print >sprintf("cut-%d.csv", f) }' "$AD"
  # (a file whose rows all went elsewhere holds its header alone: an empty part)
  last=$(ls cut-*.csv | sort -t- -k2 -n | tail -n 1)
  [ $((seed % 2)) = 0 ] && truncate -s -1 "$last"
  files=$(ls cut-*.csv | sort -t- -k2 -n | tr '\n' ' ')
  np=$((2 + seed % 3))
  read -r -a parts <<<"$files"
  expect_exit 0 "${MPIRUN[@]}" -np "$np" "$LOGREG" train "${parts[@]}" --target income -m ranks.json --quiet
  without_seconds ranks.json >ranks.txt
  expect_same_bytes "seed $seed: ${#parts[@]} files on $np ranks (categorical) = one process" one-cat.txt ranks.txt
  expect_exit 0 "${MPIRUN[@]}" -np "$np" "$LOGREG" train "${parts[@]}" --target income --features "$NUMERIC" -m ranks.json --quiet
  without_seconds ranks.json >ranks.txt
  expect_same_bytes "seed $seed: ${#parts[@]} files on $np ranks (numbers) = one process" one-num.txt ranks.txt
done
rm -f cut-*.csv ranks.json

# ---- errors -------------------------------------------------------------------------------------
# A bad cell in the last rank's part: every rank stops with the one-process message, no model.
awk -F, 'NR == 30001 { $1 = "forty" } { print }' OFS=, "$AD" >bad.csv
expect_exit 1 "$LOGREG" train bad.csv --target income -m bad.json
grep '^logreg:' "$STDERR" >one_error.txt
rm -f ranks.json
expect_exit 1 "${MPIRUN[@]}" -np 3 "$LOGREG" train bad.csv --target income -m ranks.json
grep '^logreg:' "$STDERR" >ranks_error.txt
expect_same_bytes "a bad cell on rank 2: the one-process message" one_error.txt ranks_error.txt
expect_stderr_contains "bad.csv:30001:1 (column 'age')"
expect_no_file ranks.json
# A bad cell in the last of three files: its own name and line.
awk -F, 'BEGIN { OFS = "," } NR == 5000 { $1 = "old" } { print }' part-c.csv >bad-c.csv
expect_exit 1 "${MPIRUN[@]}" -np 3 "$LOGREG" train part-a.csv part-b.csv bad-c.csv --target income -m ranks.json
expect_stderr_contains "logreg: error: bad-c.csv:5000:1 (column 'age'): expected a number, found \"old\""
expect_no_file ranks.json
# Three files = the file they were cut from.
expect_exit 0 "$LOGREG" train "$AD" --target income -m one.json --quiet
expect_exit 0 "${MPIRUN[@]}" -np 4 "$LOGREG" train 'part-*.csv' --target income -m ranks.json --quiet
without_seconds one.json >one.txt
without_seconds ranks.json >ranks.txt
expect_same_bytes "4 ranks on three files (a quoted glob) = one process on the whole file" one.txt ranks.txt
rm -f ranks.json
# Several files are split by files: each rank reads whole files (numbers straight into the rows it
# holds), with the sequential reader where the parallel ones decline (a line break inside quotes, a
# blank line with --missing drop, text after 10,000 rows of numbers); rows then move to the ranks
# holding their chunks. The model of -np 1-4 = one process on the concatenation, also with more
# ranks than files.
{ sed -n '7002,7010p' "$AD" | sed '3s/^\([0-9]*\),\([^,]*\),/\1,"\2\nInc",/'; sed -n '7011,7100p' "$AD"; } >quoted-rows.txt
{ cat header.txt; cat quoted-rows.txt; } >quoted-b.csv
{ cat header.txt; sed -n '2,7001p' "$AD"; cat quoted-rows.txt; sed -n '7101,$p' "$AD"; } >quoted-all.csv
awk -F, 'BEGIN { OFS = "," } NR == 1 { $16 = "code" } NR > 1 { $16 = NR % 2 } NR > 10001 { $16 = "t" NR % 20 } { print }' "$AD" >late.csv
head -n 7001 late.csv >late-a.csv
{ head -n 1 late.csv; sed -n '7002,$p' late.csv; } >late-b.csv
{ cat header.txt; sed -n '2,3p' "$AD"; } >bd-a.csv
{ cat header.txt; sed -n '4,100p' missing.csv; echo; sed -n '101,7001p' missing.csv; } >bd-b.csv
{ cat header.txt; sed -n '7002,$p' missing.csv; } >bd-c.csv
{ cat header.txt; sed -n '2,3p' "$AD"; sed -n '4,100p' missing.csv; echo; sed -n '101,$p' missing.csv; } >bd-all.csv
{ cat header.txt; sed -n '2,15001p' "$AD"; } >half-a.csv
{ cat header.txt; sed -n '15002,$p' "$AD"; } >half-b.csv
{ cat header.txt; sed -n '2,15001p' missing.csv; } >na-a.csv
{ cat header.txt; sed -n '15002,$p' missing.csv; } >na-b.csv
by_files=(
  "a line break inside quotes|quoted-all.csv|part-a.csv quoted-b.csv part-c.csv|--target income"
  "text after 10,000 rows|late.csv|late-a.csv late-b.csv|--target income"
  "--missing drop, a blank line|bd-all.csv|bd-a.csv bd-b.csv bd-c.csv|--target income --missing drop"
  "two files, numbers|$AD|half-a.csv half-b.csv|--target income --features $NUMERIC"
  "two files, impute|missing.csv|na-a.csv na-b.csv|--target income --features $NUMERIC,sex --missing impute"
  "two files, numbers, weights|$AD|half-a.csv half-b.csv|--target income --features age,education_num,hr_per_week --weight fnlwgt"
  "numbers, a line break inside quotes|quoted-all.csv|part-a.csv quoted-b.csv part-c.csv|--target income --features $NUMERIC"
)
for c in "${by_files[@]}"; do
  IFS='|' read -r name whole parts args <<<"$c"
  read -r -a parts <<<"$parts"
  read -r -a args <<<"$args"
  expect_exit 0 "$LOGREG" train "$whole" "${args[@]}" -m one.json --quiet
  without_seconds one.json >one.txt
  for np in 1 2 3 4; do
    expect_exit 0 "${MPIRUN[@]}" -np "$np" "$LOGREG" train "${parts[@]}" "${args[@]}" -m ranks.json --quiet
    without_seconds ranks.json >ranks.txt
    expect_same_bytes "by files, $name: mpirun -np $np = one process on the concatenation" one.txt ranks.txt
    rm -f ranks.json
  done
done
expect_exit 0 "${MPIRUN[@]}" -np 3 "$LOGREG" train bd-a.csv bd-b.csv bd-c.csv --target income --missing drop -m ranks.json
expect_stderr_contains "(the first: bd-b.csv:3:5 (column 'education_num'))"
expect_exit 0 "${MPIRUN[@]}" -np 2 "$LOGREG" train late-a.csv late-b.csv --target income -m ranks.json --verbose
expect_stderr_contains "column 'code' is categorical (\"t2\" on line 3002 of late-b.csv): 22 levels"
# A missing-value marker that is a number (--na-values -999) is a missing cell, not a number, in one
# file and in several (the numeric fast paths would read it as a number).
awk -F, 'BEGIN { OFS = "," } NR == 500 { $1 = "-999" } { print }' "$AD" >m999.csv
{ cat header.txt; sed -n '2,15001p' m999.csv; } >m999-a.csv
rm -f ranks.json
for np in 1 2; do
  expect_exit 1 "${MPIRUN[@]}" -np "$np" "$LOGREG" train m999.csv --target income --features "$NUMERIC" --na-values -999 -m ranks.json
  expect_stderr_contains "logreg: error: m999.csv:500:1 (column 'age'): missing value (\"-999\")"
  expect_exit 1 "${MPIRUN[@]}" -np "$np" "$LOGREG" train m999-a.csv half-b.csv --target income --features "$NUMERIC" --na-values -999 -m ranks.json
  expect_stderr_contains "logreg: error: m999-a.csv:500:1 (column 'age'): missing value (\"-999\")"
  expect_no_file ranks.json
done
# Errors on the ranks reading whole files: the first in file order, named by its file and line.
awk -F, 'BEGIN { OFS = "," } NR == 40 { $1 = "old" } { print }' quoted-b.csv >bad-b.csv
for np in 1 2 3; do
  rm -f ranks.json
  expect_exit 1 "${MPIRUN[@]}" -np "$np" "$LOGREG" train part-a.csv bad-b.csv bad-c.csv --target income -m ranks.json
  expect_stderr_contains "logreg: error: bad-b.csv:40:1 (column 'age'): expected a number, found \"old\""
  expect_eq "said once" 1 "$(grep -c '^logreg:' "$STDERR")"
  expect_no_file ranks.json
done
printf 'age,x\n1,2\n' >other.csv
expect_exit 1 "${MPIRUN[@]}" -np 3 "$LOGREG" train part-a.csv part-b.csv other.csv --target income -m ranks.json
expect_stderr_contains "logreg: error: other.csv: its header differs from part-a.csv's; the files of one fit must have the same columns in the same order"
expect_no_file ranks.json
head -n 1 "$AD" >empty.csv
expect_exit 1 "${MPIRUN[@]}" -np 2 "$LOGREG" train empty.csv empty.csv --target income -m ranks.json
expect_stderr_contains "logreg: error: empty.csv and the other files: the headers have no data rows below them"
{ cat header.txt; sed -n '2,3000p' "$AD"; } >small-a.csv
{ cat header.txt; sed -n '3001,6000p' "$AD"; } >small-b.csv
expect_exit 2 "${MPIRUN[@]}" -np 2 "$LOGREG" train small-a.csv small-b.csv --target income -m ranks.json
expect_stderr_contains "small-a.csv and 1 more: 5999 rows are too few to split among 2 MPI ranks"
expect_no_file ranks.json

# libsvm: a bad token on the last rank's part: the one-process message; too few rows for the ranks.
awk 'NR == 29000 { $2 = "2:x" } { print }' adult.svm >bad.svm
expect_exit 1 "$LOGREG" train bad.svm -m bad.json
grep '^logreg:' "$STDERR" >one_error.txt
expect_exit 1 "${MPIRUN[@]}" -np 3 "$LOGREG" train bad.svm -m ranks.json
grep '^logreg:' "$STDERR" >ranks_error.txt
expect_same_bytes "libsvm, a bad token on rank 2: the one-process message" one_error.txt ranks_error.txt
expect_stderr_contains "logreg: error: bad.svm:29000:2 (index 2): expected a number, found \"x\""
expect_no_file ranks.json
head -n 6000 adult.svm >few.svm
expect_exit 2 "${MPIRUN[@]}" -np 2 "$LOGREG" train few.svm -m ranks.json
expect_stderr_contains "few.svm: 5999 rows are too few to split among 2 MPI ranks"
expect_no_file ranks.json
# One file the byte-range readers do not take (blank lines between rows with --missing drop, which
# names the first row it leaves out by its line; a line break inside quotes; text after 10,000
# rows of numbers): one rank reads it whole and sends the others their rows; the one-process model.
sed '20000s/$/\n/' missing.csv >blank-missing.csv
single=(
  "blank lines, --missing drop|blank-missing.csv --target income --missing drop"
  "a line break inside quotes|quoted-all.csv --target income"
  "text after 10,000 rows|late.csv --target income"
)
for c in "${single[@]}"; do
  name=${c%%|*}
  read -r -a args <<<"${c#*|}"
  expect_exit 0 "$LOGREG" train "${args[@]}" -m one.json --quiet
  without_seconds one.json >one.txt
  for np in 2 3; do
    rm -f ranks.json
    expect_exit 0 "${MPIRUN[@]}" -np "$np" "$LOGREG" train "${args[@]}" -m ranks.json --verbose
    expect_stderr_contains "${args[0]}: read whole by one rank, which sent the other ranks their rows"
    without_seconds ranks.json >ranks.txt
    expect_same_bytes "one file, $name: mpirun -np $np = one process" one.txt ranks.txt
  done
done
rm -f ranks.json
# A missing column: every rank meets it; said once.
expect_exit 1 "${MPIRUN[@]}" -np 2 "$LOGREG" train "$AD" --target incme -m ranks.json
expect_eq "said once" 1 "$(grep -c '^logreg:' "$STDERR")"
expect_no_file ranks.json
# Too few rows for the ranks.
expect_exit 2 "${MPIRUN[@]}" -np 2 "$LOGREG" train "$DATA/breast_cancer.csv" --target diagnosis -m ranks.json
expect_stderr_contains "569 rows are too few to split among 2 MPI ranks"
# Standard input cannot be split.
expect_exit 2 "${MPIRUN[@]}" -np 2 "$LOGREG" train - --target income -m ranks.json <"$AD"
expect_stderr_contains "standard input: under mpirun the data must be regular files that every rank can read"
# --missing drop: the one-process warning (the count, the first row's file and line), also when
# that row is in the second of three files; out of core per rank, the one-process model; every row
# dropped, or too few rows left for the ranks: said, exit 1 / 2, no model.
expect_exit 0 "$LOGREG" train missing.csv --target income --missing drop -m one.json
grep '^logreg:' "$STDERR" >one_warning.txt
expect_exit 0 "${MPIRUN[@]}" -np 3 "$LOGREG" train missing.csv --target income --missing drop -m ranks.json
grep '^logreg:' "$STDERR" >ranks_warning.txt
expect_same_bytes "--missing drop: the one-process warning" one_warning.txt ranks_warning.txt
expect_stderr_contains "logreg: warning: --missing drop: left out 1686 of 30162 rows for a missing cell (the first: missing.csv:5:5 (column 'education_num'))"
{ cat header.txt; sed -n '2,3p' "$AD"; } >drop-a.csv
{ cat header.txt; sed -n '4,7001p' missing.csv; } >drop-b.csv
{ cat header.txt; sed -n '7002,$p' missing.csv; } >drop-c.csv
expect_exit 0 "${MPIRUN[@]}" -np 2 "$LOGREG" train drop-a.csv drop-b.csv drop-c.csv --target income --missing drop -m ranks.json
expect_stderr_contains "(the first: drop-b.csv:3:5 (column 'education_num'))"
expect_exit 0 "$LOGREG" train front.csv --target income --missing drop -m one.json --quiet
expect_exit 0 "${MPIRUN[@]}" -np 2 "$LOGREG" train front.csv --target income --missing drop --memory-limit 2M -m ranks.json --quiet
without_seconds one.json >one.txt
without_seconds ranks.json >ranks.txt
expect_same_bytes "--missing drop out of core on 2 ranks = one process" one.txt ranks.txt
rm -f ranks.json
awk -F, 'BEGIN { OFS = "," } NR > 1 { $1 = "" } { print }' "$AD" >none.csv
expect_exit 1 "${MPIRUN[@]}" -np 3 "$LOGREG" train none.csv --target income --missing drop -m ranks.json
expect_stderr_contains "logreg: error: none.csv: every one of the 30,162 rows has a missing cell (--missing drop left none; the first: none.csv:2:1 (column 'age'))"
expect_eq "said once" 1 "$(grep -c '^logreg:' "$STDERR")"
expect_no_file ranks.json
awk -F, 'BEGIN { OFS = "," } NR > 1 && NR % 3 != 0 { $1 = "" } { print }' "$AD" >few.csv
expect_exit 2 "${MPIRUN[@]}" -np 4 "$LOGREG" train few.csv --target income --missing drop -m ranks.json
expect_stderr_contains "few.csv: the 10054 rows --missing drop leaves are too few to split among 4 MPI ranks"
expect_no_file ranks.json
# Missing cells without --missing: the one-process error.
expect_exit 1 "$LOGREG" train missing.csv --target income -m one.json
grep '^logreg:' "$STDERR" >one_error.txt
expect_exit 1 "${MPIRUN[@]}" -np 3 "$LOGREG" train missing.csv --target income -m ranks.json
grep '^logreg:' "$STDERR" >ranks_error.txt
expect_same_bytes "a missing cell without --missing: the one-process message" one_error.txt ranks_error.txt
# Separation (--penalty none), found by every rank alike.
expect_exit 1 "$LOGREG" train "$AD" --target income --features age,education --penalty none -m one.json
grep '^logreg:' "$STDERR" >one_error.txt
expect_exit 1 "${MPIRUN[@]}" -np 3 "$LOGREG" train "$AD" --target income --features age,education --penalty none -m ranks.json
grep '^logreg:' "$STDERR" >ranks_error.txt
expect_same_bytes "separation: the one-process message" one_error.txt ranks_error.txt
# The other commands run without mpirun.
expect_exit 0 "$LOGREG" train "$AD" --target income -m model.json --quiet
expect_exit 2 "${MPIRUN[@]}" -np 2 "$LOGREG" predict "$AD" -m model.json
expect_stderr_contains "'predict' does not run under mpirun (started as one of 2 ranks): only 'train' splits its work"
expect_exit 2 "${MPIRUN[@]}" -np 2 "$LOGREG" cv "$AD" --target income
expect_stderr_contains "'cv' does not run under mpirun"
finish
