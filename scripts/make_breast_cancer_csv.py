#!/usr/bin/python3
"""Regenerate datasets/breast_cancer.csv from scikit-learn's bundled copy of the
Wisconsin Diagnostic Breast Cancer data (run with Debian's /usr/bin/python3 from the repo root).

The numeric tokens are copied verbatim from sklearn's source file
(sklearn/datasets/data/breast_cancer.csv), so parsing them gives exactly the doubles
that load_breast_cancer() returns; this is checked below.
"""
import csv
import io
import os

import numpy as np
from sklearn.datasets import load_breast_cancer

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
OUT = os.path.join(ROOT, "datasets", "breast_cancer.csv")

bunch = load_breast_cancer()
src = os.path.join(os.path.dirname(__import__("sklearn.datasets", fromlist=["x"]).__file__),
                   "data", "breast_cancer.csv")
with open(src, newline="") as f:
    rows = list(csv.reader(f))
meta, body = rows[0], rows[1:]
assert meta[:2] == ["569", "30"] and meta[2:] == ["malignant", "benign"], meta
assert len(body) == 569
names = [n.replace(" ", "_") for n in bunch.feature_names]
assert len(names) == 30 and len(set(names)) == 30

out = io.StringIO()
out.write(",".join(names + ["diagnosis"]) + "\n")
for i, r in enumerate(body):
    assert len(r) == 31
    vals = np.array([float(t) for t in r[:30]])
    assert np.array_equal(vals, bunch.data[i]), i          # bit-identical doubles
    t = int(r[30])
    assert t == bunch.target[i]
    label = bunch.target_names[t]                          # 0 -> malignant, 1 -> benign
    out.write(",".join(r[:30] + [label]) + "\n")

with open(OUT, "w", newline="\n") as f:
    f.write(out.getvalue())
print("wrote", OUT)
