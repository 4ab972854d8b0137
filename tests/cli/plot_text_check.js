// Loaded by tests/cli/test_plots_render.sh into a page holding every plot inline, each in a
// <div data-file=NAME>: the <text> elements' boxes, as the browser laid them out, must lie inside the
// picture and not overlap one another. The verdict goes into the page as a pre element (read by --dump-dom).
const out = [];
for (const div of document.querySelectorAll("div[data-file]")) {
  const svg = div.querySelector("svg"), file = div.dataset.file;
  const frame = svg.getBoundingClientRect();
  const boxes = [...svg.querySelectorAll("text")].map(t => ({ text: t.textContent, r: t.getBoundingClientRect() }));
  for (const b of boxes)
    if (b.r.left < frame.left - 0.5 || b.r.top < frame.top - 0.5 || b.r.right > frame.right + 0.5 || b.r.bottom > frame.bottom + 0.5)
      out.push(`${file}: '${b.text}' runs off the picture`);
  const shrink = 1.5;  // font boxes include some leading: overlapping by less is not visible
  for (let i = 0; i < boxes.length; ++i)
    for (let j = i + 1; j < boxes.length; ++j) {
      const a = boxes[i].r, b = boxes[j].r;
      if (a.left + shrink < b.right - shrink && b.left + shrink < a.right - shrink &&
          a.top + shrink < b.bottom - shrink && b.top + shrink < a.bottom - shrink)
        out.push(`${file}: '${boxes[i].text}' overlaps '${boxes[j].text}'`);
    }
  out.push(`${file}: ${boxes.length} texts checked`);
}
const pre = document.createElement("pre");
pre.id = "verdict";
pre.textContent = out.join("\n");
document.body.appendChild(pre);
