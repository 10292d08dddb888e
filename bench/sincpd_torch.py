"""PyTorch CPU reference for npm run bench:sincpd: the 100-filter binary SincPD network of methods-spec 3.3.4
(per sensor SincConv1D 100 x 101 taps, stride 5, SAME -> LayerNorm over filters (eps on the std) -> LeakyReLU 0.2 ->
MaxPool 2; concat 800; Conv1D 128 k3 -> BN -> LeakyReLU -> Dropout 0.5 -> MaxPool 2; Conv1D 256 k3 -> BN -> ...;
Dense 128 (L2 0.3) -> BN -> LeakyReLU; Dense 64 (L2 0.3) -> BN -> LeakyReLU; Dense 1 sigmoid), binary cross-entropy,
Adam lr 1e-3 eps 1e-7, batch 32, one thread. The sinc bank is the sincnet-gait parametrisation of 5.3.2 (the same
cost as sincpd-2024's), built once per step for all 8 sensors and applied as one grouped convolution.
Reads the segments GaitLab built (float32 n x 8 x 1000, standardised) and their labels; prints training samples/s
as JSON. Called by bench/sincpd.ts in the same run."""
import json
import math
import sys
import time

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

torch.set_num_threads(1)
torch.manual_seed(42)
x_path, y_path, n, epochs = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
X = torch.from_numpy(np.fromfile(x_path, dtype=np.float32).reshape(n, 8, 1000).copy())
Y = torch.from_numpy(np.fromfile(y_path, dtype=np.int32).astype(np.float32))

FS, L, NF, S = 100.0, 101, 100, 8
DELTA = 3.3 * FS / L
M, BMIN, FTOP = DELTA / 2, DELTA, FS / 2 - DELTA / 2


class SincBank(nn.Module):
    def __init__(self):
        super().__init__()
        i = torch.arange(NF, dtype=torch.float32).repeat(S)
        p = (i + 0.5) / NF
        self.lo = nn.Parameter(torch.log(p / (1 - p)).reshape(S * NF, 1))
        self.bw = nn.Parameter(torch.full((S * NF, 1), math.log(0.05 / 0.95)))
        n_ = torch.arange(L, dtype=torch.float32) - (L - 1) / 2
        self.register_buffer("n", n_.reshape(1, L))
        self.register_buffer("win", (0.54 - 0.46 * torch.cos(2 * math.pi * torch.arange(L) / (L - 1))).reshape(1, L))

    def forward(self, x):
        f1 = M + (FTOP - M - BMIN) * torch.sigmoid(self.lo)
        f2 = f1 + BMIN + (FTOP - f1 - BMIN) * torch.sigmoid(self.bw)
        lp = lambda f: 2 * f / FS * torch.sinc(2 * f / FS * self.n)
        h = ((lp(f2) - lp(f1)) * self.win).reshape(S * NF, 1, L)
        return F.conv1d(x, h, stride=5, padding=48, groups=S)  # 1000 -> 200, SAME (48 + 48)


class FilterLayerNorm(nn.Module):
    """sincnet-tensorflow LayerNorm over the filters of one sensor at each time step: gamma (y - mean) / (std + 1e-6) + beta."""
    def __init__(self):
        super().__init__()
        self.g = nn.Parameter(torch.ones(1, S, NF, 1))
        self.b = nn.Parameter(torch.zeros(1, S, NF, 1))

    def forward(self, y):
        y = y.reshape(y.shape[0], S, NF, -1)
        m = y.mean(2, keepdim=True)
        sd = y.std(2, unbiased=False, keepdim=True)
        return (self.g * (y - m) / (sd + 1e-6) + self.b).reshape(y.shape[0], S * NF, -1)


class SincPd(nn.Module):
    def __init__(self):
        super().__init__()
        self.sinc, self.ln = SincBank(), FilterLayerNorm()
        self.c1, self.b1 = nn.Conv1d(S * NF, 128, 3), nn.BatchNorm1d(128, eps=1e-3, momentum=0.95)
        self.c2, self.b2 = nn.Conv1d(128, 256, 3), nn.BatchNorm1d(256, eps=1e-3, momentum=0.95)
        self.d1, self.b3 = nn.Linear(23 * 256, 128), nn.BatchNorm1d(128, eps=1e-5, momentum=0.95)
        self.d2, self.b4 = nn.Linear(128, 64), nn.BatchNorm1d(64, eps=1e-5, momentum=0.95)
        self.out = nn.Linear(64, 1)
        for m in (self.c1, self.c2, self.d1, self.d2, self.out):
            nn.init.xavier_uniform_(m.weight)
            nn.init.zeros_(m.bias)

    def forward(self, x):
        a = lambda t: F.leaky_relu(t, 0.2)
        y = F.max_pool1d(a(self.ln(self.sinc(x))), 2)                      # 800 x 100
        y = F.max_pool1d(F.dropout(a(self.b1(self.c1(y))), 0.5, self.training), 2)  # 128 x 49
        y = F.max_pool1d(F.dropout(a(self.b2(self.c2(y))), 0.5, self.training), 2)  # 256 x 23
        y = y.transpose(1, 2).reshape(y.shape[0], -1)                       # Keras flattens (time, channel)
        y = a(self.b3(self.d1(y)))
        y = a(self.b4(self.d2(y)))
        return self.out(y).squeeze(1)


model = SincPd()
params = sum(p.numel() for p in model.parameters())
buffers = sum(b.numel() for name, b in model.named_buffers() if "running" in name)
opt = torch.optim.Adam(model.parameters(), lr=1e-3, betas=(0.9, 0.999), eps=1e-7)


def step(xb, yb):
    loss = F.binary_cross_entropy_with_logits(model(xb), yb)
    loss = loss + 0.3 * (model.d1.weight.pow(2).sum() + model.d2.weight.pow(2).sum())
    opt.zero_grad()
    loss.backward()
    opt.step()
    return loss.item()


def epoch():
    perm = torch.randperm(n)
    for s in range(0, n, 32):
        idx = perm[s:s + 32]
        if idx.numel() >= 2:
            step(X[idx], Y[idx])


model.train()
step(X[:32], Y[:32])  # warm-up
best, best_cpu = math.inf, math.inf
for _ in range(epochs):
    t, c = time.perf_counter(), time.process_time()
    epoch()
    best = min(best, time.perf_counter() - t)
    best_cpu = min(best_cpu, time.process_time() - c)
# samples_per_cpu_s: per second of this process's CPU time, which a machine loaded by others inflates far less than
# wall time (the ratio GaitLab / PyTorch is then comparable between runs).
print(json.dumps({"torch": torch.__version__, "threads": torch.get_num_threads(), "batch": 32, "segments": n,
                  "parameters": params + buffers, "trainable": params, "samples_per_s": n / best, "samples_per_cpu_s": n / best_cpu}))
