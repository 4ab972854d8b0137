"""The cv case: K-fold cross-validation over a grid of C, logreg cv against scikit-learn's
LogisticRegressionCV (L2) and R's cv.glmnet (L1) on the same folds and the same grid.

The folds are logreg's own (`logreg cv --folds K --seed 0`, stratified by class), read from its
--oof output once per invocation and written as a column `fold` (1 .. K) into a copy of the data;
every timed tool then reads that copy and takes its folds from the column (logreg --fold-column
fold, scikit-learn PredefinedSplit(test_fold=fold - 1), glmnet foldid=fold), so the folds are the
same rows for all, and the same as logreg's --folds K on the original file.

Grids:
- L2: scikit-learn's own grid of Cs=20, np.logspace(-4, 4, 20), given to every tool as a list.
- L1: glmnet's default path rule with 20 values: lambda from lambda_max (the smallest lambda at
  which every coefficient is 0, on the standardised full data) down to lambda_max * 1e-4
  (glmnet's lambda.min.ratio when rows >= features, 1e-2 otherwise), log-spaced; glmnet gets the
  lambdas, logreg C = 1 / (n_train * lambda) with n_train = rows * (K - 1) / K, the mean size of a
  training fold (glmnet's lambda multiplies the penalty of a per-observation mean loss over the
  training fold; logreg's C multiplies the summed loss). The fold sizes differ by at most a row or
  two, so the per-fold equivalence holds to about 2 / n_train relative.
"""

import json
import os
import subprocess

import numpy as np

FOLDS = 10
L2_GRID = [float(c) for c in np.logspace(-4, 4, 20)]  # LogisticRegressionCV(Cs=20)
L1_COUNT = 20
SK_TOLS = (1e-6, 1e-4)  # the anchor, and scikit-learn's default
TARGETS = {"sklearn": 10.0, "glmnet": 5.0}
R_SCRIPT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "glmnet_cv.R")


def have_glmnet(rscript):
    """(True, version) or (False, why)."""
    if not rscript:
        return False, "Rscript not found (Debian: apt install r-base-core r-cran-glmnet)"
    try:
        r = subprocess.run([rscript, "-e", "suppressPackageStartupMessages(library(glmnet)); "
                            "cat(as.character(packageVersion('glmnet')), R.version.string, sep = ' / ')"],
                           capture_output=True, text=True, timeout=120)
    except (OSError, subprocess.SubprocessError) as e:
        return False, f"cannot run {rscript}: {e}"
    if r.returncode != 0:
        return False, "R cannot load glmnet (Debian: apt install r-cran-glmnet)"
    return True, r.stdout.strip()


def _logreg_json(argv):
    r = subprocess.run(argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    if r.returncode != 0:
        raise RuntimeError(f"{' '.join(argv)}: exit {r.returncode}: {r.stderr.strip()[-500:]}")
    return json.loads(r.stdout)


def make_fold_file(logreg, src_csv, out_csv, n, folds, threads, work, log=print):
    """Ask logreg for its folds (cv --folds K --seed 0 --oof, one value of C, untimed) and write a
    copy of src_csv with a last column `fold`. Checks that logreg cv --fold-column fold on the copy
    gives the same fold scores (as a set: it numbers the folds by first appearance) as --folds K on
    the original. Returns the fold counts."""
    oof = os.path.join(work, "folds-oof.csv")
    common = ["--target", "y", "--C-grid", "1", "--json", "--quiet", "--threads", str(threads)]
    by_seed = _logreg_json([logreg, "cv", src_csv, "--folds", str(folds), "--seed", "0", "--oof", oof] + common)
    with open(oof) as fh:
        header = fh.readline().rstrip("\n").split(",")
        col = header.index("fold")
        fold = [line.split(",")[col] for line in fh]
    if len(fold) != n:
        raise RuntimeError(f"{oof}: {len(fold)} rows, expected {n}")
    tmp = out_csv + ".tmp"
    with open(src_csv) as src, open(tmp, "w") as dst:
        dst.write(src.readline().rstrip("\n") + ",fold\n")
        i = 0
        for line in src:
            dst.write(line.rstrip("\n") + "," + fold[i] + "\n")
            i += 1
        if i != n:
            raise RuntimeError(f"{src_csv}: {i} rows, expected {n}")
    os.replace(tmp, out_csv)
    os.remove(oof)
    by_column = _logreg_json([logreg, "cv", out_csv, "--fold-column", "fold"] + common)
    a, b = (sorted(j["grid"][0]["fold_scores"]) for j in (by_seed, by_column))
    if a != b:
        raise RuntimeError(f"logreg cv --fold-column fold on {out_csv} gives other fold scores than "
                           f"--folds {folds} on {src_csv}: {a} vs {b}")
    values, counts = np.unique(np.asarray(fold, dtype=np.int64), return_counts=True)
    return dict(zip(values.tolist(), counts.tolist()))


def glmnet_lambda_max(X, y):
    """glmnet's lambda_max for family='binomial', alpha=1, standardize=TRUE, with an intercept:
    max_j |<x_j standardised, y - mean(y)>| / n, the standardisation with the 1/n variance."""
    n = X.shape[0]
    xm = X.mean(axis=0)
    xs = np.sqrt(((X - xm) ** 2).mean(axis=0))
    r = y - y.mean()
    return float(np.max(np.abs(((X - xm) / xs).T @ r)) / n)


def l1_grid(X, y, folds, count=L1_COUNT):
    """(lambdas in decreasing order, the equivalent C in increasing order, n_train, ratio)."""
    n, d = X.shape
    ratio = 1e-4 if n >= d else 1e-2
    lmax = glmnet_lambda_max(X, y)
    lambdas = [float(v) for v in np.exp(np.linspace(np.log(lmax), np.log(lmax * ratio), count))]
    n_train = n * (folds - 1) / folds
    return lambdas, [1.0 / (n_train * lam) for lam in lambdas], n_train, ratio


def read_logreg_cv(path):
    """logreg cv --json (its standard output)."""
    with open(path) as fh:
        j = json.load(fh)
    grid = j["grid"]
    bad = sum(1 for g in grid if not g.get("converged", True))
    return {"C": [g["C"] for g in grid], "mean": [g["mean"] for g in grid],
            "fold_scores": [g["fold_scores"] for g in grid], "nonzero": [g.get("nonzero") for g in grid],
            "chosen_C": j["chosen"]["C"], "chosen_mean": j["chosen"]["mean"],
            "iterations": None, "status": "converged" if not bad else f"{bad} of {len(grid)} values not converged",
            "fit_seconds": None}


def read_sklearn_cv(path):
    with open(path) as fh:
        j = json.load(fh)
    i = j["Cs"].index(j["chosen_C"])
    status = "converged" if not j["convergence_warnings"] else (
        f"{j['convergence_warnings']} ConvergenceWarning(s): " + (j["warnings"] or ["?"])[0][:120])
    return {"C": j["Cs"], "mean": j["mean"], "fold_scores": j["fold_scores"], "chosen_C": j["chosen_C"],
            "chosen_mean": j["mean"][i], "iterations": j["iterations"], "status": status,
            "fit_seconds": j["fit_seconds"], "load_seconds": j["load_seconds"]}


def read_glmnet_cv(path, n_train):
    """cvm is the mean deviance, 2 x the log loss; lambda is mapped to C = 1 / (n_train lambda)."""
    with open(path) as fh:
        j = json.load(fh)
    lam = j["lambda"]
    mean = [v / 2 for v in j["cvm"]]
    i = lam.index(j["lambda_min"])
    return {"lambda": lam, "C": [1.0 / (n_train * v) for v in lam], "mean": mean, "nonzero": j["nzero"],
            "chosen_C": 1.0 / (n_train * j["lambda_min"]), "chosen_lambda": j["lambda_min"],
            "chosen_mean": mean[i], "iterations": j["npasses"], "status": "converged",
            "fit_seconds": j["call_seconds"], "call_cpu_seconds": j["call_cpu_seconds"],
            "read_seconds": j["read_seconds"], "thresh": j["thresh"], "versions": f"glmnet {j['glmnet']}, {j['r']}"}


def compare(a, b):
    """Two tools' results on the same grid: the largest relative difference of the mean scores
    (matched by C to 1e-9 relative), whether the chosen C is the same value, and the mean scores of
    a at both choices (a near tie explains a different choice)."""
    pairs = []
    for c, m in zip(a["C"], a["mean"]):
        for c2, m2 in zip(b["C"], b["mean"]):
            if abs(c - c2) <= 1e-9 * abs(c):
                pairs.append((m, m2))
    if len(pairs) != len(a["C"]):
        return None
    worst = max(abs(m - m2) / abs(m) for m, m2 in pairs)
    same = abs(a["chosen_C"] - b["chosen_C"]) <= 1e-9 * abs(a["chosen_C"])
    at_b = None
    for c, m in zip(a["C"], a["mean"]):
        if abs(c - b["chosen_C"]) <= 1e-9 * abs(c):
            at_b = m
    return {"max_rel_mean": worst, "same_choice": same, "a_at_a": a["chosen_mean"], "a_at_b": at_b}
