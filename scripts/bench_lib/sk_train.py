"""The scikit-learn side of a benchmark training run, as a user would write it:
pandas.read_csv + LogisticRegression(...).fit. Run as its own process by scripts/bench, which times
the whole process. Writes the coefficients (JSON, for the objective) and the fitted estimator
(pickle, for the prediction benchmark).

usage: sk_train.py DATA.csv --solver lbfgs|newton-cholesky|saga|liblinear --C 1 --tol 1e-10
                   --max-iter 10000 --target y --coef-out OUT.json [--pickle-out OUT.pkl]
                   [--penalty l2|l1] [--intercept-scaling B] [--multinomial]

--multinomial asks for the multinomial (softmax) loss on a target of more than two classes:
multi_class='multinomial' before scikit-learn 1.5, the default from then on (the parameter is
deprecated there). A solver that cannot fit it exits with status 3 and says so. saga and
liblinear get random_state=0, so that every run fits the same model.
"""

import argparse
import json
import pickle
import sys
import time
import warnings

import pandas as pd
import sklearn
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
    ap.add_argument("--penalty", default="l2")
    ap.add_argument("--intercept-scaling", type=float, default=1.0)
    ap.add_argument("--multinomial", action="store_true")
    args = ap.parse_args()

    t0 = time.perf_counter()
    df = pd.read_csv(args.data)
    X = df.drop(columns=[args.target])
    y = df[args.target]
    t1 = time.perf_counter()
    kw = {}
    if args.solver in ("saga", "sag", "liblinear"):
        kw["random_state"] = 0  # they visit rows or coordinates in a random order: same fit every run
    if args.intercept_scaling != 1.0:
        kw["intercept_scaling"] = args.intercept_scaling
    if args.multinomial and tuple(int(p) for p in sklearn.__version__.split(".")[:2]) < (1, 5):
        kw["multi_class"] = "multinomial"
    clf = LogisticRegression(C=args.C, penalty=args.penalty, solver=args.solver, tol=args.tol,
                             max_iter=args.max_iter, **kw)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", ConvergenceWarning)
        try:
            clf.fit(X, y)
        except ValueError as e:
            if args.multinomial and "multinomial" in str(e):
                print(f"sk_train.py: scikit-learn {sklearn.__version__}: {e}", file=sys.stderr)
                sys.exit(3)
            raise
    t2 = time.perf_counter()
    if args.multinomial and clf.coef_.shape[0] != len(clf.classes_):
        sys.exit(f"sk_train.py: scikit-learn {sklearn.__version__} fitted {clf.coef_.shape[0]} "
                 f"coefficient rows for {len(clf.classes_)} classes (not multinomial)")
    converged = not any(issubclass(w.category, ConvergenceWarning) for w in caught)
    with open(args.coef_out, "w") as f:
        json.dump({"classes": [str(c) for c in clf.classes_],
                   "coefficients": clf.coef_.tolist(),
                   "intercept": clf.intercept_.tolist(),
                   "iterations": int(max(clf.n_iter_)),
                   "converged": converged,
                   "warnings": [str(w.message)[:300] for w in caught],
                   "load_seconds": t1 - t0,
                   "fit_seconds": t2 - t1}, f)
    if args.pickle_out:
        with open(args.pickle_out, "wb") as f:
            pickle.dump({"model": clf, "features": list(X.columns)}, f)


if __name__ == "__main__":
    main()
