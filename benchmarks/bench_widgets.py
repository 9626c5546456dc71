"""How long an explorer takes from a control change to its finished new image.

For every explorer registered in ``utils.widgets.EXPLORERS`` (the course's own and any added
later), the script makes the explorer with its defaults and moves each numeric control across
its range (9 values from its minimum to its maximum, each visited twice, in a shuffled order),
and each dropdown through its options. Each change runs, in the kernel, what a slider move
runs: the computation, the redraw (a blit of the changed artists, or a new background when the
control changes the surface) and the PNG sent to the ``ipywidgets.Image``. The browser's
round trip on localhost comes on top.

It prints, per explorer and control, the kind of redraw the control declares, the median and
the slowest change by the wall clock, the median CPU time of the process (what the change
costs on an idle machine: on a shared machine the wall clock also counts other processes), and
the target: 50 ms when only the path changes in a 2-D figure, 100 ms with a 3-D view, 150 ms
when the surface changes. It asserts nothing.

For lesson 01's explorer it also times the usual approach for comparison: a new figure with
the inline backend, drawn in full and rendered to PNG on every move.

Run: .venv/bin/python benchmarks/bench_widgets.py [explorer_name ...]
"""

import io
import os
import sys
import time

os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

import matplotlib  # noqa: E402

matplotlib.use("Agg")
import ipywidgets  # noqa: E402
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402

from utils import datasets  # noqa: E402
from utils.widgets import EXPLORERS, SURFACE, draw_perceptron  # noqa: E402
from utils.widgets.base import numeric_controls, sweep_values  # noqa: E402

TARGETS_MS = {"path": 50, "path, 3-D": 100, "surface": 150}


def redraw(X, y, w1, w2, b):
    """What one slider move costs without blitting: a new figure, the drawing, and its PNG."""
    fig, ax = plt.subplots(figsize=(5.5, 5))
    draw_perceptron(X, y, np.array([w1, w2]), b, ax)
    fig.canvas.print_png(io.BytesIO())  # the inline backend sends a PNG of the figure (dpi from rcParams)
    plt.close(fig)


def time_changes(explorer, name, values):
    """Milliseconds from setting the control to the new image, for each value: wall clock and CPU.

    The CPU time of this process is what the change costs on an idle machine; the wall clock
    also counts the time other processes held the cores.
    """
    control, wall, cpu = explorer.controls[name], [], []
    for value in values:
        start, start_cpu = time.perf_counter(), time.process_time()
        control.value = value
        wall.append(time.perf_counter() - start)
        cpu.append(time.process_time() - start_cpu)
        if explorer.last_error is not None:
            raise RuntimeError(f"{name} = {value!r} failed: {explorer.last_error!r}")
    return np.array(wall) * 1000, np.array(cpu) * 1000


def control_values(explorer, name, rng):
    """The values to visit: a numeric control's sweep, or a dropdown's options, twice, shuffled."""
    control = explorer.controls[name]
    if isinstance(control, ipywidgets.Dropdown):
        options = control.options
        values = [v for _, v in options] if isinstance(options[0], tuple) else list(options)
    else:
        values = sweep_values(control, 9)
    values = [v for v in values * 2]
    rng.shuffle(values)
    return [v for v in values if v != control.value] or values


def kind(explorer, name):
    if explorer.control_kinds[name] == SURFACE:
        return "surface"
    has_3d = any(getattr(ax, "name", "") == "3d" for ax in explorer.figure.axes)
    return "path, 3-D" if has_3d else "path"


def bench_explorer(info, rng):
    explorer = info.factory()
    names = [n for n in numeric_controls(explorer) if n not in info.skip]
    names += [n for n, c in explorer.controls.items() if isinstance(c, ipywidgets.Dropdown) and n not in info.skip]
    rows = []
    for name in names:
        explorer = info.prepare(name)  # every control starts from the explorer's defaults
        values = info.sweeps.get(name) or control_values(explorer, name, rng)
        wall, cpu = time_changes(explorer, name, values)
        k = kind(explorer, name)
        rows.append((name, k, np.median(wall), wall.max(), np.median(cpu), TARGETS_MS[k]))
    return rows


def bench_perceptron_full_redraw():
    X, y = datasets.make_blobs(100, noise=0.7, centers=[[-1.5, -1.0], [1.5, 1.0]], seed=0)
    redraw(X, y, 1.0, 2.0, -1.0)  # warm-up: font cache, first figure
    wall, cpu = [], []
    for b in np.linspace(-3, 3, 31):
        start, start_cpu = time.perf_counter(), time.process_time()
        redraw(X, y, 1.0, 2.0, float(b))
        wall.append(time.perf_counter() - start)
        cpu.append(time.process_time() - start_cpu)
    return np.median(wall) * 1000, np.median(cpu) * 1000


def main(names):
    rng = np.random.default_rng(0)
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    print(f"Explorers: time from a control change to the new image, in the kernel (ms); "
          f"{os.cpu_count()} cores, load average {load:.1f} at the start")
    print("  wall: median and slowest by the clock; cpu: median CPU time of this process (an idle machine)")
    print(f"{'explorer':28s} {'control':12s} {'redraws':10s} {'wall':>7s} {'slowest':>8s} {'cpu':>7s} "
          f"{'target':>7s}")
    for name, info in EXPLORERS.items():
        if names and name not in names:
            continue
        for control, k, median, slowest, cpu, target in bench_explorer(info, rng):
            flag = "" if cpu <= target else "  over target"
            print(f"{name:28s} {control:12s} {k:10s} {median:7.1f} {slowest:8.1f} {cpu:7.1f} {target:7d}{flag}")
    if not names or "perceptron_explorer" in names:
        wall, cpu = bench_perceptron_full_redraw()
        print(f"\nLesson 01's perceptron, without blitting (a new figure drawn in full with the inline "
              f"backend, as PNG): median {wall:.1f} ms wall, {cpu:.1f} ms CPU per slider move")


if __name__ == "__main__":
    main(sys.argv[1:])
