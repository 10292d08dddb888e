"""PyTorch CPU reference for npm run bench:horst: CNN-A and MLP(3, 1024) of Horst et al. (methods-spec §1.3, C = 6,
K = 194) trained by the paper's rule at batch 5 (softmax cross-entropy summed over the batch, one plain SGD step),
one thread (its best here). Prints samples/s as JSON; called by bench/horst-speed.ts in the same run.
"""
import json
import time

import torch

torch.set_num_threads(1)
torch.manual_seed(1)
C, K, T, BATCH, STEPS = 6, 194, 101, 5, 300


def cnn_a():
    # [B, 1, 101, C] image, one C×C convolution with 32 filters (C ≤ 10), ReLU, flatten, dense softmax.
    return torch.nn.Sequential(torch.nn.Conv2d(1, 32, (C, C)), torch.nn.ReLU(), torch.nn.Flatten(),
                               torch.nn.Linear(32 * (T - C + 1), K))


def mlp3_1024():
    return torch.nn.Sequential(torch.nn.Linear(C * T, 1024), torch.nn.ReLU(), torch.nn.Linear(1024, 1024), torch.nn.ReLU(),
                               torch.nn.Linear(1024, K))


def samples_per_second(model, x):
    y = torch.arange(BATCH) % K
    opt = torch.optim.SGD(model.parameters(), lr=5e-3)
    loss_fn = torch.nn.CrossEntropyLoss(reduction="sum")

    def step():
        opt.zero_grad()
        loss_fn(model(x), y).backward()
        opt.step()

    for _ in range(20):
        step()
    start = time.perf_counter()
    for _ in range(STEPS):
        step()
    return STEPS * BATCH / (time.perf_counter() - start)


print(json.dumps({
    "torch": torch.__version__,
    "cnn-a": samples_per_second(cnn_a(), torch.rand(BATCH, 1, T, C) * 2 - 1),
    "mlp3-1024": samples_per_second(mlp3_1024(), torch.rand(BATCH, C * T) * 2 - 1),
}))
