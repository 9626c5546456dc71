"""Training speed of a 784-256-128-10 ReLU network: utils against PyTorch.

We train the network ``Dense, ReLU, Dense, ReLU, Dense`` with softmax
cross-entropy and Adam (lr 1e-3), in batches of 128, in float32 throughout,
on synthetic data (8192 random samples and labels, seeded), and print the
throughput in samples per second, on one thread:

- utils, one training step as the lessons write it: ``model.forward``,
  ``cross_entropy`` and ``cross_entropy_grad``, ``optimizer.zero_grad()``,
  ``model.backward(grad, input_grad=False)``, ``optimizer.step()``;
- utils, whole epochs of ``utils.training.fit(..., progress=False)``, which
  also shuffles the data and records the loss and accuracy;
- PyTorch, the same network as ``nn.Sequential`` of ``nn.Linear`` and
  ``nn.ReLU``, with ``F.cross_entropy`` and ``torch.optim.Adam``, if torch is
  installed. It is not a requirement of the course; without it the PyTorch
  column is skipped.

Each measurement is warmed up, then repeated; we print the best and the
median repeat, and the ratios utils / PyTorch of each (above 1: utils is faster).
Last, the dtypes of the parameters and of Adam's state after training show
that nothing was promoted to float64.

Run from the repository root::

    .venv/bin/python benchmarks/bench_mlp.py
    .venv/bin/python benchmarks/bench_mlp.py --steps 100 --repeats 3   # quicker

The figures depend on the machine; they are printed, never asserted.
"""

import os

# One thread for every library, set before numpy or torch is imported:
# the BLAS libraries read these variables once, when they load.
for _var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ[_var] = "1"

import argparse
import statistics
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # the repository root, for `utils`

from utils.layers import Dense, ReLU
from utils.losses import cross_entropy, cross_entropy_grad
from utils.models import Sequential
from utils.optimizers import Adam
from utils.training import fit

try:
    import torch
except ImportError:
    torch = None

SIZES = (784, 256, 128, 10)
N_SAMPLES, BATCH, LR = 8192, 128, 1e-3


def make_data(seed=0):
    """Random inputs, shape (N_SAMPLES, 784) float32, and labels, shape (N_SAMPLES,) int64."""
    rng = np.random.default_rng(seed)
    X = rng.standard_normal((N_SAMPLES, SIZES[0]), dtype=np.float32)
    y = rng.integers(0, SIZES[-1], size=N_SAMPLES)
    return X, y


def batches(X, y):
    """The data cut into contiguous batches of BATCH rows, once, outside the timed loop."""
    return [(X[i:i + BATCH], y[i:i + BATCH]) for i in range(0, len(X), BATCH)]


def timed(run, steps, repeats):
    """Call ``run(steps)`` `repeats` times; return the samples/second of each call."""
    rates = []
    for _ in range(repeats):
        start = time.perf_counter()
        run(steps)
        rates.append(steps * BATCH / (time.perf_counter() - start))
    return rates


# ---------------------------------------------------------------- utils

def utils_model(seed=0):
    rng = np.random.default_rng(seed)
    model = Sequential(Dense(784, 256, rng=rng), ReLU(), Dense(256, 128, rng=rng), ReLU(),
                       Dense(128, 10, rng=rng))
    return model, Adam(model.parameters(), lr=LR)


def utils_steps(model, optimizer, data):
    """A function that runs `steps` training steps the way the lessons write them."""
    def run(steps):
        for i in range(steps):
            X_batch, y_batch = data[i % len(data)]
            scores = model.forward(X_batch)
            cross_entropy(scores, y_batch)  # the loss value, as a training loop would record it
            grad = cross_entropy_grad(scores, y_batch)
            optimizer.zero_grad()
            model.backward(grad, input_grad=False)
            optimizer.step()
    return run


def utils_fit(model, optimizer, X, y, seed=0):
    """A function that runs `fit` for whole epochs; `steps` must be a multiple of an epoch."""
    rng = np.random.default_rng(seed)
    steps_per_epoch = len(X) // BATCH

    def run(steps):
        fit(model, X, y, loss="cross_entropy", optimizer=optimizer, epochs=steps // steps_per_epoch,
            batch_size=BATCH, rng=rng, progress=False)
    return run


# -------------------------------------------------------------- PyTorch

def torch_steps(X, y, seed=0):
    """The same network and training step in PyTorch, one thread."""
    import torch.nn.functional as F
    from torch import nn

    torch.set_num_threads(1)
    torch.manual_seed(seed)
    model = nn.Sequential(nn.Linear(784, 256), nn.ReLU(), nn.Linear(256, 128), nn.ReLU(),
                          nn.Linear(128, 10))
    optimizer = torch.optim.Adam(model.parameters(), lr=LR)
    data = [(torch.from_numpy(Xb), torch.from_numpy(yb)) for Xb, yb in batches(X, y)]

    def run(steps):
        for i in range(steps):
            X_batch, y_batch = data[i % len(data)]
            loss = F.cross_entropy(model(X_batch), y_batch)
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
            loss.item()  # the loss value as a float, as utils returns it
    return run, model, optimizer


# ------------------------------------------------------------- reporting

def row(name, rates, reference=None):
    best, median = max(rates), statistics.median(rates)
    line = f"{name:<34}{best:>12,.0f}{median:>12,.0f}"
    if reference is not None:
        line += f"{best / max(reference):>12.2f}{median / statistics.median(reference):>12.2f}"
    print(line)


def dtypes(arrays):
    return ", ".join(sorted({str(a.dtype) for a in arrays}))


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--steps", type=int, default=256, help="training steps per repeat (default 256)")
    parser.add_argument("--repeats", type=int, default=5, help="timed repeats (default 5)")
    args = parser.parse_args()
    steps_per_epoch = N_SAMPLES // BATCH
    fit_epochs = max(1, round(args.steps / steps_per_epoch))

    X, y = make_data()
    data = batches(X, y)
    model, optimizer = utils_model()
    runs = {"utils (forward/backward/step)": utils_steps(model, optimizer, data)}
    fit_model, fit_optimizer = utils_model()
    runs["utils (fit, whole epochs)"] = utils_fit(fit_model, fit_optimizer, X, y)
    if torch is not None:
        runs["PyTorch"], torch_model, torch_optimizer = torch_steps(X, y)

    print(__doc__.splitlines()[0])
    print(f"numpy {np.__version__}" + (f", torch {torch.__version__}" if torch else
                                       ", torch not installed (PyTorch column skipped)"))
    print(f"{N_SAMPLES} samples, batch {BATCH}, Adam(lr={LR}), float32, 1 thread; "
          f"{args.repeats} repeats of {args.steps} steps ({fit_epochs} epoch(s) of "
          f"{steps_per_epoch} steps for fit)")

    steps = {name: fit_epochs * steps_per_epoch if "fit" in name else args.steps for name in runs}
    for name, run in runs.items():  # warm-up: caches, allocator, lazy initialisation
        run(min(steps[name], steps_per_epoch))
    rates = {name: [] for name in runs}
    for _ in range(args.repeats):  # interleaved, so a slow patch of the machine hits every run
        for name, run in runs.items():
            rates[name] += timed(run, steps[name], 1)

    print()
    reference = rates.get("PyTorch")
    print(f"{'samples/second':<34}{'best':>12}{'median':>12}"
          + (f"{'best/torch':>12}{'median/torch':>13}" if reference else ""))
    for name in runs:
        row(name, rates[name], reference)

    print()
    print("dtypes after training (utils):")
    print(f"  parameters      {dtypes(p.data for p in model.parameters())}")
    print(f"  gradients       {dtypes(p.grad for p in model.parameters())}")
    print(f"  Adam m and v    {dtypes(optimizer.m + optimizer.v)}")
    print(f"  output          {model.forward(X[:BATCH]).dtype}")
    if torch is not None:
        state = [t for s in torch_optimizer.state.values() for t in s.values() if t.ndim]
        print("dtypes after training (PyTorch):")
        print(f"  parameters      {dtypes(p for p in torch_model.parameters())}")
        print(f"  Adam state      {dtypes(state)}")


if __name__ == "__main__":
    main()
