"""Interactive explorers: sliders joined to a compute function and a draw function.

Each explorer is three parts: the reference computation from ``utils``, a
drawing function from ``utils.plotting``, and ipywidgets controls that call
the drawing function again whenever a slider moves. Explorers always use the
reference implementations, never the learner's exercise code, so they work
before any exercise is done.

ipywidgets and matplotlib are imported with this module, never by ``import utils``.
"""

import ipywidgets as widgets
import matplotlib.pyplot as plt
import numpy as np

from .perceptron import perceptron_predict
from .plotting import plot_dataset, plot_linear_boundary


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
    int
        Number of points the perceptron classifies correctly.
    """
    correct = int(np.sum(perceptron_predict(X, w, b) == y))
    ax = plot_dataset(X, y, ax)
    plot_linear_boundary(np.asarray(w), b, ax)
    ax.set_title(f"$w$ = ({w[0]:.1f}, {w[1]:.1f}), $b$ = {b:.1f}:  "
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
    controls = {"w1": _slider(w1, "$w_1$"), "w2": _slider(w2, "$w_2$"), "b": _slider(b, "$b$")}

    def redraw(w1, w2, b):
        fig, ax = plt.subplots(figsize=(5.5, 5))
        draw_perceptron(X, y, np.array([w1, w2]), b, ax)
        plt.show()

    out = widgets.interactive_output(redraw, controls)
    return widgets.VBox([widgets.HBox(list(controls.values())), out])
