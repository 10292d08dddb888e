"""PyTorch CPU reference for npm run bench:kernels: the same three workloads, one thread, as JSON on stdout.

Called by bench/kernels.ts in the same run so that both sides see the same machine load.
"""
import json
import sys
import time

import torch


def timed(step, min_seconds, rounds=5):
    """Seconds per call: the best of `rounds` rounds of at least min_seconds / rounds each, after a warm-up.

    Best-of because the machine is shared: the fastest round is the one least disturbed by others (the
    TypeScript side measures the same way)."""
    for _ in range(20):
        step()
    best = float("inf")
    for _ in range(rounds):
        calls = 0
        start = time.perf_counter()
        while True:
            step()
            calls += 1
            elapsed = time.perf_counter() - start
            if elapsed >= min_seconds / rounds:
                break
        best = min(best, elapsed / calls)
    return best


def main():
    min_seconds = float(sys.argv[1]) if len(sys.argv) > 1 else 1.0
    torch.set_num_threads(1)
    torch.manual_seed(0)
    out = {"torch": torch.__version__, "threads": torch.get_num_threads()}

    a = torch.randn(512, 512)
    b = torch.randn(512, 512)
    out["matmul512_s"] = timed(lambda: torch.mm(a, b), min_seconds)

    # conv1d [5, 101, 6] -> 32 filters of width 7, 'same' padding, bias + relu, grads of filter and bias.
    x = torch.randn(5, 6, 101)
    w = (torch.randn(32, 6, 7) * 0.1).requires_grad_()
    bc = torch.zeros(32, requires_grad=True)

    def conv_step():
        y = torch.relu(torch.nn.functional.conv1d(x, w, bc, padding=3))
        loss = (y * y).mean()
        torch.autograd.grad(loss, [w, bc])
        return loss.item()

    out["conv_step_s"] = timed(conv_step, min_seconds)

    # dense 606 -> 1024 (relu) -> 194 at batch 5, grads of every weight and bias.
    xd = torch.randn(5, 606)
    w1 = (torch.randn(606, 1024) * 0.04).requires_grad_()
    b1 = torch.zeros(1024, requires_grad=True)
    w2 = (torch.randn(1024, 194) * 0.03).requires_grad_()
    b2 = torch.zeros(194, requires_grad=True)

    def dense_step():
        h = torch.relu(torch.addmm(b1, xd, w1))
        y = torch.addmm(b2, h, w2)
        loss = (y * y).mean()
        torch.autograd.grad(loss, [w1, b1, w2, b2])
        return loss.item()

    out["dense_step_s"] = timed(dense_step, min_seconds)
    print(json.dumps(out))


if __name__ == "__main__":
    main()
