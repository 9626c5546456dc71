r"""Lesson 03's figures and explorer: networks of dense layers, and what their layers do to the data.

- :func:`plot_network_diagram` draws the input, hidden and output layers of a network as circles
  joined by every connection of its dense layers.
- :func:`plot_layers` draws a 2-D dataset as it moves through the hidden layers of a trained
  network, layer by layer, each with a grid of the input plane carried along, and the decision
  boundary in the input plane.
- :func:`network_explorer` trains one small tanh network per setting of its two sliders (hidden
  units and depth) when it is made, with the reference ``utils`` layers and ``Adam``, so that a
  slider move only swaps precomputed pictures: the decision regions and the last hidden layer's
  representation (its two principal components).

ipywidgets and matplotlib are imported with this module, never by ``import utils``.
"""

import ipywidgets as widgets
import numpy as np

from .. import datasets
from ..layers import Dense, Sigmoid, Tanh
from ..losses import binary_cross_entropy_grad
from ..models import Sequential
from ..optimizers import Adam
from .base import OKABE_ITO, PATH, Challenge, Explorer, register_explorer

_CLASS_MARKERS = ("o", "s")


def plot_network_diagram(layer_sizes, ax=None, *, title=None):
    """Draw a network of dense layers: one column of circles per layer, every connection drawn.

    Parameters
    ----------
    layer_sizes : sequence of int, length >= 2
        Units per layer, the input layer first, e.g. ``[2, 4, 3, 1]``.
    ax : matplotlib Axes, optional

    Returns
    -------
    matplotlib Axes
    """
    import matplotlib.pyplot as plt
    if ax is None:
        _, ax = plt.subplots(figsize=(1.9 * len(layer_sizes) + 1, 3.6))
    sizes = [int(s) for s in layer_sizes]
    if len(sizes) < 2 or min(sizes) < 1:
        raise ValueError(f"layer_sizes must hold at least two sizes >= 1, got {list(layer_sizes)}")
    top = max(sizes)
    ys = [np.linspace(-(s - 1) / 2, (s - 1) / 2, s) for s in sizes]
    for l in range(len(sizes) - 1):
        for y0 in ys[l]:
            for y1 in ys[l + 1]:
                ax.plot([l, l + 1], [y0, y1], color="0.7", linewidth=0.8, zorder=1)
    for l, y in enumerate(ys):
        kind = "input" if l == 0 else "output" if l == len(sizes) - 1 else "hidden"
        color = {"input": OKABE_ITO[4], "hidden": OKABE_ITO[1], "output": OKABE_ITO[2]}[kind]
        ax.scatter(np.full(len(y), l), y, s=420, color=color, edgecolor="black", zorder=2)
        name = f"hidden layer {l}" if kind == "hidden" else f"{kind} layer"
        ax.text(l, -top / 2 - 0.55, f"{name}\n{sizes[l]} unit{'s' if sizes[l] > 1 else ''}", ha="center",
                va="top", fontsize=9)
    for l in range(1, len(sizes)):
        ax.text(l - 0.5, top / 2 + 0.35, f"$W^{{[{l}]}}$: ({sizes[l - 1]}, {sizes[l]})", ha="center", fontsize=9)
    ax.set_xlim(-0.5, len(sizes) - 0.5)
    ax.set_ylim(-top / 2 - 1.6, top / 2 + 0.8)
    ax.axis("off")
    if title:
        ax.set_title(title)
    return ax


def layer_outputs(model, X):
    """The output of every activation layer of a ``Sequential``, in order.

    Parameters
    ----------
    model : Sequential
    X : ndarray, shape (N, D)

    Returns
    -------
    list of ndarray, each of shape (N, units of that layer)
    """
    outputs, A = [], X
    for layer in model.layers:
        A = layer.forward(A)
        if not isinstance(layer, Dense):
            outputs.append(A)
    return outputs


def plot_layers(model, X, y, *, grid_lines=13, axes=None):
    """A 2-D dataset in the input plane and in every 2-D hidden layer of a trained network.

    Each panel shows the points and a square grid of the input plane, carried through the same
    layers: the network bends, stretches and folds the plane until a straight line separates the
    classes. The first panel also shades the network's decision regions.

    Parameters
    ----------
    model : Sequential
        Dense layers from 2 inputs with 2-unit hidden layers, ending in one sigmoid unit.
    X : ndarray, shape (N, 2)
    y : ndarray of int, shape (N,)
    grid_lines : int, default 13
        Lines of the grid in each direction.

    Returns
    -------
    ndarray of Axes, one per panel
    """
    import matplotlib.pyplot as plt
    hidden = layer_outputs(model, X)[:-1]
    if any(h.shape[1] != 2 for h in hidden) or X.shape[1] != 2:
        raise ValueError("plot_layers needs 2 inputs and hidden layers of 2 units each, got "
                         f"{[X.shape[1]] + [h.shape[1] for h in hidden]}")
    if axes is None:
        _, axes = plt.subplots(1, len(hidden) + 1, figsize=(4.2 * (len(hidden) + 1), 4.2), layout="constrained")
    (x0, y0), (x1, y1) = X.min(axis=0) - 0.4, X.max(axis=0) + 0.4
    t = np.linspace(0, 1, 60)
    lines = [np.c_[np.full_like(t, u), y0 + (y1 - y0) * t] for u in np.linspace(x0, x1, grid_lines)] + \
            [np.c_[x0 + (x1 - x0) * t, np.full_like(t, v)] for v in np.linspace(y0, y1, grid_lines)]
    gx, gy = np.meshgrid(np.linspace(x0, x1, 200), np.linspace(y0, y1, 200))
    p = model.predict(np.c_[gx.ravel(), gy.ravel()])[:, 0].reshape(gx.shape)
    axes[0].contourf(gx, gy, p, levels=[0, 0.5, 1], colors=[OKABE_ITO[0], OKABE_ITO[1]], alpha=0.18)
    axes[0].contour(gx, gy, p, levels=[0.5], colors="black", linewidths=1.5)
    for k, ax in enumerate(axes):
        for line in lines:
            points = line if k == 0 else layer_outputs(model, line)[k - 1]
            ax.plot(points[:, 0], points[:, 1], color="0.75", linewidth=0.6, zorder=0)
        points = X if k == 0 else hidden[k - 1]
        for c in (0, 1):
            ax.scatter(*points[y == c].T, s=14, color=OKABE_ITO[c], marker=_CLASS_MARKERS[c], label=f"class {c}")
        ax.set_title("input layer, and the decision boundary" if k == 0 else f"hidden layer {k}", fontsize=10)
        ax.set_xlabel("$x_1$" if k == 0 else f"$a^{{[{k}]}}_1$")
        ax.set_ylabel("$x_2$" if k == 0 else f"$a^{{[{k}]}}_2$")
    axes[0].legend(loc="lower left", fontsize=8)
    return axes


def make_network(units, depth, *, rng):
    """A tanh network ``2 -> units -> ... -> units -> 1`` (depth hidden layers), sigmoid output, float64."""
    layers, d = [], 2
    for _ in range(depth):
        layers += [Dense(d, units, rng=rng, init="xavier", dtype=np.float64), Tanh()]
        d = units
    return Sequential(*layers, Dense(d, 1, rng=rng, init="xavier", dtype=np.float64), Sigmoid())


def train_network(model, X, y, *, steps=200, lr=0.05):
    """Full-batch Adam on binary cross-entropy, written out (no ``fit`` bookkeeping): fast for tiny nets.

    Returns
    -------
    float
        Accuracy on ``(X, y)`` after training.
    """
    Y = y.reshape(-1, 1).astype(float)
    optimizer = Adam(model.parameters(), lr=lr)
    for _ in range(steps):
        p = model.forward(X)
        optimizer.zero_grad()
        model.backward(binary_cross_entropy_grad(p, Y), input_grad=False)
        optimizer.step()
    return float(np.mean((model.predict(X)[:, 0] >= 0.5) == y))


def _principal_components(H):
    """The rows of H projected on their first two principal directions, scaled into [-1, 1]."""
    centred = H - H.mean(axis=0)
    if centred.shape[1] == 1:
        coords = np.c_[centred, np.zeros(len(H))]
    else:
        _, _, Vt = np.linalg.svd(centred, full_matrices=False)
        coords = centred @ Vt[:2].T
        coords *= np.where(coords[np.argmax(np.abs(coords), axis=0), [0, 1]] < 0, -1, 1)  # a stable sign
    scale = np.abs(coords).max()
    return coords / scale if scale > 0 else coords


class NetworkExplorer(Explorer):
    """The explorer of :func:`network_explorer`; see the module docstring.

    Attributes
    ----------
    models : dict, (units, depth) -> Sequential
        One trained network per slider setting.
    accuracy : float
        Training accuracy of the network shown.
    regions : ndarray, shape (R, R)
        Its probability of class 1 on a grid over the data.
    hidden : ndarray, shape (N, 2)
        The last hidden layer's representation of the data (two principal components, in [-1, 1]).
    status : str
    """

    def __init__(self, X, y, *, units=2, depth=1, max_units=6, max_depth=3, steps=200, seed=0, challenges=()):
        super().__init__(figsize=(10, 4.6), challenges=challenges)
        self.X, self.y = np.asarray(X, dtype=np.float64), np.asarray(y).astype(int)
        margin = 0.4
        (x0, y0), (x1, y1) = self.X.min(axis=0) - margin, self.X.max(axis=0) + margin
        self.extent = (x0, x1, y0, y1)
        gx, gy = np.meshgrid(np.linspace(x0, x1, 120), np.linspace(y0, y1, 120))
        grid = np.c_[gx.ravel(), gy.ravel()]
        self.models, self._pictures = {}, {}
        for u in range(1, max_units + 1):
            for d in range(1, max_depth + 1):
                model = make_network(u, d, rng=np.random.default_rng(seed))
                accuracy = train_network(model, self.X, self.y, steps=steps)
                self.models[u, d] = model
                self._pictures[u, d] = (accuracy, model.predict(grid)[:, 0].reshape(gx.shape),
                                        _principal_components(layer_outputs(model, self.X)[-2]))
        slider = dict(continuous_update=True, style={"description_width": "initial"})
        self.add_control("units", widgets.IntSlider(value=units, min=1, max=max_units, description="hidden units",
                                                    **slider), redraw=PATH)
        self.add_control("depth", widgets.IntSlider(value=depth, min=1, max=max_depth, description="hidden layers",
                                                    **slider), redraw=PATH)
        self.start()

    def compute(self):
        v = self.values
        self.accuracy, self.regions, self.hidden = self._pictures[v["units"], v["depth"]]
        arch = " -> ".join(["2"] + [str(v["units"])] * v["depth"] + ["1"])
        self.status = f"network {arch}: training accuracy {self.accuracy:.0%}"

    def draw_static(self):
        self.ax_input, self.ax_hidden = self.figure.subplots(1, 2)
        self.figure.subplots_adjust(left=0.07, right=0.98, bottom=0.12, top=0.86, wspace=0.22)
        ax = self.ax_input
        ax.set_xlim(*self.extent[:2])
        ax.set_ylim(*self.extent[2:])
        ax.set_xlabel("$x_1$")
        ax.set_ylabel("$x_2$")
        ax.set_title("Input plane: decision regions", fontsize=10)
        from matplotlib.colors import ListedColormap
        self.region_image = self.animated(ax.imshow(np.zeros((2, 2)), extent=self.extent, origin="lower",
                                                    cmap=ListedColormap([OKABE_ITO[0], OKABE_ITO[1]]),
                                                    vmin=0, vmax=1, alpha=0.22, aspect="auto", zorder=0))
        for c in (0, 1):
            ax.scatter(*self.X[self.y == c].T, s=14, color=OKABE_ITO[c], marker=_CLASS_MARKERS[c],
                       label=f"class {c}", zorder=2)
        ax.legend(loc="lower left", fontsize=8)
        ax = self.ax_hidden
        ax.set_xlim(-1.15, 1.15)
        ax.set_ylim(-1.15, 1.15)
        ax.set_xlabel("first principal component")
        ax.set_ylabel("second principal component")
        ax.set_title("Last hidden layer: the data as the output unit sees it", fontsize=10)
        self.hidden_points = [self.animated(ax.scatter(np.zeros(int(np.sum(self.y == c))),
                                                       np.zeros(int(np.sum(self.y == c))), s=14,
                                                       color=OKABE_ITO[c], marker=_CLASS_MARKERS[c]))
                              for c in (0, 1)]
        self.status_text = self.animated(self.figure.text(0.5, 0.94, " ", ha="center", fontsize=11))

    def update(self):
        self.region_image.set_data((self.regions >= 0.5).astype(float))
        for c, points in enumerate(self.hidden_points):
            points.set_offsets(self.hidden[self.y == c])
        self.status_text.set_text(self.status)


def _moons():
    return datasets.make_moons(200, noise=0.15, seed=0)


@register_explorer
def network_explorer(X=None, y=None, *, units=2, depth=1):
    """Sliders for the hidden units and the depth of a small tanh network trained on a 2-D dataset.

    Every setting's network is trained once, when the explorer is made (18 small networks, about
    a second), so moving a slider only swaps pictures.

    Parameters
    ----------
    X : ndarray, shape (N, 2), optional
        The data; two moons of 200 points (noise 0.15, seed 0) by default.
    y : ndarray of int, shape (N,), values 0 or 1, optional
    units : int in [1, 6], default 2
    depth : int in [1, 3], default 1

    Returns
    -------
    NetworkExplorer
        Display it (make it a cell's value). Its state: ``.accuracy``, ``.regions``, ``.hidden``, ``.status``.
    """
    if X is None or y is None:
        X, y = _moons()
    challenges = [Challenge("reach 100% training accuracy with 3 hidden units or fewer per layer",
                            lambda e: e.accuracy == 1.0 and e.values["units"] <= 3),
                  Challenge("with a single hidden layer, reach 95% training accuracy: how few units will do?",
                            lambda e: e.values["depth"] == 1 and e.accuracy >= 0.95)]
    return NetworkExplorer(X, y, units=units, depth=depth, challenges=challenges)
