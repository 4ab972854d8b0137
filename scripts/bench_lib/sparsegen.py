"""Deterministic synthetic sparse data for the `sparse` case, in libsvm format.

n rows x d features, exactly k non-zeros per row (density k / d):

    the k column indices of a row: distinct, uniform over 1 .. d (drawn, duplicates redrawn)
    x_ij = v / 1000, v uniform on 1 .. 1000       (positive values in (0, 1], as tf-idf weights)
    P(y_i = 1) = sigmoid(b* + x_i.w*),  w*_j ~ N(0, 12 / k),  b* = -k / 4 * mean(w*)

so the linear predictor has a standard deviation of about 2 (E x^2 = 1/3: k/3 * 12/k = 4) and the
classes overlap; b* roughly centres it. Labels are 0 / 1.

The values are written with three decimals ("0.123", "1.000"): v / 1000 computed in double is
the correctly rounded value of that decimal, so the CSR matrix regenerated here (load_csr) is
exactly what every tool parses from the file.
"""

import json
import os

import numpy as np

GENERATOR_VERSION = 1
BASE_SEED = 20240612
CHUNK_NNZ = 2_000_000  # rows per chunk = max(1, CHUNK_NNZ // k): fixed, so the streams are fixed


def _rows_per_chunk(k):
    return max(1, CHUNK_NNZ // k)


def chunks(n, d, k):
    """Yield (idx, v, y) per row chunk: idx (m x k, 0-based, increasing in each row), v (m x k
    integers 1..1000, x = v / 1000), y (m, 0/1)."""
    if not 1 <= k <= d:
        raise ValueError(f"non-zeros per row must be 1 to {d}, got {k}")
    rng = np.random.default_rng([BASE_SEED, n, d, k])
    w_true = rng.normal(0.0, np.sqrt(12.0 / k), d)
    b_true = -k / 4.0 * float(w_true.mean())
    rows = _rows_per_chunk(k)
    for start in range(0, n, rows):
        m = min(rows, n - start)
        idx = np.sort(rng.integers(0, d, size=(m, k)), axis=1)
        while True:  # redraw duplicates until every row holds k distinct indices
            dup = np.zeros_like(idx, dtype=bool)
            dup[:, 1:] = idx[:, 1:] == idx[:, :-1]
            count = int(dup.sum())
            if not count:
                break
            idx[dup] = rng.integers(0, d, size=count)
            idx.sort(axis=1)
        v = rng.integers(1, 1001, size=(m, k))
        eta = b_true + (v / 1000.0 * w_true[idx]).sum(axis=1)
        y = (rng.uniform(size=m) < 1.0 / (1.0 + np.exp(-eta))).astype(np.int8)
        yield idx, v, y


def load_csr(n, d, k):
    """The exact CSR matrix (n x d) and labels, regenerated in memory."""
    import scipy.sparse as sp
    indices = np.empty(n * k, dtype=np.int32)
    data = np.empty(n * k, dtype=np.float64)
    y = np.empty(n, dtype=np.int8)
    pos = 0
    for idx, v, yc in chunks(n, d, k):
        m = idx.shape[0]
        indices[pos * k:(pos + m) * k] = idx.ravel()
        data[pos * k:(pos + m) * k] = v.ravel() / 1000.0
        y[pos:pos + m] = yc
        pos += m
    indptr = np.arange(0, n * k + 1, k, dtype=np.int64)
    return sp.csr_matrix((data, indices, indptr), shape=(n, d)), y


def format_libsvm(idx, v, y, d):
    """Byte text of one chunk: 'y i:x.xxx ...' per row, vectorised (a byte matrix, zero cells
    squeezed out)."""
    m, k = idx.shape
    nd = len(str(d))
    width = 1 + nd + 1 + 5  # ' ' index ':' 'd.ddd'
    out = np.zeros((m, k, width), dtype=np.uint8)
    out[:, :, 0] = ord(" ")
    one = idx + 1
    for p in range(nd):
        power = 10 ** (nd - 1 - p)
        digit = (one // power) % 10
        out[:, :, 1 + p] = np.where(one >= power, 48 + digit, 0) if p < nd - 1 else 48 + digit
    c = 1 + nd
    out[:, :, c] = ord(":")
    out[:, :, c + 1] = 48 + v // 1000
    out[:, :, c + 2] = ord(".")
    out[:, :, c + 3] = 48 + (v // 100) % 10
    out[:, :, c + 4] = 48 + (v // 10) % 10
    out[:, :, c + 5] = 48 + v % 10
    line = np.concatenate([(48 + y.astype(np.uint8)).reshape(-1, 1), out.reshape(m, k * width),
                           np.full((m, 1), ord("\n"), dtype=np.uint8)], axis=1).ravel()
    return line[line != 0].tobytes()


def parse_size(text, density):
    """'ROWSxFEATURES' or 'ROWSxFEATURESxNNZ' (non-zeros per row; default round(density * d))."""
    parts = text.split("x")
    if len(parts) not in (2, 3) or not all(p.isdigit() and int(p) > 0 for p in parts):
        return None
    n, d = int(parts[0]), int(parts[1])
    k = int(parts[2]) if len(parts) == 3 else max(1, round(density * d))
    if k > d:
        return None
    return n, d, k


def paths(data_dir, n, d, k):
    stem = os.path.join(data_dir, f"sparse-{n}x{d}x{k}")
    return {"svm": stem + ".svm", "meta": stem + ".meta.json"}


def ensure(data_dir, n, d, k, log=print):
    """Write the libsvm file unless an identical one is there. Returns the paths dict."""
    os.makedirs(data_dir, exist_ok=True)
    p = paths(data_dir, n, d, k)
    want = {"generator_version": GENERATOR_VERSION, "seed": BASE_SEED, "rows": n, "features": d,
            "nnz_per_row": k, "chunk_nnz": CHUNK_NNZ}
    try:
        with open(p["meta"]) as f:
            have = json.load(f)
        if all(have.get(key) == val for key, val in want.items()) and \
                os.path.getsize(p["svm"]) == have["svm_bytes"]:
            log(f"  reusing {p['svm']}")
            return p
    except (OSError, ValueError, KeyError):
        pass
    log(f"  generating sparse {n} x {d}, {k} non-zeros per row -> {p['svm']} ...")
    positives = 0
    last_col = 0
    with open(p["svm"] + ".tmp", "wb") as f:
        for idx, v, y in chunks(n, d, k):
            f.write(format_libsvm(idx, v, y, d))
            positives += int(y.sum())
            last_col = max(last_col, int(idx[:, -1].max()) + 1)
    os.replace(p["svm"] + ".tmp", p["svm"])
    meta = dict(want, svm_bytes=os.path.getsize(p["svm"]), positives=positives, nnz=n * k,
                largest_index=last_col)
    with open(p["meta"], "w") as f:
        json.dump(meta, f, indent=1)
    return p
