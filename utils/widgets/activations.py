r"""Lesson 02's explorer: one neuron's activation, its derivative, and a chain of such neurons.

Left, the neuron :math:`a = g(w x + b)` as a function of its input :math:`x`, with its derivative
:math:`\frac{da}{dx} = w\,g'(w x + b)` and a marker at the input the learner picks. Right, a
*chain* of ``depth`` identical neurons, each feeding the next (:math:`a_0 = x`,
:math:`a_l = g(w a_{l-1} + b)`), and the size of the derivative of its output with respect to its
input after each layer,

.. math:: \left|\frac{d a_L}{d a_0}\right| = \prod_{l=1}^{L} |w\, g'(z_l)|, \qquad z_l = w a_{l-1} + b,

on a log scale: the chain rule's product that shrinks (vanishes), survives or grows.

All of it uses the reference activations of ``utils.activations``; the axes are fixed, so every
control only moves the dynamic artists (a ``PATH`` redraw).
"""

import ipywidgets as widgets
import numpy as np

from .. import activations
from .base import LINE_STYLES, OKABE_ITO, PATH, Challenge, Explorer, register_explorer

#: The activations the explorer offers, by name (the keys of ``utils.activations.ACTIVATIONS``).
CHOICES = ("sigmoid", "tanh", "relu", "leaky_relu")
#: Most layers the chain can have.
MAX_DEPTH = 30
#: Gradients below this are drawn at this height, marked as vanished.
FLOOR = 1e-16


def chain_gradients(name, w, b, x, depth):
    r"""Pre-activations and the running derivative of a chain of identical neurons.

    Parameters
    ----------
    name : str
        An activation of ``utils.activations.ACTIVATIONS``.
    w, b : float
        Every neuron's weight and bias.
    x : float
        The chain's input :math:`a_0`.
    depth : int >= 1
        The number of neurons :math:`L`.

    Returns
    -------
    z : ndarray, shape (depth,)
        :math:`z_l = w a_{l-1} + b` for :math:`l = 1, \dots, L`.
    grads : ndarray, shape (depth,)
        :math:`\prod_{k \le l} w\, g'(z_k)`, the derivative :math:`d a_l / d a_0` after each layer.

    Notes
    -----
    .. math:: \frac{d a_L}{d a_0} = \prod_{l=1}^{L} w\, g'(z_l)
    """
    g = activations.ACTIVATIONS[name]
    z, a = np.empty(depth), float(x)
    with np.errstate(under="ignore"):  # e^-1000 and a product of 1e-300 are 0 for every purpose here
        for layer in range(depth):
            z[layer] = w * a + b
            a = float(g(z[layer]))
        return z, np.cumprod(w * g.grad(z))


class ActivationExplorer(Explorer):
    """The explorer of :func:`activation_explorer`; see the module docstring.

    Attributes
    ----------
    x_grid : ndarray, shape (M,)
        Inputs at which the neuron is drawn.
    a, da : ndarray, shape (M,)
        :math:`g(w x + b)` and :math:`w g'(w x + b)` on `x_grid`.
    z_chain, chain_grad : ndarray, shape (depth,)
        From :func:`chain_gradients`.
    status : str
        One line on what the chain does to the gradient.
    """

    def __init__(self, *, activation="sigmoid", w=1.0, b=0.0, x=0.5, depth=10, challenges=()):
        super().__init__(figsize=(11, 4.2), challenges=challenges)
        if activation not in CHOICES:
            raise ValueError(f"activation must be one of {CHOICES}, got {activation!r}")
        self.x_grid = np.linspace(-4, 4, 321)
        slider = dict(continuous_update=True, readout_format=".2f", style={"description_width": "initial"})
        self.add_control("activation", widgets.Dropdown(options=CHOICES, value=activation, description="g"))
        self.add_control("w", widgets.FloatSlider(value=w, min=-4, max=4, step=0.05, description="weight w",
                                                  **slider), redraw=PATH)
        self.add_control("b", widgets.FloatSlider(value=b, min=-4, max=4, step=0.05, description="bias b",
                                                  **slider), redraw=PATH)
        self.add_control("x", widgets.FloatSlider(value=x, min=-4, max=4, step=0.05, description="input x",
                                                  **slider), redraw=PATH)
        self.add_control("depth", widgets.IntSlider(value=depth, min=1, max=MAX_DEPTH, description="depth L",
                                                    continuous_update=True), redraw=PATH)
        self.start()

    def compute(self):
        v = self.values
        g = activations.ACTIVATIONS[v["activation"]]
        z = v["w"] * self.x_grid + v["b"]
        self.a, self.da = g(z), v["w"] * g.grad(z)
        self.z_chain, self.chain_grad = chain_gradients(v["activation"], v["w"], v["b"], v["x"], v["depth"])
        size = abs(self.chain_grad[-1])
        verdict = ("vanished" if size < 1e-6 else "shrinks" if size < 0.5 else
                   "survives" if size <= 2 else "explodes")
        self.status = (f"{v['activation']}, w = {v['w']:.2f}, b = {v['b']:.2f}: after {v['depth']} layers "
                       f"|da_L/da_0| = {size:.2e}, the gradient {verdict}")

    def draw_static(self):
        self.ax_neuron, self.ax_chain = self.figure.subplots(1, 2, gridspec_kw={"width_ratios": [1, 1.1]})
        ax = self.ax_neuron
        ax.set_xlim(-4, 4)
        ax.set_ylim(-1.6, 3.1)
        ax.axhline(0, color="0.75", linewidth=0.8)
        ax.axvline(0, color="0.75", linewidth=0.8)
        ax.set_xlabel("input $x$")
        ax.set_ylabel("value")
        ax = self.ax_chain
        ax.set_yscale("log")
        ax.set_xlim(0.5, MAX_DEPTH + 0.5)
        ax.set_ylim(FLOOR / 3, 1e6)
        ax.axhline(1.0, color="0.6", linestyle=":", linewidth=1)
        ax.axhspan(FLOOR / 3, 1e-6, color="0.92", zorder=0)
        ax.text(MAX_DEPTH, 1e-7, "vanished (< 1e-6)", ha="right", va="top", color="0.35", fontsize=9)
        ax.set_xlabel("layer $l$ of the chain")
        ax.set_ylabel(r"$|\,d a_l / d a_0\,|$ (log scale)")
        ax.set_title("The chain rule's product through $L$ identical neurons", fontsize=10)
        self.figure.subplots_adjust(left=0.07, right=0.98, bottom=0.14, top=0.86, wspace=0.25)
        self.line_a = self.animated(self.ax_neuron.plot([], [], color=OKABE_ITO[0], linewidth=2.2,
                                                        label="$a = g(wx + b)$")[0])
        self.line_da = self.animated(self.ax_neuron.plot([], [], color=OKABE_ITO[5], linewidth=2,
                                                         linestyle=LINE_STYLES[1],
                                                         label="$da/dx = w\\,g'(wx + b)$")[0])
        self.point = self.animated(self.ax_neuron.plot([], [], "o", color="black", markersize=6,
                                                       label="the chain's input")[0])
        self.ax_neuron.legend(loc="upper left", fontsize=9, framealpha=0.9)
        self.neuron_title = self.animated(self.ax_neuron.set_title(" ", fontsize=10))
        self.line_chain = self.animated(self.ax_chain.plot([], [], color=OKABE_ITO[2], marker="o",
                                                           markersize=3.5, linewidth=1.8)[0])
        self.status_text = self.animated(self.figure.text(0.5, 0.95, " ", ha="center", fontsize=11))

    def update(self):
        v = self.values
        self.line_a.set_data(self.x_grid, self.a)
        self.line_da.set_data(self.x_grid, self.da)
        g = activations.ACTIVATIONS[v["activation"]]
        self.point.set_data([v["x"]], [g(np.array(v["w"] * v["x"] + v["b"]))])
        self.neuron_title.set_text(f"One neuron: $g$ = {v['activation']}, $w$ = {v['w']:.2f}, $b$ = {v['b']:.2f}")
        layers = np.arange(1, v["depth"] + 1)
        self.line_chain.set_data(layers, np.maximum(np.abs(self.chain_grad), FLOOR))
        self.status_text.set_text(self.status)


def _sigmoid_survives(e):
    v = e.values
    return v["activation"] == "sigmoid" and v["depth"] >= 20 and abs(e.chain_grad[-1]) >= 0.1


def _relu_exactly_one(e):
    v = e.values
    return v["activation"] == "relu" and v["depth"] >= 20 and abs(e.chain_grad[-1]) == 1.0


def _tanh_vanishes_fast(e):
    v = e.values
    return v["activation"] == "tanh" and v["depth"] <= 5 and abs(e.chain_grad[-1]) < 1e-6


@register_explorer
def activation_explorer(*, activation="sigmoid", w=1.0, b=0.0, x=0.5, depth=10):
    """Sliders for a neuron's weight, bias and input, an activation to choose, and the depth of a chain.

    Parameters
    ----------
    activation : {"sigmoid", "tanh", "relu", "leaky_relu"}, default "sigmoid"
    w, b : float in [-4, 4]
        Starting weight and bias of every neuron.
    x : float in [-4, 4]
        Starting input of the chain.
    depth : int in [1, 30]
        Starting number of neurons in the chain.

    Returns
    -------
    ActivationExplorer
        Display it (make it a cell's value). Its state: ``.a``, ``.da``, ``.chain_grad``, ``.status``.
    """
    challenges = [
        Challenge("ReLU: pass a gradient of exactly 1 through 20 or more layers", _relu_exactly_one),
        Challenge("sigmoid: keep |da_L/da_0| at 0.1 or more through 20 or more layers", _sigmoid_survives),
        Challenge("tanh: make the gradient vanish (below 1e-6) within 5 layers", _tanh_vanishes_fast),
    ]
    return ActivationExplorer(activation=activation, w=w, b=b, x=x, depth=depth, challenges=challenges)
