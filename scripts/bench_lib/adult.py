"""The `adult` case's data: datasets/adult.csv (or its first ROWS rows), its one-hot matrix and
the same matrix in libsvm format for LIBLINEAR.

The one-hot encoding is the one logreg (a penalty, so every level has an indicator) and
scikit-learn's OneHotEncoder both make: one indicator per level of each text column, the levels
sorted (by bytes; the levels are ASCII, so Python's string order is the same), the numeric
columns as they are (unscaled). The harness's canonical feature order is logreg's: the columns in
file order, each text column replaced by its indicators `column=level`. Every tool's coefficients
are mapped to that order by name before the objective is evaluated, so the order each tool
happens to use (scikit-learn's ColumnTransformer puts the indicators first) does not matter.
"""

import hashlib
import json
import os

import numpy as np

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
SOURCE = os.path.join(ROOT, "datasets", "adult.csv")
TARGET = "income"
POSITIVE = ">50K"
LABELS = ["<=50K", ">50K"]  # scikit-learn's classes_ (sorted); the second is the positive class
FORMAT_VERSION = 1


def encode(csv_path):
    """(X as CSR float64 n x d, y 0/1 int8, feature names) in the canonical order."""
    import pandas as pd
    import scipy.sparse as sp
    df = pd.read_csv(csv_path)
    y = (df[TARGET] == POSITIVE).to_numpy(np.int8)
    blocks, names = [], []
    for col in df.columns:
        if col == TARGET:
            continue
        s = df[col]
        if s.dtype == object:
            levels = sorted(s.unique())
            codes = np.searchsorted(np.asarray(levels, dtype=object), s.to_numpy(dtype=object))
            m = sp.csr_matrix((np.ones(len(s)), (np.arange(len(s)), codes)), shape=(len(s), len(levels)))
            blocks.append(m)
            names += [f"{col}={lev}" for lev in levels]
        else:
            blocks.append(sp.csr_matrix(s.to_numpy(np.float64).reshape(-1, 1)))
            names.append(col)
    X = sp.hstack(blocks, format="csr")
    X.eliminate_zeros()
    X.sort_indices()
    return X, y, names


def _libsvm_bytes(X, y):
    """LIBLINEAR's format: label (1 for >50K, 0 else), then the non-zeros as index:value (1-based,
    increasing). The values are integers (the numeric columns) or 1 (the indicators)."""
    lines = []
    for i in range(X.shape[0]):
        lo, hi = X.indptr[i], X.indptr[i + 1]
        toks = " ".join(f"{j + 1}:{v:.17g}" for j, v in zip(X.indices[lo:hi], X.data[lo:hi]))
        lines.append(f"{int(y[i])} {toks}\n")
    return "".join(lines).encode()


def paths(data_dir, rows):
    stem = os.path.join(data_dir, "adult" if rows is None else f"adult-{rows}")
    return {"csv": SOURCE if rows is None else stem + ".csv", "svm": stem + ".svm",
            "meta": stem + ".meta.json"}


def ensure(data_dir, rows=None, log=print):
    """The CSV (datasets/adult.csv itself, or its header and first `rows` rows), the libsvm copy
    of its one-hot matrix and a meta file with the feature names. Reused when the meta matches."""
    os.makedirs(data_dir, exist_ok=True)
    p = paths(data_dir, rows)
    with open(SOURCE, "rb") as f:
        source_sha = hashlib.sha256(f.read()).hexdigest()
    try:
        with open(p["meta"]) as f:
            have = json.load(f)
        if (have.get("format_version") == FORMAT_VERSION and have.get("source_sha256") == source_sha
                and have.get("rows_requested") == rows
                and os.path.getsize(p["svm"]) == have["svm_bytes"]
                and os.path.getsize(p["csv"]) == have["csv_bytes"]):
            log(f"  reusing {p['svm']}")
            return p
    except (OSError, ValueError, KeyError):
        pass
    if rows is not None:
        log(f"  writing the first {rows} rows of {SOURCE} -> {p['csv']}")
        with open(SOURCE, "rb") as f:
            head = [f.readline() for _ in range(rows + 1)]
        with open(p["csv"] + ".tmp", "wb") as f:
            f.writelines(head)
        os.replace(p["csv"] + ".tmp", p["csv"])
    log(f"  one-hot encoding {p['csv']} -> {p['svm']}")
    X, y, names = encode(p["csv"])
    with open(p["svm"] + ".tmp", "wb") as f:
        f.write(_libsvm_bytes(X, y))
    os.replace(p["svm"] + ".tmp", p["svm"])
    meta = {"format_version": FORMAT_VERSION, "source_sha256": source_sha, "rows_requested": rows,
            "rows": int(X.shape[0]), "features": int(X.shape[1]), "nnz": int(X.nnz),
            "positives": int(y.sum()), "csv_bytes": os.path.getsize(p["csv"]),
            "svm_bytes": os.path.getsize(p["svm"]), "feature_names": names}
    with open(p["meta"], "w") as f:
        json.dump(meta, f, indent=1)
    return p


def by_name(names, coef_names, coef):
    """Coefficients `coef` named `coef_names`, put in the order of `names` (all must be there)."""
    pos = {nm: i for i, nm in enumerate(coef_names)}
    missing = [nm for nm in names if nm not in pos]
    extra = sorted(set(coef_names) - set(names))
    if missing or extra:
        raise ValueError(f"feature names differ from the harness's encoding: missing {missing[:5]}, "
                         f"unexpected {extra[:5]}")
    return np.asarray([coef[pos[nm]] for nm in names], dtype=np.float64)
