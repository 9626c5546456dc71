"""How long one slider move takes to redraw lesson 01's perceptron explorer.

The explorer draws its figure once and, on every slider move, redraws only the
boundary, the points and the title on a saved background, then sends a PNG to
an ``ipywidgets.Image`` (``utils.widgets.BlitImage``). For comparison, the
script also times the usual approach with the inline backend: a new figure,
drawn in full and rendered to PNG on every move. Both sweep the bias slider
over 31 values and print the median and the slowest redraw, in the kernel;
the browser's round trip on localhost comes on top.

Run: .venv/bin/python benchmarks/bench_widgets.py
"""

import io
import os
import time

os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

import matplotlib  # noqa: E402

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402

from utils import datasets  # noqa: E402
from utils.widgets import draw_perceptron, perceptron_explorer  # noqa: E402


def redraw(X, y, w1, w2, b):
    """What one slider move costs: a new figure, the drawing, and its PNG."""
    fig, ax = plt.subplots(figsize=(5.5, 5))
    draw_perceptron(X, y, np.array([w1, w2]), b, ax)
    fig.canvas.print_png(io.BytesIO())  # the inline backend sends a PNG of the figure (dpi from rcParams)
    plt.close(fig)


def sweep(move):
    """Milliseconds of each of 31 slider moves."""
    times = []
    for b in np.linspace(-3, 3, 31):
        start = time.perf_counter()
        move(float(b))
        times.append(time.perf_counter() - start)
    return np.array(times) * 1000


def main():
    X, y = datasets.make_blobs(100, noise=0.7, centers=[[-1.5, -1.0], [1.5, 1.0]], seed=0)
    redraw(X, y, 1.0, 2.0, -1.0)  # warm-up: font cache, first figure
    full = sweep(lambda b: redraw(X, y, 1.0, 2.0, b))
    explorer = perceptron_explorer(X, y, w1=1.0, w2=2.0, b=-1.0)
    bias_slider = explorer.children[0].children[2]
    blit = sweep(lambda b: setattr(bias_slider, "value", b))  # the explorer redraws on every change
    print("perceptron explorer (lesson 01): one slider move, compute + draw + PNG, in the kernel")
    for name, t in (("full redraw (inline backend)", full), ("explorer (blitting)", blit)):
        print(f"  {name:30s} median {np.median(t):4.0f} ms   slowest {t.max():4.0f} ms")
    print(f"  speed-up of the median: {np.median(full) / np.median(blit):.1f}x")


if __name__ == "__main__":
    main()
