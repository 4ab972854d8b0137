# train -> predict -> eval -> inspect through the command line, on the bundled datasets.
source "$(dirname "$0")/lib.sh" "$@"

BC=$DATA/breast_cancer.csv
AD=$DATA/admissions.csv
# Data rows: lines after the header (awk also counts a last line without a newline).
BC_ROWS=$(awk 'END { print NR - 1 }' "$BC")
AD_ROWS=$(awk 'END { print NR - 1 }' "$AD")

# ---- breast cancer: text labels, default settings (L2, C 1, standardised) -----------------------
expect_exit 0 "$LOGREG" train "$BC" --target diagnosis --positive malignant -m bc.json
expect_stdout_empty
expect_stderr_matches '^converged after [0-9]+ newton iterations .*; model written to bc\.json$'
expect_file_exists bc.json
check "the model file is valid JSON" is_valid_json bc.json

expect_exit 0 "$LOGREG" predict "$BC" -m bc.json
expect_stderr_empty
cp "$STDOUT" bc_pred.csv
expect_eq "predict header" "label,probability" "$(head -n 1 bc_pred.csv)"
expect_eq "predict writes one row per input row" "$BC_ROWS" "$(($(wc -l <bc_pred.csv) - 1))"
expect_eq "labels are the original class texts" "benign malignant" \
  "$(tail -n +2 bc_pred.csv | cut -d, -f1 | LC_ALL=C sort -u | tr '\n' ' ' | sed 's/ $//')"
check "every probability is a number in [0, 1]" awk -F, 'NR > 1 && !($2 + 0 >= 0 && $2 + 0 <= 1 && $2 ~ /^[0-9.eE+-]+$/) { bad = 1 } END { exit bad }' bc_pred.csv
check "label is malignant exactly when probability >= 0.5" awk -F, 'NR > 1 && (($2 >= 0.5) != ($1 == "malignant")) { bad = 1 } END { exit bad }' bc_pred.csv
# The first row of the data set is a textbook malignant tumour.
expect_eq "first prediction" "malignant" "$(sed -n 2p bc_pred.csv | cut -d, -f1)"

# -o OUT writes exactly the bytes of standard output.
expect_exit 0 "$LOGREG" predict "$BC" -m bc.json -o bc_pred_o.csv
expect_stdout_empty
expect_same_bytes "-o OUT vs stdout" bc_pred.csv bc_pred_o.csv
expect_exit 0 "$LOGREG" predict "$BC" -m bc.json --output=bc_pred_o2.csv
expect_same_bytes "--output=OUT vs stdout" bc_pred.csv bc_pred_o2.csv

# --proba-only: the probability column alone, same numbers.
expect_exit 0 "$LOGREG" predict "$BC" -m bc.json --proba-only
expect_eq "--proba-only header" "probability" "$(head -n 1 "$STDOUT")"
expect_eq "--proba-only gives the same probabilities" "$(tail -n +2 bc_pred.csv | cut -d, -f2)" "$(tail -n +2 "$STDOUT")"

# --threshold 0: every row is positive; --threshold 1.5 is a usage error.
expect_exit 0 "$LOGREG" predict "$BC" -m bc.json --threshold 0
expect_eq "--threshold 0 labels every row positive" "malignant" "$(tail -n +2 "$STDOUT" | cut -d, -f1 | sort -u)"
expect_eq "--threshold does not change the probabilities" "$(cut -d, -f2 bc_pred.csv)" "$(cut -d, -f2 "$STDOUT")"
expect_exit 2 "$LOGREG" predict "$BC" -m bc.json --threshold 1.5
expect_stderr_equals "logreg: --threshold: expected a number from 0 to 1, got '1.5'"
expect_stdout_empty
expect_exit 2 "$LOGREG" predict "$BC" -m bc.json --threshold -0.1
expect_stderr_equals "logreg: --threshold: expected a number from 0 to 1, got '-0.1'"

# A standard input -> standard output pipeline.
lines=$(cat "$BC" | "$LOGREG" predict -m bc.json | wc -l)
expect_eq "cat data | logreg predict -m M | wc -l" "$((BC_ROWS + 1))" "$lines"
cat "$BC" | "$LOGREG" predict - -m bc.json >stdin_pred.csv
expect_same_bytes "'-' reads standard input" bc_pred.csv stdin_pred.csv

# eval: a table, and JSON with the reference accuracy.
expect_exit 0 "$LOGREG" eval "$BC" -m bc.json
expect_stderr_empty
for row in "rows                  $BC_ROWS" "positive class        'malignant' (212 rows)" "threshold             0.5" \
  "accuracy              0.987698" "precision " "recall (sensitivity) " "specificity " "F1 " "balanced accuracy " \
  "ROC AUC " "average precision " "log loss " "Brier score " "confusion matrix (rows: actual, columns: predicted)"; do
  expect_stdout_contains "$row"
done
expect_stdout_matches '^  benign +355 +2$'
expect_stdout_matches '^  malignant +5 +207$'

expect_exit 0 "$LOGREG" eval "$BC" -m bc.json --json
cp "$STDOUT" bc_eval.json
check "eval --json prints valid JSON" is_valid_json bc_eval.json
check "eval --json accuracy is 0.9876977152899824" grep -qE '^  "accuracy": 0\.9876977152899824,?$' bc_eval.json
expect_stdout_contains '"rows": 569'
expect_stdout_contains '"positive_class": "malignant"'
expect_stdout_contains '"negative_class": "benign"'

# eval --threshold 0: everything predicted positive, so recall 1 and specificity 0.
expect_exit 0 "$LOGREG" eval "$BC" -m bc.json --threshold 0 --json
expect_stdout_contains '"recall": 1.0'
expect_stdout_contains '"specificity": 0.0'

# inspect: the fit report and one line per term.
expect_exit 0 "$LOGREG" inspect -m bc.json
expect_stdout_contains "target       'diagnosis': positive class 'malignant', negative class 'benign'"
expect_stdout_contains "trained on   569 rows (212 'malignant', 357 'benign')"
expect_stdout_matches '^fit +converged after '
expect_stdout_matches '^term +estimate +std\. error +z value +Pr\(>\|z\|\) +2\.5 % +97\.5 % +odds ratio +2\.5 % +97\.5 %$'
expect_stdout_matches '^\(Intercept\) +-?[0-9]'
for f in $(head -n 1 "$BC" | tr ',' ' '); do
  [ "$f" = diagnosis ] && continue
  expect_stdout_matches "^$f +-?[0-9]"
done
expect_stdout_not_contains "WARNING"
expect_exit 0 "$LOGREG" inspect -m bc.json --json
cp "$STDOUT" bc_inspect.json
check "inspect --json prints valid JSON" is_valid_json bc_inspect.json
expect_stdout_contains '"term": "(Intercept)"'

# ---- admissions: 0/1 labels, no penalty ---------------------------------------------------------
expect_exit 0 "$LOGREG" train "$AD" --target admit --penalty none -m ad.json
expect_stdout_empty
expect_exit 0 "$LOGREG" predict "$AD" -m ad.json
cp "$STDOUT" ad_pred.csv
expect_eq "admissions: header" "label,probability" "$(head -n 1 ad_pred.csv)"
expect_eq "admissions: one row per input row" "$AD_ROWS" "$(($(wc -l <ad_pred.csv) - 1))"
expect_eq "admissions: labels are 0 and 1" "0 1" "$(tail -n +2 ad_pred.csv | cut -d, -f1 | sort -u | tr '\n' ' ' | sed 's/ $//')"
expect_exit 0 "$LOGREG" eval "$AD" -m ad.json
expect_stdout_contains "positive class        '1' (127 rows)"
expect_stdout_contains "accuracy              "
expect_exit 0 "$LOGREG" eval "$AD" -m ad.json --json
cp "$STDOUT" ad_eval.json
check "admissions: eval --json is valid JSON" is_valid_json ad_eval.json
expect_exit 0 "$LOGREG" inspect -m ad.json
expect_stdout_contains "settings     penalty none, intercept yes"
expect_stdout_matches '^\(Intercept\) +-?[0-9]'
for term in gre gpa rank; do
  expect_stdout_matches "^$term +-?[0-9]"
done

# ---- --keep: kept columns first, quoted as CSV needs ------------------------------------------------
printf '%s\n' 'name,x,y' '"Smith, J",1.5,no' '"say ""hi""",0.5,yes' 'plain,2.5,no' '"two' 'lines",0.1,yes' >keep.csv
expect_exit 0 "$LOGREG" train keep.csv --ignore name --target y -m keep.json --quiet
expect_exit 0 "$LOGREG" predict keep.csv -m keep.json --keep name,y
expect_eq "--keep output rows" 6 "$(wc -l <"$STDOUT")"
expect_eq "--keep header" "name,y,label,probability" "$(head -n 1 "$STDOUT")"
expect_stdout_matches '^"Smith, J",no,(no|yes),[0-9.e-]+$'
expect_stdout_matches '^"say ""hi""",yes,(no|yes),[0-9.e-]+$'
expect_stdout_matches '^plain,no,(no|yes),[0-9.e-]+$'
expect_stdout_matches '^"two$'
expect_stdout_matches '^lines",yes,(no|yes),[0-9.e-]+$'
# A kept column whose *name* needs quoting. (A name with a comma cannot be given to --keep,
# which splits on commas; see the report.)
printf '%s\n' '"say ""x""",x,y' 'a,1,no' 'b,2,yes' 'c,3,no' 'd,2.5,yes' >keephead.csv
expect_exit 0 "$LOGREG" train keephead.csv --features x -m keephead.json --quiet
expect_exit 0 "$LOGREG" predict keephead.csv -m keephead.json --keep 'say "x"' --proba-only
expect_eq "--keep quotes a header name" '"say ""x""",probability' "$(head -n 1 "$STDOUT")"
expect_eq "--keep with --proba-only" "a," "$(sed -n 2p "$STDOUT" | cut -c1-2)"

# ---- column order does not matter; extra columns are ignored -----------------------------------
# Reverse the columns of the breast cancer file and append a column the model does not know.
awk -F, 'BEGIN { OFS = "," } { s = $NF; for (i = NF - 1; i >= 1; i--) s = s "," $i; print s, (NR == 1 ? "extra" : "zz" NR) }' "$BC" >reordered.csv
expect_exit 0 "$LOGREG" predict reordered.csv -m bc.json
expect_same_bytes "reordered columns + an extra column" bc_pred.csv "$STDOUT"

# ---- dialects: tab delimiter, CRLF, CR-only, BOM ------------------------------------------------
tr ',' '\t' <"$BC" >bc.tsv
expect_exit 0 "$LOGREG" predict bc.tsv -m bc.json --delimiter tab
expect_same_bytes "--delimiter tab" bc_pred.csv "$STDOUT"
expect_exit 0 "$LOGREG" predict bc.tsv -m bc.json --delimiter '\t'
expect_same_bytes "--delimiter '\\t'" bc_pred.csv "$STDOUT"
expect_exit 0 "$LOGREG" train bc.tsv --delimiter tab --target diagnosis --positive malignant -m bc_tsv.json --quiet
expect_exit 0 "$LOGREG" predict "$BC" -m bc_tsv.json
expect_same_bytes "a model trained on the TSV predicts as the CSV one" bc_pred.csv "$STDOUT"

sed 's/$/\r/' "$BC" >bc_crlf.csv
expect_exit 0 "$LOGREG" predict bc_crlf.csv -m bc.json
expect_same_bytes "CRLF line ends" bc_pred.csv "$STDOUT"
tr '\n' '\r' <"$BC" >bc_cr.csv
expect_exit 0 "$LOGREG" predict bc_cr.csv -m bc.json
expect_same_bytes "CR-only line ends" bc_pred.csv "$STDOUT"
{ printf '\357\273\277'; cat "$BC"; } >bc_bom.csv
expect_exit 0 "$LOGREG" predict bc_bom.csv -m bc.json
expect_same_bytes "UTF-8 byte order mark" bc_pred.csv "$STDOUT"
{ printf '\357\273\277'; sed 's/$/\r/' "$BC"; } >bc_bom_crlf.csv
expect_exit 0 "$LOGREG" eval bc_bom_crlf.csv -m bc.json --json
expect_same_bytes "eval on BOM + CRLF" bc_eval.json "$STDOUT"
# The same dialects for training give the same model coefficients.
expect_exit 0 "$LOGREG" train bc_bom_crlf.csv --target diagnosis --positive malignant -m bc_bom_crlf.json --quiet
expect_exit 0 "$LOGREG" predict "$BC" -m bc_bom_crlf.json
expect_same_bytes "a model trained on BOM + CRLF predicts as the LF one" bc_pred.csv "$STDOUT"

finish
