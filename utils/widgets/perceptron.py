"""Interactive explorers: sliders joined to a compute function and a draw function.

Each explorer is three parts: the reference computation from ``utils``, a
drawing function from ``utils.plotting``, and ipywidgets controls that update
the figure whenever a slider moves. Explorers always use the reference
implementations, never the learner's exercise code, so they work before any
exercise is done.

Sliders must feel instant, so a figure is drawn once and shown as an image
(:class:`BlitImage`): a slider move redraws only the artists that change on
top of a saved background and sends the new PNG. On a 2-core machine that is
about 5x faster than redrawing the whole figure (``benchmarks/bench_widgets.py``).

ipywidgets and matplotlib are imported with this module, never by ``import utils``.
"""


import ipywidgets as widgets
import numpy as np
from matplotlib.figure import Figure

from ..perceptron import perceptron_predict
from ..plotting import plot_dataset, plot_linear_boundary, update_linear_boundary
from .base import BlitImage


def _slider(value, description, low=-3.0, high=3.0, step=0.1):
    return widgets.FloatSlider(value=value, min=low, max=high, step=step, description=description,
                               continuous_update=True, readout_format=".1f")


def draw_perceptron(X, y, w, b, ax=None):
    """Draw the data, the perceptron's boundary and the count of correct points.

    Parameters
    ----------
    X : ndarray, shape (N, 2)
    y : ndarray of int, shape (N,), values 0 or 1
    w : ndarray, shape (2,)
    b : float

    Returns
    -------
    dict
        The artists, for :func:`update_perceptron`: ``"boundary"``, ``"points"``, ``"title"``.
    """
    ax = plot_dataset(X, y, ax)
    artists = {"boundary": plot_linear_boundary(np.asarray(w), b, ax),
               "points": list(ax.collections), "title": ax.set_title(" ")}
    update_perceptron(artists, X, y, w, b)
    return artists


def update_perceptron(artists, X, y, w, b):
    """Move the boundary to ``(w, b)`` and retitle with the number of correct points; return that number."""
    ax = artists["title"].axes
    update_linear_boundary(artists["boundary"], w, b, ax.get_xlim(), ax.get_ylim())
    correct = int(np.sum(perceptron_predict(X, np.asarray(w), b) == y))
    artists["title"].set_text(f"w = ({w[0]:.1f}, {w[1]:.1f}), b = {b:.1f}:  "
                              f"{correct} / {len(y)} classified correctly")
    return correct


def perceptron_explorer(X, y, *, w1=1.0, w2=1.0, b=0.0):
    """Sliders for w1, w2 and b that move a perceptron's decision boundary over 2-D data.

    Parameters
    ----------
    X : ndarray, shape (N, 2)
    y : ndarray of int, shape (N,), values 0 or 1
    w1, w2, b : float
        Starting values of the sliders.

    Returns
    -------
    ipywidgets.VBox
        The sliders above the figure; display it (it is the cell's value).
    """
    X, y = np.asarray(X, dtype=float), np.asarray(y)
    controls = {"w1": _slider(w1, "w₁"), "w2": _slider(w2, "w₂"), "b": _slider(b, "b")}
    fig = Figure(figsize=(5.5, 5), dpi=100, layout="tight")
    ax = fig.add_subplot()
    artists = draw_perceptron(X, y, np.array([w1, w2]), b, ax)
    legend = ax.get_legend()
    image = BlitImage(fig, [*artists["boundary"], *artists["points"], legend, artists["title"]])

    def on_change(_=None):
        values = {name: c.value for name, c in controls.items()}
        update_perceptron(artists, X, y, np.array([values["w1"], values["w2"]]), values["b"])
        image.refresh()

    for control in controls.values():
        control.observe(on_change, names="value")
    box = widgets.VBox([widgets.HBox(list(controls.values())), image.widget])
    box.figure = fig  # for tests: the figure behind the image
    return box
