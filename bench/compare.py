"""bench/compare: side-by-side accuracy of BayesNF, the reference's stored predictions and kriging.

Run through the bench/compare wrapper (Debian's /usr/bin/python3, standard library only). Every
method's predictions are scored by the project's one scoring implementation, `bayesnf score`
(MAE, RMSE, IS95, coverage95 of the same test rows). See docs/BENCHMARKS.md.
"""

import argparse
import configparser
import csv
import hashlib
import math
import os
import shlex
import shutil
import statistics
import subprocess
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SPLITS = os.path.join(ROOT, "bench", "splits")
PROG = "compare"
BAD = 2


class Usage(Exception):
    """Bad arguments or split file: one line on stderr, exit code 2."""


def fail(msg):
    raise Usage(msg)


def known_splits():
    return sorted(f[:-6] for f in os.listdir(SPLITS) if f.endswith(".split"))


def load_split(name):
    path = name if name.endswith(".split") and os.path.isfile(name) else os.path.join(SPLITS, name + ".split")
    if not os.path.isfile(path):
        fail(f"unknown split '{name}' (known: {', '.join(known_splits())}, or a path to a .split file)")
    cp = configparser.ConfigParser(interpolation=None, comment_prefixes=("#",), inline_comment_prefixes=None)
    try:
        cp.read(path, encoding="utf-8")
    except configparser.Error as e:
        fail(f"{path}: {str(e).splitlines()[0]}")
    if not cp.has_section("split"):
        fail(f"{path}: no [split] section")
    s = dict(cp["split"])
    for key in ("target", "coordinates"):
        if key not in s:
            fail(f"{path}: [split] has no '{key}'")
    if sum(k in s for k in ("train", "source", "data_from_r")) != 1:
        fail(f"{path}: [split] needs one of: train/test files, one source file with holdout or forecast_from, or "
             f"data_from_r (a data set of bench/public_data.R)")
    if "forecast_from" in s and ("source" not in s or "time" not in s):
        fail(f"{path}: [split] forecast_from needs a source file and a time column")
    if "train" in s and "test" not in s:
        fail(f"{path}: [split] has train but no test")
    coords = [c.strip() for c in s["coordinates"].split(",")]
    if len(coords) != 2:
        fail(f"{path}: coordinates must name two columns (x/longitude, y/latitude)")
    configs = {}
    transforms = {}
    step_means = {}
    for sec in cp.sections():
        if sec.startswith("config "):
            cname = sec[len("config "):].strip()
            if "fit" not in cp[sec]:
                fail(f"{path}: [{sec}] has no 'fit' options")
            tt = cp[sec].get("target_transform", "none").strip()
            if tt not in ("none", "standardize"):
                fail(f"{path}: [{sec}] target_transform must be none or standardize, got '{tt}'")
            configs[cname] = shlex.split(cp[sec]["fit"])
            transforms[cname] = tt
            step_means[cname] = cp[sec].get("step_mean_feature", "").strip()
    if not configs:
        fail(f"{path}: no [config NAME] section")
    refs = {}
    if cp.has_section("reference"):
        for rname, spec in cp["reference"].items():
            parts = spec.split()
            if len(parts) != 4:
                fail(f"{path}: [reference] {rname} must be 'FILE MEAN LOWER UPPER'")
            refs[rname] = parts
    return {"name": os.path.basename(path)[:-6], "path": path, "split": s, "coords": coords,
            "configs": configs, "transforms": transforms, "step_means": step_means, "refs": refs}


def parse_args(argv):
    p = argparse.ArgumentParser(
        prog="bench/compare",
        description="Score BayesNF (median and min-max over seeds), the reference's stored predictions "
                    "and R gstat kriging peers (IDW, ordinary kriging with a fitted variogram, the earlier "
                    "fixed-variogram protocol) on one split, and print one table.")
    p.add_argument("split", help="split name (bench/splits/NAME.split) or path to a .split file")
    p.add_argument("--config", help="model configuration(s) in the split file, comma-separated, scored side by side "
                                    "(default: the split's default_config)")
    p.add_argument("--seeds", help="BayesNF seeds 0..N-1 (default 3)")
    p.add_argument("--ensemble", help="override the configuration's particles/surrogates")
    p.add_argument("--epochs", help="override the configuration's epochs")
    p.add_argument("--threads", help="CPU threads for ./bayesnf (default: all)")
    p.add_argument("--work", help="folder for split files, models and predictions (default bench/work/SPLIT)")
    p.add_argument("--no-kriging", action="store_true", help="skip the R gstat peers")
    p.add_argument("--no-bayesnf", action="store_true", help="skip fitting BayesNF (peers only)")
    p.add_argument("--tiny", action="store_true",
                   help="smoke test: 1 seed, 1 particle, 1 epoch; kriging skipped when Rscript is absent")
    p.add_argument("--dry-run", action="store_true", help="print the planned commands and stop")
    p.add_argument("--markdown", action="store_true", help="print the table as Markdown")

    def error(message):
        fail(message)

    p.error = error
    a = p.parse_args(argv)
    for opt in ("seeds", "ensemble", "epochs", "threads"):
        v = getattr(a, opt)
        if v is None:
            continue
        try:
            iv = int(v)
        except ValueError:
            fail(f"--{opt} must be a positive integer, got '{v}'")
        if iv < 1 or (opt == "seeds" and iv > 100):
            fail(f"--{opt} must be a positive integer{' (at most 100)' if opt == 'seeds' else ''}, got '{v}'")
        setattr(a, opt, iv)
    if a.seeds is None:
        a.seeds = 1 if a.tiny else 3
    if a.tiny:
        a.ensemble = a.ensemble or 1
        a.epochs = a.epochs or 1
    return a


def override(opts, name, value):
    """Replaces (or appends) --name VALUE in a list of fit options."""
    out = []
    i = 0
    found = False
    while i < len(opts):
        o = opts[i]
        if o == name:
            out += [name, str(value)]
            i += 2
            found = True
            continue
        if o.startswith(name + "="):
            out.append(f"{name}={value}")
            found = True
        else:
            out.append(o)
        i += 1
    if not found:
        out += [name, str(value)]
    return out


def opt_value(opts, name, default=None):
    for i, o in enumerate(opts):
        if o == name and i + 1 < len(opts):
            return opts[i + 1]
        if o.startswith(name + "="):
            return o.split("=", 1)[1]
    return default


def make_holdout(sp, work, dry):
    """Writes the train/test files of a holdout split: a seeded random share of the rows (deterministic in
    holdout_seed), or with forecast_from = DATE every row at or after that time (held-out future times)."""
    s = sp["split"]
    src = os.path.join(ROOT, s["source"])
    frac = float(s.get("holdout", "0.25"))
    seed = int(s.get("holdout_seed", "0"))
    train = os.path.join(work, f"{sp['name']}.train.csv")
    test = os.path.join(work, f"{sp['name']}.test.csv")
    if dry:
        return train, test
    with open(src, newline="", encoding="utf-8") as f:
        rows = list(csv.reader(f))
    header, body = rows[0], [r for r in rows[1:] if r]
    if "forecast_from" in s:
        if s["time"] not in header:
            fail(f"{sp['path']}: time column '{s['time']}' is not in {s['source']}")
        j = header.index(s["time"])
        cut = s["forecast_from"].strip()
        held = {i for i, r in enumerate(body) if r[j].strip() >= cut}
        if not held or len(held) == len(body):
            fail(f"{sp['path']}: forecast_from {cut} leaves no training or no test rows")
    else:
        order = sorted(range(len(body)), key=lambda i: hashlib.sha256(f"{seed}:{i}".encode()).hexdigest())
        held = set(order[:round(frac * len(body))])
    for path, keep in ((train, lambda i: i not in held), (test, lambda i: i in held)):
        with open(path, "w", newline="", encoding="utf-8") as f:
            w = csv.writer(f, lineterminator="\n")
            w.writerow(header)
            w.writerows(r for i, r in enumerate(body) if keep(i))
    return train, test


def public_data(sp, work, dry):
    """Writes the train/test files of a split whose data an R package ships (bench/public_data.R)."""
    name = sp["split"]["data_from_r"].strip()
    train = os.path.join(work, f"{name}.train.csv")
    test = os.path.join(work, f"{name}.test.csv")
    if dry:
        print(f"# write {train} and {test}: Rscript bench/public_data.R {name} {work}")
        return train, test
    if not shutil.which("Rscript"):
        fail(f"{sp['path']}: the data of this split come from R packages (bench/public_data.R): install R "
             f"(Debian: r-cran-gstat r-cran-spacetime)")
    run(["Rscript", os.path.join(ROOT, "bench", "public_data.R"), name, work], f"writing {name} from R")
    return train, test


def standardize_target(train, target, out):
    """Writes TRAIN with the target z-scored by its training mean and population std; returns them."""
    with open(train, newline="", encoding="utf-8") as f:
        rows = list(csv.reader(f))
    header, body = rows[0], [r for r in rows[1:] if r]
    j = header.index(target)
    vals = [float(r[j]) for r in body if r[j].strip().lower() not in ("", "na", "nan", "null", "none")]
    mean = statistics.fmean(vals)
    std = statistics.pstdev(vals) or 1.0
    with open(out, "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(header)
        for r in body:
            r = list(r)
            if r[j].strip().lower() not in ("", "na", "nan", "null", "none"):
                r[j] = repr((float(r[j]) - mean) / std)
            w.writerow(r)
    return mean, std


def unstandardize_predictions(path, mean, std):
    """Maps the predicted mean and quantile columns back to the target's units (exact: affine)."""
    with open(path, newline="", encoding="utf-8") as f:
        rows = list(csv.reader(f))
    header = rows[0]
    cols = [i for i, h in enumerate(header) if h == "mean" or (h.startswith("q") and h[1:2].isdigit())]
    with open(path, "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(header)
        for r in rows[1:]:
            if r:
                r = list(r)
                for i in cols:
                    r[i] = repr(float(r[i]) * std + mean)
                w.writerow(r)


def is_missing(v):
    return v.strip().lower() in ("", "na", "nan", "null", "none")


def add_step_mean(train, test, target, time_col, name, train_out, test_out):
    """Adds column NAME: the mean target of the TRAINING rows at the same time step, leaving the row
    itself out for training rows (so the feature never contains the value it is used to predict);
    steps with no other training row get the overall training mean. Test targets are never read."""
    def read(path):
        with open(path, newline="", encoding="utf-8") as f:
            rows = [r for r in csv.reader(f) if r]
        return rows[0], rows[1:]
    th, tb = read(train)
    sh, sb = read(test)
    tj, tt = th.index(target), th.index(time_col)
    sums, counts = {}, {}
    allv = []
    for r in tb:
        if not is_missing(r[tj]):
            v = float(r[tj])
            sums[r[tt]] = sums.get(r[tt], 0.0) + v
            counts[r[tt]] = counts.get(r[tt], 0) + 1
            allv.append(v)
    overall = statistics.fmean(allv)

    def value(step, own):
        n = counts.get(step, 0) - (1 if own is not None else 0)
        return overall if n <= 0 else (sums[step] - (own or 0.0)) / n
    for header, body, tcol, own_col, out in ((th, tb, tt, tj, train_out), (sh, sb, sh.index(time_col), None, test_out)):
        with open(out, "w", newline="", encoding="utf-8") as f:
            w = csv.writer(f, lineterminator="\n")
            w.writerow(header + [name])
            for r in body:
                own = None if own_col is None or is_missing(r[own_col]) else float(r[own_col])
                w.writerow(r + [repr(value(r[tcol], own))])


def bayesnf_cmd():
    env = os.environ.get("BAYESNF")
    return shlex.split(env) if env else [os.path.join(ROOT, "bayesnf")]


def run(cmd, what, capture=True):
    t0 = time.monotonic()
    r = subprocess.run(cmd, cwd=ROOT, stdout=subprocess.PIPE if capture else None, stderr=subprocess.PIPE,
                       text=True)
    dt = time.monotonic() - t0
    if r.returncode != 0:
        err = (r.stderr or "").strip().splitlines()
        print(f"{PROG}: {what} failed (exit {r.returncode}): {err[-1] if err else ''}", file=sys.stderr)
        print("  command: " + " ".join(shlex.quote(c) for c in cmd), file=sys.stderr)
        sys.exit(1)
    return r.stdout, dt


def score(truth, target, pred, mean="mean", lower="q0.025", upper="q0.975", join=None, point_only=False):
    cmd = bayesnf_cmd() + ["score", "--truth", truth, "--target", target, "--predictions", pred,
                           "--mean", mean, "--lower", lower, "--upper", upper]
    if join:
        cmd += ["--join", join]
    if point_only:
        cmd.append("--point-only")
    out, _ = run(cmd, "scoring " + os.path.basename(pred))
    lines = [l for l in out.strip().splitlines() if l]
    vals = dict(zip(lines[0].split(","), lines[1].split(",")))
    return {k: float(vals[k]) for k in ("mae", "rmse", "is95", "coverage95")}


def ensure_r(tiny):
    """True when Rscript with gstat is usable; installs r-cran-gstat via apt-get when root."""
    def has_gstat():
        if not shutil.which("Rscript"):
            return False
        return subprocess.run(["Rscript", "-e", "suppressPackageStartupMessages(library(gstat))"],
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL).returncode == 0
    if has_gstat():
        return True
    if tiny:
        print(f"{PROG}: Rscript with gstat not found: kriging peers skipped (--tiny)", file=sys.stderr)
        return False
    if hasattr(os, "geteuid") and os.geteuid() == 0 and shutil.which("apt-get"):
        print(f"{PROG}: installing r-cran-gstat (apt-get)...", file=sys.stderr)
        env = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
        inst = ["apt-get", "install", "-y", "-q", "--no-install-recommends", "r-cran-gstat"]
        if subprocess.run(inst, env=env, stdout=subprocess.DEVNULL).returncode != 0:
            subprocess.run(["apt-get", "update", "-q"], env=env, stdout=subprocess.DEVNULL)
            subprocess.run(inst, env=env, stdout=subprocess.DEVNULL)
        if has_gstat():
            return True
    print(f"{PROG}: the kriging peers need R gstat: run 'sudo apt-get install --no-install-recommends "
          f"r-cran-gstat' (Debian), or pass --no-kriging", file=sys.stderr)
    sys.exit(1)


def fmt(v, digits):
    return "-" if v is None or (isinstance(v, float) and math.isnan(v)) else f"{v:.{digits}f}"


def config_plan(a, sp, cname, train, test, work):
    """The fits and predictions of one configuration: (fit options, files, plan of (seed, fit, predict, pred))."""
    s = sp["split"]
    target, time_col, freq = s["target"], s.get("time", ""), s.get("freq", "")
    fit_opts = list(sp["configs"][cname])
    if a.ensemble:
        fit_opts = override(fit_opts, "--ensemble", a.ensemble)
    if a.epochs:
        fit_opts = override(fit_opts, "--epochs", a.epochs)
    if a.threads:
        fit_opts = override(fit_opts, "--threads", a.threads)
    base = bayesnf_cmd()
    data_opts = ["--target", target] + (["--time", time_col] if time_col else []) + (["--freq", freq] if freq else [])
    step_mean = sp["step_means"][cname]
    if step_mean and not time_col:
        fail(f"{sp['path']}: [config {cname}] step_mean_feature needs a time column")
    bnf_train, bnf_test = train, test
    if step_mean:
        bnf_train = os.path.join(work, f"{sp['name']}.train.{step_mean}.csv")
        bnf_test = os.path.join(work, f"{sp['name']}.test.{step_mean}.csv")
    transform = sp["transforms"][cname]
    fit_train = bnf_train if transform == "none" else os.path.join(work, f"{sp['name']}.train.{target}-standardized.csv")
    plan = []
    for seed in range(a.seeds):
        model = os.path.join(work, f"bnf-{cname}-s{seed}.bnf")
        pred = os.path.join(work, f"bnf-{cname}-s{seed}.pred.csv")
        fit = base + ["fit", "--data", fit_train] + data_opts + fit_opts + ["--seed", str(seed), "--quiet", "--output", model]
        prd = base + ["predict", "--model", model, "--data", bnf_test, "--quantiles", "0.025,0.5,0.975",
                      "--output", pred] + (["--threads", str(a.threads)] if a.threads else [])
        plan.append((seed, fit, prd, pred))
    return {"name": cname, "opts": fit_opts, "step_mean": step_mean, "transform": transform, "bnf_train": bnf_train,
            "bnf_test": bnf_test, "fit_train": fit_train, "plan": plan}


def config_label(c, runs):
    fit_opts, step_mean, transform = c["opts"], c["step_mean"], c["transform"]
    ens = opt_value(fit_opts, "--ensemble")
    ep = opt_value(fit_opts, "--epochs")
    # settings left out are the rule's (docs/MODEL.md, "Defaults scaled to the data")
    size = ((f"{ens} particle{'' if ens == '1' else 's'}" if ens else "particles scaled to the data") + ", "
            + (f"{ep} epochs" if ep else "epochs scaled to the data"))
    est = opt_value(fit_opts, "--estimator", "map")
    scaling = opt_value(fit_opts, "--target-scaling")
    kriging = opt_value(fit_opts, "--residual-kriging")
    return (f"bayesnf {c['name']} ({est}, {size}"
            + (", target standardized by hand" if transform == "standardize" else "")
            + (f", target scaling {scaling}" if scaling else "")
            + (", + residual kriging" if kriging == "yes" else ", no residual kriging" if kriging == "no" else "")
            + (f", + {step_mean}" if step_mean else "")
            + f", {len(runs)} seed{'s' if len(runs) > 1 else ''})")


def main(argv):
    a = parse_args(argv)
    sp = load_split(a.split)
    s = sp["split"]
    cnames = [c.strip() for c in (a.config or s.get("default_config") or sorted(sp["configs"])[0]).split(",") if c.strip()]
    for cname in cnames:
        if cname not in sp["configs"]:
            fail(f"unknown config '{cname}' for split {sp['name']} (known: {', '.join(sorted(sp['configs']))})")
    work = os.path.abspath(a.work or os.path.join(ROOT, "bench", "work", sp["name"]))
    if not a.dry_run:
        os.makedirs(work, exist_ok=True)
    if "source" in s:
        train, test = make_holdout(sp, work, a.dry_run)
    elif "data_from_r" in s:
        train, test = public_data(sp, work, a.dry_run)
    else:
        train, test = os.path.join(ROOT, s["train"]), os.path.join(ROOT, s["test"])
        for f in (train, test):
            if not os.path.isfile(f):
                fail(f"{sp['path']}: missing data file {f}")
    target, time_col = s["target"], s.get("time", "")
    x, y = sp["coords"]
    geographic = s.get("crs", "").upper() in ("EPSG:4326", "CRS:84", "OGC:CRS84")
    configs = [] if a.no_bayesnf else [config_plan(a, sp, c, train, test, work) for c in cnames]
    rcmd = ["Rscript", os.path.join(ROOT, "bench", "gstat_peers.R"), f"train={train}", f"test={test}",
            f"target={target}", f"x={x}", f"y={y}", f"time={time_col}", f"geographic={int(geographic)}",
            f"out={work}"] + ([f"drift={s['peer_drift']}"] if s.get("peer_drift") else [])

    if a.dry_run:
        q = lambda c: " ".join(shlex.quote(t) for t in c)
        print(f"# split {sp['name']} ({sp['path']}), config {','.join(cnames)}, seeds {a.seeds}, work {work}")
        if "forecast_from" in s:
            print(f"# write {train} and {test}: rows of {s['source']} before / from {s['forecast_from']}")
        elif "source" in s:
            print(f"# write {train} and {test}: holdout {s.get('holdout', '0.25')} of {s['source']}, "
                  f"seed {s.get('holdout_seed', '0')}")
        for c in configs:
            if c["step_mean"]:
                print(f"# write {c['bnf_train']} and {c['bnf_test']}: add {c['step_mean']} = mean {target} of the "
                      f"training rows at the same {time_col} (own row left out)")
            if c["transform"] == "standardize":
                print(f"# write {c['fit_train']}: {target} z-scored with the training mean and std; predicted mean "
                      f"and quantiles mapped back")
            for _, fit, prd, _ in c["plan"]:
                print(q(fit))
                print(q(prd))
        for rname, (rf, *_cols) in sorted(sp["refs"].items()):
            print(f"# score reference {rname}: {rf}")
        if not a.no_kriging:
            print(q(rcmd))
        return 0

    use_r = not a.no_kriging and ensure_r(a.tiny)  # before the long fits: fail early without R
    rows = []  # (label, metrics incl. fit_s/pred_s, spread (min, max) per metric or None, is a peer)
    for c in configs:
        cname = c["name"]
        if c["step_mean"]:
            add_step_mean(train, test, target, time_col, c["step_mean"], c["bnf_train"], c["bnf_test"])
        if c["transform"] == "standardize":
            tmean, tstd = standardize_target(c["bnf_train"], target, c["fit_train"])
        runs = []
        for seed, fit, prd, pred in c["plan"]:
            print(f"{PROG}: bayesnf {cname} seed {seed}: fitting...", file=sys.stderr, flush=True)
            _, tf = run(fit, f"bayesnf fit (seed {seed})")
            _, tp = run(prd, f"bayesnf predict (seed {seed})")
            if c["transform"] == "standardize":
                unstandardize_predictions(pred, tmean, tstd)
            m = score(test, target, pred)
            m["fit_s"], m["pred_s"] = tf, tp
            print(f"{PROG}:   MAE {m['mae']:.4f} RMSE {m['rmse']:.4f} IS95 {m['is95']:.3f} "
                  f"cov95 {m['coverage95']:.3f} fit {tf:.1f}s predict {tp:.1f}s", file=sys.stderr, flush=True)
            runs.append(m)
        keys = ("mae", "rmse", "is95", "coverage95", "fit_s", "pred_s")
        med = {k: statistics.median(r[k] for r in runs) for k in keys}
        spread = {k: (min(r[k] for r in runs), max(r[k] for r in runs)) for k in keys} if len(runs) > 1 else None
        rows.append((config_label(c, runs), med, spread, False))
    for rname, (rf, mcol, lcol, ucol) in sorted(sp["refs"].items()):
        m = score(test, target, os.path.join(ROOT, rf), mcol, lcol, ucol, join=s.get("id"))
        m["fit_s"] = m["pred_s"] = float("nan")
        rows.append((f"reference {rname} (stored predictions)", m, None, True))
    if use_r:
        print(f"{PROG}: gstat peers...", file=sys.stderr, flush=True)
        run(rcmd, "gstat peers (Rscript)")
        timing = {}
        with open(os.path.join(work, "gstat-timing.csv"), newline="") as f:
            for r in csv.DictReader(f):
                timing[r["method"]] = (float(r["fit_s"]), float(r["predict_s"]))
        labels = {"idw": "gstat IDW, power 2", "ok": "gstat ordinary kriging, fitted variogram",
                  "ok-fixed": "gstat ordinary kriging, fixed Exp (earlier protocol)",
                  "uk": f"gstat universal kriging, drift {s.get('peer_drift', '')}",
                  "uk-log": f"gstat universal kriging of log({target}), drift {s.get('peer_drift', '')}"}
        for meth in ("idw", "ok", "ok-fixed") + (("uk", "uk-log") if s.get("peer_drift") else ()):
            m = score(test, target, os.path.join(work, f"gstat-{meth}.csv"), "mean", "lower", "upper",
                      point_only=(meth == "idw"))
            m["fit_s"], m["pred_s"] = timing[meth]
            rows.append((labels[meth], m, None, True))

    # ratios against the best peer (lowest MAE / RMSE / IS95 among the reference and kriging rows)
    best = {}
    for k in ("mae", "rmse", "is95"):
        vals = [(r[1][k], r[0]) for r in rows if r[3] and not math.isnan(r[1][k])]
        best[k] = min(vals) if vals else None
    header = ["method", "MAE", "RMSE", "IS95", "cov95", "fit s", "predict s", "MAE/best", "RMSE/best", "IS95/best"]
    table = []
    for label, m, spread, _peer in rows:
        def cell(k, d):
            v = fmt(m[k], d)
            if spread and v != "-":
                v += f" ({spread[k][0]:.{d}f}-{spread[k][1]:.{d}f})"
            return v
        ratios = [fmt(m[k] / best[k][0], 3) if best.get(k) and not math.isnan(m[k]) else "-"
                  for k in ("mae", "rmse", "is95")]
        table.append([label, cell("mae", 3), cell("rmse", 3), cell("is95", 2), cell("coverage95", 3),
                      cell("fit_s", 1), cell("pred_s", 2)] + ratios)
    ntest = sum(1 for _ in open(test, encoding="utf-8")) - 1
    print(f"split {sp['name']}: {s.get('description', '')}; {ntest} test rows; config {','.join(cnames)}")
    if a.markdown:
        print("| " + " | ".join(header) + " |")
        print("| " + " | ".join("---" for _ in header) + " |")
        for r in table:
            print("| " + " | ".join(r) + " |")
    else:
        w = [max(len(str(r[i])) for r in [header] + table) for i in range(len(header))]
        for r in [header] + table:
            print("  ".join(str(c).ljust(w[i]) if i == 0 else str(c).rjust(w[i]) for i, c in enumerate(r)).rstrip())
    for k, name in (("mae", "MAE"), ("rmse", "RMSE"), ("is95", "IS95")):
        if best.get(k):
            print(f"best peer on {name}: {best[k][1]} ({best[k][0]:.3f})")
    if not best.get("mae"):
        print("best peer: none scored (no reference predictions for this split and kriging skipped)")
    print("BayesNF: median over seeds (min-max); fit/predict seconds are wall-clock of ./bayesnf fit/predict "
          "including JVM start; gstat seconds are R's elapsed time for variogram fitting and per-step kriging.")
    return 0


if __name__ == "__main__":
    try:
        sys.exit(main(sys.argv[1:]))
    except Usage as e:
        print(f"{PROG}: {e}", file=sys.stderr)
        sys.exit(BAD)
