"""How fast the Playground trains while it draws, and how long each control takes to redraw.

Part 1, training while drawing. For a few settings (the default spirals network, a wide
overfitting network, three classes, dropout with a schedule), the script advances the ``Play``
control tick by tick, as the browser does, and measures per tick: the time from the new value
to the finished image (training ``epochs_per_tick`` epochs with ``fit``, scoring both sets,
the regions on a grid, the blit and the JPEG sent to the ``ipywidgets.Image``). It prints the
training steps (mini-batch updates) per second sustained, the epochs per second, the median
tick, all in CPU time of the process (what a tick costs on an idle machine; on a shared machine
the wall clock also counts other processes, and its median is printed too), and the share of
the tick's CPU time spent on anything but training and scoring (drawing). The browser's round trip
on localhost comes on top. A tick far below the Play control's interval (150 ms) leaves the
kernel free between ticks.

Part 2, every control. Through the explorer registry (as ``bench_widgets.py`` does for every
explorer), the median and slowest wall-clock time and the median CPU time from a change of each
control to the new image, against its target (150 ms for a control that redraws the background,
50 ms for one that blits).

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
    """Per-tick CPU and wall times (s), and the CPU time of the training and scoring in each tick."""
    pg = playground(**settings)
    train = pg.run.train
    spent = []

    def timed_train(epochs):
        start = time.process_time()
        try:
            return train(epochs)
        finally:
            spent.append(time.process_time() - start)
    pg.run.train = timed_train
    pg.controls["play"].value = 1  # warm-up
    spent.clear()
    cpu, wall = [], []
    for _ in range(ticks):
        start, start_cpu = time.perf_counter(), time.process_time()
        pg.controls["play"].value += 1
        wall.append(time.perf_counter() - start)
        cpu.append(time.process_time() - start_cpu)
    if pg.last_error is not None:
        raise RuntimeError(f"a tick failed: {pg.last_error!r}")
    return pg, np.array(cpu), np.array(wall), np.array(spent)


def main():
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    print(f"Playground: training while drawing, one Play tick at a time (in the kernel; one BLAS thread); "
          f"{os.cpu_count()} cores, load average {load:.1f} at the start")
    print("  rates and the median tick in CPU time of this process (an idle machine); wall: the median by the clock")
    print(f"{'setting':42s} {'epochs/tick':>11s} {'steps/s':>8s} {'epochs/s':>9s} {'median tick':>12s} "
          f"{'wall':>8s} {'drawing':>8s}")
    for name, settings in SETTINGS.items():
        pg, cpu, wall, spent = bench_ticks(settings)
        per_tick = pg.controls["epochs_per_tick"].value
        steps = steps_per_epoch(pg) * per_tick * len(cpu)
        drawing = 1 - spent.sum() / cpu.sum()
        print(f"{name:42s} {per_tick:11d} {steps / cpu.sum():8.0f} {per_tick * len(cpu) / cpu.sum():9.1f} "
              f"{np.median(cpu) * 1000:9.1f} ms {np.median(wall) * 1000:5.1f} ms {drawing:7.0%}")
    print("\nPlayground: time from a control change to the new image (ms), via the explorer registry")
    print("  wall: median and slowest by the clock; cpu: median CPU time of this process (an idle machine)")
    print(f"{'control':16s} {'redraws':10s} {'wall':>7s} {'slowest':>8s} {'cpu':>7s} {'target':>7s}")
    rows = bench_explorer(EXPLORERS["playground"], np.random.default_rng(0))
    for control, kind, median, slowest, cpu, target in rows:
        flag = "" if cpu <= target else "  over target"
        print(f"{control:16s} {kind:10s} {median:7.1f} {slowest:8.1f} {cpu:7.1f} {target:7d}{flag}")


if __name__ == "__main__":
    main()
