"""CSV files of one data set written the ways pandas, numpy and R write numbers, and plain-decimal
files of exactly the same size, for scripts/bench_ingest_formats.

The data are the benchmark's `medium` case (500,000 x 50, datagen.chunks: values rounded to about
six significant digits, labels 0/1). Files, each with the header x1..x50,y:

  plain      datagen's own file (fixed decimals per column, e.g. -0.20346): the ingest benchmark's file
  exp749     plain with 749 cells (chosen by a fixed seed) written in exponent notation instead, the
             same value (-0.20346 -> -2.0346e-01): a file that is nearly all plain decimals
  pandas17   '%.17g' (pandas' to_csv(float_format='%.17g'), R's format(digits = 17)): 17
             significant digits (-0.20346000000000001); the columns x10, x20, ..., x50 are scaled
             by 1e-6 so that a tenth of the cells are in exponent notation (-2.0346000000000001e-07)
  numpy18e   '%.18e' (numpy.savetxt's default): 19 significant digits, every cell with an exponent
             (-2.034600000000000075e-01)
  r15        '%.15g' (R's write.csv: 15 significant digits), same scaling as pandas17
  NAME-plain for NAME in pandas17, numpy18e, r15: every cell replaced by a plain decimal of the same
             length and sign (at most 19 significant digits: d.ddd or 0.000ddd), so the file has
             exactly the size of NAME, cell for cell: the comparison for NAME's rate in MB/s.
  quoteall   plain with every cell and the header in double quotes (pandas' to_csv(quoting=
             csv.QUOTE_ALL), R's write.csv for text columns): "-0.20346","1"
  quoteall-plain  its twin: each quoted feature cell replaced by a plain decimal of the same length
             (quotes included), each label "1" by " 1 " (a label of its own, as long)

Everything is deterministic (fixed seeds), written once and reused while the generator version and
the sizes match (a .meta.json next to each file).
"""

import json
import os

import numpy as np

from . import datagen

VERSION = 1
N, D = 500_000, 50
EXPONENT_CELLS = 749
FORMATS = {"pandas17": "%.17g", "numpy18e": "%.18e", "r15": "%.15g"}
NAMES = ["plain", "exp749"] + [f for f in FORMATS] + [f + "-plain" for f in FORMATS] + ["quoteall", "quoteall-plain"]


def _header():
    return (",".join(f"x{j + 1}" for j in range(D)) + ",y\n").encode()


def _values():
    """(x, y) per chunk: the medium case's values, columns x10, x20, ... scaled by 1e-6."""
    scale = np.ones(D)
    scale[9::10] = 1e-6
    for k, decimals, y in datagen.chunks(N, D):
        yield (k / 10.0 ** decimals) * scale, y


def _formatted(fmt):
    row = ",".join([fmt] * D) + ",%d\n"
    for x, y in _values():
        yield "".join(row % (tuple(r) + (int(c),)) for r, c in zip(x.tolist(), y)).encode()


def _plain_twin(buf):
    """buf (whole records) with every feature cell replaced by a plain decimal of the same length and
    sign: digits with the point after the first 1-3 (bodies of 3-20 bytes), 0.000ddd with 19
    significant digits (21 bytes and more), digits only (1-2 bytes). Labels stay."""
    a = np.frombuffer(buf, dtype=np.uint8).copy()
    sep = (a == ord(",")) | (a == ord("\n"))
    ends = np.flatnonzero(sep)                       # one separator after each cell
    starts = np.concatenate(([0], ends[:-1] + 1))
    feature = (np.arange(ends.size) % (D + 1)) != D  # the label is the last cell of a record
    starts, ends = starts[feature], ends[feature]
    neg = a[starts] == ord("-")
    body = starts + neg
    length = ends - body
    rng = np.random.default_rng(len(buf))
    cell = np.repeat(np.arange(body.size), length)   # per body byte: its cell
    offset = np.arange(cell.size) - np.repeat(np.cumsum(length) - length, length)
    pos = body[cell] + offset
    digits = 48 + rng.integers(0, 10, cell.size, dtype=np.uint8)
    nonzero = 49 + rng.integers(0, 9, cell.size, dtype=np.uint8)
    L = length[cell]
    point = np.minimum(1 + cell % 3, L - 2)           # bodies of 3-20 bytes: the point's offset
    out = np.where(offset == 0, nonzero, digits)
    short = L <= 20
    out = np.where(short & (L >= 3) & (offset == point), ord("."), out)
    long_ = ~short                                    # 0.000ddd: B - 21 zeros after the point
    out = np.where(long_ & (offset == 0), ord("0"), out)
    out = np.where(long_ & (offset == 1), ord("."), out)
    out = np.where(long_ & (offset >= 2) & (offset < L - 19), ord("0"), out)
    out = np.where(long_ & (offset == L - 19), nonzero, out)
    a[pos] = out.astype(np.uint8)
    return a.tobytes()


def _exponent_variant(plain_path, out):
    """plain with EXPONENT_CELLS feature cells in exponent notation (same value, same digits)."""
    rng = np.random.default_rng(749)
    rows = rng.choice(N, EXPONENT_CELLS, replace=False)
    cols = rng.integers(0, D, EXPONENT_CELLS)
    todo = {}
    for r, c in zip(rows.tolist(), cols.tolist()):
        todo.setdefault(r, []).append(c)
    with open(plain_path, "rb") as f:
        out.write(f.readline())
        for i, line in enumerate(f):
            if i in todo:
                cells = line.decode().rstrip("\n").split(",")
                for c in todo[i]:
                    t = cells[c]
                    sig = len(t.lstrip("-").replace(".", "").lstrip("0")) or 1
                    cells[c] = f"{float(t):.{sig - 1}e}"
                line = (",".join(cells) + "\n").encode()
            out.write(line)


def ensure(data_dir, name, log=print):
    """Path of file NAME in data_dir, written unless an identical one is there."""
    os.makedirs(data_dir, exist_ok=True)
    path = os.path.join(data_dir, f"{name}-{N}x{D}.csv")
    meta_path = path[:-4] + ".meta.json"
    want = {"version": VERSION, "datagen": datagen.GENERATOR_VERSION, "rows": N, "features": D, "name": name}
    try:
        with open(meta_path) as f:
            have = json.load(f)
        if all(have.get(k) == v for k, v in want.items()) and os.path.getsize(path) == have["bytes"]:
            return path
    except (OSError, ValueError, KeyError):
        pass
    log(f"  writing {path} ...")
    tmp = path + ".tmp"
    with open(tmp, "wb") as out:
        if name == "plain":
            out.write(_header())
            for k, decimals, y in datagen.chunks(N, D):
                out.write(datagen.format_csv(k, decimals, y))
        elif name == "exp749":
            _exponent_variant(ensure(data_dir, "plain", log), out)
        elif name in FORMATS:
            out.write(_header())
            for buf in _formatted(FORMATS[name]):
                out.write(buf)
        elif name == "quoteall":
            with open(ensure(data_dir, "plain", log), "rb") as f:
                for line in f:
                    out.write(b'"' + line.rstrip(b"\n").replace(b",", b'","') + b'"\n')
        elif name.endswith("-plain") and (name[:-6] in FORMATS or name == "quoteall-plain"):
            # the twin, block by block of whole records; quoteall's labels "1" become " 1 "
            unquote = name == "quoteall-plain"
            with open(ensure(data_dir, name[:-6], log), "rb") as f:
                out.write(f.readline())
                rest = b""
                while True:
                    block = f.read(16 << 20)
                    if not block:
                        break
                    block = rest + block
                    cut = block.rfind(b"\n") + 1
                    twin = _plain_twin(block[:cut])
                    out.write(twin.replace(b'"', b" ") if unquote else twin)
                    rest = block[cut:]
        else:
            raise ValueError(f"unknown file {name}; known: {', '.join(NAMES)}")
    os.replace(tmp, path)
    with open(meta_path, "w") as f:
        json.dump(dict(want, bytes=os.path.getsize(path)), f)
    return path
