"""PyTorch CPU reference for npm run bench:sae: the baseline SAE 675 -> 100 with tied weights and the losses of
methods-spec 5.2.4 (per-sample SSE, KL on the clipped batch-mean activation, per-sample L1), Adam lr 1e-3 eps 1e-8,
batch 32, one thread. Started once by bench/sae.ts and driven over stdin so that its epochs alternate with
GaitLab's in the same run: each line "epoch" runs one training epoch and prints its seconds as JSON."""
import json
import sys
import time

import torch

torch.set_num_threads(1)
torch.manual_seed(42)
rows, dim, k = int(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3])
x = torch.randn(rows, dim)
a = (6.0 / (dim + k)) ** 0.5
W = torch.nn.Parameter(torch.empty(k, dim).uniform_(-a, a))
be = torch.nn.Parameter(torch.zeros(k))
bd = torch.nn.Parameter(torch.zeros(dim))
opt = torch.optim.Adam([W, be, bd], lr=1e-3, betas=(0.9, 0.999), eps=1e-8)
rho = 0.05


def step(xb):
    h = torch.relu(xb @ W.t() + be)
    xh = h @ W + bd
    rec = ((xh - xb) ** 2).sum() / xb.shape[0]
    r = h.mean(0).clamp(1e-6, 1 - 1e-6)
    kl = (rho * torch.log(rho / r) + (1 - rho) * torch.log((1 - rho) / (1 - r))).sum()
    l1 = h.abs().sum() / xb.shape[0]
    loss = rec + 0.1 * kl + 0.1 * l1
    opt.zero_grad()
    loss.backward()
    opt.step()
    return loss.item()


def epoch():
    perm = torch.randperm(rows)
    for s in range(0, rows, 32):
        idx = perm[s:s + 32]
        if idx.numel() >= 2:
            step(x[idx])


epoch()  # warm-up
print(json.dumps({"torch": torch.__version__, "threads": torch.get_num_threads()}), flush=True)
for line in sys.stdin:
    if line.strip() != "epoch":
        break
    t0 = time.perf_counter()
    epoch()
    print(json.dumps({"seconds": time.perf_counter() - t0}), flush=True)
