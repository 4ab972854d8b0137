"""Deterministic synthetic data for the benchmarks.

Each case is n rows x d features:

    x_ij = mu_j + s_j * z_ij,   z_ij ~ N(0, 1),  mu_j ~ U[-5, 5],  log s_j ~ U[log 0.1, log 10]
    P(y_i = 1) = sigmoid(b* + sum_j w*_j (x_ij - mu_j) / s_j),  w*_j ~ N(0, (2 / sqrt d)^2),  b* = -0.5

so the features have very different means and scales, and the classes overlap (the true linear
predictor has a standard deviation of about 2: the data are far from separable).

Every value is rounded to a fixed number of decimals per column (about six significant digits,
chosen from mu_j and s_j) *before* the labels are drawn and before anything is written, so the
in-memory matrix that the harness uses to evaluate objectives is exactly the matrix the tools parse
from the files (up to the correct rounding of decimal strings, which every parser here does).

The multinomial cases (classes K > 2) draw the features the same way from their own seed stream,
and the label from a known softmax model:

    P(y_i = k) = softmax_k(b*_k + sum_j W*_kj (x_ij - mu_j) / s_j),  W*_kj ~ N(0, (2 / sqrt d)^2),
    b*_k ~ N(0, 0.5^2),  labels 0 .. K-1

so every class score has a standard deviation of about 2 (the classes overlap; the optimum is
finite). The binary stream is unchanged (the binary files are byte for byte those of version 1).

The files are written with a vectorised formatter (numpy digit extraction into a byte matrix),
which is an order of magnitude faster than np.savetxt.
"""

import hashlib
import json
import os

import numpy as np

GENERATOR_VERSION = 1
BASE_SEED = 20240611
CHUNK_ELEMS = 1_000_000  # rows per chunk = max(1, CHUNK_ELEMS // d): fixed, so the streams are fixed


def _params(n, d):
    rng = np.random.default_rng([BASE_SEED, n, d])
    mu = rng.uniform(-5.0, 5.0, d)
    s = np.exp(rng.uniform(np.log(0.1), np.log(10.0), d))
    w_true = rng.normal(0.0, 2.0 / np.sqrt(d), d)
    b_true = -0.5
    return rng, mu, s, w_true, b_true, _decimals(mu, s)


def _multinomial_params(n, d, classes):
    rng = np.random.default_rng([BASE_SEED, n, d, classes])
    mu = rng.uniform(-5.0, 5.0, d)
    s = np.exp(rng.uniform(np.log(0.1), np.log(10.0), d))
    W_true = rng.normal(0.0, 2.0 / np.sqrt(d), (d, classes))
    b_true = rng.normal(0.0, 0.5, classes)
    return rng, mu, s, W_true, b_true, _decimals(mu, s)


def _decimals(mu, s):
    # decimals per column: ~6 significant digits at the typical magnitude |mu| + 3 s
    mag = np.floor(np.log10(np.abs(mu) + 3.0 * s)).astype(np.int64)
    return np.clip(5 - mag, 0, 8).astype(np.int64)


def chunks(n, d, classes=2):
    """Yield (k, decimals, y) per row chunk: k is the int64 matrix of scaled values
    (x = k / 10**decimals, exactly as written), y the labels (0/1; 0 .. classes-1 for more)."""
    if classes > 2:
        yield from _multinomial_chunks(n, d, classes)
        return
    rng, mu, s, w_true, b_true, decimals = _params(n, d)
    scale = 10.0 ** decimals
    rows = max(1, CHUNK_ELEMS // d)
    for start in range(0, n, rows):
        m = min(rows, n - start)
        z = rng.standard_normal((m, d))
        x = mu + s * z
        k = np.rint(x * scale).astype(np.int64)
        xr = k / scale
        eta = b_true + ((xr - mu) / s) @ w_true
        p = 1.0 / (1.0 + np.exp(-eta))
        y = (rng.uniform(size=m) < p).astype(np.int8)
        yield k, decimals, y


def _multinomial_chunks(n, d, classes):
    if not 2 < classes <= 10:
        raise ValueError(f"classes must be 3 to 10 (one digit per label), got {classes}")
    rng, mu, s, W_true, b_true, decimals = _multinomial_params(n, d, classes)
    scale = 10.0 ** decimals
    rows = max(1, CHUNK_ELEMS // d)
    for start in range(0, n, rows):
        m = min(rows, n - start)
        z = rng.standard_normal((m, d))
        x = mu + s * z
        k = np.rint(x * scale).astype(np.int64)
        xr = k / scale
        eta = b_true + ((xr - mu) / s) @ W_true
        eta -= eta.max(axis=1, keepdims=True)
        p = np.exp(eta)
        cdf = np.cumsum(p, axis=1)
        u = rng.uniform(size=m) * cdf[:, -1]
        y = np.minimum((cdf < u[:, None]).sum(axis=1), classes - 1).astype(np.int8)
        yield k, decimals, y


def load_matrix(n, d, classes=2):
    """The exact (rounded) feature matrix and labels, regenerated in memory."""
    X = np.empty((n, d), dtype=np.float64)
    y = np.empty(n, dtype=np.int8)
    pos = 0
    for k, decimals, yc in chunks(n, d, classes):
        m = k.shape[0]
        np.divide(k, 10.0 ** decimals, out=X[pos:pos + m])
        y[pos:pos + m] = yc
        pos += m
    return X, y


# ---------------------------------------------------------------------------------------------
# vectorised formatting


def _format_column(k, dec, prefix, sep):
    """Byte matrix (m x width) for one column: prefix, optional '-', integer digits, '.', dec
    fraction digits, separator; unused cells are 0 and are squeezed out later."""
    m = k.shape[0]
    neg = k < 0
    a = np.abs(k)
    p10 = np.int64(10) ** dec
    ip = a // p10
    fp = a - ip * p10
    top = int(ip.max()) if m else 0
    nint = max(1, len(str(top)))
    width = len(prefix) + 1 + nint + (1 + dec if dec > 0 else 0) + 1
    out = np.zeros((m, width), dtype=np.uint8)
    c = 0
    for ch in prefix:
        out[:, c] = ch
        c += 1
    out[:, c] = np.where(neg, ord('-'), 0)
    c += 1
    for p in range(nint):
        power = np.int64(10) ** (nint - 1 - p)
        digit = (ip // power) % 10
        if p == nint - 1:
            out[:, c] = 48 + digit
        else:
            out[:, c] = np.where(ip >= power, 48 + digit, 0)
        c += 1
    if dec > 0:
        out[:, c] = ord('.')
        c += 1
        for q in range(dec):
            out[:, c] = 48 + (fp // (np.int64(10) ** (dec - 1 - q))) % 10
            c += 1
    out[:, c] = ord(sep)
    return out


def _squeeze(blocks):
    mat = np.concatenate(blocks, axis=1).ravel()
    return mat[mat != 0].tobytes()


def format_csv(k, decimals, y):
    d = k.shape[1]
    blocks = [_format_column(k[:, j], int(decimals[j]), b"", ",") for j in range(d)]
    blocks.append((48 + y.astype(np.uint8)).reshape(-1, 1))
    blocks.append(np.full((k.shape[0], 1), ord("\n"), dtype=np.uint8))
    return _squeeze(blocks)


def format_libsvm(k, decimals, y):
    d = k.shape[1]
    blocks = [(48 + y.astype(np.uint8)).reshape(-1, 1)]
    for j in range(d):
        blocks.append(_format_column(k[:, j], int(decimals[j]), b" " + str(j + 1).encode() + b":",
                                     "\n" if j == d - 1 else "\0"))
    # the separators: a space precedes every 'j:' prefix; the last column ends the line
    return _squeeze(blocks)


# ---------------------------------------------------------------------------------------------
# files


def paths(data_dir, name, n, d, classes=2):
    stem = os.path.join(data_dir, f"{name}-{n}x{d}" + (f"-k{classes}" if classes > 2 else ""))
    return {"csv": stem + ".csv", "svm": stem + ".svm", "meta": stem + ".meta.json"}


def _meta(n, d, classes=2):
    meta = {"generator_version": GENERATOR_VERSION, "seed": BASE_SEED, "rows": n, "features": d,
            "chunk_elems": CHUNK_ELEMS}
    if classes > 2:  # binary metas predate the field
        meta["classes"] = classes
    return meta


def ensure(data_dir, name, n, d, classes=2, log=print):
    """Write the CSV and libsvm files unless identical ones (same generator, same sizes on disk)
    are already there. Returns the paths dict."""
    os.makedirs(data_dir, exist_ok=True)
    p = paths(data_dir, name, n, d, classes)
    want = _meta(n, d, classes)
    try:
        with open(p["meta"]) as f:
            have = json.load(f)
        if (all(have.get(key) == val for key, val in want.items())
                and os.path.getsize(p["csv"]) == have["csv_bytes"]
                and os.path.getsize(p["svm"]) == have["svm_bytes"]):
            log(f"  reusing {p['csv']} and {p['svm']}")
            return p
    except (OSError, ValueError, KeyError):
        pass
    log(f"  generating {n} x {d}" + (f", {classes} classes" if classes > 2 else "")
        + f" -> {p['csv']}, {p['svm']} ...")
    header = (",".join(f"x{j + 1}" for j in range(d)) + ",y\n").encode()
    h = hashlib.sha256()
    tmp_csv, tmp_svm = p["csv"] + ".tmp", p["svm"] + ".tmp"
    counts = np.zeros(max(classes, 2), dtype=np.int64)
    with open(tmp_csv, "wb") as fc, open(tmp_svm, "wb") as fs:
        fc.write(header)
        h.update(header)
        for k, decimals, y in chunks(n, d, classes):
            buf = format_csv(k, decimals, y)
            fc.write(buf)
            h.update(buf)
            fs.write(format_libsvm(k, decimals, y))
            counts += np.bincount(y, minlength=counts.size)
    os.replace(tmp_csv, p["csv"])
    os.replace(tmp_svm, p["svm"])
    meta = dict(want, csv_bytes=os.path.getsize(p["csv"]), svm_bytes=os.path.getsize(p["svm"]),
                csv_sha256=h.hexdigest(), class_counts=counts.tolist())
    if classes == 2:
        meta["positives"] = int(counts[1])
    with open(p["meta"], "w") as f:
        json.dump(meta, f, indent=1)
    return p
