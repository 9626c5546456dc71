r"""Lesson 01's explorer: sliders for a perceptron's weights and bias over two classes of points.

The learner moves :math:`w_1, w_2, b` and watches the decision boundary
:math:`w_1 x_1 + w_2 x_2 + b = 0` and the shaded regions of the two predicted classes move, with
the number of points classified correctly in the title. The data, its legend and the axes are
drawn once; a slider move redraws only the two regions, the line and the title
(:class:`~utils.widgets.base.Explorer`).

When :math:`w = (0, 0)` there is no line: :math:`z = b` at every point, so the perceptron predicts
class 1 everywhere when :math:`b \ge 0` and class 0 everywhere when :math:`b < 0`, and the figure
paints exactly that.
"""

import ipywidgets as widgets
import numpy as np
from matplotlib.patches import Patch

from .. import datasets
from .._validation import as_float_array, check_ndim
from ..perceptron import perceptron_predict
from ..plotting import CLASS_COLORS, REGION_ALPHA, plot_dataset, plot_linear_boundary, update_linear_boundary
from .base import PATH, Explorer, register_explorer

#: Slider range of w1, w2 and b: wide enough to double lesson 01's start values w = (1, 2), b = -1.
WEIGHT_RANGE = (-5.0, 5.0)


def draw_perceptron(X, y, w, b, ax):
    """Draw the data, a fixed legend, the perceptron's boundary and the count of correct points.

    Parameters
    ----------
    X : ndarray, shape (N, 2)
    y : ndarray of int, shape (N,), values 0 or 1
    w : ndarray, shape (2,)
    b : float
    ax : matplotlib Axes

    Returns
    -------
    dict
        The artists, for :func:`update_perceptron`: ``"boundary"`` (class-1 region, class-0 region,
        line) and ``"title"``.
    """
    plot_dataset(X, y, ax)
    artists = {"boundary": plot_linear_boundary(np.asarray(w, dtype=float), b, ax), "title": ax.set_title(" ")}
    points, labels = ax.get_legend_handles_labels()
    regions = [Patch(facecolor=CLASS_COLORS[k], alpha=REGION_ALPHA, label=f"predicted class {k}")
               for k in (0, 1)]
    # Outside the axes, in a fixed place: it never jumps or hides points as the line moves.
    ax.legend([*points, *regions], [*labels, *(r.get_label() for r in regions)], loc="upper left",
              bbox_to_anchor=(1.02, 1.0), borderaxespad=0.0, framealpha=1.0)
    update_perceptron(artists, X, y, w, b)
    return artists


def update_perceptron(artists, X, y, w, b):
    """Move the boundary to ``(w, b)`` and retitle with the number of correct points; return that number."""
    ax = artists["title"].axes
    w = np.asarray(w, dtype=float)
    update_linear_boundary(artists["boundary"], w, b, ax.get_xlim(), ax.get_ylim())
    if not np.any(w):  # z = b everywhere: one class everywhere, never both painted over each other
        region1, region0, _ = artists["boundary"]
        (region0 if b >= 0 else region1).set_xy(np.zeros((0, 2)))
    correct = int(np.sum(perceptron_predict(X, w, b) == y))
    note = "" if np.any(w) else f"\nw = 0: no line, z = b, so class {int(b >= 0)} everywhere"
    artists["title"].set_text(f"w = ({w[0]:.1f}, {w[1]:.1f}), b = {b:.1f}:  "
                              f"{correct} / {len(y)} classified correctly{note}")
    return correct


class PerceptronExplorer(Explorer):
    """Sliders ``w1``, ``w2``, ``b`` that move a perceptron's decision boundary (see :func:`perceptron_explorer`).

    Attributes
    ----------
    w : ndarray, shape (2,)
    b : float
    correct : int
        Points classified correctly by :math:`(w, b)`.
    predictions : ndarray of float, shape (N,)
    """

    def __init__(self, X, y, *, w1, w2, b):
        super().__init__(figsize=(7.2, 5))
        self.X, self.y = X, y
        for name, value, label in (("w1", w1, "w₁ = w[0]"), ("w2", w2, "w₂ = w[1]"), ("b", b, "b")):
            self.add_control(name, widgets.FloatSlider(
                value=value, min=WEIGHT_RANGE[0], max=WEIGHT_RANGE[1], step=0.1, description=label,
                continuous_update=True, readout_format=".1f", style={"description_width": "initial"}),
                redraw=PATH)
        self.start()

    def compute(self):
        v = self.values
        self.w, self.b = np.array([v["w1"], v["w2"]]), float(v["b"])
        self.predictions = perceptron_predict(self.X, self.w, self.b)
        self.correct = int(np.sum(self.predictions == self.y))

    def draw_static(self):
        self.ax = self.figure.add_axes((0.1, 0.1, 0.6, 0.8))
        self.artists = draw_perceptron(self.X, self.y, self.w, self.b, self.ax)
        # The points are drawn after the regions move, so the regions never tint them.
        for artist in [*self.artists["boundary"], *self.ax.collections, self.artists["title"]]:
            self.animated(artist)

    def update(self):
        update_perceptron(self.artists, self.X, self.y, self.w, self.b)


@register_explorer
def perceptron_explorer(X=None, y=None, *, w1=1.0, w2=2.0, b=-1.0):
    r"""Sliders for :math:`w_1, w_2, b` that move a perceptron's decision boundary over 2-D data.

    Parameters
    ----------
    X : ndarray, shape (N, 2), optional
        The points; by default lesson 01's two blobs (100 points, seed 0).
    y : ndarray of int, shape (N,), values 0 or 1, optional
    w1, w2, b : float, default 1, 2, -1
        Starting values of the sliders, each in [-5, 5] (so doubling the defaults fits).

    Returns
    -------
    PerceptronExplorer
        Display it (it is the cell's value). ``.controls`` are ``"w1"``, ``"w2"``, ``"b"``;
        ``.correct`` is the number of points classified correctly.

    Raises
    ------
    ValueError
        If `X` is not (N, 2), `y` has another length or labels other than 0 and 1, or only one
        of `X`, `y` is given.

    Notes
    -----
    The perceptron predicts :math:`\hat y = 1` where :math:`w \cdot x + b \ge 0`; the boundary is
    the line :math:`w_1 x_1 + w_2 x_2 + b = 0`.
    """
    if (X is None) != (y is None):
        raise ValueError("perceptron_explorer needs both X and y, or neither (for the default data)")
    if X is None:
        X, y = datasets.make_blobs(100, noise=0.7, centers=[[-1.5, -1.0], [1.5, 1.0]], seed=0)
    X = as_float_array(X, "X", finite=True)
    check_ndim(X, 2, "X", "(N, 2)")
    y = np.asarray(y)
    if X.shape[1] != 2 or y.shape != (len(X),):
        raise ValueError(f"perceptron_explorer expects X of shape (N, 2) and y of shape (N,), "
                         f"got X {X.shape} and y {y.shape}")
    if not np.all((y == 0) | (y == 1)):
        raise ValueError(f"perceptron_explorer expects labels 0 and 1, got {np.unique(y)[:6]}")
    for name, value in (("w1", w1), ("w2", w2), ("b", b)):
        if not WEIGHT_RANGE[0] <= value <= WEIGHT_RANGE[1]:
            raise ValueError(f"{name} must be in [{WEIGHT_RANGE[0]}, {WEIGHT_RANGE[1]}], got {value}")
    return PerceptronExplorer(X, y.astype(int), w1=float(w1), w2=float(w2), b=float(b))
