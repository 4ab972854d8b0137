"""Machine description, result tables (markdown) and the docs/benchmarks.md rewrite."""

import os
import platform
import re
import statistics
import subprocess

BEGIN = "<!-- bench:begin -->"
END = "<!-- bench:end -->"


def _first(path, pattern):
    try:
        with open(path) as f:
            for line in f:
                m = re.match(pattern, line)
                if m:
                    return m.group(1).strip()
    except OSError:
        pass
    return None


def _cmd(argv):
    try:
        r = subprocess.run(argv, capture_output=True, text=True, timeout=30)
        return (r.stdout or r.stderr).strip()
    except (OSError, subprocess.SubprocessError):
        return None


def machine(logreg, python, threads, liblinear, rss_method=""):
    cpu = _first("/proc/cpuinfo", r"model name\s*:\s*(.*)") or platform.processor() or "unknown"
    mem_kb = _first("/proc/meminfo", r"MemTotal:\s*(\d+)")
    mem = f"{int(mem_kb) / 1024 ** 2:.1f} GiB" if mem_kb else "unknown"
    os_name = _first("/etc/os-release", r'PRETTY_NAME="?([^"\n]*)') or platform.system()
    cores = os.cpu_count()
    try:
        usable = len(os.sched_getaffinity(0))
    except AttributeError:
        usable = cores
    logreg_version = _cmd([logreg, "--version"]) or "unknown"
    py = _cmd([python, "-c",
               "import sys, sklearn, numpy, scipy, pandas; "
               "print(sys.version.split()[0], sklearn.__version__, numpy.__version__, "
               "scipy.__version__, pandas.__version__)"])
    try:
        pyv, skv, npv, spv, pdv = py.split()
    except (AttributeError, ValueError):
        pyv = skv = npv = spv = pdv = "unavailable"
    lib = None
    if liblinear:
        lib = _cmd(["dpkg-query", "-W", "-f", "${Version}", "liblinear-tools"])
        if not lib or "no packages" in lib:
            lib = "unknown version"
        lib = f"{liblinear} ({lib})"
    return {
        "cpu": cpu, "cores": f"{cores} logical ({usable} usable)", "ram": mem,
        "os": f"{os_name}, kernel {platform.release()}",
        "logreg": " / ".join(line.strip() for line in logreg_version.splitlines()),
        "python": f"{python} {pyv}: scikit-learn {skv}, numpy {npv}, scipy {spv}, pandas {pdv}",
        "liblinear": lib or "not found",
        "threads": ("all cores (logreg --threads 0; BLAS thread variables left unset)" if not threads
                    else f"{threads} (logreg --threads {threads}; OMP/OPENBLAS/MKL_NUM_THREADS={threads})"),
        "rss": rss_method,
    }


def machine_markdown(m):
    return "\n".join([
        f"- CPU: {m['cpu']}, {m['cores']}; RAM {m['ram']}",
        f"- OS: {m['os']}",
        f"- logreg: {m['logreg']}",
        f"- Python: {m['python']}",
        f"- LIBLINEAR: {m['liblinear']}",
    ] + ([f"- R: {m['r']}"] if m.get("r") else []) + [
        f"- threads: {m['threads']}; peak RSS from {m['rss']}",
    ] + ([f"- at the start: {m['load']}"] if m.get("load") else []))


def fmt_mb(b):
    return f"{b / 1e6:,.0f}" if b >= 10e6 else f"{b / 1e6:.1f}"


def fmt_s(t):
    return f"{t:.3f}" if t < 10 else f"{t:.2f}" if t < 100 else f"{t:.1f}"


def fmt_bytes(b):
    for unit, k in (("GB", 1e9), ("MB", 1e6), ("kB", 1e3)):
        if b >= k:
            return f"{b / k:.1f} {unit}"
    return f"{b} B"


def summarise(runs):
    ok = [r for r in runs if r["measurement"].ok]
    if not ok:
        return None
    walls = [r["measurement"].wall for r in ok]
    return {
        "n": len(ok), "failed": len(runs) - len(ok),
        "median": statistics.median(walls), "min": min(walls), "max": max(walls),
        "cpu": statistics.median(r["measurement"].cpu for r in ok),
        "rss": max(r["measurement"].peak_rss for r in ok),
        "objective": ok[-1].get("objective"),
        "zeros": ok[-1].get("zeros"),
        "iterations": ok[-1].get("iterations"),
        "status": ok[-1].get("status"),
        "fit": statistics.median(r["fit_seconds"] for r in ok) if all(
            r.get("fit_seconds") is not None for r in ok) else None,
    }


def size_table(case, results, train_tools, predict_tools):
    """results: tool -> list of run dicts. Returns markdown text for one size (of one case:
    case["kind"] is "l2", "multinomial", "l1", "adult" or "sparse"; the l1 table has a column of
    exact zeros)."""
    n, d = case["n"], case["d"]
    kind = case.get("kind", "l2")
    matrix = n * d * 8
    nnz = case.get("nnz")
    if kind in ("adult", "sparse"):
        pos = f"{case['positives'] / n:.1%} positive." if case.get("positives") is not None else ""
        if kind == "adult":
            title = (f"### adult{'' if case['name'] == 'full' else ' (first ' + case['name'] + ' rows)'}: "
                     f"{n:,} rows, 6 numeric + 8 text columns -> {d} features one-hot")
            files = f"CSV {fmt_bytes(case['csv_bytes'])}, libsvm (for LIBLINEAR) {fmt_bytes(case['svm_bytes'])}"
        else:
            title = (f"### sparse {case['name']}: {n:,} rows x {d:,} features, {case['k']} non-zeros "
                     f"per row ({case['k'] / d:.2%})")
            files = f"libsvm {fmt_bytes(case['svm_bytes'])}"
        lines = [title, "",
                 f"{files}; {nnz:,} non-zeros (CSR, 12 bytes each: {fmt_bytes(nnz * 12)}); dense "
                 f"float64 matrix n*d*8 = {fmt_bytes(matrix)}; {pos}", ""]
    elif kind == "multinomial":
        title = f"### {case['name']}, multinomial: {n:,} rows x {d} features, {case['classes']} classes"
        counts = case.get("class_counts") or []
        mix = "classes " + " / ".join(f"{c / n:.1%}" for c in counts) + "." if counts else ""
    else:
        title = (f"### {case['name']}: {n:,} rows x {d} features" if kind == "l2" else
                 f"### {case['name']}, L1 (C = {case['C']:.6g}): {n:,} rows x {d} features")
        mix = f"{case['positives'] / n:.1%} positive." if case.get("positives") is not None else ""
    if kind not in ("adult", "sparse"):
        lines = [title,
                 "",
                 f"CSV {fmt_bytes(case['csv_bytes'])}, libsvm {fmt_bytes(case['svm_bytes'])}; "
                 f"dense float64 matrix n*d*8 = {fmt_bytes(matrix)}; " + mix,
                 ""]
    summ = {tool: summarise(runs) for tool, runs in results.items()}
    objs = [s["objective"] for t, s in summ.items() if s and s.get("objective") is not None]
    best = min(objs) if objs else None
    zeros_col = kind == "l1"
    cols = 13 if zeros_col else 12
    lines += ["| tool | runs | median s | min s | max s | CPU s | solver s | peak RSS MB | iters | final objective | rel. diff to best | "
              + ("zeros | " if zeros_col else "") + "logreg speed-up |",
              "| --- |" + " ---: |" * (cols - 1)]
    gap = "|" + " |" * (cols - 3)  # the empty cells after "tool | runs | status"
    base_train = summ.get("logreg train")
    base_pred = summ.get("logreg predict")
    notes = []
    for tool in train_tools + predict_tools:
        if tool not in results:
            continue
        s = summ[tool]
        runs = results[tool]
        if s is None:
            if not runs:
                lines.append(f"| {tool} | 0 | skipped {gap}")
                notes.append(f"{tool} skipped: no model to predict with")
                continue
            last = runs[-1]["measurement"]
            err = last.stderr.strip().splitlines()[-1:]
            lines.append(f"| {tool} | 0/{len(runs)} | FAILED {gap}")
            notes.append(f"{tool} failed after {last.wall:.0f} s: exit {last.returncode}: "
                         f"{err[0] if err else ''}")
            continue
        base = base_pred if tool in predict_tools else base_train
        if tool in ("logreg train", "logreg predict"):
            ratio = "1 (baseline)"
        elif base:
            ratio = f"{s['median'] / base['median']:.2f}x"
        else:
            ratio = "n/a"
        obj = rel = ""
        if s["objective"] is not None:
            obj = f"{s['objective']:.10g}"
            rel = f"{(s['objective'] - best) / abs(best):.1e}" if best else ""
        runs_txt = f"{s['n']}" if not s["failed"] else f"{s['n']}/{s['n'] + s['failed']}"
        lines.append(
            f"| {tool} | {runs_txt} | {fmt_s(s['median'])} | {fmt_s(s['min'])} | {fmt_s(s['max'])} | "
            f"{fmt_s(s['cpu'])} | {fmt_s(s['fit']) if s['fit'] is not None else ''} | "
            f"{fmt_mb(s['rss'])} | {s['iterations'] if s['iterations'] is not None else ''} | "
            f"{obj} | {rel} | " + (f"{s['zeros'] if s['zeros'] is not None else ''} of {d} | "
                                   if zeros_col else "") + f"{ratio} |")
        if s["status"] and s["status"] != "converged":
            notes.append(f"{tool}: {s['status']}")
        if s["failed"]:
            notes.append(f"{tool}: {s['failed']} run(s) failed")
    lines.append("")
    extra = []
    if base_train and nnz:
        extra.append(f"logreg train peak RSS = {base_train['rss'] / nnz:.1f} bytes per non-zero "
                     f"({base_train['rss'] / matrix:.2f} x n*d*8)")
    elif base_train:
        extra.append(f"logreg train peak RSS = {base_train['rss'] / matrix:.2f} x n*d*8")
        rates = [r["ingest_mbps"] for r in results.get("logreg train", []) if r.get("ingest_mbps")]
        if rates:
            extra.append(f"logreg {'libsvm' if kind == 'sparse' else 'CSV'} ingest (file to matrix, from train --verbose) = "
                         f"{statistics.median(rates):.0f} MB/s median of {len(rates)} run(s)")
    if base_pred:
        extra.append(f"logreg predict peak RSS = {base_pred['rss'] / matrix:.2f} x n*d*8")
    if case.get("agreement") is not None:
        extra.append(f"max |p_logreg - p_sklearn| over the predictions = {case['agreement']:.1e}")
    if case.get("load_before"):
        strip = lambda t: t.replace("load average ", "").replace(" (1, 5, 15 min)", "")  # noqa: E731
        extra.append(f"load average {strip(case['load_before'])} before this size, "
                     f"{strip(case.get('load_after', '?'))} after (1, 5, 15 min)")
    if extra:
        lines += ["; ".join(extra) + ".", ""]
    notes += case.get("notes", [])
    for note in notes:
        lines.append(f"- {note}")
    if notes:
        lines.append("")
    return "\n".join(lines)


def markers(kind):
    """The comment lines around one case's results in docs/benchmarks.md (l2: the original pair)."""
    if kind == "l2":
        return BEGIN, END
    return f"<!-- bench:{kind}:begin -->", f"<!-- bench:{kind}:end -->"


def write_docs(path, body, kind="l2"):
    """Replace the text between the markers of one case; the other cases' results stay."""
    begin, end = markers(kind)
    try:
        with open(path) as f:
            text = f.read()
    except FileNotFoundError:
        text = "# Benchmarks\n\n"
    block = f"{begin}\n{body.rstrip()}\n{end}"
    if begin in text and end in text and text.index(begin) < text.index(end):
        head = text[:text.index(begin)]
        tail = text[text.index(end) + len(end):]
        text = head + block + tail
    else:
        text = text.rstrip() + "\n\n" + block + "\n"
    tmp = path + ".tmp"
    with open(tmp, "w") as f:
        f.write(text)
    os.replace(tmp, path)


def scaling_table(rows):
    """The sparse case's scaling runs (logreg train alone): rows of dicts with n, d, k, svm_bytes,
    the summary of the runs (summarise) and the model's iterations / status."""
    lines = ["### sparse: logreg train at several sizes (time and memory follow the non-zeros)", "",
             "| rows | features | non-zeros per row | non-zeros | libsvm | runs | median s | solver s | "
             "iters | solver ms per iteration per million non-zeros | peak RSS MB | RSS bytes per non-zero | "
             "dense n*d*8 | peak RSS / dense |",
             "| ---: |" + " ---: |" * 13]
    notes = []
    for r in rows:
        s = r["summary"]
        nnz = r["n"] * r["k"]
        dense = r["n"] * r["d"] * 8
        head = f"| {r['n']:,} | {r['d']:,} | {r['k']} | {nnz:,} | {fmt_bytes(r['svm_bytes'])} |"
        if s is None:
            lines.append(head + " FAILED |" + " |" * 8)
            notes.append(f"{r['n']}x{r['d']}x{r['k']}: {r.get('error', 'failed')}")
            continue
        per_iter = (f"{s['fit'] / s['iterations'] / (nnz / 1e6) * 1e3:.2f}"
                    if s["fit"] is not None and s["iterations"] else "")
        lines.append(f"{head} {s['n']} | {fmt_s(s['median'])} | "
                     f"{fmt_s(s['fit']) if s['fit'] is not None else ''} | {s['iterations'] or ''} | "
                     f"{per_iter} | {fmt_mb(s['rss'])} | {s['rss'] / nnz:.1f} | {fmt_bytes(dense)} | "
                     f"{s['rss'] / dense:.3f} |")
        if s["status"] and s["status"] != "converged":
            notes.append(f"{r['n']}x{r['d']}x{r['k']}: {s['status']}")
    lines.append("")
    lines += [f"- {note}" for note in notes]
    return "\n".join(lines) + "\n"


def fmt_tol(x):
    """1e-09 -> 1e-9."""
    mantissa, _, exp = f"{x:.0e}".partition("e")
    return f"{mantissa}e{int(exp)}"


def categorical_table(case, results, train_tools):
    """The categorical case: one size's table (every tool's own objective; logreg's against the
    stored reference), then the issue's targets for logreg on the CSV next to what was measured."""
    n, d = case["n"], case["d"]
    issue = case.get("issue") or {}
    figures = issue.get("figures", {}) if n == issue.get("rows") else {}
    pos = f"{case['positives'] / n:.1%} positive" if case.get("positives") is not None else ""
    lines = [f"### categorical {case['name']}: {n:,} rows, 4 numeric + 8 text columns -> {d} terms one-hot",
             "",
             f"CSV {fmt_bytes(case['csv_bytes'])}, libsvm twin {fmt_bytes(case['svm_bytes'])}; "
             f"{case['nnz']:,} non-zeros (CSR, 12 bytes each: {fmt_bytes(case['nnz'] * 12)}); dense float64 "
             f"matrix n*d*8 = {fmt_bytes(n * d * 8)}; {pos}.", ""]
    summ = {tool: summarise(runs) for tool, runs in results.items()}
    reference = case.get("reference")
    cols = ["tool", "runs", "median s", "min s", "max s", "CPU s", "solver s", "peak RSS MB", "iters",
            "objective (its own problem)", "rel. diff to reference"]
    if figures:
        cols.append("the issue's figures")
    lines += ["| " + " | ".join(cols) + " |", "| --- |" + " ---: |" * (len(cols) - 1)]
    notes = []
    for tool in train_tools:
        if tool not in results:
            continue
        s, runs = summ[tool], results[tool]
        fig = figures.get(tool)
        fig_txt = [f"{fig[0]:g} s, {fig[1] / 1e9:g} GB" if fig and fig[1] >= 1e9 else
                   f"{fig[0]:g} s, {fig[1] / 1e6:g} MB" if fig else ""] if figures else []
        if s is None:
            last = runs[-1]["measurement"] if runs else None
            lines.append(f"| {tool} | 0/{len(runs)} | FAILED |" + " |" * (len(cols) - 3 - len(fig_txt))
                         + "".join(f" {t} |" for t in fig_txt))
            if last:
                err = last.stderr.strip().splitlines()[-1:]
                notes.append(f"{tool} failed: exit {last.returncode}: {err[0] if err else ''}")
            continue
        obj = f"{s['objective']:.12g}" if s["objective"] is not None else ""
        ref = runs[-1].get("reference_rel") if runs else None
        ref_txt = "" if tool.startswith("liblinear") else (
            f"{ref:.1e}" if ref is not None else "no reference" if s["objective"] is not None else "")
        runs_txt = f"{s['n']}" if not s["failed"] else f"{s['n']}/{s['n'] + s['failed']}"
        lines.append(
            f"| {tool} | {runs_txt} | {fmt_s(s['median'])} | {fmt_s(s['min'])} | {fmt_s(s['max'])} | "
            f"{fmt_s(s['cpu'])} | {fmt_s(s['fit']) if s['fit'] is not None else ''} | {fmt_mb(s['rss'])} | "
            f"{s['iterations'] if s['iterations'] is not None else ''} | {obj} | {ref_txt} |"
            + "".join(f" {t} |" for t in fig_txt))
        if s["status"] and s["status"] != "converged":
            notes.append(f"{tool}: {s['status']}")
        if s["failed"]:
            notes.append(f"{tool}: {s['failed']} run(s) failed")
    lines.append("")

    csv, svm, ll = (summ.get(t) for t in train_tools)
    extra = []
    rates = [r["ingest_mbps"] for r in results.get(train_tools[0], []) if r.get("ingest_mbps")]
    if rates:
        extra.append(f"logreg CSV read (file to matrix, from train --verbose) = "
                     f"{statistics.median(rates):.0f} MB/s median of {len(rates)} run(s)")
    if case.get("csv_vs_svm") is not None:
        extra.append(f"logreg's objective on the CSV vs on the libsvm twin (the same problem): "
                     f"{case['csv_vs_svm']:.1e} relative")
    if case.get("checks"):
        worst = max(case["checks"].values())
        extra.append(f"logreg's reported objectives agree with the harness's evaluation of their "
                     f"coefficients to {worst:.1e} relative")
    if case.get("load_before"):
        strip = lambda t: t.replace("load average ", "").replace(" (1, 5, 15 min)", "")  # noqa: E731
        extra.append(f"load average {strip(case['load_before'])} before this size, "
                     f"{strip(case.get('load_after', '?'))} after (1, 5, 15 min)")
    if extra:
        lines += ["; ".join(extra) + ".", ""]

    # the issue's targets for logreg on the CSV
    if issue and csv:
        lines += ["Targets of the categorical issue for logreg on the CSV"
                  + ("" if n == issue.get("rows") else f" (set for {issue['rows']:,} rows; this is {n:,})")
                  + ":", "",
                  "| target | measured | held? |", "| --- | --- | --- |"]
        if csv:
            rss_ok = csv["rss"] <= issue["max_rss"]
            lines.append(f"| peak RSS <= {fmt_mb(issue['max_rss'])} MB | {fmt_mb(csv['rss'])} MB | "
                         f"{'yes' if rss_ok else 'no'} |")
        if csv and ll:
            ratio = ll["median"] / csv["median"]
            lines.append(f"| end to end >= {issue['min_speedup']:g}x faster than liblinear-train -s 0 on the "
                         f"libsvm twin | {fmt_s(ll['median'])} s / {fmt_s(csv['median'])} s = {ratio:.2f}x | "
                         f"{'yes' if ratio >= issue['min_speedup'] else 'no'} |")
        ref = (results.get(train_tools[0]) or [{}])[-1].get("reference_rel") if csv else None
        if csv and reference:
            lines.append(f"| objective = today's logreg's to {fmt_tol(issue['objective_rtol'])} relative | "
                         f"{csv['objective']!r} vs {reference['objective']!r}: {ref:.1e} | "
                         f"{'yes' if abs(ref) <= issue['objective_rtol'] else 'no'} |")
        elif csv:
            lines.append(f"| objective = today's logreg's to {fmt_tol(issue['objective_rtol'])} relative | no stored "
                         f"reference for {n:,} rows | |")
        lines.append("")
    if reference:
        notes.append(f"reference objective for {n:,} rows: {reference['objective']!r}, "
                     f"{reference.get('source', '')}")
    notes += case.get("notes", [])
    notes += [f"command: `{c}`" for c in case.get("commands", [])]
    lines += [f"- {note}" for note in notes]
    if notes:
        lines.append("")
    return "\n".join(lines)


def cv_table(case, results, tools, l2, sk, l1, glmnet, targets):
    """The cv case: one size's table (whole-process times; the inner time is scikit-learn's fit,
    glmnet's cv.glmnet call), the chosen C and the agreement of the mean scores with logreg's, then
    the model-selection issue's speed targets."""
    n, d, k = case["n"], case["d"], len(case.get("fold_counts") or {}) or "?"
    counts = case.get("fold_counts") or {}
    lines = [f"### cv {case['name']}: {n:,} rows x {d} features, {k} folds, {len(case['l2_grid'])} values of C",
             "",
             f"CSV with the fold column {fmt_bytes(case['folded_bytes'])}; fold sizes "
             f"{min(counts.values())}-{max(counts.values())} rows (logreg's stratified folds, seed 0; "
             "logreg cv --fold-column fold on this file gives the fold scores of --folds "
             f"{k} on the original, checked); "
             f"{case['positives'] / n:.1%} positive.", ""]
    summ = {tool: summarise(runs) for tool, runs in results.items()}
    fits = case.get("cv_fits") or {}
    cmp = case.get("cv_compare") or {}
    cols = ["tool", "runs", "median s", "min s", "max s", "CPU s", "inner s", "peak RSS MB", "chosen C",
            "its mean log loss", "max rel. diff of the mean scores to logreg's", "logreg speed-up"]
    lines += ["| " + " | ".join(cols) + " |", "| --- |" + " ---: |" * (len(cols) - 1)]
    notes = []
    for tool in tools:
        if tool not in results:
            continue
        s, runs = summ[tool], results[tool]
        if s is None:
            last = runs[-1]["measurement"] if runs else None
            lines.append(f"| {tool} | 0/{len(runs)} | FAILED |" + " |" * (len(cols) - 3))
            if last:
                err = last.stderr.strip().splitlines()[-1:]
                notes.append(f"{tool} failed: exit {last.returncode}: {err[0] if err else ''}")
            continue
        base = summ.get(l1 if tool in (l1, glmnet) else l2)
        if tool in (l2, l1):
            ratio = "1 (baseline)"
        elif base:
            ratio = f"{s['median'] / base['median']:.2f}x"
        else:
            ratio = "n/a"
        fit = fits.get(tool) or {}
        chosen = f"{fit['chosen_C']:.6g}" if fit else ""
        if fit.get("chosen_lambda") is not None:
            chosen += f" (lambda {fit['chosen_lambda']:.6g})"
        mean = f"{fit['chosen_mean']:.10g}" if fit else ""
        c = cmp.get(tool)
        diff = f"{c['max_rel_mean']:.1e}" + ("" if c["same_choice"] else " (another C)") if c else ""
        runs_txt = f"{s['n']}" if not s["failed"] else f"{s['n']}/{s['n'] + s['failed']}"
        lines.append(f"| {tool} | {runs_txt} | {fmt_s(s['median'])} | {fmt_s(s['min'])} | {fmt_s(s['max'])} | "
                     f"{fmt_s(s['cpu'])} | {fmt_s(s['fit']) if s['fit'] is not None else ''} | {fmt_mb(s['rss'])} | "
                     f"{chosen} | {mean} | {diff} | {ratio} |")
        if s["status"] and s["status"] != "converged":
            notes.append(f"{tool}: {s['status']}")
        if s["failed"]:
            notes.append(f"{tool}: {s['failed']} run(s) failed")
    lines.append("")
    if case.get("load_before"):
        strip = lambda t: t.replace("load average ", "").replace(" (1, 5, 15 min)", "")  # noqa: E731
        lines += [f"Load average {strip(case['load_before'])} before this size, "
                  f"{strip(case.get('load_after', '?'))} after (1, 5, 15 min).", ""]

    # the model-selection issue's targets (set for 100,000 x 50, 10 folds, 20 values of C)
    rows = []
    a, b = summ.get(l2), summ.get(sk[min(sk)])
    if a and b:
        r = b["median"] / a["median"]
        rows.append(f"| logreg cv (L2) >= {targets['sklearn']:g}x faster than scikit-learn's LogisticRegressionCV, "
                    f"lbfgs, tol=1e-6 (whole processes) | {fmt_s(b['median'])} s / {fmt_s(a['median'])} s = "
                    f"{r:.2f}x | {'yes' if r >= targets['sklearn'] else 'no'} |")
    b = summ.get(sk[max(sk)])
    if a and b:
        rows.append(f"| (for the record) against LogisticRegressionCV at its default tol=1e-4 | "
                    f"{fmt_s(b['median'])} s / {fmt_s(a['median'])} s = {b['median'] / a['median']:.2f}x | |")
    a, g = summ.get(l1), summ.get(glmnet)
    if a and g and g["fit"] is not None:
        r = g["fit"] / a["median"]
        rows.append(f"| logreg cv --penalty l1 (whole process) >= {targets['glmnet']:g}x faster than the "
                    f"cv.glmnet call inside R (without read.csv) | {fmt_s(g['fit'])} s / {fmt_s(a['median'])} s = "
                    f"{r:.2f}x | {'yes' if r >= targets['glmnet'] else 'no'} |")
        rows.append(f"| (for the record) against R's whole process (Rscript, read.csv, cv.glmnet) | "
                    f"{fmt_s(g['median'])} s / {fmt_s(a['median'])} s = {g['median'] / a['median']:.2f}x | |")
    if rows:
        lines += ["Targets of the model-selection issue (issue 14 item 8; medians)"
                  + ("" if (n, d) == (100_000, 50) else f" (set for 100,000 x 50; this is {n:,} x {d})") + ":",
                  "", "| target | measured | held? |", "| --- | --- | --- |"] + rows + [""]

    l2fit, glfit = fits.get(l2), fits.get(glmnet)
    for other, c in cmp.items():
        ref = l1 if other == glmnet else l2
        if c["same_choice"]:
            notes.append(f"{other} chose the same C as {ref}")
        elif c["a_at_b"] is not None:
            notes.append(f"{other} chose C = {fits[other]['chosen_C']:.6g}, {ref} C = {fits[ref]['chosen_C']:.6g}: "
                         f"by logreg's scores the two are {(c['a_at_b'] - c['a_at_a']) / abs(c['a_at_a']):.1e} "
                         "relative apart")
    if glfit:
        notes.append(f"{glmnet}: {glfit['versions']}; thresh {glfit['thresh']:g} (glmnet's default); "
                     f"{glfit['iterations']} coordinate-descent passes in all; the inner time is the call "
                     f"(CPU {fmt_s(glfit['call_cpu_seconds'])} s), read.csv took {fmt_s(glfit['read_seconds'])} s; "
                     "its mean log loss is half its deviance (cvm), and it weights the folds by their sizes")
    if l2fit is not None or sk:
        notes.append("L2 grid (scikit-learn's Cs=20): np.logspace(-4, 4, 20) = "
                     + ", ".join(f"{c:.4g}" for c in case["l2_grid"]))
    if case.get("l1_lambda"):
        lam = case["l1_lambda"]
        notes.append(f"L1 grid: {len(lam)} lambdas log-spaced from lambda_max = {lam[0]:.6g} (on the standardised "
                     f"data) down to {case['lambda_ratio']:g} x lambda_max = {lam[-1]:.6g}, glmnet's default "
                     f"path rule with nlambda = {len(lam)}; logreg C = 1 / (n_train lambda) with n_train = "
                     f"{case['n_train']:g} (rows x (K - 1) / K): C = {case['l1_C'][0]:.6g} .. {case['l1_C'][-1]:.6g}")
    notes += case.get("notes", [])
    notes += [f"command: `{c}`" for c in case.get("commands", [])]
    lines += [f"- {note}" for note in notes]
    if notes:
        lines.append("")
    return "\n".join(lines)
