"""The scikit-learn side of a benchmark training run, as a user would write it:
pandas.read_csv + LogisticRegression(...).fit. Run as its own process by scripts/bench, which times
the whole process. Writes the coefficients (JSON, for the objective) and the fitted estimator
(pickle, for the prediction benchmark).

usage: sk_train.py DATA.csv --solver lbfgs|newton-cholesky --C 1 --tol 1e-10 --max-iter 10000
                   --target y --coef-out OUT.json [--pickle-out OUT.pkl]
"""

import argparse
import json
import pickle
import time
import warnings

import pandas as pd
from sklearn.exceptions import ConvergenceWarning
from sklearn.linear_model import LogisticRegression


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("data")
    ap.add_argument("--solver", required=True)
    ap.add_argument("--C", type=float, default=1.0)
    ap.add_argument("--tol", type=float, default=1e-10)
    ap.add_argument("--max-iter", type=int, default=10000)
    ap.add_argument("--target", default="y")
    ap.add_argument("--coef-out", required=True)
    ap.add_argument("--pickle-out")
    args = ap.parse_args()

    t0 = time.perf_counter()
    df = pd.read_csv(args.data)
    X = df.drop(columns=[args.target])
    y = df[args.target]
    t1 = time.perf_counter()
    clf = LogisticRegression(C=args.C, solver=args.solver, tol=args.tol, max_iter=args.max_iter)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", ConvergenceWarning)
        clf.fit(X, y)
    t2 = time.perf_counter()
    converged = not any(issubclass(w.category, ConvergenceWarning) for w in caught)
    with open(args.coef_out, "w") as f:
        json.dump({"classes": [str(c) for c in clf.classes_],
                   "coefficients": clf.coef_[0].tolist(),
                   "intercept": float(clf.intercept_[0]),
                   "iterations": int(clf.n_iter_[0]),
                   "converged": converged,
                   "warnings": [str(w.message)[:300] for w in caught],
                   "load_seconds": t1 - t0,
                   "fit_seconds": t2 - t1}, f)
    if args.pickle_out:
        with open(args.pickle_out, "wb") as f:
            pickle.dump({"model": clf, "features": list(X.columns)}, f)


if __name__ == "__main__":
    main()
