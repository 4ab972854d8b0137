"""One objective for every tool, evaluated here in numpy from each tool's coefficients:

    f(w, b) = C * sum_i log(1 + exp(-s_i (x_i.w + b))) + ||w||^2 / 2,   s_i = +1 for y = 1, -1 for y = 0

(b is not penalised). This is what logreg, scikit-learn's LogisticRegression(penalty='l2') and
LIBLINEAR -s 0 all minimise, except that LIBLINEAR with -B 1 also penalises b (b^2 / 2)."""

import json

import numpy as np


def objective(X, y, w, b, C):
    z = X @ w + b
    s = np.where(y == 1, 1.0, -1.0)
    return float(C * np.sum(np.logaddexp(0.0, -s * z)) + 0.5 * np.dot(w, w))


def read_logreg_model(path):
    with open(path) as f:
        m = json.load(f)
    w = np.asarray(m["coefficients"], dtype=np.float64)
    b = float(m.get("intercept") or 0.0)
    if str(m.get("positive_class")) != "1":
        raise ValueError(f"{path}: positive class is {m.get('positive_class')!r}, expected '1'")
    if m.get("standardization"):
        raise ValueError(f"{path}: model is standardised; the harness trains with --no-standardize")
    fit = m.get("fit", {})
    return {"w": w, "b": b, "iterations": fit.get("iterations"), "status": fit.get("status"),
            "fit_seconds": fit.get("seconds"), "solver": fit.get("solver")}


def read_sklearn_coef(path):
    with open(path) as f:
        m = json.load(f)
    if m["classes"] != ["0", "1"]:
        raise ValueError(f"{path}: classes {m['classes']}, expected ['0', '1']")
    return {"w": np.asarray(m["coefficients"], dtype=np.float64), "b": float(m["intercept"]),
            "iterations": m["iterations"],
            "status": "converged" if m["converged"] else "not converged (ConvergenceWarning)",
            "fit_seconds": m["fit_seconds"], "load_seconds": m["load_seconds"]}


def read_liblinear_model(path, d):
    """Parse a LIBLINEAR model file. For a binary model, w has one column and the decision value
    w.x + w_bias * bias > 0 predicts label[0]; return (w, b) for class '1' as the positive class."""
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
    if header.get("nr_class") != "2":
        raise ValueError(f"{path}: nr_class {header.get('nr_class')}, expected 2")
    labels = header["label"].split()
    nr_feature = int(header["nr_feature"])
    bias = float(header.get("bias", "-1"))
    W = np.asarray(weights, dtype=np.float64)[:, 0]
    if nr_feature != d:
        raise ValueError(f"{path}: nr_feature {nr_feature}, expected {d}")
    w = W[:d]
    b = W[d] * bias if bias >= 0 else 0.0
    sign = 1.0 if labels[0] == "1" else -1.0
    return {"w": sign * w, "b": sign * b, "iterations": None, "status": None, "fit_seconds": None}
