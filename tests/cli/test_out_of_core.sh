# Out of core (--memory-limit, --cache-dir): the model of every kind is the in-memory model bit for
# bit (only the fit's seconds differ); the memory stays within the limit; the cache never outlives
# the process; a cache that cannot be made or grown is a clear error and leaves no model.
source "$(dirname "$0")/lib.sh" "$@"

ADULT=$DATA/adult.csv

# same_model DESCRIPTION A B: the two models are equal but for the fit's seconds.
same_model() {
  if cmp -s <(grep -v '"seconds"' "$2") <(grep -v '"seconds"' "$3"); then pass; else
    fail "$1: $2 and $3 differ" "$(diff <(grep -v '"seconds"' "$2") <(grep -v '"seconds"' "$3") | head -n 4)"
  fi
}
# cache_files: how many cache files the last --verbose run made (0 when the cache was off).
cache_files() { sed -n 's/.*at its largest, \([0-9]*\) files.*/\1/p' "$STDERR"; }

# 40000 rows: 6 numbers, 2 categorical columns, a weight, a 3-class and a 2-class target. Its
# arrays (2 MB of numbers, 0.3 MB of level indices, the per-row vectors) are above the cache's
# 256 kB threshold, so that the out-of-core runs really use cache files.
awk 'BEGIN { srand(11); print "a,b,c,d,e,f,colour,size,w,k,y";
  for (i = 0; i < 40000; i++) {
    a = rand() * 4 - 2; b = rand() * 2; c = rand() - 0.5; d = rand() * 1e3; e = rand() * 1e-3; f = (i % 7) / 7;
    col = (i % 3 == 0 ? "red" : (i % 3 == 1 ? "green" : "blue")); sz = (rand() < 0.5 ? "S" : (rand() < 0.5 ? "M" : "L"));
    z = a - 0.7 * b + 2 * c + 0.002 * d - 1 + (col == "red") * 0.5 + (sz == "L") * 0.3 + rand() * 2 - 1;
    k = (z < -0.6 ? "lo" : (z < 0.6 ? "mid" : "hi"));
    printf "%.6f,%.5f,%.6f,%.3f,%.9f,%.6f,%s,%s,%.3f,%s,%d\n", a, b, c, d, e, f, col, sz, 0.5 + rand(), k, (z > 0) }
}' >data.csv

cases=(
  "binary, categorical columns:--target y --ignore k,w"
  "multinomial:--target k --ignore y,w"
  "one-vs-rest:--target k --ignore y,w --multiclass ovr"
  "l1:--target y --ignore k,w --penalty l1 --C 0.01"
  "elastic net:--target y --ignore k,w --penalty elasticnet --l1-ratio 0.3 --C 0.05"
  "weights, balanced classes:--target y --ignore k --weight w --class-weight balanced"
  "unstandardised, no intercept:--target y --ignore k,w,colour,size --no-standardize --no-intercept"
  "no penalty, robust errors:--target y --ignore k,w --penalty none --drop-first --robust"
  "lbfgs:--target k --ignore y,w --solver lbfgs"
)
i=0
for c in "${cases[@]}"; do
  name=${c%%:*}
  read -r -a opts <<<"${c#*:}"
  i=$((i + 1))
  expect_exit 0 "$LOGREG" train data.csv -m mem$i.json "${opts[@]}" --quiet
  expect_exit 0 "$LOGREG" train data.csv -m ooc$i.json "${opts[@]}" --memory-limit 1M --verbose
  same_model "$name: out of core = in memory" mem$i.json ooc$i.json
  check "$name: the out-of-core run used cache files" test "$(cache_files)" -gt 0
done

# Missing cells: every 7th row misses a number, every 11th a level; dropped or imputed.
awk -F, 'BEGIN { OFS = "," } NR > 1 && NR % 7 == 0 { $2 = "" } NR > 1 && NR % 11 == 0 { $7 = "NA" } { print }' data.csv >holes.csv
for m in drop impute; do
  expect_exit 0 "$LOGREG" train holes.csv -m holes-mem-$m.json --target y --ignore k,w --missing $m --quiet
  expect_exit 0 "$LOGREG" train holes.csv -m holes-ooc-$m.json --target y --ignore k,w --missing $m --memory-limit 1M --quiet
  same_model "--missing $m: out of core = in memory" holes-mem-$m.json holes-ooc-$m.json
done

# adult: the acceptance case (categorical columns, standard errors).
expect_exit 0 "$LOGREG" train "$ADULT" -m adult-mem.json --target income --quiet
expect_exit 0 "$LOGREG" train "$ADULT" -m adult-ooc.json --target income --memory-limit 2M --quiet
same_model "adult: out of core = in memory" adult-mem.json adult-ooc.json

# libsvm input: the sparse design's arrays in the cache too.
awk -F, 'NR > 1 { printf "%d 1:%s 2:%s 3:%s 4:%s 5:%s\n", $11, $1, $2, $3, $4, $6 }' data.csv >data.svm
expect_exit 0 "$LOGREG" train data.svm -m svm-mem.json --quiet
expect_exit 0 "$LOGREG" train data.svm -m svm-ooc.json --memory-limit 1M --verbose
same_model "libsvm: out of core = in memory" svm-mem.json svm-ooc.json
check "libsvm: the out-of-core run used cache files" test "$(cache_files)" -gt 0

# Standard input (spooled to a file first) and cv (every fold's fit out of core).
expect_exit 0 "$LOGREG" train - -m stdin-ooc.json --target y --ignore k,w --memory-limit 1M --quiet <data.csv
same_model "standard input: out of core = in memory" mem1.json stdin-ooc.json
expect_exit 0 "$LOGREG" cv data.csv --target y --ignore k,w --folds 3 --C-count 3 --json --quiet
cp "$STDOUT" cv-mem.json
expect_exit 0 "$LOGREG" cv data.csv --target y --ignore k,w --folds 3 --C-count 3 --json --quiet --memory-limit 1M
expect_same_bytes "cv: the same fold scores out of core" cv-mem.json "$STDOUT"

# Without the flag, out of core only when the data would not fit: LOGREG_AVAILABLE_MEMORY stands
# in for a small machine.
expect_exit 0 env LOGREG_AVAILABLE_MEMORY=2000000 "$LOGREG" train data.csv -m auto.json --target y --ignore k,w
expect_stderr_contains "may not fit in the 2 MB of memory available: fitting out of core, the data in a cache file in"
same_model "automatic out of core = in memory" mem1.json auto.json
expect_exit 0 "$LOGREG" train data.csv -m big.json --target y --ignore k,w
expect_stderr_not_contains "out of core"

# The memory stays within the limit: 1.2M rows x 8 numbers (77 MB as doubles, 115 MB of text) with
# --memory-limit 16M. GNU time's peak resident size against the in-memory run's.
# Skipped in sanitizer builds (their shadow memory) and without GNU time.
if [ -x /usr/bin/time ] && ! grep -q __asan_init "$LOGREG"; then
  awk 'BEGIN { srand(5); print "a,b,c,d,e,f,g,h,y";
    for (i = 0; i < 1200000; i++) { s = 0; for (j = 0; j < 8; j++) { x[j] = rand() * 2 - 1; s += x[j] * (j - 3.5) }
      printf "%.6f,%.6f,%.6f,%.6f,%.6f,%.6f,%.6f,%.6f,%d\n", x[0], x[1], x[2], x[3], x[4], x[5], x[6], x[7], (s + rand() * 4 - 2 > 0) } }' >large.csv
  /usr/bin/time -f %M -o rss-mem "$LOGREG" train large.csv -m large-mem.json --quiet --threads 2
  expect_exit 0 /usr/bin/time -f %M -o rss-ooc "$LOGREG" train large.csv -m large-ooc.json --memory-limit 16M --verbose --threads 2
  same_model "1.2M rows: out of core = in memory" large-mem.json large-ooc.json
  expect_stderr_matches "cache pages dropped [1-9][0-9]* times"
  mem_kb=$(tail -n 1 rss-mem)
  ooc_kb=$(tail -n 1 rss-ooc)
  # The limit counts above the resident size when the cache was enabled (the program, its
  # libraries, OpenBLAS's buffers: about 7-9 MB here), which the report gives in MB; and a margin of
  # 90 MB for what the threads touch between two looks of the governor and the arrays kept out of
  # the cache (the peak varies from run to run: 47-57 MB on one VM, 50-70 MB on another, the same
  # binary, alone; 103 MB once under ctest -j2, when the governor's thread waits for a core; the
  # in-memory run holds 125 MB, which the next check keeps it below).
  start_mb=$(sed -n 's/.*peak resident memory [0-9.]* [MG]B (\([0-9]*\) MB at the start.*/\1/p' "$STDERR")
  echo "peak resident memory: in memory ${mem_kb} kB, out of core ${ooc_kb} kB (${start_mb:-?} MB at the start)"
  check "peak resident memory within the start + 16M + 90 MB" test "$ooc_kb" -lt $(((${start_mb:-0} + 16 + 90) * 1024))
  check "out of core below the in-memory peak" test "$ooc_kb" -lt "$mem_kb"
fi

# The cache never outlives the process: nothing is left in --cache-dir after a success, an error,
# or SIGKILL in the middle of a fit.
mkdir cache
expect_exit 0 "$LOGREG" train data.csv -m c1.json --target y --ignore k,w --memory-limit 1M --cache-dir cache --quiet
expect_dir_listing cache ""
cat data.csv >bad.csv
printf '1.2.3,2,3,4,5,6,red,S,1,lo,1\n' >>bad.csv
expect_exit 1 "$LOGREG" train bad.csv -m c2.json --target y --ignore k,w --memory-limit 1M --cache-dir cache --quiet
expect_stderr_contains "bad.csv:40002:1 (column 'a'): expected a number, found \"1.2.3\""
expect_no_file c2.json
expect_dir_listing cache ""
"$LOGREG" train data.csv -m c3.json --target k --ignore y,w --memory-limit 1M --cache-dir cache --quiet --max-iter 100000 --tol 1e-300 &
pid=$!
sleep 0.5
kill -KILL $pid 2>/dev/null
wait $pid 2>/dev/null
expect_dir_listing cache ""
expect_no_file c3.json

# Errors: a cache directory that is not one, a size that is not one, a disk (file size limit) too
# small for the cache: exit 1 or 2 with the reason, and no model.
expect_exit 1 "$LOGREG" train data.csv -m e1.json --target y --memory-limit 1M --cache-dir no-such-dir
expect_stderr_equals "logreg: error: --cache-dir: cannot make a cache file in 'no-such-dir': No such file or directory"
expect_no_file e1.json
expect_exit 2 "$LOGREG" train data.csv -m e2.json --target y --memory-limit lots
expect_stderr_equals "logreg: --memory-limit: expected a size of at least 1M, such as 512M or 4G, got 'lots'"
expect_exit 2 "$LOGREG" train data.csv -m e2.json --target y --memory-limit 100k
expect_stderr_equals "logreg: --memory-limit: expected a size of at least 1M, such as 512M or 4G, got '100k'"
expect_exit 1 bash -c 'ulimit -f 64; exec "$0" train data.csv -m e3.json --target y --ignore k,w --memory-limit 1M --cache-dir cache' "$LOGREG"
expect_stderr_matches "^logreg: error: out of core: cannot make room for [0-9.]* [kM]B in the cache directory 'cache': File too large \(--cache-dir puts the cache on another disk\)$"
expect_no_file e3.json
expect_dir_listing cache ""

# A launcher's variables without MPI ranks behind them: built with MPI, MPI starts one process (a
# plain run; tests/cli/test_mpi.sh runs real ranks); built without, a fit is refused (every rank
# would fit the whole file and write the same model).
if "$LOGREG" --version | grep -q '^MPI: Open MPI'; then
  expect_exit 0 env OMPI_COMM_WORLD_SIZE=3 "$LOGREG" train data.csv -m r3.json --target y --ignore k,w --quiet
  same_model "the variables of 3 ranks, one process: a plain run" mem1.json r3.json
else
  expect_exit 2 env OMPI_COMM_WORLD_SIZE=3 "$LOGREG" train data.csv -m r3.json --target y
  expect_stderr_equals "logreg: started as one of 3 MPI ranks (OMPI_COMM_WORLD_SIZE), but this logreg was built without MPI: every rank would read the whole data, fit the same model and write it to the same file; run it once, without mpirun, or build logreg with Open MPI (docs/scale-out.md)"
  expect_no_file r3.json
  expect_exit 2 env PMI_SIZE=2 "$LOGREG" cv data.csv --target y --quiet
  expect_stderr_contains "started as one of 2 MPI ranks (PMI_SIZE)"
fi
expect_exit 0 env OMPI_COMM_WORLD_SIZE=1 "$LOGREG" train data.csv -m r1.json --target y --ignore k,w --quiet
same_model "one MPI rank: a plain run" mem1.json r1.json

finish
