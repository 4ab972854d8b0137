"""The scikit-learn side of the cv case, as a user would write it: pandas.read_csv, then
make_pipeline(StandardScaler(), LogisticRegressionCV(Cs=GRID, cv=PredefinedSplit(fold - 1),
solver='lbfgs', tol=TOL, max_iter=MAX_ITER, scoring='neg_log_loss')).fit(X, y). Run as its own
process by scripts/bench, which times the whole process.

The StandardScaler is fitted once, on every row, before LogisticRegressionCV splits the folds (the
pipeline of the issue's anchor): each fold's fit sees features scaled with the means and standard
deviations of all rows, its held-out rows included. logreg learns them on the training folds
only, so the fold scores differ slightly (the means and deviations of 9/10 of 100,000 rows against
those of all of them). LogisticRegressionCV refits on every row at the chosen C (refit=True, its
default); n_jobs is left at its default (one process).

usage: sk_cv.py DATA.csv --target y --fold-column fold --C-grid A,B,.. --tol 1e-6
                 --max-iter 10000 --out OUT.json

OUT.json: the grid (Cs_), the fold scores as log loss (folds in sorted order of their values,
each row one fold), their means, the chosen C (C_), the largest iteration count over the fits,
the ConvergenceWarnings, the read and fit times.
"""

import argparse
import json
import time
import warnings

import numpy as np
import pandas as pd
import sklearn
from sklearn.exceptions import ConvergenceWarning
from sklearn.linear_model import LogisticRegressionCV
from sklearn.model_selection import PredefinedSplit
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("data")
    ap.add_argument("--target", default="y")
    ap.add_argument("--fold-column", default="fold")
    ap.add_argument("--C-grid", required=True)
    ap.add_argument("--tol", type=float, default=1e-6)
    ap.add_argument("--max-iter", type=int, default=10000)
    ap.add_argument("--out", required=True)
    args = ap.parse_args()
    Cs = [float(c) for c in args.C_grid.split(",")]

    t0 = time.perf_counter()
    df = pd.read_csv(args.data)
    fold = df.pop(args.fold_column).to_numpy()
    y = df.pop(args.target)
    X = df
    t1 = time.perf_counter()
    cv = PredefinedSplit(test_fold=fold - 1)
    lrcv = LogisticRegressionCV(Cs=Cs, cv=cv, solver="lbfgs", tol=args.tol, max_iter=args.max_iter,
                                scoring="neg_log_loss")
    model = make_pipeline(StandardScaler(), lrcv)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", ConvergenceWarning)
        model.fit(X, y)
    t2 = time.perf_counter()
    positive = lrcv.classes_[1]
    scores = -np.asarray(lrcv.scores_[positive])  # folds x Cs, neg_log_loss -> log loss
    conv = [w for w in caught if issubclass(w.category, ConvergenceWarning)]
    with open(args.out, "w") as f:
        json.dump({"sklearn": sklearn.__version__,
                   "Cs": [float(c) for c in lrcv.Cs_],
                   "fold_values": [int(v) for v in np.unique(fold)],
                   "fold_scores": scores.tolist(),
                   "mean": scores.mean(axis=0).tolist(),
                   "chosen_C": float(lrcv.C_[0]),
                   "iterations": int(np.max(lrcv.n_iter_)),
                   "convergence_warnings": len(conv),
                   "warnings": [str(w.message)[:300] for w in conv[:3]],
                   "load_seconds": t1 - t0,
                   "fit_seconds": t2 - t1}, f)


if __name__ == "__main__":
    main()
