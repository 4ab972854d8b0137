#!/usr/bin/env python3
"""Checks a plot's SVG and the PNG headless Chromium made of it (tests/cli/test_plots_render.sh).

    python3 plot_check.py FILE.svg FILE.png

The SVG must parse as XML, with an <svg> root of the PNG's width and height and the plot area's clip
rectangle. In the PNG (8-bit RGB or RGBA, decoded here with zlib alone):
  - some of every region holds ink: the title band above the plot area, the tick labels and the axis
    name left of it and below it; the legend right of it when the SVG has one;
  - the plot area holds coloured pixels (the data: curves and markers are drawn in colour, the grid,
    the frame and the reference lines in grey);
  - a 2-pixel border around the image is background (nothing drawn off the edge, e.g. a long label);
  - the picture is not the same colour everywhere.
Prints one line per failed check and exits 1 when any failed.
"""
import struct
import sys
import xml.etree.ElementTree as ET
import zlib

SVG_NS = "{http://www.w3.org/2000/svg}"


def read_png(path):
    with open(path, "rb") as f:
        data = f.read()
    if data[:8] != b"\x89PNG\r\n\x1a\n":
        raise ValueError("not a PNG file")
    pos, idat, header = 8, [], None
    while pos < len(data):
        length, kind = struct.unpack(">I4s", data[pos:pos + 8])
        body = data[pos + 8:pos + 8 + length]
        if kind == b"IHDR":
            header = struct.unpack(">IIBBBBB", body)
        elif kind == b"IDAT":
            idat.append(body)
        elif kind == b"IEND":
            break
        pos += 12 + length
    width, height, depth, color, _, _, interlace = header
    if depth != 8 or color not in (2, 6) or interlace != 0:
        raise ValueError(f"unsupported PNG: bit depth {depth}, colour type {color}, interlace {interlace}")
    bpp = 3 if color == 2 else 4
    raw = zlib.decompress(b"".join(idat))
    stride = width * bpp
    rows, prev = [], bytearray(stride)
    for y in range(height):
        start = y * (stride + 1)
        kind, line = raw[start], bytearray(raw[start + 1:start + 1 + stride])
        for i in range(stride):
            a = line[i - bpp] if i >= bpp else 0
            b = prev[i]
            c = prev[i - bpp] if i >= bpp else 0
            if kind == 1:
                line[i] = (line[i] + a) & 255
            elif kind == 2:
                line[i] = (line[i] + b) & 255
            elif kind == 3:
                line[i] = (line[i] + (a + b) // 2) & 255
            elif kind == 4:
                p = a + b - c
                pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                line[i] = (line[i] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 255
        rows.append(bytes(line))
        prev = line
    return width, height, bpp, rows


def main():
    svg_path, png_path = sys.argv[1], sys.argv[2]
    failures = []
    try:
        root = ET.parse(svg_path).getroot()
    except ET.ParseError as e:
        print(f"{svg_path}: not well-formed XML: {e}")
        return 1
    if root.tag != SVG_NS + "svg":
        print(f"{svg_path}: the root element is {root.tag}, not svg")
        return 1
    W, H = int(root.get("width")), int(root.get("height"))
    clip = root.find(f"{SVG_NS}defs/{SVG_NS}clipPath/{SVG_NS}rect")
    x0, y0 = float(clip.get("x")), float(clip.get("y"))
    x1, y1 = x0 + float(clip.get("width")), y0 + float(clip.get("height"))
    has_legend = root.find(f"{SVG_NS}g[@class='legend']") is not None

    width, height, bpp, rows = read_png(png_path)
    if (width, height) != (W, H):
        print(f"{png_path}: {width} x {height} pixels, the SVG is {W} x {H}")
        return 1

    def pixel(x, y):
        r = rows[y]
        return r[x * bpp], r[x * bpp + 1], r[x * bpp + 2]

    def ink(p):  # darker than the light grey of the grid lines
        return sum(p) < 3 * 160

    def coloured(p):  # neither white nor grey
        return max(p) - min(p) > 60

    def count(test, xa, ya, xb, yb):
        xa, ya, xb, yb = max(0, int(xa)), max(0, int(ya)), min(width, int(xb)), min(height, int(yb))
        return sum(1 for y in range(ya, yb) for x in range(xa, xb) if test(pixel(x, y)))

    background = pixel(0, 0)
    regions = [("the title band", 0, 0, W, y0 - 4),
               ("the y-axis ticks and name", 0, y0, x0 - 3, y1),
               ("the x-axis ticks and name", x0, y1 + 3, x1, H)]
    if has_legend:
        regions.append(("the legend", x1 + 3, y0, W, y1))
    for name, xa, ya, xb, yb in regions:
        n = count(ink, xa, ya, xb, yb)
        if n < 100:
            failures.append(f"{png_path}: {name} is empty ({n} dark pixels)")
    n = count(coloured, x0 + 2, y0 + 2, x1 - 2, y1 - 2)
    if n < 200:
        failures.append(f"{png_path}: no data drawn in the plot area ({n} coloured pixels)")
    edge = [(x, y) for y in range(height) for x in range(width)
            if x < 2 or y < 2 or x >= width - 2 or y >= height - 2]
    off = sum(1 for x, y in edge if pixel(x, y) != background)
    if off > 0:
        failures.append(f"{png_path}: {off} pixels drawn on the image's border (something runs off the edge?)")
    if all(pixel(x, y) == background for y in range(0, height, 7) for x in range(0, width, 7)):
        failures.append(f"{png_path}: blank")
    for f in failures:
        print(f)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
