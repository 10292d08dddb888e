"""What do scikit-learn classifiers reach on gaitpdb at subject level? For bench/sincpd-ceiling.ts.

Reads the walks that bench/sincpd-ceiling.ts wrote (one row of gait features per walk, with its subject, labels and
GaitLab's subject folds of §5.3.3, seed 1) and, per outer fold, fits on the other nine folds only:
  - optionally each feature z-scored within its study on the training walks (the studies' protocols differ);
  - the features' missing values imputed with the training median, standardised on the training walks;
  - each model's settings chosen by a 5-fold subject-grouped grid search inside the training folds (AUC for PD vs
    control, log-loss for severity);
  - a subject's P(PD) (or class probabilities) is the mean over its walks; PD if P >= 0.5 (§5.3.3 item 2);
  - severity: the expected H&Y sum_c p_c h_c, h = (0, 2, 2.5, 3), per subject, against the clinical H&Y (controls 0),
    Spearman rho with a 2000-resample bootstrap CI over subjects (§5.3.4).
Prints tables. Not a test; never run at run time.
"""
import json
import sys
import time
import warnings

import numpy as np
from scipy.stats import spearmanr
from sklearn.ensemble import HistGradientBoostingClassifier, RandomForestClassifier, RandomForestRegressor
from sklearn.impute import SimpleImputer
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import roc_auc_score
from sklearn.model_selection import GridSearchCV, GroupKFold
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import StandardScaler
from sklearn.svm import SVC

warnings.filterwarnings("ignore")
STAGES = np.array([0.0, 2.0, 2.5, 3.0])


def classifiers():
    return {
        "logistic regression": (LogisticRegression(max_iter=5000), {"m__C": [0.003, 0.01, 0.03, 0.1, 0.3, 1, 3]}),
        "RBF SVM": (SVC(probability=True, random_state=0), {"m__C": [0.3, 1, 3, 10], "m__gamma": ["scale", 0.003, 0.01]}),
        "random forest (300)": (RandomForestClassifier(n_estimators=300, random_state=0), {"m__max_features": ["sqrt", 0.3], "m__min_samples_leaf": [1, 4]}),
        "gradient boosting": (HistGradientBoostingClassifier(random_state=0), {"m__learning_rate": [0.03, 0.1], "m__max_depth": [2, 3], "m__max_iter": [100, 300]}),
    }


def pipeline(model):
    return Pipeline([("impute", SimpleImputer(strategy="median")), ("scale", StandardScaler()), ("m", model)])


def within_study(x, studies, train):
    """Each feature z-scored per study with the training walks' median and SD of that study (the three studies'
    protocols differ; the test walks never enter the statistics)."""
    out = x.copy()
    for s in set(studies):
        rows = studies == s
        ref = x[rows & train]
        med, sd = np.nanmedian(ref, axis=0), np.nanstd(ref, axis=0)
        out[rows] = (x[rows] - med) / np.where(sd > 0, sd, 1)
    return out


def oof(x, y, groups, folds, model, grid, scoring, regression=False, studies=None):
    """Out-of-fold walk predictions (probabilities, or values for a regressor) and the settings each fold chose."""
    k = 1 if regression else len(np.unique(y))
    out = np.zeros((len(y), k))
    chosen = []
    x_raw = x
    for f in sorted(set(folds)):
        tr, te = folds != f, folds == f
        x = x_raw if studies is None else within_study(x_raw, studies, tr)
        search = GridSearchCV(pipeline(model), grid, scoring=scoring, cv=GroupKFold(5), n_jobs=1)
        search.fit(x[tr], y[tr], groups=groups[tr])
        chosen.append(search.best_params_)
        out[te] = search.predict(x[te]).reshape(-1, 1) if regression else search.predict_proba(x[te])
    return out, chosen


def per_subject(groups, values):
    subjects = sorted(set(groups))
    return subjects, np.array([values[groups == s].mean(axis=0) for s in subjects])


def binary_line(truth, p):
    pred = (p >= 0.5).astype(int)
    tp, tn = int(((pred == 1) & (truth == 1)).sum()), int(((pred == 0) & (truth == 0)).sum())
    fp, fn = int(((pred == 1) & (truth == 0)).sum()), int(((pred == 0) & (truth == 1)).sum())
    sens, spec = tp / (tp + fn), tn / (tn + fp)
    return {"n": len(truth), "accuracy": (tp + tn) / len(truth), "balanced": (sens + spec) / 2, "sensitivity": sens,
            "specificity": spec, "auc": roc_auc_score(truth, p), "confusion": [[tn, fp], [fn, tp]]}


def bootstrap_rho(a, b, seed, resamples=2000):
    rng = np.random.default_rng(seed)
    rhos = []
    for _ in range(resamples):
        i = rng.integers(0, len(a), len(a))
        if len(set(a[i])) > 1 and len(set(b[i])) > 1:
            rhos.append(spearmanr(a[i], b[i]).correlation)
    return np.percentile(rhos, 2.5), np.percentile(rhos, 97.5)


def fold_aucs(truth, p, subject_folds):
    return [roc_auc_score(truth[subject_folds == f], p[subject_folds == f]) for f in sorted(set(subject_folds))
            if len(set(truth[subject_folds == f])) == 2]


def main():
    data = json.load(open(sys.argv[1]))
    tasks = (sys.argv[2] if len(sys.argv) > 2 and sys.argv[2] else "pd,severity").split(",")
    only_sets = sys.argv[3].split(",") if len(sys.argv) > 3 and sys.argv[3] else None
    rows = data["rows"]
    names = list(rows[0]["features"].keys())
    x_all = np.array([[np.nan if r["features"][n] is None else r["features"][n] for n in names] for r in rows], dtype=float)
    groups = np.array([r["subject"] for r in rows])
    studies = np.array([r["subject"][:2] for r in rows])
    everything = list(range(len(names)))
    # name: (feature columns, z-scored within study)
    sets = {
        "timing + load (GaitLab events)": ([i for i, n in enumerate(names) if not n.startswith("band_")], False),
        "band energies (the SincPD baseline's)": ([i for i, n in enumerate(names) if n.startswith("band_")], False),
        "all": (everything, False),
        "all, z-scored within study": (everything, True),
    }
    if only_sets:
        sets = {k: v for i, (k, v) in enumerate(sets.items()) if str(i) in only_sets}

    if "pd" in tasks:
        binary_task(x_all, rows, groups, studies, sets)
    if "severity" in tasks:
        severity_task(x_all, rows, groups, studies, sets)


def binary_task(x_all, rows, groups, studies, sets):
    print("\n## PD vs control, subject-grouped 10 folds (GaitLab's, seed 1); a subject's P(PD) = mean over its walks")
    print("| features | model | subjects | accuracy | balanced | sensitivity | specificity | AUC | AUC across folds | confusion [[TN, FP], [FN, TP]] | s |")
    print("|---|---|---|---|---|---|---|---|---|---|---|")
    y = np.array([r["pd"] for r in rows])
    folds = np.array([r["pdFold"] for r in rows])
    best = None
    for set_name, (cols, by_study) in sets.items():
        for model_name, (model, grid) in classifiers().items():
            t0 = time.time()
            prob, _ = oof(x_all[:, cols], y, groups, folds, model, grid, "roc_auc", studies=studies if by_study else None)
            subjects, ps = per_subject(groups, prob[:, 1])
            truth = np.array([y[groups == s][0] for s in subjects])
            sfolds = np.array([folds[groups == s][0] for s in subjects])
            m = binary_line(truth, ps)
            aucs = fold_aucs(truth, ps, sfolds)
            print(f"| {set_name} | {model_name} | {m['n']} | {m['accuracy']:.3f} | {m['balanced']:.3f} | {m['sensitivity']:.3f} | "
                  f"{m['specificity']:.3f} | **{m['auc']:.3f}** | {np.mean(aucs):.3f} ± {np.std(aucs, ddof=1):.3f} | {m['confusion']} | {time.time() - t0:.0f} |", flush=True)
            if best is None or m["auc"] > best[2]["auc"]:
                best = (set_name, model_name, m)
    print(f"best subject-level AUC of these {len(sets) * len(classifiers())} (chosen after seeing the test folds, so optimistic): "
          f"{best[2]['auc']:.3f} ({best[1]} on {best[0]}), accuracy {best[2]['accuracy']:.3f}")



def severity_task(x_all, rows, groups, studies, sets):
    print("\n## Severity (classes 0, 2, 2.5, 3), subject-grouped 10 folds stratified by class (GaitLab's, seed 1)")
    print("expected H&Y per subject = mean over its walks of sum_c p_c h_c; Spearman rho against the clinical H&Y (controls 0), 95 % bootstrap CI (2000)")
    print("| features | model | subjects | class accuracy | rho, all subjects [CI] | rho, PD only [CI] | s |")
    print("|---|---|---|---|---|---|---|")
    keep = np.array([r["severity"] is not None for r in rows])
    ys = np.array([r["severity"] for r in rows if r["severity"] is not None])
    xs, gs = x_all[keep], groups[keep]
    sf = np.array([r["severityFold"] for r in rows if r["severity"] is not None])
    st = studies[keep]
    for set_name, (cols, by_study) in sets.items():
        models = dict(classifiers())
        models["random-forest regression of H&Y (300)"] = (RandomForestRegressor(n_estimators=300, random_state=0), {"m__max_features": ["sqrt", 0.3], "m__min_samples_leaf": [1, 4]})
        for model_name, (model, grid) in models.items():
            t0 = time.time()
            regression = not hasattr(model, "predict_proba")
            target = STAGES[ys] if regression else ys
            out, _ = oof(xs[:, cols], target, gs, sf, model, grid, "neg_mean_squared_error" if regression else "neg_log_loss", regression,
                         st if by_study else None)
            subjects, mean = per_subject(gs, out)
            truth = np.array([ys[gs == s][0] for s in subjects])
            score = mean[:, 0] if regression else mean @ STAGES
            acc = "—" if regression else f"{(mean.argmax(axis=1) == truth).mean():.3f}"
            clinical = STAGES[truth]
            rho = spearmanr(clinical, score).correlation
            lo, hi = bootstrap_rho(clinical, score, 1)
            pd = truth > 0
            rho_pd = spearmanr(clinical[pd], score[pd]).correlation
            lo_pd, hi_pd = bootstrap_rho(clinical[pd], score[pd], 2)
            print(f"| {set_name} | {model_name} | {len(subjects)} | {acc} | **{rho:.3f}** [{lo:.3f}, {hi:.3f}] | {rho_pd:.3f} [{lo_pd:.3f}, {hi_pd:.3f}] | {time.time() - t0:.0f} |", flush=True)


if __name__ == "__main__":
    main()
