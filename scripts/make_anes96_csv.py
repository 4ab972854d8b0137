#!/usr/bin/python3
"""Write datasets/anes96.csv from statsmodels' bundled copy of the American National Election
Study 1996 extract (statsmodels.datasets.anes96; run with Debian's /usr/bin/python3 from anywhere).

The columns are those of statsmodels' MNLogit example (logpopul, selfLR, age, educ, income) and the
target PID (party identification, 0 = strong Democrat ... 6 = strong Republican). Whole numbers are
written as integers, logpopul as the shortest text that reads back as the same double; reading the
file back is checked to give exactly statsmodels' doubles.
"""
import io
import os

import numpy as np
import pandas as pd
import statsmodels.api as sm

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
OUT = os.path.join(ROOT, "datasets", "anes96.csv")
FEATURES = ["logpopul", "selfLR", "age", "educ", "income"]
TARGET = "PID"

data = sm.datasets.anes96.load_pandas().data
assert data.shape == (944, 11), data.shape
integer_columns = {"selfLR", "age", "educ", "income", "PID"}
for c in integer_columns:
    assert (data[c] == np.round(data[c])).all(), c

out = io.StringIO()
out.write(",".join(FEATURES + [TARGET]) + "\n")
for _, row in data.iterrows():
    cells = [str(int(row[c])) if c in integer_columns else repr(float(row[c])) for c in FEATURES + [TARGET]]
    out.write(",".join(cells) + "\n")

back = pd.read_csv(io.StringIO(out.getvalue()), float_precision="round_trip")
for c in FEATURES + [TARGET]:
    assert np.array_equal(back[c].to_numpy(float), data[c].to_numpy(float)), c   # bit-identical doubles

with open(OUT, "w", newline="\n") as f:
    f.write(out.getvalue())
print("wrote", OUT)
