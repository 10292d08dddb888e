"""How far do training rules other than the paper's reach on the Horst folds? For bench/horst-ceiling.ts.

Reads the folds that bench/horst-ceiling.ts wrote (raw trials of each run's training, validation and test folds and
their class indices; the fold assignment is GaitLab's own, §5.1.3) and fits, per run, on the same §5.1.2 scaling
(per-channel min-max to [-1, 1] on the training trials):
  - scikit-learn LinearSVC(C=0.1) (the paper's SVM) on the training folds, and on training + validation;
  - scikit-learn LogisticRegression (lbfgs, C = 1) on the training folds;
  - PyTorch (1 thread) networks of the §1.3 shapes trained with AdamW and mean softmax cross-entropy, early stopping
    on validation accuracy (ties: lower validation loss), the best state restored; optionally with augmentation
    (per-channel gain and offset, +-2 samples shift, additive noise; all in scaled units).
Prints one JSON line: {config: {run: test accuracy}} and the seconds each took. Not a test; never run at run time.
"""
import json
import os
import sys
import time
import warnings

import numpy as np
import torch
import torch.nn as nn
from sklearn.linear_model import LogisticRegression
from sklearn.svm import LinearSVC

warnings.filterwarnings("ignore")
torch.set_num_threads(1)
T = 101

# name: (architecture, learning rate, weight decay, batch, max epochs, patience in epochs, augmentation)
NETWORKS = {
    "adamw linear softmax": ("linear", 3e-3, 1e-3, 32, 800, 150, 0.0),
    "adamw linear softmax + augmentation": ("linear", 3e-3, 1e-3, 32, 800, 150, 0.05),
    "adamw mlp3-1024": ("mlp3-1024", 3e-4, 1e-2, 32, 300, 50, 0.0),
    "adamw cnn-a": ("cnn-a", 3e-4, 1e-4, 16, 600, 100, 0.0),
    "adamw cnn-a + augmentation": ("cnn-a", 3e-4, 1e-4, 16, 600, 100, 0.05),
    "adamw cnn-c3": ("cnn-c3", 1e-3, 1e-4, 32, 300, 50, 0.0),
}


def load(folder, part, width):
    x = np.fromfile(f"{folder}/x-{part}.f32", dtype=np.float32).reshape(-1, width)
    y = np.fromfile(f"{folder}/y-{part}.i32", dtype=np.int32)
    return x, y


def network(arch, c, k):
    if arch == "linear":
        return nn.Linear(c * T, k)
    if arch.startswith("mlp3-"):
        h = int(arch.split("-")[1])
        return nn.Sequential(nn.Linear(c * T, h), nn.ReLU(), nn.Linear(h, h), nn.ReLU(), nn.Linear(h, k))
    image = nn.Unflatten(1, (1, c, T))  # channel-major rows as a C x 101 image; kernels (channel x time)
    if arch == "cnn-a":
        f = 32 if c <= 10 else 64
        return nn.Sequential(image, nn.Conv2d(1, f, (c, c)), nn.ReLU(), nn.Flatten(), nn.Linear(f * (T - c + 1), k))
    if arch == "cnn-c3" and c == 6:
        return nn.Sequential(image, nn.Conv2d(1, 32, 3), nn.ReLU(), nn.Conv2d(32, 32, 3), nn.ReLU(), nn.Conv2d(32, 32, 2), nn.ReLU(),
                             nn.Flatten(), nn.Linear(32 * 1 * 96, k))
    raise ValueError(f"no {arch} for C = {c}")


def fit_network(spec, xt, yt, xv, yv, xs, ys, c, k, seed):
    arch, lr, wd, batch, epochs, patience, aug = spec
    torch.manual_seed(seed)
    rng = np.random.RandomState(seed)
    xt, xv, xs = (torch.tensor(a) for a in (xt, xv, xs))
    yt, yv, ys = (torch.tensor(a, dtype=torch.long) for a in (yt, yv, ys))
    net = network(arch, c, k)
    opt = torch.optim.AdamW(net.parameters(), lr=lr, weight_decay=wd)
    loss_of = nn.CrossEntropyLoss()
    best, state, since = None, None, 0
    for _ in range(epochs):
        net.train()
        order = torch.randperm(len(xt))
        for i in range(0, len(xt), batch):
            idx = order[i:i + batch]
            xb = xt[idx]
            if aug > 0:
                n = xb.shape[0]
                xb = xb.view(n, c, T) * (1 + aug * torch.randn(n, c, 1)) + aug * torch.randn(n, c, 1)
                shift = int(rng.randint(-2, 3))
                if shift:
                    xb = torch.roll(xb, shift, 2)
                xb = (xb + 0.5 * aug * torch.randn_like(xb)).reshape(n, c * T)
            opt.zero_grad()
            loss_of(net(xb), yt[idx]).backward()
            opt.step()
        net.eval()
        with torch.no_grad():
            out = net(xv)
            score = ((out.argmax(1) == yv).float().mean().item(), -loss_of(out, yv).item())
        if best is None or score > best:
            best, state, since = score, {n: v.clone() for n, v in net.state_dict().items()}, 0
        else:
            since += 1
            if since >= patience:
                break
    net.load_state_dict(state)
    net.eval()
    with torch.no_grad():
        return (net(xs).argmax(1) == ys).float().mean().item()


def main():
    root = sys.argv[1]
    only = set(sys.argv[2].split(";")) if len(sys.argv) > 2 and sys.argv[2] else None
    meta = json.load(open(f"{root}/meta.json"))
    c, k, runs = meta["channels"], meta["classes"], meta["runs"]
    width = c * T
    results, seconds = {}, {}

    def record(name, run, fn):
        if only and name not in only:
            return
        t0 = time.perf_counter()
        results.setdefault(name, {})[run] = float(fn())
        seconds[name] = seconds.get(name, 0.0) + time.perf_counter() - t0
        print(f"{name} run {run}: {results[name][run]:.3f}", file=sys.stderr, flush=True)

    for run in runs:
        folder = f"{root}/run-{run}"
        (xt, yt), (xv, yv), (xs, ys) = (load(folder, p, width) for p in ("train", "val", "test"))
        lo = xt.reshape(-1, c, T).min(axis=(0, 2))
        hi = xt.reshape(-1, c, T).max(axis=(0, 2))
        span = np.where(hi > lo, hi - lo, 1.0)

        def scale(a):
            z = 2 * (a.reshape(-1, c, T) - lo[None, :, None]) / span[None, :, None] - 1
            z[:, hi <= lo, :] = 0
            return z.reshape(-1, width).astype(np.float32)

        st, sv, ss = scale(xt), scale(xv), scale(xs)
        record("sklearn LinearSVC C=0.1, training folds", run, lambda: (LinearSVC(C=0.1).fit(st, yt).predict(ss) == ys).mean())
        record("sklearn LinearSVC C=0.1, training + validation", run,
               lambda: (LinearSVC(C=0.1).fit(np.vstack([st, sv]), np.concatenate([yt, yv])).predict(ss) == ys).mean())
        record("sklearn LogisticRegression C=1, training folds", run, lambda: (LogisticRegression(max_iter=2000).fit(st, yt).predict(ss) == ys).mean())
        for name, spec in NETWORKS.items():
            record(name, run, lambda: fit_network(spec, st, yt, sv, yv, ss, ys, c, k, 1234 + run))
    print(json.dumps({"torch": torch.__version__, "results": results, "seconds": seconds}))


main()
