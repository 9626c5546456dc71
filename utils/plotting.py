"""Figures for the lessons, drawn with matplotlib.

Every function takes ``ax=None`` (a new figure when omitted), draws, and
returns what it drew, so a widget can call it again on the same axes. Nothing
here computes a model: the caller passes in predictions or a prediction
function. Classes are told apart by colour *and* marker, with the Okabe-Ito
palette, which reads for the common kinds of colour blindness; continuous
values use the ``cividis`` colour map for the same reason.

matplotlib is imported with this module, never by ``import utils``.
"""

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.ticker import MaxNLocator

#: Okabe & Ito's colour-blind-safe palette, one colour per class.
CLASS_COLORS = ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#000000"]
#: One marker per class, so classes differ in shape as well as colour.
CLASS_MARKERS = ["o", "s", "^", "D", "v", "P", "X", "*"]
#: Lighter versions of the class colours, for shaded decision regions.
REGION_ALPHA = 0.18


def _axes(ax, figsize=(5, 4.5)):
    if ax is None:
        _, ax = plt.subplots(figsize=figsize)
    return ax


def _finish(ax, xlabel, ylabel, title, legend):
    """Label the axes, title them and show the legend, where asked."""
    ax.set_xlabel(xlabel)
    if ylabel:
        ax.set_ylabel(ylabel)
    if title:
        ax.set_title(title)
    if legend:
        ax.legend()


def plot_dataset(X, y, ax=None, *, title=None, class_names=None, s=28):
    """Scatter a 2-D dataset, one colour and marker per class.

    Parameters
    ----------
    X : ndarray, shape (N, 2)
    y : ndarray of int, shape (N,)
    ax : matplotlib Axes, optional
    title : str, optional
    class_names : list of str, optional
        Legend entries; "class 0", "class 1", ... by default.

    Returns
    -------
    matplotlib Axes
    """
    ax = _axes(ax)
    X, y = np.asarray(X), np.asarray(y).astype(int)
    for k in np.unique(y):
        name = class_names[k] if class_names else f"class {k}"
        ax.scatter(X[y == k, 0], X[y == k, 1], s=s, c=CLASS_COLORS[k % 8], marker=CLASS_MARKERS[k % 8],
                   edgecolors="white", linewidths=0.5, label=name, zorder=3)
    ax.set_xlabel("$x_1$")
    ax.set_ylabel("$x_2$")
    ax.legend(loc="best", framealpha=0.9)
    if title:
        ax.set_title(title)
    return ax


def half_plane(w, b, xlim, ylim):
    r"""Clip the rectangle ``xlim`` x ``ylim`` to the half-plane :math:`w \cdot x + b \ge 0`.

    Parameters
    ----------
    w : ndarray, shape (2,)
    b : float
    xlim, ylim : (float, float)

    Returns
    -------
    polygon : ndarray, shape (K, 2)
        Corners of the clipped region, in order (K = 0 when it is empty).
    crossings : ndarray, shape (M, 2)
        Where the line :math:`w \cdot x + b = 0` crosses the rectangle's edges
        (M = 2 when the line passes through it).
    """
    (x0, x1), (y0, y1) = xlim, ylim
    corners = np.array([[x0, y0], [x1, y0], [x1, y1], [x0, y1]])
    values = corners @ np.asarray(w, dtype=float) + b
    polygon, crossings = [], []
    for k in range(4):  # Sutherland-Hodgman against one line
        p, q, fp, fq = corners[k], corners[(k + 1) % 4], values[k], values[(k + 1) % 4]
        if fp >= 0:
            polygon.append(p)
        if (fp >= 0) != (fq >= 0):
            crossing = p + (q - p) * fp / (fp - fq)
            polygon.append(crossing)
            crossings.append(crossing)
    return np.array(polygon).reshape(-1, 2), np.array(crossings).reshape(-1, 2)


def plot_linear_boundary(w, b, ax=None, *, shade=True, color="black", linestyle="solid", linewidth=2,
                         label=None):
    r"""Draw the line :math:`w_1 x_1 + w_2 x_2 + b = 0` across the axes, shading each side.

    Call it after the data is plotted, so the line spans the data's limits.
    The side where :math:`w \cdot x + b \ge 0` (predicted class 1) is shaded in
    class 1's colour, the other side in class 0's.

    Parameters
    ----------
    w : ndarray, shape (2,)
    b : float
    ax : matplotlib Axes, optional
    shade : bool, default True
    color, linestyle, linewidth
        Style of the line.
    label : str, optional
        The line's entry in a legend.

    Returns
    -------
    list of matplotlib artists
        ``[class-1 region, class-0 region, line]`` (the regions only with `shade`);
        :func:`update_linear_boundary` moves them.
    """
    from matplotlib.patches import Polygon

    ax = _axes(ax)
    artists = []
    if shade:
        for k in (1, 0):
            artists.append(ax.add_patch(Polygon(np.zeros((0, 2)), closed=True, facecolor=CLASS_COLORS[k],
                                                alpha=REGION_ALPHA, edgecolor="none", zorder=0)))
    (line,) = ax.plot([], [], color=color, linestyle=linestyle, linewidth=linewidth, zorder=2, label=label)
    artists.append(line)
    xlim, ylim = ax.get_xlim(), ax.get_ylim()
    update_linear_boundary(artists, w, b, xlim, ylim)
    ax.set_xlim(xlim)
    ax.set_ylim(ylim)
    return artists


def update_linear_boundary(artists, w, b, xlim, ylim):
    """Move the artists of :func:`plot_linear_boundary` to the line ``w . x + b = 0``."""
    w = np.asarray(w, dtype=float)
    *regions, line = artists
    for region, sign in zip(regions, (1, -1)):
        region.set_xy(half_plane(sign * w, sign * b, xlim, ylim)[0])
    crossings = half_plane(w, b, xlim, ylim)[1] if np.any(w != 0) else np.zeros((0, 2))
    line.set_data(crossings[:, 0], crossings[:, 1])
    return artists


def plot_decision_regions(predict, X, y, ax=None, *, title=None, resolution=200, margin=0.5):
    """Shade the class a model predicts at every point of the plane, then scatter the data.

    Parameters
    ----------
    predict : callable
        Maps an array of shape (M, 2) to predicted labels of shape (M,).
    X : ndarray, shape (N, 2)
    y : ndarray of int, shape (N,)
    ax : matplotlib Axes, optional
    resolution : int, default 200
        Grid points per axis.

    Returns
    -------
    matplotlib Axes
    """
    ax = _axes(ax)
    (x0, y0), (x1, y1) = X.min(axis=0) - margin, X.max(axis=0) + margin
    gx, gy = np.meshgrid(np.linspace(x0, x1, resolution), np.linspace(y0, y1, resolution))
    labels = np.asarray(predict(np.c_[gx.ravel(), gy.ravel()])).reshape(gx.shape)
    k = int(max(labels.max(), np.max(y))) + 1
    ax.contourf(gx, gy, labels, levels=np.arange(k + 1) - 0.5, colors=CLASS_COLORS[:k],
                alpha=REGION_ALPHA, zorder=0)
    plot_dataset(X, y, ax, title=title)
    return ax


def plot_function(fn, ax=None, *, z=None, label=None, title=None, xlabel="$z$", ylabel=None, **style):
    """Plot a function of one variable, e.g. an activation or its derivative.

    Parameters
    ----------
    fn : callable
        Elementwise; called on an array of shape (M,).
    z : ndarray, shape (M,), optional
        Where to evaluate; 400 points in [-6, 6] by default.

    Returns
    -------
    matplotlib Line2D
    """
    ax = _axes(ax, figsize=(5, 3.5))
    z = np.linspace(-6, 6, 400) if z is None else np.asarray(z)
    (line,) = ax.plot(z, fn(z), label=label, **style)
    ax.axhline(0, color="0.7", linewidth=0.8, zorder=0)
    ax.axvline(0, color="0.7", linewidth=0.8, zorder=0)
    _finish(ax, xlabel, ylabel, title, legend=bool(label))
    return line


def plot_curve(values, ax=None, *, label=None, title=None, xlabel="epoch", ylabel=None, **style):
    """Plot a per-epoch quantity (a loss, a count of mistakes) against epochs 1, 2, ...

    Parameters
    ----------
    values : sequence of float, length E

    Returns
    -------
    matplotlib Line2D
    """
    ax = _axes(ax, figsize=(5, 3.5))
    epochs = np.arange(1, len(values) + 1)
    (line,) = ax.plot(epochs, values, marker="o", markersize=3, label=label, **style)
    ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    if np.issubdtype(np.asarray(values).dtype, np.integer):  # counts: no tick at 1.5 mistakes
        ax.yaxis.set_major_locator(MaxNLocator(integer=True))
    _finish(ax, xlabel, ylabel, title, legend=bool(label))
    return line


def plot_history(history, ax=None, *, metric="loss", title=None):
    """Training and validation curves from a ``utils.training.History``.

    Parameters
    ----------
    history : History
    metric : {"loss", "accuracy"}

    Returns
    -------
    matplotlib Axes
    """
    ax = _axes(ax, figsize=(5, 3.5))
    plot_curve(getattr(history, f"train_{metric}"), ax, label=f"training {metric}", color=CLASS_COLORS[0])
    val = getattr(history, f"val_{metric}")
    if val:
        plot_curve(val, ax, label=f"validation {metric}", color=CLASS_COLORS[1], linestyle="--")
    if history.best_epoch:
        ax.axvline(history.best_epoch, color="0.4", linestyle=":", label="best epoch")
        ax.legend()
    ax.set_ylabel(metric)
    ax.set_title(title or f"{metric.capitalize()} per epoch")
    return ax


def plot_perceptron_diagram(ax=None, *, n_inputs=2, title="A perceptron"):
    r"""Draw a perceptron: inputs, weights, a bias, the sum :math:`z` and the activation :math:`g`.

    Parameters
    ----------
    ax : matplotlib Axes, optional
    n_inputs : int, default 2
        Inputs drawn as :math:`x_1 \dots x_D`; the formula below the drawing has as many terms.

    Returns
    -------
    matplotlib Axes
    """
    ax = _axes(ax, figsize=(7, 3.2))
    ys = np.linspace(0.85, 0.15, n_inputs)
    node = dict(ha="center", va="center", fontsize=13, zorder=3)
    circle = dict(boxstyle="circle,pad=0.45", facecolor="white", edgecolor="0.2", linewidth=1.5)
    for j, y in enumerate(ys, start=1):
        ax.text(0.08, y, f"$x_{j}$", bbox={**circle, "facecolor": "#cfe6f5"}, **node)
        ax.annotate("", xy=(0.43, 0.5), xytext=(0.12, y),
                    arrowprops=dict(arrowstyle="->", color=CLASS_COLORS[0], linewidth=1.5))
        ax.text(0.27, y + (0.5 - y) * 0.45 + 0.05, f"$w_{j}$", fontsize=12, color=CLASS_COLORS[0], ha="center")
    ax.text(0.47, 0.5, r"$\Sigma$", bbox={**circle, "facecolor": "#fde9c4"}, **node)
    ax.annotate("", xy=(0.47, 0.56), xytext=(0.47, 0.95), arrowprops=dict(arrowstyle="->", color=CLASS_COLORS[5]))
    ax.text(0.49, 0.9, "bias $b$", fontsize=12, color=CLASS_COLORS[5], ha="left")
    ax.annotate("", xy=(0.67, 0.5), xytext=(0.51, 0.5), arrowprops=dict(arrowstyle="->", linewidth=1.5))
    ax.text(0.59, 0.55, "$z$", fontsize=12, ha="center")
    ax.text(0.71, 0.5, "$g$", bbox={**circle, "facecolor": "#d3eee3"}, **node)
    ax.annotate("", xy=(0.9, 0.5), xytext=(0.75, 0.5), arrowprops=dict(arrowstyle="->", linewidth=1.5))
    ax.text(0.94, 0.5, r"$\hat y$", **node)
    terms = (" + ".join(f"w_{j} x_{j}" for j in range(1, n_inputs + 1)) if n_inputs <= 3
             else r"w_1 x_1 + \dots + w_D x_D")  # the formula of the inputs drawn
    ax.text(0.47, 0.03, rf"$z = {terms} + b \qquad \hat y = g(z)$", fontsize=12, ha="center")
    ax.set_xlim(0, 1)
    ax.set_ylim(0, 1)
    ax.axis("off")
    ax.set_title(title)
    return ax


#: The course's lessons by stage, for :func:`plot_course_map` and lesson 00's table.
COURSE = {"one neuron": ["00 Welcome", "01 The perceptron", "02 Activation functions"],
          "networks": ["03 Neural networks", "04 Loss functions", "05 Backpropagation"],
          "learning": ["06 Gradient descent", "07 Optimizers", "08 Training a network"],
          "generalization": ["09 Overfitting and\ngeneralization", "10 Regularization"]}


def plot_course_map(ax=None):
    """Draw the course: one row of lesson boxes per stage, joined by arrows in course order.

    Returns
    -------
    matplotlib Axes
    """
    from matplotlib.colors import to_rgba
    from matplotlib.patches import FancyBboxPatch

    ax = _axes(ax, figsize=(10, 5.2))
    boxes = []  # (left, right, y) of every box, in course order
    for row, (stage, lessons) in enumerate(COURSE.items()):
        color, y = CLASS_COLORS[row], -1.1 * row
        ax.text(-0.25, y, stage, ha="right", va="center", fontsize=12, fontweight="bold",
                bbox=dict(boxstyle="round,pad=0.3", facecolor="white", edgecolor=color, linewidth=2))
        for col, lesson in enumerate(lessons):
            number, title = lesson.split(" ", 1)
            x = 2.6 * col
            ax.add_patch(FancyBboxPatch((x, y - 0.36), 2.2, 0.72, boxstyle="round,pad=0.04",
                                        facecolor=to_rgba(color, 0.15), edgecolor=color, linewidth=2))
            ax.text(x + 1.1, y + 0.18, number, ha="center", va="center", fontsize=12, fontweight="bold")
            ax.text(x + 1.1, y + 0.02, title, ha="center", va="top", fontsize=10)
            boxes.append((x, x + 2.2, y))
    for (left_a, right_a, y_a), (left_b, _, y_b) in zip(boxes, boxes[1:]):
        if y_a == y_b:  # next lesson in the same stage: an arrow to the right
            start, end = (right_a + 0.06, y_a), (left_b - 0.06, y_b)
        else:  # next stage: an arrow down to the start of the next row
            start, end = (right_a - 1.1, y_a - 0.42), (left_b + 1.1, y_b + 0.42)
        ax.annotate("", xy=end, xytext=start, arrowprops=dict(arrowstyle="-|>", color="0.3", lw=1.5))
    ax.set(xlim=(-2.4, 7.9), ylim=(-3.8, 0.6))
    ax.axis("off")
    ax.set_title("The course map: eleven lessons in four stages", fontsize=14)
    return ax
