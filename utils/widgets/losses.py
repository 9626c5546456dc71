r"""Lesson 04's explorers: two losses side by side, and a softmax over three logits.

``loss_explorer`` puts mean squared error and binary cross-entropy on one sigmoid output
:math:`p = \sigma(z)` side by side: a slider moves the logit :math:`z` (and with it the prediction
:math:`p`), another the target :math:`y`. The left panel shows both losses against :math:`z`, the
right one their gradients :math:`\partial L / \partial z`, the number backpropagation starts from.
Confidently wrong, MSE's gradient all but vanishes; cross-entropy's stays near :math:`p - y`.

``softmax_explorer`` has three logit sliders and a slider for the correct class: bars show the
logits, the softmax probabilities and the gradient :math:`\operatorname{softmax}(z) - \text{one\_hot}(y)`
of the cross-entropy, whose value is in the title.

Both compute with the references in ``utils`` (never the learner's exercise code) and follow the
contract of :mod:`utils.widgets.base`.
"""

import ipywidgets as widgets
import numpy as np

from ..activations import sigmoid, sigmoid_grad, softmax
from ..logit_losses import binary_cross_entropy_with_logits, binary_cross_entropy_with_logits_grad
from ..losses import cross_entropy, cross_entropy_grad, mse, mse_grad
from .base import OKABE_ITO, PATH, SURFACE, Challenge, Explorer, register_explorer

#: The logits the loss explorer draws its curves over.
Z_RANGE = (-8.0, 8.0)


def two_losses(z, y):
    r"""MSE and binary cross-entropy of one sigmoid output, and their gradients with respect to `z`.

    Parameters
    ----------
    z : float
        The logit; the prediction is :math:`p = \sigma(z)`.
    y : float in [0, 1]
        The target.

    Returns
    -------
    dict of str to float
        ``"p"``, ``"mse"``, ``"bce"``, ``"mse_grad"``, ``"bce_grad"`` (gradients with respect to `z`).

    Notes
    -----
    .. math:: \frac{\partial}{\partial z} (\sigma(z) - y)^2 = 2 (\sigma(z) - y)\, \sigma'(z), \qquad
              \frac{\partial}{\partial z} \mathrm{BCE}(\sigma(z), y) = \sigma(z) - y
    """
    z_arr, y_arr = np.array([float(z)]), np.array([float(y)])
    p = sigmoid(z_arr)
    return {"p": float(p[0]), "mse": mse(p, y_arr),
            "bce": binary_cross_entropy_with_logits(z_arr, y_arr),
            "mse_grad": float(mse_grad(p, y_arr)[0] * sigmoid_grad(z_arr)[0]),
            "bce_grad": float(binary_cross_entropy_with_logits_grad(z_arr, y_arr)[0])}


def loss_curves(y, z=None):
    """The curves of :func:`two_losses` over a grid of logits, vectorised.

    Parameters
    ----------
    y : float in [0, 1]
    z : ndarray, shape (G,), optional
        The grid; 401 points over :data:`Z_RANGE` by default.

    Returns
    -------
    dict of str to ndarray, each shape (G,)
        ``"z"``, ``"mse"``, ``"bce"``, ``"mse_grad"``, ``"bce_grad"``, per point (not averaged).
    """
    z = np.linspace(*Z_RANGE, 401) if z is None else np.asarray(z, dtype=float)
    p = sigmoid(z)
    bce = np.maximum(z, 0) - z * y + np.log1p(np.exp(-np.abs(z)))
    return {"z": z, "mse": (p - y) ** 2, "bce": bce, "mse_grad": 2 * (p - y) * sigmoid_grad(z),
            "bce_grad": p - y}


class LossExplorer(Explorer):
    """MSE against binary cross-entropy for one sigmoid output; see :func:`loss_explorer`."""

    def __init__(self, z=-4.0, y=1.0, challenges=()):
        super().__init__(figsize=(10, 4.2), challenges=challenges)
        self.add_control("z", widgets.FloatSlider(value=z, min=Z_RANGE[0], max=Z_RANGE[1], step=0.1,
                                                  description="logit z", readout_format=".1f",
                                                  continuous_update=True), redraw=PATH)
        self.add_control("y", widgets.FloatSlider(value=y, min=0.0, max=1.0, step=0.1, description="target y",
                                                  readout_format=".1f", continuous_update=True),
                         redraw=SURFACE)
        self.start()

    def compute(self):
        self.z, self.y = float(self.values["z"]), float(self.values["y"])
        state = two_losses(self.z, self.y)
        self.p, self.mse, self.bce = state["p"], state["mse"], state["bce"]
        self.mse_grad, self.bce_grad = state["mse_grad"], state["bce_grad"]

    def draw_static(self):
        fig = self.figure
        self.ax_loss, self.ax_grad = fig.subplots(1, 2)
        fig.subplots_adjust(left=0.07, right=0.98, bottom=0.14, top=0.8, wspace=0.25)
        for ax, ylabel, title in ((self.ax_loss, "loss L", "The loss"),
                                  (self.ax_grad, r"gradient $\partial L / \partial z$",
                                   "Its gradient, where backpropagation starts")):
            ax.set_xlabel(r"logit $z$  (prediction $p = \sigma(z)$)")
            ax.set_ylabel(ylabel)
            ax.set_title(title, fontsize=10)
            ax.set_xlim(*Z_RANGE)
            ax.grid(alpha=0.3)
        self.ax_loss.set_ylim(-0.2, 5.0)
        self.ax_grad.set_ylim(-1.1, 1.1)
        self.ax_grad.axhline(0, color="0.5", linewidth=0.8)
        self.curves = {}
        self.markers = {}
        for key, color, style, label in (("mse", OKABE_ITO[0], "solid", r"MSE $(p - y)^2$"),
                                         ("bce", OKABE_ITO[5], "dashed", "binary cross-entropy")):
            for ax, part in ((self.ax_loss, key), (self.ax_grad, f"{key}_grad")):
                self.curves[part], = ax.plot([], [], color=color, linestyle=style, linewidth=2, label=label)
                self.markers[part], = ax.plot([], [], marker="o", markersize=9, color=color,
                                              markeredgecolor="black", linestyle="none")
                self.animated(self.markers[part])
        self.ax_loss.legend(loc="upper center", fontsize=9)
        self.cursor_lines = [self.animated(ax.axvline(0, color="0.3", linewidth=0.8, linestyle="dotted"))
                             for ax in (self.ax_loss, self.ax_grad)]
        self.text = self.animated(fig.text(0.5, 0.93, "", ha="center", va="center", fontsize=11,
                                           family="monospace"))

    def draw_surface(self):
        curves = loss_curves(self.y)
        for part, line in self.curves.items():
            line.set_data(curves["z"], curves[part])

    def update(self):
        for part, marker in self.markers.items():
            marker.set_data([self.z], [getattr(self, part)])
        for line in self.cursor_lines:
            line.set_xdata([self.z, self.z])
        self.text.set_text(f"z = {self.z:+.1f}, p = σ(z) = {self.p:.3f}, y = {self.y:.1f}\n"
                           f"MSE {self.mse:6.3f}, dL/dz {self.mse_grad:+.4f}    "
                           f"cross-entropy {self.bce:6.3f}, dL/dz {self.bce_grad:+.4f}")


@register_explorer
def loss_explorer(*, z=-4.0, y=1.0):
    """Slide a prediction against a target: MSE and binary cross-entropy, and their gradients.

    Parameters
    ----------
    z : float, default -4.0
        Starting logit, in [-8, 8]; the prediction is ``p = sigmoid(z)``.
    y : float, default 1.0
        Starting target, in [0, 1].

    Returns
    -------
    LossExplorer
        Controls ``"z"`` and ``"y"``; state ``.z``, ``.y``, ``.p``, ``.mse``, ``.bce``,
        ``.mse_grad``, ``.bce_grad`` (gradients with respect to ``z``).

    Raises
    ------
    ValueError
        For a starting value outside its slider's range.
    """
    _check_range(z, *Z_RANGE, "z")
    _check_range(y, 0.0, 1.0, "y")
    challenges = [
        Challenge("confidently wrong (y = 1, p below 0.01): cross-entropy's gradient is over 50 times MSE's",
                  lambda e: e.y == 1.0 and e.p < 0.01 and abs(e.bce_grad) > 50 * abs(e.mse_grad)),
        Challenge("with a soft target y = 0.3, find the logit where both losses are smallest "
                  "(both gradients within 0.02 of 0)",
                  lambda e: abs(e.y - 0.3) < 1e-9 and abs(e.bce_grad) < 0.02 and abs(e.mse_grad) < 0.02),
    ]
    return LossExplorer(z=z, y=y, challenges=challenges)


class SoftmaxExplorer(Explorer):
    """Three logits, their softmax and the cross-entropy; see :func:`softmax_explorer`."""

    CLASSES = 3

    def __init__(self, logits, label, challenges=()):
        super().__init__(figsize=(10, 3.8), challenges=challenges)
        for k, value in enumerate(logits):
            self.add_control(f"z{k}", widgets.FloatSlider(value=value, min=-10.0, max=10.0, step=0.1,
                                                          description=f"logit z{k}", readout_format=".1f",
                                                          continuous_update=True))
        self.add_control("y", widgets.IntSlider(value=label, min=0, max=self.CLASSES - 1,
                                                description="class y", continuous_update=True))
        self.start()

    def compute(self):
        self.logits = np.array([self.values[f"z{k}"] for k in range(self.CLASSES)], dtype=float)
        self.label = int(self.values["y"])
        Z, y = self.logits[None, :], np.array([self.label])
        self.probabilities = softmax(Z)[0]
        self.loss = cross_entropy(Z, y)
        self.grad = cross_entropy_grad(Z, y)[0]

    def draw_static(self):
        fig = self.figure
        self.axes = fig.subplots(1, 3)
        fig.subplots_adjust(left=0.08, right=0.98, bottom=0.14, top=0.8, wspace=0.35)
        positions = np.arange(self.CLASSES)
        specs = (("logits z", "logit $z_k$", (-10.5, 10.5)),
                 ("probabilities softmax(z)", "probability $p_k$", (0, 1.05)),
                 (r"gradient $\partial L / \partial z$ = p - one_hot(y)", r"$\partial L / \partial z_k$", (-1.05, 1.05)))
        self.bars = []
        for ax, (title, ylabel, ylim) in zip(self.axes, specs):
            ax.set_title(title, fontsize=10)
            ax.set_ylabel(ylabel)
            ax.set_ylim(*ylim)
            ax.set_xticks(positions, [f"class {k}" for k in positions])
            ax.set_xlabel("class k")
            ax.axhline(0, color="0.5", linewidth=0.8)
            bars = ax.bar(positions, np.zeros(self.CLASSES), color=OKABE_ITO[4], edgecolor="black")
            for bar in bars:
                self.animated(bar)
            self.bars.append(bars)
        self.labels = [self.animated(self.axes[1].text(k, 0, "", ha="center", va="bottom", fontsize=9))
                       for k in positions]
        self.text = self.animated(fig.text(0.5, 0.93, "", ha="center", va="center", fontsize=11))

    def update(self):
        for bars, values in zip(self.bars, (self.logits, self.probabilities, self.grad)):
            for k, (bar, value) in enumerate(zip(bars, values)):
                bar.set_height(value)
                bar.set_facecolor(OKABE_ITO[5] if k == self.label else OKABE_ITO[4])
                bar.set_hatch("//" if k == self.label else "")
        for k, label in enumerate(self.labels):
            label.set_text(f"{self.probabilities[k]:.3f}")
            label.set_y(self.probabilities[k] + 0.01)
        self.text.set_text(f"correct class y = {self.label} (hatched):  p_y = {self.probabilities[self.label]:.3f},"
                           f"  cross-entropy L = -log p_y = {self.loss:.3f}")


@register_explorer
def softmax_explorer(*, logits=(2.0, 1.0, -1.0), label=0):
    """Slide three logits and the correct class: softmax probabilities, cross-entropy, its gradient.

    Parameters
    ----------
    logits : sequence of 3 floats, default (2.0, 1.0, -1.0)
        Starting logits, each in [-10, 10].
    label : int, default 0
        Starting correct class, 0, 1 or 2.

    Returns
    -------
    SoftmaxExplorer
        Controls ``"z0"``, ``"z1"``, ``"z2"``, ``"y"``; state ``.logits`` (3,), ``.label``,
        ``.probabilities`` (3,), ``.loss``, ``.grad`` (3,).

    Raises
    ------
    ValueError
        For a number of logits other than 3, a logit outside [-10, 10] or a label outside {0, 1, 2}.
    """
    logits = tuple(float(v) for v in logits)
    if len(logits) != SoftmaxExplorer.CLASSES:
        raise ValueError(f"softmax_explorer takes 3 logits, got {len(logits)}")
    for k, value in enumerate(logits):
        _check_range(value, -10.0, 10.0, f"logits[{k}]")
    if label not in (0, 1, 2):
        raise ValueError(f"label must be 0, 1 or 2, got {label!r}")
    challenges = [
        Challenge("make the loss smaller than 0.05", lambda e: e.loss < 0.05),
        Challenge("make all three probabilities equal, with logits that are not all 0 (the loss is then log 3)",
                  lambda e: np.ptp(e.probabilities) < 1e-9 and np.any(e.logits != 0)),
    ]
    return SoftmaxExplorer(logits, int(label), challenges=challenges)


def _check_range(value, low, high, name):
    if not (isinstance(value, (int, float, np.number)) and low <= value <= high):
        raise ValueError(f"{name} must be a number in [{low:g}, {high:g}], got {value!r}")
