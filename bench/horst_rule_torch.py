"""The Horst training rule (methods-spec §1.4, §5.1.2, §5.1.4) written again in PyTorch, independently of GaitLab's
code, for bench/horst-rule-curves.ts: does GaitLab's tfjs trainer learn as fast as the rule itself allows?

Reads the fold that bench/horst-rule-curves.ts wrote (raw, unscaled trials of the training, validation and test
folds, their class indices, the layer plan) and re-derives everything else from the spec:
  - input scaling: per-channel min-max to [-1, 1] fitted on the training trials only (§5.1.2);
  - CNN input: the channel-major vector as a 101 x C image (height = time, width = channel), NHWC flatten order;
  - loss: softmax cross-entropy summed over the batch (1/2 ||f - y||^2 for linear-sgd);
  - update: theta <- theta - eta * s_theta * grad, s_theta from the §1.4 formulas (computed here, not read);
  - phases eta = 5e-3, 1e-3, 5e-4, validation L1 every 250 iterations, best state per phase (ties -> later)
    restored at its end, early stopping after `patience` evaluations without improvement.
Mode `same`: GaitLab's initial weights and batch sequence (read from the folder), so the two curves start from one
point. Mode `own`: N(0, 1/fan-in) weights and batches of 5 distinct trials from NumPy's generator (seed 1234).
Prints one JSON line: the validation curve, the test accuracy and the seconds taken. One thread (its best here).
"""
import json
import math
import sys
import time

import numpy as np
import torch

torch.set_num_threads(1)
T = 101


def read(folder, name, dtype):
    return np.fromfile(f"{folder}/{name}", dtype=dtype)


def update_scales(layers):
    """§1.4: dense m->n: s_W = g/sqrt(m), s_b = g/n^(1/4); conv: s_W = g/sqrt(kh kw d Hy Wy), s_b = g/sqrt(Hy Wy);
    g = product over the dense layers above of sqrt(m/n)."""
    affine = [l for l in layers if l["kind"] != "flatten"]
    scales = [None] * len(affine)
    g = 1.0
    for i in range(len(affine) - 1, -1, -1):
        l = affine[i]
        if l["kind"] == "dense":
            m, n = l["inputs"], l["units"]
            scales[i] = (g / math.sqrt(m), g / n ** 0.25)
            g *= math.sqrt(m / n)
        else:
            hy, wy = l["output"][0], l["output"][1]
            kh, kw = l["kernel"]
            d = l["input"][2]
            scales[i] = (g / math.sqrt(kh * kw * d * hy * wy), g / math.sqrt(hy * wy))
    return scales


def shapes(l):
    if l["kind"] == "dense":
        return (l["inputs"], l["units"]), (l["units"],)
    return (l["kernel"][0], l["kernel"][1], l["input"][2], l["filters"]), (l["filters"],)


def forward(meta, params, x):
    """Logits of scaled channel-major rows x [B, C*101]; params hold weights in GaitLab's layouts
    (dense [in][out], conv [kh][kw][d][f])."""
    b = x.shape[0]
    c = meta["channels"]
    h = x
    if meta["input"] == "image":
        h = x.reshape(b, c, T).transpose(1, 2).reshape(b, 1, T, c)  # NCHW with H = time, W = channel
    p = 0
    for l in meta["layers"]:
        if l["kind"] == "flatten":
            h = h.permute(0, 2, 3, 1).reshape(b, -1)  # NHWC order, as tfjs and the LRP code flatten
            continue
        w, bias = params[2 * p], params[2 * p + 1]
        p += 1
        if l["kind"] == "dense":
            h = h @ w + bias
        else:
            h = torch.nn.functional.conv2d(h, w.permute(3, 2, 0, 1), bias)
        if l["activation"] == "relu":
            h = torch.relu(h)
    return h


def main():
    folder, mode = sys.argv[1], sys.argv[2]
    meta = json.load(open(f"{folder}/meta.json"))
    c, k, sched = meta["channels"], meta["classes"], meta["schedule"]
    width = c * T
    raw = {s: read(folder, f"x-{s}.f32", np.float32).reshape(-1, width).astype(np.float64) for s in ("train", "val", "test")}
    y = {s: read(folder, f"y-{s}.i32", np.int32).astype(np.int64) for s in ("train", "val", "test")}
    # §5.1.2 scaling, fitted on the training trials only.
    per_channel = raw["train"].reshape(-1, c, T)
    lo, hi = per_channel.min(axis=(0, 2)), per_channel.max(axis=(0, 2))
    rng_ = np.where(hi > lo, hi - lo, 1.0)

    def scale(a):
        z = 2 * (a.reshape(-1, c, T) - lo[None, :, None]) / rng_[None, :, None] - 1
        z[:, hi <= lo, :] = 0
        return torch.tensor(z.reshape(-1, width), dtype=torch.float32)

    x = {s: scale(raw[s]) for s in raw}
    yt = {s: torch.tensor(y[s]) for s in y}
    onehot = {s: torch.nn.functional.one_hot(yt[s], k).float() for s in yt}
    linear_sgd = meta["kind"] == "linear-sgd"
    affine = [l for l in meta["layers"] if l["kind"] != "flatten"]
    scales = update_scales(meta["layers"])
    n = x["train"].shape[0]

    if mode == "same":
        init = read(folder, "init.f32", np.float32)
        params, at = [], 0
        for l in affine:
            for shape in shapes(l):
                size = int(np.prod(shape))
                params.append(torch.tensor(init[at:at + size].reshape(shape)))
                at += size
        batches = read(folder, "batches.i32", np.int32).reshape(-1, sched["batchSize"]).astype(np.int64)
        next_batch = iter(batches)
        draw = lambda: next(next_batch)
    else:
        rng = np.random.RandomState(1234)
        params = []
        for l in affine:
            ws, bs = shapes(l)
            fan_in = l["inputs"] if l["kind"] == "dense" else l["kernel"][0] * l["kernel"][1] * l["input"][2]
            params.append(torch.tensor(rng.standard_normal(ws) / math.sqrt(fan_in), dtype=torch.float32))
            params.append(torch.zeros(bs))
        draw = lambda: rng.choice(n, sched["batchSize"], replace=False)
    for p in params:
        p.requires_grad_(True)

    def loss_of(logits, target):
        if linear_sgd:
            return 0.5 * ((logits - target) ** 2).sum()
        return -(target * torch.log_softmax(logits, 1)).sum()

    def evaluate():
        with torch.no_grad():
            logits = forward(meta, params, x["val"])
            out = logits if linear_sgd else torch.softmax(logits, 1)
            l1 = (out - onehot["val"]).abs().sum(1).mean().item()
            acc = (logits.argmax(1) == yt["val"]).float().mean().item()
        return l1, acc

    curve, phases = [], []
    start = time.perf_counter()
    for phase, eta in enumerate(sched["learningRates"]):
        best, best_l1, best_it, since, stopped, it = None, math.inf, 0, 0, False, 0
        for it in range(1, sched["maxIterationsPerPhase"] + 1):
            batch = torch.tensor(draw())
            loss = loss_of(forward(meta, params, x["train"][batch]), onehot["train"][batch])
            grads = torch.autograd.grad(loss, params)
            with torch.no_grad():
                for i, (p, g) in enumerate(zip(params, grads)):
                    p -= eta * scales[i // 2][i % 2] * g
            if it % sched["validateEvery"] == 0:
                l1, acc = evaluate()
                curve.append({"phase": phase, "iteration": it, "l1": l1, "accuracy": acc})
                print(f"{mode} phase {phase} iteration {it}: validation accuracy {acc:.3f}, L1 {l1:.3f}", file=sys.stderr, flush=True)
                if best is None or l1 <= best_l1:
                    best, best_l1, best_it, since = [p.detach().clone() for p in params], l1, it, 0
                else:
                    since += 1
                    if since >= sched["patience"]:
                        stopped = True
                        break
        if best is not None:
            with torch.no_grad():
                for p, b in zip(params, best):
                    p.copy_(b)
        phases.append({"learningRate": eta, "iterations": it, "bestIteration": best_it, "bestL1": best_l1, "stoppedEarly": stopped})
    seconds = time.perf_counter() - start
    with torch.no_grad():
        test_acc = (forward(meta, params, x["test"]).argmax(1) == yt["test"]).float().mean().item()
    print(json.dumps({"mode": mode, "torch": torch.__version__, "curve": curve, "phases": phases, "testAccuracy": test_acc, "seconds": seconds}))


main()
