r"""Lesson 05's explorer and figures: computational graphs whose every edge shows a value and a gradient.

A *computational graph* breaks a computation into small operations (``x``, ``+``, ``σ``, a
squared error). Each edge carries a number forward (drawn above it, in blue) and, after the
backward pass, the gradient of the loss with respect to that number (below it, in vermillion).

- :func:`neuron_graph` computes one sigmoid neuron with two inputs and its squared error, forward
  and backward; :func:`plot_neuron_graph` draws it (the lesson's first figure).
- :func:`tiny_network` computes a network with one input, one sigmoid hidden unit and one linear
  output, :math:`\hat y = w_2\,\sigma(w_1 x + b_1) + b_2` with loss :math:`L = (\hat y - y)^2`;
  :func:`backprop_explorer` draws it as a graph whose every edge updates as sliders move the
  input, a weight, a bias or the target, next to the loss as a function of :math:`w_1` with its
  tangent, whose slope is :math:`\partial L / \partial w_1`.

Values and gradients come from the layers of ``utils.layers`` (``Dense``, ``Sigmoid``) and the
loss of ``utils.losses``, never from the learner's exercise code. The explorer follows the
contract of :mod:`utils.widgets.base`.
"""

import html

import ipywidgets as widgets
import numpy as np
from matplotlib.patches import Circle, FancyArrowPatch

from ..activations import sigmoid
from ..layers import Dense, Sigmoid
from ..losses import mse, mse_grad
from .base import OKABE_ITO, PATH, Challenge, Explorer, register_explorer

#: Colours of forward values and of gradients (Okabe & Ito: blue and vermillion).
VALUE_COLOR, GRAD_COLOR = OKABE_ITO[0], OKABE_ITO[5]
#: The range of every slider of the explorer, and of the w1 axis of its loss panel.
SLIDER_RANGE = {"x": (-3.0, 3.0), "w1": (-4.0, 4.0), "b1": (-3.0, 3.0), "w2": (-3.0, 3.0),
                "b2": (-3.0, 3.0), "y": (-2.0, 2.0)}


def _dense(w, b):
    w = np.asarray(w, dtype=np.float64).reshape(-1, 1)
    layer = Dense(w.shape[0], 1, dtype=np.float64)
    layer.W.data[...] = w
    layer.b.data[...] = b
    return layer


def neuron_graph(x, w, b, y):
    r"""Forward values and backward gradients of one sigmoid neuron with a squared error.

    Parameters
    ----------
    x, w : sequence of 2 floats
        The inputs :math:`x_1, x_2` and the weights :math:`w_1, w_2`.
    b, y : float
        The bias and the target.

    Returns
    -------
    values, grads : dict of str to float
        Keyed by the edges of the graph: ``"x1"``, ``"x2"``, ``"w1"``, ``"w2"``, ``"b"``, the
        products ``"p1"`` :math:`= w_1 x_1` and ``"p2"``, ``"z"``, ``"a"``, ``"y"``, the error
        ``"d"`` :math:`= a - y` and ``"L"``;
        ``grads[k]`` is :math:`\partial L / \partial k`.

    Notes
    -----
    .. math:: z = w_1 x_1 + w_2 x_2 + b, \quad a = \sigma(z), \quad L = (a - y)^2, \qquad
              \frac{\partial L}{\partial z} = 2 (a - y)\, \sigma(z)(1 - \sigma(z))
    """
    x, w = np.asarray(x, dtype=np.float64), np.asarray(w, dtype=np.float64)
    if x.shape != (2,) or w.shape != (2,):
        raise ValueError(f"neuron_graph takes two inputs and two weights, got shapes {x.shape} and {w.shape}")
    dense, act = _dense(w[:, None], b), Sigmoid()
    a = act.forward(dense.forward(x[None, :]))
    target = np.array([[float(y)]])
    dz = act.backward(mse_grad(a, target))
    dx = dense.backward(dz)[0]
    dz, da = float(dz[0, 0]), float(mse_grad(a, target)[0, 0])
    values = {"x1": x[0], "x2": x[1], "w1": w[0], "w2": w[1], "b": float(b), "p1": w[0] * x[0],
              "p2": w[1] * x[1], "z": float(dense.forward(x[None, :])[0, 0]), "a": float(a[0, 0]),
              "y": float(y), "d": float(a[0, 0]) - float(y), "L": mse(a, target)}
    grads = {"x1": dx[0], "x2": dx[1], "w1": dense.W.grad[0, 0], "w2": dense.W.grad[1, 0],
             "b": dense.b.grad[0], "p1": dz, "p2": dz, "z": dz, "a": da, "y": -da, "d": da, "L": 1.0}
    return {k: float(v) for k, v in values.items()}, {k: float(v) for k, v in grads.items()}


def tiny_network(x, w1, b1, w2, b2, y):
    r"""Forward values and backward gradients of :math:`L = (w_2 \sigma(w_1 x + b_1) + b_2 - y)^2`.

    Parameters
    ----------
    x, w1, b1, w2, b2, y : float
        The input, the hidden unit's weight and bias, the output's weight and bias, the target.

    Returns
    -------
    values, grads : dict of str to float
        Keyed by the edges of the graph: ``"x"``, ``"w1"``, ``"p1"`` :math:`= w_1 x`, ``"b1"``,
        ``"z1"``, ``"a1"``, ``"w2"``, ``"p2"`` :math:`= w_2 a_1`, ``"b2"``, ``"y_hat"``, ``"y"``,
        the error ``"d"`` :math:`= \hat y - y` and ``"L"``; ``grads[k]`` is :math:`\partial L / \partial k`.

    Notes
    -----
    Backward, from the output to the input:

    .. math:: \frac{\partial L}{\partial \hat y} = 2(\hat y - y), \quad
              \frac{\partial L}{\partial a_1} = \frac{\partial L}{\partial \hat y}\, w_2, \quad
              \frac{\partial L}{\partial z_1} = \frac{\partial L}{\partial a_1}\, \sigma'(z_1), \quad
              \frac{\partial L}{\partial w_1} = \frac{\partial L}{\partial z_1}\, x
    """
    dense1, act, dense2 = _dense(w1, b1), Sigmoid(), _dense(w2, b2)
    z1 = dense1.forward(np.array([[float(x)]]))
    a1 = act.forward(z1)
    y_hat = dense2.forward(a1)
    target = np.array([[float(y)]])
    dy_hat = mse_grad(y_hat, target)
    da1 = dense2.backward(dy_hat)
    dz1 = act.backward(da1)
    dx = dense1.backward(dz1)
    values = {"x": x, "w1": w1, "p1": w1 * x, "b1": b1, "z1": z1[0, 0], "a1": a1[0, 0], "w2": w2,
              "p2": w2 * a1[0, 0], "b2": b2, "y_hat": y_hat[0, 0], "y": y, "d": y_hat[0, 0] - y,
              "L": mse(y_hat, target)}
    grads = {"x": dx[0, 0], "w1": dense1.W.grad[0, 0], "p1": dz1[0, 0], "b1": dense1.b.grad[0],
             "z1": dz1[0, 0], "a1": da1[0, 0], "w2": dense2.W.grad[0, 0], "p2": dy_hat[0, 0],
             "b2": dense2.b.grad[0], "y_hat": dy_hat[0, 0], "y": -dy_hat[0, 0], "d": dy_hat[0, 0], "L": 1.0}
    return {k: float(v) for k, v in values.items()}, {k: float(v) for k, v in grads.items()}


def loss_over_w1(x, b1, w2, b2, y, w1=None):
    """The tiny network's loss for every `w1` of a grid, the other values fixed.

    Returns
    -------
    w1, L : ndarray, shape (G,)
        The grid (201 points over the slider's range by default) and the loss at each point.
    """
    w1 = np.linspace(*SLIDER_RANGE["w1"], 201) if w1 is None else np.asarray(w1, dtype=np.float64)
    return w1, (w2 * sigmoid(w1 * x + b1) + b2 - y) ** 2


# ---- drawing a graph ------------------------------------------------------------------------------

def draw_graph(ax, nodes, edges, *, labels=None, radius=0.28, fontsize=10):
    """Draw a computational graph: operation nodes as circles, leaves as names, edges as arrows.

    Parameters
    ----------
    ax : matplotlib Axes
    nodes : dict, name -> (x, y, text, is_operation)
        Where each node sits (data coordinates), what it shows, and whether it is an operation
        (a circle) or a leaf (a plain label).
    edges : list of (source, target, key)
        Each arrow and the quantity it carries (a key of the values and gradients).
    labels : dict, key -> str, optional
        How to name each quantity in the gradient's label (default: the key).

    Returns
    -------
    dict, key -> (value Text, gradient Text)
        Empty texts placed by each edge (value above or left, gradient below or right), for the
        caller to fill in with :func:`fill_graph`.
    """
    for name, (x, y, text, is_op) in nodes.items():
        if is_op:
            ax.add_patch(Circle((x, y), radius, facecolor="white", edgecolor="0.2", linewidth=1.5, zorder=2))
        ax.text(x, y, text, ha="center", va="center", fontsize=fontsize + 2, zorder=3)
    texts = {}
    for source, target, key in edges:
        (x0, y0, *_), (x1, y1, *_) = nodes[source], nodes[target]
        gap0 = radius if nodes[source][3] else 0.22
        gap1 = radius if nodes[target][3] else 0.22
        d = np.hypot(x1 - x0, y1 - y0)
        ux, uy = (x1 - x0) / d, (y1 - y0) / d
        ax.add_patch(FancyArrowPatch((x0 + gap0 * ux, y0 + gap0 * uy), (x1 - gap1 * ux, y1 - gap1 * uy),
                                     arrowstyle="-|>", mutation_scale=12, color="0.45", linewidth=1.2, zorder=1))
        t = 0.5 if abs(uy) < 1e-9 or abs(uy) > abs(ux) else 0.42  # slanted edges converge: label early
        mx, my = x0 + t * (x1 - x0), y0 + t * (y1 - y0)
        if abs(uy) > abs(ux):  # a vertical edge: value left of it, gradient right of it
            value = ax.text(mx - 0.06, my, "", ha="right", va="center", color=VALUE_COLOR, fontsize=fontsize)
            grad = ax.text(mx + 0.06, my, "", ha="left", va="center", color=GRAD_COLOR, fontsize=fontsize)
        else:
            value = ax.text(mx, my + 0.1, "", ha="center", va="bottom", color=VALUE_COLOR, fontsize=fontsize)
            grad = ax.text(mx, my - 0.1, "", ha="center", va="top", color=GRAD_COLOR, fontsize=fontsize)
        texts[key] = (value, grad)
    return texts


def fill_graph(texts, values, grads, *, fmt="{:.3f}"):
    """Write each edge's value and gradient into the texts :func:`draw_graph` returned."""
    for key, (value, grad) in texts.items():
        value.set_text(fmt.format(values[key]))
        grad.set_text(fmt.format(grads[key]))


def _legend(ax, x, y):
    ax.text(x, y, "forward value", color=VALUE_COLOR, fontsize=10, ha="left", va="center")
    ax.text(x, y - 0.3, "gradient $\\partial L / \\partial(\\cdot)$", color=GRAD_COLOR, fontsize=10,
            ha="left", va="center")


NEURON_NODES = {"x1": (0.0, 2.6, "$x_1$", False), "w1": (0.0, 1.2, "$w_1$", False),
                "x2": (0.0, 0.6, "$x_2$", False), "w2": (0.0, -0.8, "$w_2$", False),
                "m1": (1.8, 1.9, "$\\times$", True), "m2": (1.8, -0.1, "$\\times$", True),
                "add": (3.6, 0.9, "$+$", True), "b": (3.6, -0.5, "$b$", False),
                "sig": (5.0, 0.9, "$\\sigma$", True), "minus": (6.4, 0.9, "$-$", True),
                "y": (6.4, -0.5, "$y$", False), "sq": (7.8, 0.9, "$(\\cdot)^2$", True),
                "L": (8.9, 0.9, "$L$", False)}
NEURON_EDGES = [("x1", "m1", "x1"), ("w1", "m1", "w1"), ("x2", "m2", "x2"), ("w2", "m2", "w2"),
                ("m1", "add", "p1"), ("m2", "add", "p2"), ("b", "add", "b"), ("add", "sig", "z"),
                ("sig", "minus", "a"), ("y", "minus", "y"), ("minus", "sq", "d"), ("sq", "L", "L")]


def plot_neuron_graph(x=(1.0, 2.0), w=(0.5, -0.5), b=0.5, y=1.0, ax=None):
    """Draw one sigmoid neuron with a squared error as a graph, every edge with its value and gradient.

    Parameters
    ----------
    x, w : sequence of 2 floats
    b, y : float
    ax : matplotlib Axes, optional
        Drawn on a new 11 x 4.2 inch figure when omitted.

    Returns
    -------
    ax : matplotlib Axes
    """
    if ax is None:
        import matplotlib.pyplot as plt
        _, ax = plt.subplots(figsize=(11, 4.2))
    texts = draw_graph(ax, NEURON_NODES, NEURON_EDGES)
    values, grads = neuron_graph(x, w, b, y)
    fill_graph(texts, values, grads, fmt="{:.3g}")
    _legend(ax, 3.2, 2.6)
    ax.set(xlim=(-0.4, 9.2), ylim=(-1.0, 3.0), aspect="equal")
    ax.axis("off")
    ax.set_title("One neuron, $L = (\\sigma(w_1 x_1 + w_2 x_2 + b) - y)^2$: values forward, gradients backward")
    return ax


TINY_NODES = {"x": (0.0, 0.0, "$x$", False), "w1": (1.2, 1.2, "$w_1$", False), "m1": (1.2, 0.0, "$\\times$", True),
              "b1": (2.6, 1.2, "$b_1$", False), "add1": (2.6, 0.0, "$+$", True),
              "sig": (4.0, 0.0, "$\\sigma$", True), "w2": (5.4, 1.2, "$w_2$", False),
              "m2": (5.4, 0.0, "$\\times$", True), "b2": (6.8, 1.2, "$b_2$", False),
              "add2": (6.8, 0.0, "$+$", True), "y": (8.2, 1.2, "$y$", False),
              "minus": (8.2, 0.0, "$-$", True), "sq": (9.5, 0.0, "$(\\cdot)^2$", True), "L": (10.6, 0.0, "$L$", False)}
TINY_EDGES = [("x", "m1", "x"), ("w1", "m1", "w1"), ("m1", "add1", "p1"), ("b1", "add1", "b1"),
              ("add1", "sig", "z1"), ("sig", "m2", "a1"), ("w2", "m2", "w2"), ("m2", "add2", "p2"),
              ("b2", "add2", "b2"), ("add2", "minus", "y_hat"), ("y", "minus", "y"), ("minus", "sq", "d"),
              ("sq", "L", "L")]


# ---- the explorer ---------------------------------------------------------------------------------

#: Upper ends the loss panel's axis may take (1-2-5 steps): its ticks sit at fifths of it.
LOSS_TOPS = (0.1, 0.2, 0.5, 1.0, 2.0, 5.0, 10.0, 20.0, 50.0, 100.0)
#: Where the loss panel sits in the figure, (left, bottom, width, height) as fractions.
LOSS_PANEL = (0.73, 0.16, 0.25, 0.68)


def loss_axis_top(losses):
    """The smallest of :data:`LOSS_TOPS` above ``1.1 * max(losses)``, or the largest."""
    peak = 1.1 * float(np.max(losses))
    return next((top for top in LOSS_TOPS if top >= peak), LOSS_TOPS[-1])


class BackpropExplorer(Explorer):
    """The tiny network as a live graph, and its loss against w1; see :func:`backprop_explorer`.

    What a slider move redraws, kept small: the 25 numbers on the graph's edges (the loss's own
    gradient, always 1, is drawn once), the curve, its tangent and the marker. The status (loss,
    the two weight gradients, :math:`\\sigma'(z_1)`) is an HTML line above the picture, drawn into
    the figure only for the static picture (:meth:`png`). The loss axis takes its upper end from
    :data:`LOSS_TOPS` with ticks at fifths of it, so its ticks and grid never move: when the end
    changes only the column of tick labels is redrawn.
    """

    live_format = "jpeg"  # a wide figure: JPEG encodes several times faster than PNG

    def __init__(self, start, challenges=()):
        super().__init__(figsize=(13, 4.0), challenges=challenges)
        names = {"x": "input x", "w1": "weight w1", "b1": "bias b1", "w2": "weight w2", "b2": "bias b2",
                 "y": "target y"}
        for name, description in names.items():
            low, high = SLIDER_RANGE[name]
            self.add_control(name, widgets.FloatSlider(value=start[name], min=low, max=high, step=0.1,
                                                       description=description, readout_format=".1f",
                                                       continuous_update=True), redraw=PATH)
        self.status_line = widgets.HTML()
        self.start()

    def compute(self):
        v = {name: float(value) for name, value in self.values.items()}
        self.state, self.grads = tiny_network(v["x"], v["w1"], v["b1"], v["w2"], v["b2"], v["y"])
        self.loss = self.state["L"]
        self.curve = loss_over_w1(v["x"], v["b1"], v["w2"], v["b2"], v["y"])
        self.status = (f"loss L = {self.loss:.4f}    ∂L/∂w1 = {self.grads['w1']:+.4f}    "
                       f"∂L/∂w2 = {self.grads['w2']:+.4f}    hidden unit σ'(z1) = {self.sigma_slope:.4f}")

    def draw_static(self):
        fig = self.figure
        self.ax_graph = fig.add_axes([0.0, 0.02, 0.66, 0.84])
        self.ax_loss = fig.add_axes(LOSS_PANEL)
        self.texts = draw_graph(self.ax_graph, TINY_NODES, TINY_EDGES)
        _legend(self.ax_graph, 0.0, -0.75)
        self.ax_graph.set(xlim=(-0.4, 10.9), ylim=(-1.15, 1.6), aspect="equal")
        self.ax_graph.axis("off")
        for key, (value, grad) in self.texts.items():
            self.animated(value)
            if key != "L":  # dL/dL = 1 whatever the sliders say: drawn once, in the background
                self.animated(grad)
        ax = self.ax_loss
        ax.set(xlabel="weight $w_1$ (the others fixed)", ylabel="loss $L$", xlim=SLIDER_RANGE["w1"])
        ax.set_title("$L$ against $w_1$: the tangent's slope is $\\partial L / \\partial w_1$", fontsize=10)
        ax.grid(alpha=0.3)
        ax.tick_params(axis="y", labelleft=False)  # the labels live in their own strip (below)
        ax.yaxis.set_label_coords(-0.17, 0.5)
        self._top = None
        self._set_loss_axis(LOSS_TOPS[0])
        # The y tick labels: a strip of texts left of the panel, the only part redrawn when the axis's end changes.
        left, bottom, width, height = LOSS_PANEL
        self.ax_yticks = fig.add_axes((left - 0.036, bottom - 0.005, 0.034, height + 0.025))  # clear of x labels
        self.ax_yticks.set_axis_off()
        self.ytick_labels = []
        for fraction in np.linspace(0, 1, 6):
            y = bottom + height * (fraction + 0.04) / 1.04  # where the tick at fraction * top sits (ylim below)
            self.ytick_labels.append(self.ax_yticks.text(left - 0.0075, y, "", transform=fig.transFigure,
                                                         ha="right", va="center", fontsize=10))
        self.curve_line, = ax.plot([], [], color=OKABE_ITO[0], linewidth=2)
        self.tangent, = ax.plot([], [], color=GRAD_COLOR, linewidth=2, linestyle="dashed", zorder=3)
        self.marker, = ax.plot([], [], "o", color="black", markersize=7, zorder=4)
        for artist in (self.curve_line, self.tangent, self.marker):
            self.animated(artist)
        self.title = self.animated(fig.text(0.33, 0.93, "", ha="center", va="center", fontsize=11,
                                            visible=False))

    def _set_loss_axis(self, top):
        """Limits (-0.04 top, top) and ticks at fifths of `top`: the same pixels for every `top`."""
        self.ax_loss.set_ylim(-0.04 * top, top)
        self.ax_loss.set_yticks(np.linspace(0, top, 6))
        self._top = top

    def update(self):
        fill_graph(self.texts, self.state, self.grads)
        w1_grid, L_grid = self.curve
        w1, slope = self.state["w1"], self.grads["w1"]
        self.curve_line.set_data(w1_grid, L_grid)
        half = 1.0
        self.tangent.set_data([w1 - half, w1 + half], [self.loss - slope * half, self.loss + slope * half])
        self.marker.set_data([w1], [self.loss])
        top = loss_axis_top(L_grid)
        if top != self._top or not self.ytick_labels[-1].get_text():
            self._set_loss_axis(top)
            for label, value in zip(self.ytick_labels, np.linspace(0, top, 6)):
                label.set_text(f"{value:.3g}")
            if self.image is not None:  # (the first full draw includes them)
                self.image.redraw_axes([self.ax_yticks], margins=(0, 0, 0, 0))
        self.title.set_text(self.status)
        self.status_line.value = (f"<div style='text-align:center; width:{int(self.figure.bbox.width * 0.66)}px'>"
                                  f"{html.escape(self.status)}</div>")

    @property
    def sigma_slope(self):
        """σ'(z1): how much of the gradient the hidden unit lets through."""
        a = self.state["a1"]
        return a * (1 - a)

    def layout_controls(self):
        """The sliders, and under them the status line (text in the figure would cost 7 ms a frame)."""
        self._boxes = [super().layout_controls()]
        self._boxes.append(widgets.VBox([self._boxes[0], self.status_line]))
        return self._boxes[-1]

    def png(self):
        """PNG bytes of the picture, with the status drawn into it as a title (the live view shows it above)."""
        self.title.set_visible(True)
        try:
            return super().png()
        finally:
            self.title.set_visible(False)

    def close(self):
        """Close the explorer (see the base), and its status line and boxes."""
        super().close()
        for w in [*getattr(self, "_boxes", []), self.status_line]:
            w.close()


@register_explorer
def backprop_explorer(*, x=1.0, w1=0.5, b1=0.0, w2=0.5, b2=0.0, y=1.0):
    """A tiny network drawn as a graph: every edge shows its value and its gradient, live.

    The network is :math:`\\hat y = w_2\\,\\sigma(w_1 x + b_1) + b_2` with the loss
    :math:`L = (\\hat y - y)^2`. Sliders move the input, both weights and biases, and the target.

    Parameters
    ----------
    x, w1, b1, w2, b2, y : float
        Starting values, each within its slider's range (:data:`SLIDER_RANGE`).

    Returns
    -------
    BackpropExplorer
        Controls ``"x"``, ``"w1"``, ``"b1"``, ``"w2"``, ``"b2"``, ``"y"``; state ``.state`` and
        ``.grads`` (dicts as :func:`tiny_network` returns), ``.loss``, ``.curve`` (the grid of
        ``w1`` and the loss there) and ``.sigma_slope``.

    Raises
    ------
    ValueError
        For a starting value outside its slider's range.
    """
    start = {"x": x, "w1": w1, "b1": b1, "w2": w2, "b2": b2, "y": y}
    for name, value in start.items():
        low, high = SLIDER_RANGE[name]
        if isinstance(value, bool) or not isinstance(value, (int, float, np.number)) or not low <= value <= high:
            raise ValueError(f"{name} must be a number in [{low:g}, {high:g}], got {value!r}")
    challenges = [
        Challenge("bring the loss below 0.001 by moving only weights and biases (keep x = 1, y = 1)",
                  lambda e: e.loss < 1e-3 and e.values["x"] == 1.0 and e.values["y"] == 1.0),
        Challenge("vanishing gradient: keep the loss above 1 while |∂L/∂w1| is below 0.001 and x is not 0 "
                  "(saturate the hidden unit)",
                  lambda e: e.loss > 1.0 and abs(e.grads["w1"]) < 1e-3 and e.values["x"] != 0.0),
        Challenge("make ∂L/∂w1 and ∂L/∂w2 point in opposite directions, both larger than 0.1 in size",
                  lambda e: e.grads["w1"] * e.grads["w2"] < 0 and min(abs(e.grads["w1"]), abs(e.grads["w2"])) > 0.1),
    ]
    return BackpropExplorer({k: float(v) for k, v in start.items()}, challenges=challenges)
