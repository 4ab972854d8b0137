"""One objective for every tool, evaluated here in numpy from each tool's coefficients.

Binary, L2 (the `l2` case):

    f(w, b) = C * sum_i log(1 + exp(-s_i (x_i.w + b))) + ||w||^2 / 2,   s_i = +1 for y = 1, -1 for y = 0

(b is not penalised). This is what logreg, scikit-learn's LogisticRegression(penalty='l2') and
LIBLINEAR -s 0 all minimise, except that LIBLINEAR with -B 1 also penalises b (b^2 / 2).

Binary, L1 (the `l1` case): the same loss with ||w||_1 in place of ||w||^2 / 2 (b not penalised;
LIBLINEAR -s 6 and scikit-learn's liblinear solver penalise |b| / B, B the bias feature's value).

Multinomial (the `multinomial` case), K classes, W of d x K, b of K:

    f(W, b) = C * sum_i [log sum_k exp(z_ik) - z_i,y_i] + ||W||_F^2 / 2,   z_i = x_i W + b

(b not penalised), logreg's and scikit-learn's multinomial objective.

The `adult` and `sparse` cases use the binary L2 objective above on a scipy CSR matrix (X @ w is
the same expression): the one-hot matrix of adult (unscaled numeric columns, one indicator per
level), the synthetic sparse matrix."""

import json

import numpy as np


def objective(X, y, w, b, C, scale=None):
    """With scale (the categorical case's standardised fits): the penalty is on w * scale, the
    coefficients of the z-scored features (logreg's default objective)."""
    z = X @ w + b
    s = np.where(y == 1, 1.0, -1.0)
    v = w if scale is None else w * scale
    return float(C * np.sum(np.logaddexp(0.0, -s * z)) + 0.5 * np.dot(v, v))


def l1_objective(X, y, w, b, C):
    z = X @ w + b
    s = np.where(y == 1, 1.0, -1.0)
    return float(C * np.sum(np.logaddexp(0.0, -s * z)) + np.sum(np.abs(w)))


def multinomial_objective(X, y, W, b, C, rows=100_000):
    """W: d x K, b: K, y: labels 0 .. K-1. Evaluated in row blocks (the n x K scores of the
    whole matrix are not needed at once)."""
    loss = 0.0
    for start in range(0, X.shape[0], rows):
        Z = X[start:start + rows] @ W + b
        top = Z.max(axis=1)
        lse = top + np.log(np.exp(Z - top[:, None]).sum(axis=1))
        loss += float(np.sum(lse - Z[np.arange(Z.shape[0]), y[start:start + rows]]))
    return float(C * loss + 0.5 * np.sum(W * W))


def zeros(w):
    """Coefficients exactly 0 (the intercept not counted)."""
    return int(np.count_nonzero(np.asarray(w) == 0.0))


def _labels(classes):
    return [str(k) for k in range(max(classes, 2))]


def pad(w, d):
    """Coefficients of a model read from libsvm input, which has as many as the largest index
    seen (a trailing feature that is 0 in every row has none), padded with zeros to d."""
    w = np.asarray(w, dtype=np.float64)
    if w.shape[0] > d:
        raise ValueError(f"{w.shape[0]} coefficients, expected at most {d}")
    return np.concatenate([w, np.zeros(d - w.shape[0])]) if w.shape[0] < d else w


def read_logreg_model(path, classes=2, positive="1", standardized=False):
    """w (d) and b for a binary model; W (d x K) and b (K) for a multinomial one. The binary
    model's positive class must be `positive`; its feature names are returned too, and the
    objective logreg reports (own_objective), its C and, for a standardised model (only accepted
    with standardized=True: the categorical case trains with the defaults), the scales."""
    with open(path) as f:
        m = json.load(f)
    if m.get("standardization") and not standardized:
        raise ValueError(f"{path}: model is standardised; the harness trains with --no-standardize")
    if classes > 2:
        if m.get("kind") != "multinomial":
            raise ValueError(f"{path}: kind {m.get('kind')!r}, expected 'multinomial'")
        if m.get("classes") != _labels(classes):
            raise ValueError(f"{path}: classes {m.get('classes')}, expected {_labels(classes)}")
        w = np.asarray(m["coefficients"], dtype=np.float64).T
        b = np.asarray(m["intercept"], dtype=np.float64)
    else:
        if str(m.get("positive_class")) != positive:
            raise ValueError(f"{path}: positive class is {m.get('positive_class')!r}, expected {positive!r}")
        w = np.asarray(m["coefficients"], dtype=np.float64)
        b = float(m.get("intercept") or 0.0)
    fit = m.get("fit", {})
    scale = (m.get("standardization") or {}).get("scale")
    return {"w": w, "b": b, "iterations": fit.get("iterations"), "status": fit.get("status"),
            "fit_seconds": fit.get("seconds"), "solver": fit.get("solver"), "names": m.get("features"),
            "own_objective": fit.get("objective"), "C": (m.get("training") or {}).get("C"),
            "scale": None if scale is None else np.asarray(scale, dtype=np.float64)}


def read_sklearn_coef(path, classes=2, labels=None):
    """sk_train.py's JSON: coef_ (K' x d) and intercept_ (K'); w, b as read_logreg_model. The
    classes must be `labels` (default "0", "1", ...; the last of two is the positive class)."""
    with open(path) as f:
        m = json.load(f)
    labels = labels or _labels(classes)
    if m["classes"] != labels:
        raise ValueError(f"{path}: classes {m['classes']}, expected {labels}")
    coef = np.asarray(m["coefficients"], dtype=np.float64)
    intercept = np.asarray(m["intercept"], dtype=np.float64)
    if classes > 2:
        if coef.shape[0] != classes:
            raise ValueError(f"{path}: {coef.shape[0]} coefficient rows, expected {classes}")
        w, b = coef.T, intercept
    else:
        w, b = coef[0], float(intercept[0])
    if m["converged"]:
        status = "converged"
    else:
        status = "not converged (ConvergenceWarning: " + (m["warnings"] or ["?"])[0][:120] + ")"
    return {"w": w, "b": b, "iterations": m["iterations"], "status": status,
            "fit_seconds": m["fit_seconds"], "load_seconds": m["load_seconds"],
            "names": m.get("feature_names")}


def read_liblinear_model(path, d, classes=2, partial=False):
    """Parse a LIBLINEAR model file. For a binary model, w has one column and the decision value
    w.x + w_bias * bias > 0 predicts label[0]; return (w, b) for class '1' as the positive class.
    For K > 2 classes (one-vs-rest, a different model from the multinomial one) only check the
    header and return no coefficients. With partial (libsvm data whose last features may be 0 in
    every row), nr_feature may be below d and w is padded with zeros."""
    header = {}
    weights = []
    with open(path) as f:
        for line in f:
            if line.strip() == "w":
                break
            key, _, value = line.strip().partition(" ")
            header[key] = value
        for line in f:
            if line.strip():
                weights.append([float(t) for t in line.split()])
    if header.get("nr_class") != str(max(classes, 2)):
        raise ValueError(f"{path}: nr_class {header.get('nr_class')}, expected {max(classes, 2)}")
    labels = header["label"].split()
    nr_feature = int(header["nr_feature"])
    bias = float(header.get("bias", "-1"))
    if nr_feature != d and not (partial and nr_feature < d):
        raise ValueError(f"{path}: nr_feature {nr_feature}, expected {d}")
    if classes > 2:
        return {"w": None, "b": None, "iterations": None, "status": None, "fit_seconds": None}
    W = np.asarray(weights, dtype=np.float64)[:, 0]
    w = pad(W[:nr_feature], d)
    b = W[nr_feature] * bias if bias >= 0 else 0.0
    sign = 1.0 if labels[0] == "1" else -1.0
    return {"w": sign * w, "b": sign * b, "iterations": None, "status": None, "fit_seconds": None}
