# Every plot rendered in headless Chromium (scripts/render-plots: eval on breast cancer and iris, cv
# L2 and elastic net, path L1 and L2) and checked:
#   - each PNG (tests/cli/plot_check.py): the SVG parses as XML; the PNG has the SVG's size; there is
#     ink in the title band, left of and below the plot area (ticks, axis names) and in the legend;
#     coloured pixels (the data) inside the plot area; nothing on the image's 2-pixel border;
#   - the text as Chromium laid it out (tests/cli/plot_text_check.js, one page with every plot): no
#     two <text> boxes overlap, none runs off the picture;
#   - the checks can fail: a plot without its data, and one with a text over the title and one off
#     the edge, are caught.
# Skipped (exit 77, with the reason) when Chromium or python3 is missing: both are development
# dependencies (scripts/install-deps --dev), not build ones.
source "$(dirname "$0")/lib.sh" "$@"
BROWSER=${CHROMIUM:-}
if [ -z "$BROWSER" ]; then
  for b in chromium chromium-browser google-chrome; do
    if command -v "$b" >/dev/null 2>&1; then BROWSER=$b; break; fi
  done
fi
if [ -z "$BROWSER" ]; then
  echo "skipped: no chromium (scripts/install-deps --dev installs it; CHROMIUM=... names another binary)"
  exit 77
fi
if ! command -v python3 >/dev/null 2>&1; then
  echo "skipped: no python3 (to read the PNGs)"
  exit 77
fi
CHECK=$REPO/tests/cli/plot_check.py
export CHROMIUM=$BROWSER

# render-plots fits and renders ten plots: more than lib.sh's 60 s per command on a busy machine.
LAST_CMD="scripts/render-plots"
timeout 900 sh "$REPO/scripts/render-plots" "$LOGREG" out >"$STDOUT" 2>"$STDERR"
RC=$?
if [ "$RC" -eq 0 ]; then pass; else fail "scripts/render-plots failed"; fi
expect_eq "rendered PNGs" "cv-elasticnet.png cv.png eval-binary-calibration.png eval-binary-pr.png eval-binary-roc.png \
eval-iris-calibration.png eval-iris-pr.png eval-iris-roc.png path-iris.png path.png" "$(cd out && echo *.png)"

for svg in out/*.svg; do
  png=${svg%.svg}.png
  if result=$(python3 "$CHECK" "$svg" "$png" 2>&1); then pass; else fail "$png" "$result"; fi
done

# text_page OUT SVG...: one HTML page with the SVGs inline and the text check.
text_page() {
  local page=$1 f
  shift
  {
    echo '<!DOCTYPE html><html><head><meta charset="utf-8"></head><body style="margin:0">'
    for f in "$@"; do
      echo "<div data-file=\"$(basename "$f")\">"
      sed 1d "$f"  # without the XML declaration
      echo "</div>"
    done
    echo "<script>"
    cat "$REPO/tests/cli/plot_text_check.js"
    echo "</script></body></html>"
  } >"$page"
}
# verdict PAGE: the check's lines.
verdict() {
  timeout 300 "$BROWSER" --headless --disable-gpu --no-sandbox --user-data-dir="$BASE/profile" --dump-dom \
    "file://$PWD/$1" 2>/dev/null | sed -n '/<pre id="verdict">/,/<\/pre>/p' | sed 's/<[^>]*>//g' | grep -v '^$'
}
text_page texts.html out/*.svg
verdict texts.html >texts.txt
for svg in out/*.svg; do
  name=$(basename "$svg")
  if grep -q "^$name: [0-9]* texts checked$" texts.txt; then pass; else fail "$name: the text check did not run"; fi
done
if grep -v ' texts checked$' texts.txt >problems.txt; then fail "text laid out badly" "$(cat problems.txt)"; else pass; fi

# ---- the checks can fail ---------------------------------------------------------------------------
# The data removed from the L2 cv plot (paths and markers inside the clipped group): no coloured pixels.
awk '/<g clip-path=/ { skip = 1 } skip && /^<\/g>$/ { skip = 0; next } !skip' out/cv.svg >nodata.svg
"$BROWSER" --headless --disable-gpu --no-sandbox --hide-scrollbars --user-data-dir="$BASE/profile" \
  --screenshot="$PWD/nodata.png" --window-size=800,600 "file://$PWD/nodata.svg" >/dev/null 2>&1
if result=$(python3 "$CHECK" nodata.svg nodata.png 2>&1); then
  fail "a plot without data passes the PNG check"
else
  expect_eq "the PNG check's complaint" "nodata.png: no data drawn in the plot area (0 coloured pixels)" "$result"
fi
# A text over the title and one off the right edge.
sed 's#</svg>#<text x="400" y="34" font-size="18">OVER</text><text x="790" y="300">OFF</text></svg>#' out/cv.svg >bad.svg
text_page bad.html bad.svg
expect_eq "the text check's complaints" "bad.svg: 'OFF' runs off the picture
bad.svg: 'Cross-validation: log-loss against C' overlaps 'OVER'
bad.svg: 15 texts checked" "$(verdict bad.html)"
finish
