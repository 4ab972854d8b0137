# Every plot rendered in headless Chromium (scripts/render-plots): a PNG of 800 x 600 pixels with
# something drawn on it. Skipped (exit 77) when Chromium is not installed: it is a development
# dependency (scripts/install-deps --dev), not a build or CI one.
source "$(dirname "$0")/lib.sh" "$@"
if ! command -v chromium >/dev/null 2>&1 && ! command -v chromium-browser >/dev/null 2>&1 &&
  ! command -v google-chrome >/dev/null 2>&1 && [ -z "${CHROMIUM:-}" ]; then
  echo "skipped: chromium is not installed"
  exit 77
fi
expect_exit 0 sh "$REPO/scripts/render-plots" "$LOGREG" out
expect_eq "rendered PNGs" "10" "$(ls out/*.png | wc -l)"
for svg in out/*.svg; do
  png=${svg%.svg}.png
  # The IHDR chunk: width and height, big-endian, at bytes 16-23.
  size=$(od -An -tu1 -j16 -N8 "$png" | awk '{ printf "%d x %d", $1 * 16777216 + $2 * 65536 + $3 * 256 + $4, $5 * 16777216 + $6 * 65536 + $7 * 256 + $8 }')
  expect_eq "$png: size" "800 x 600" "$size"
  # A blank page compresses to a few kilobytes; axes, text and curves to tens.
  bytes=$(wc -c <"$png")
  if [ "$bytes" -gt 15000 ]; then pass; else fail "$png: $bytes bytes, nothing drawn?"; fi
done
finish
