"""How fast the Playground trains while it draws, and how long each control takes to redraw.

Part 1, training while drawing. For a few settings (the default spirals network, a wide
overfitting network, three classes, dropout with a schedule), the script advances the ``Play``
control tick by tick, as the browser does, and measures per tick: the time from the new value
to the finished image (training ``epochs_per_tick`` epochs with ``fit``, scoring both sets,
the regions on a 100 x 100 grid, the blit and the JPEG sent to the ``ipywidgets.Image``). It
prints the training steps (mini-batch updates) per second sustained, the epochs per second,
the median and slowest tick, and the share of the tick spent drawing. The browser's round trip
on localhost comes on top. A tick far below the Play control's interval (150 ms) leaves the
kernel free between ticks.

Part 2, every control. Through the explorer registry (as ``bench_widgets.py`` does for every
explorer), the median and slowest time from a change of each control to the new image.

It asserts nothing. Run: .venv/bin/python benchmarks/bench_playground.py
"""

import os
import sys
import time

os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

import matplotlib  # noqa: E402

matplotlib.use("Agg")
import numpy as np  # noqa: E402

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from bench_widgets import bench_explorer  # noqa: E402

from utils.widgets import EXPLORERS, playground  # noqa: E402

SETTINGS = {
    "default: spirals, 2-8-8-2 tanh, batch 16": dict(),
    "overfit: moons n=100, 2-64-64-2 ReLU": dict(dataset="moons", noise=0.3, n=100, hidden=(64, 64),
                                                 activation="ReLU"),
    "3 classes: spirals n=300, 2-32-32-3 ReLU": dict(dataset="spirals, 3 classes", n=300, hidden=(32, 32),
                                                     activation="ReLU", lr=0.01),
    "dropout 0.3, L2 1e-3, cosine, batch 8": dict(dropout=0.3, l2=1e-3, schedule="cosine", batch_size=8),
}


def steps_per_epoch(pg):
    return -(-len(pg.X_train) // min(pg.controls["batch_size"].value, len(pg.X_train)))


def bench_ticks(settings, ticks=60):
    """Per-tick times (s), and the part of them not spent in training and scoring (drawing)."""
    pg = playground(**settings)
    train = pg.run.train
    spent = []

    def timed_train(epochs):
        start = time.perf_counter()
        try:
            return train(epochs)
        finally:
            spent.append(time.perf_counter() - start)
    pg.run.train = timed_train
    pg.controls["play"].value = 1  # warm-up
    spent.clear()
    times = []
    for _ in range(ticks):
        start = time.perf_counter()
        pg.controls["play"].value += 1
        times.append(time.perf_counter() - start)
    if pg.last_error is not None:
        raise RuntimeError(f"a tick failed: {pg.last_error!r}")
    return pg, np.array(times), np.array(spent)


def main():
    print("Playground: training while drawing, one Play tick at a time (in the kernel; one BLAS thread)")
    print(f"{'setting':42s} {'epochs/tick':>11s} {'steps/s':>8s} {'epochs/s':>9s} {'median tick':>12s} "
          f"{'slowest':>8s} {'drawing':>8s}")
    for name, settings in SETTINGS.items():
        pg, times, spent = bench_ticks(settings)
        per_tick = pg.controls["epochs_per_tick"].value
        steps = steps_per_epoch(pg) * per_tick * len(times)
        drawing = 1 - spent.sum() / times.sum()
        print(f"{name:42s} {per_tick:11d} {steps / times.sum():8.0f} {per_tick * len(times) / times.sum():9.1f} "
              f"{np.median(times) * 1000:9.1f} ms {times.max() * 1000:5.1f} ms {drawing:7.0%}")
    print("\nPlayground: time from a control change to the new image (ms), via the explorer registry")
    print(f"{'control':16s} {'redraws':10s} {'median':>7s} {'slowest':>8s} {'target':>7s}")
    for control, kind, median, slowest, target in bench_explorer(EXPLORERS["playground"], np.random.default_rng(0)):
        flag = "" if median <= target else "  over target"
        print(f"{control:16s} {kind:10s} {median:7.1f} {slowest:8.1f} {target:7d}{flag}")


if __name__ == "__main__":
    main()
