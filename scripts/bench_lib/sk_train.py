"""The scikit-learn side of a benchmark training run, as a user would write it:
pandas.read_csv + LogisticRegression(...).fit. Run as its own process by scripts/bench, which times
the whole process. Writes the coefficients (JSON, for the objective) and the fitted estimator
(pickle, for the prediction benchmark).

usage: sk_train.py DATA.csv --solver lbfgs|newton-cholesky|saga|liblinear --C 1 --tol 1e-10
                   --max-iter 10000 --target y --coef-out OUT.json [--pickle-out OUT.pkl]
                   [--penalty l2|l1] [--intercept-scaling B] [--multinomial] [--one-hot]
       sk_train.py DATA.svm --svmlight --features D --solver lbfgs ... (no --target)

--one-hot (the adult case): the text columns are one-hot encoded, as a user would write it:
make_pipeline(ColumnTransformer([("cat", OneHotEncoder(), text_columns)], remainder="passthrough"),
LogisticRegression(...)). OneHotEncoder's output is sparse (its default) and the numeric columns
pass through unscaled; ColumnTransformer keeps the result sparse (CSR) when its density is below
its sparse_threshold (0.3), as on adult. The pickle holds the whole pipeline.

--svmlight (the sparse case): sklearn.datasets.load_svmlight_file(DATA, n_features=D), then
LogisticRegression(...).fit on the CSR matrix.

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
    ap.add_argument("--one-hot", action="store_true")
    ap.add_argument("--svmlight", action="store_true")
    ap.add_argument("--features", type=int)
    args = ap.parse_args()

    t0 = time.perf_counter()
    if args.svmlight:
        from sklearn.datasets import load_svmlight_file
        X, y = load_svmlight_file(args.data, n_features=args.features)
        columns = [str(j + 1) for j in range(X.shape[1])]
    else:
        df = pd.read_csv(args.data)
        X = df.drop(columns=[args.target])
        y = df[args.target]
        columns = list(X.columns)
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
    model = clf
    if args.one_hot:
        from sklearn.compose import ColumnTransformer
        from sklearn.pipeline import make_pipeline
        from sklearn.preprocessing import OneHotEncoder
        text = [c for c in X.columns if X[c].dtype == object]
        model = make_pipeline(ColumnTransformer([("cat", OneHotEncoder(), text)], remainder="passthrough"),
                              clf)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", ConvergenceWarning)
        try:
            model.fit(X, y)
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
    names = columns
    if args.one_hot:  # the encoder's columns first, then the passed-through ones: "column=level", "column"
        encoder = model[0].named_transformers_["cat"]
        names = [f"{c}={level}" for c, levels in zip(text, encoder.categories_) for level in levels]
        names += [c for c in X.columns if c not in text]
        if len(names) != clf.coef_.shape[1]:
            sys.exit(f"sk_train.py: {len(names)} names for {clf.coef_.shape[1]} coefficients")
    with open(args.coef_out, "w") as f:
        json.dump({"classes": [label(c) for c in clf.classes_],
                   "feature_names": names,
                   "coefficients": clf.coef_.tolist(),
                   "intercept": clf.intercept_.tolist(),
                   "iterations": int(max(clf.n_iter_)),
                   "converged": converged,
                   "warnings": [str(w.message)[:300] for w in caught],
                   "load_seconds": t1 - t0,
                   "fit_seconds": t2 - t1}, f)
    if args.pickle_out:
        with open(args.pickle_out, "wb") as f:
            pickle.dump({"model": model, "features": columns}, f)


def label(c):
    """A class as text; load_svmlight_file's float labels 0.0 / 1.0 as "0" / "1"."""
    if isinstance(c, float) and c.is_integer():
        return str(int(c))
    return str(c)


if __name__ == "__main__":
    main()
