# eval --plot DIR, cv --plot FILE.svg, path --plot FILE.svg: the files exist, are well-formed XML
# (xmllint when installed, else a structural check), carry the expected titles and legend entries,
# are the same bytes for the same input; errors and their exit codes. Rendering: test_plots_render.sh.
source "$(dirname "$0")/lib.sh" "$@"
BC=$DATA/breast_cancer.csv
IRIS=$DATA/iris.csv

# well_formed FILE: an SVG document that an XML parser accepts.
well_formed() {
  if command -v xmllint >/dev/null 2>&1; then
    xmllint --noout "$1" 2>/dev/null
  else  # the writer's shape: declaration, one svg element, balanced tags, only the five entities
    head -n 1 "$1" | grep -qF '<?xml version="1.0" encoding="UTF-8"?>' &&
      sed -n 2p "$1" | grep -q '^<svg xmlns="http://www.w3.org/2000/svg"' &&
      [ "$(tail -n 1 "$1")" = "</svg>" ] &&
      ! grep -qE '&([^alqg#]|a[^mp]|l[^t]|g[^t]|q[^u])' "$1" &&
      [ "$(grep -o '<[a-zA-Z]' "$1" | wc -l)" -ge "$(grep -o '</[a-zA-Z]' "$1" | wc -l)" ]
  fi
}
expect_svg() {  # expect_svg FILE TEXT...: well-formed and containing every TEXT
  local f=$1 t
  shift
  if [ -s "$f" ] && well_formed "$f"; then pass; else fail "$f is not a well-formed SVG document"; return; fi
  for t in "$@"; do
    if grep -qF -- "$t" "$f"; then pass; else fail "$f does not contain: $t"; fi
  done
  if grep -qiE '="[^"]*(nan|inf)' "$f"; then fail "$f has a non-finite number"; else pass; fi
}

expect_exit 0 "$LOGREG" train "$BC" --target diagnosis -m bc.json --quiet
expect_exit 0 "$LOGREG" train "$IRIS" --target species -m iris.json --quiet

# ---- eval --plot DIR: binary ---------------------------------------------------------------------
expect_exit 0 "$LOGREG" eval "$BC" -m bc.json
cp "$STDOUT" plain.txt
expect_exit 0 "$LOGREG" eval "$BC" -m bc.json --plot out/bc
expect_same_bytes "--plot leaves eval's table as it was" plain.txt "$STDOUT"
expect_stderr_contains "plots written to out/bc/{roc,pr,calibration}.svg"
expect_dir_listing out/bc "calibration.svg
pr.svg
roc.svg"
auc=$(grep -m 1 '^ROC AUC' plain.txt | awk '{ printf "%.4f", $3 }')
ap=$(grep -m 1 '^average precision' plain.txt | awk '{ printf "%.4f", $3 }')
expect_svg out/bc/roc.svg "<title>ROC curve</title>" "AUC $auc" ">chance<" "false positive rate" "positive class &apos;malignant&apos;"
expect_svg out/bc/pr.svg "<title>Precision-recall curve</title>" "AP $ap" "no skill" ">recall<" ">precision<"
expect_svg out/bc/calibration.svg "<title>Calibration (reliability diagram)</title>" "perfectly calibrated" "ECE 0.0" "10 equal-width bins"
expect_exit 0 "$LOGREG" eval "$BC" -m bc.json --plot out/again --bins 5 --quiet
expect_stderr_empty
expect_same_bytes "the same ROC plot twice" out/bc/roc.svg out/again/roc.svg
expect_same_bytes "the same PR plot twice" out/bc/pr.svg out/again/pr.svg
check "--bins reaches the calibration plot" grep -qF "5 equal-width bins" out/again/calibration.svg
# replaced when present, no temporary files left
expect_exit 0 "$LOGREG" eval "$BC" -m bc.json --plot out/bc/ --quiet
expect_dir_listing out/bc "calibration.svg
pr.svg
roc.svg"

# ---- eval --plot DIR: K classes, one curve per class ----------------------------------------------
expect_exit 0 "$LOGREG" eval "$IRIS" -m iris.json --plot iris --quiet
expect_svg iris/roc.svg "setosa (AUC 1.0000)" "versicolor (AUC" "virginica (AUC" "3 classes (each against the rest)"
expect_svg iris/pr.svg "setosa (AP 1.0000)" "virginica (AP"
expect_svg iris/calibration.svg "setosa (ECE" "versicolor (ECE" "virginica (ECE"
expect_exit 2 "$LOGREG" eval "$IRIS" -m iris.json --calibration --plot iris2
expect_stderr_equals "logreg: --calibration: applies to two-class models; this one has 3 classes"
expect_no_file iris2

# ---- eval --plot: errors --------------------------------------------------------------------------
echo text >afile
expect_exit 1 "$LOGREG" eval "$BC" -m bc.json --plot afile
expect_stderr_equals "logreg: error: afile: not a directory"
expect_stdout_empty
expect_exit 1 "$LOGREG" eval "$BC" -m bc.json --plot afile/sub
expect_stderr_matches "^logreg: error: afile/sub: cannot create the directory: "
expect_exit 2 "$LOGREG" eval "$BC" -m bc.json --bins 5
expect_stderr_equals "logreg: --bins: applies only with --calibration or --plot"

# ---- cv --plot ------------------------------------------------------------------------------------
expect_exit 0 "$LOGREG" cv "$BC" --target diagnosis --C-count 8 --plot cv.svg --quiet
chosen=$(grep -m 1 '^chosen: C = ' "$STDOUT" | sed -E 's/^chosen: C = ([^ ]*).*/\1/')
expect_svg cv.svg "<title>Cross-validation: log-loss against C</title>" "log-loss (lower is better), mean over 5 folds ± se" \
  "chosen C = " "class=\"error-bars\"" "C (inverse regularisation strength, log scale)" ">mean ± se<"
check "cv plot marks the chosen C ($chosen)" test -n "$chosen"
expect_exit 0 "$LOGREG" cv "$BC" --target diagnosis --C-count 8 --plot cv2.svg --quiet
expect_same_bytes "the same cv plot twice" cv.svg cv2.svg
expect_exit 0 "$LOGREG" cv "$BC" --target diagnosis --penalty elasticnet --l1-ratio-grid 0.2,0.8 --C-count 6 \
  --metric roc-auc --rule 1se --plot enet.svg --quiet
expect_svg enet.svg "l1 ratio 0.2" "l1 ratio 0.8" "roc-auc (higher is better)" "best - 1 se" ", l1 ratio "
expect_exit 1 "$LOGREG" cv "$BC" --target diagnosis --C-count 3 --plot nodir/cv.svg --quiet
expect_stderr_matches "^logreg: error: nodir/cv.svg: cannot write"
expect_exit 2 "$LOGREG" cv "$BC" --target diagnosis --plot -
expect_stderr_equals "logreg: --plot: give a file name"

# ---- path --plot ----------------------------------------------------------------------------------
expect_exit 0 "$LOGREG" path "$BC" --target diagnosis --penalty l1 --C-count 12 -o path.csv --plot path.svg --quiet
expect_eq "path still writes its CSV" "13" "$(wc -l <path.csv)"
expect_svg path.svg "<title>Coefficient paths</title>" "l1 penalty, 30 terms" "smaller ones in grey" "standardised coefficient"
expect_exit 0 "$LOGREG" path "$BC" --target diagnosis --penalty l1 --C-count 12 --plot path2.svg --quiet
cmp -s path.csv "$STDOUT" && pass || fail "path --plot: the CSV to standard output as with -o"
expect_same_bytes "the same path plot twice" path.svg path2.svg
expect_exit 0 "$LOGREG" path "$IRIS" --target species --C-count 5 --plot ipath.svg --quiet
expect_svg ipath.svg "x 3 classes" "(setosa)"
# names from the data are escaped
printf 'a<b>,c&d,"e""f",y\n1,2,3,0\n2,1,3,1\n3,3,1,0\n4,2,2,1\n5,5,1,0\n6,1,4,1\n2,2,2,0\n3,1,5,1\n' >odd.csv
expect_exit 0 "$LOGREG" path odd.csv --target y --C-count 3 --plot odd.svg -o odd.path.csv --quiet
expect_svg odd.svg "a&lt;b&gt;" "c&amp;d" "e&quot;f"

finish
