r"""Lesson 06's explorer: an optimizer's path over a loss surface, in three linked views.

:func:`gradient_descent_explorer` shows one path of gradient descent (or momentum, RMSprop,
Adam) from a start point the learner picks (two sliders, or a click on the contours), over a
loss surface of ``utils.surfaces``:

- the contours with the path, the start, the minima, and at the current point the arrow of
  steepest descent :math:`-\nabla L(\theta_k)` (at right angles to the contour there);
- the same surface in 3-D with the same path on it, its height :math:`\log_{10}(1 + L - L^*)` on
  the ravine and the banana (said in its title), the loss itself on the others;
- the loss against the step on a log scale (:math:`L - L^*` above the minimum).

Steps are counted by :math:`k`, as in lesson 06 (:math:`\theta_k`: the point after :math:`k`
steps). The status line says whether the path converged (and to which minimum), diverged (at
which step), is diverging (its loss grows without bound though it has not passed the bound yet:
the rule is ``descent.is_diverging``) or is still moving. A ``Play`` control grows the path step
by step; Step and Reset move the current step by one or back to the start. The figure is
1000 pixels wide, so that it fits JupyterLab's output area beside the file browser.

Redraws: the learning rate, the optimizer and its hyperparameters, the start and the step
change only the path, the arrow, the loss curve and the status (blitted over the saved
contours and 3-D mesh); the surface dropdown redraws the contours and the mesh.
"""

import textwrap

import ipywidgets as widgets
import numpy as np
from matplotlib.lines import Line2D
from matplotlib.patches import FancyArrowPatch
from matplotlib import patheffects

from .. import surfaces
from .base import SURFACE, Challenge, Explorer, register_explorer
from .descent import (GRAD_TOL, OPTIMIZER_NAMES, PATH_COLORS, clip_path, draw_contours, draw_minima,
                      draw_surface_3d, height_title, loss_above_minimum, loss_axis, lowest, run_optimizer,
                      surface_height)

#: The learning-rate slider's range (a log slider): 1e-4 to 10.
LR_RANGE = (1e-4, 10.0)
#: Most steps an explorer computes.
MAX_STEPS = 500
_OUTLINE = [patheffects.withStroke(linewidth=2.2, foreground="white")]


def make_surface(surface):
    """A ``Surface`` from its name in ``utils.surfaces.SURFACES``, or the surface itself."""
    if isinstance(surface, surfaces.Surface):
        return surface
    if surface not in surfaces.SURFACES:
        raise ValueError(f"surface must be one of {', '.join(surfaces.SURFACES)} or a Surface, got {surface!r}")
    return surfaces.SURFACES[surface]()


def set_range(slider, low, high, value, step=None):
    """Give a slider a new range and value, in an order ipywidgets accepts."""
    if low > slider.max:
        slider.max = high
        slider.min = low
    else:
        slider.min = low
        slider.max = high
    if step is not None:
        slider.step = step
    slider.value = min(max(value, low), high)


def start_label(surface, i):
    """A start slider's label: "start, θ₀ axis" (never "θ₀ start", which reads as the start point θ₀)."""
    return f"start, {surface.axis_labels[i]} axis"


def start_sliders(surface):
    """Sliders for the start point over a surface's view: its coordinate along each axis."""
    sliders = []
    for k, (low, high) in enumerate((surface.xlim, surface.ylim)):
        sliders.append(widgets.FloatSlider(value=float(surface.start[k]), min=low, max=high,
                                           step=(high - low) / 200, description=start_label(surface, k),
                                           readout_format=".2f", continuous_update=True,
                                           style={"description_width": "initial"}))
    return sliders


def reached(loss, within, surface_name=None):
    """A challenge test: the loss above the minimum is below `loss` at step `within` (not just passing by).

    The path must run at least `within` steps without diverging.
    """
    def test(explorer):
        if surface_name is not None and explorer.surface.name != surface_name:
            return False
        run = explorer.run
        if run.diverged_at is not None or len(run.losses) <= within:
            return False
        return bool(loss_above_minimum(explorer.surface, run.losses[within:within + 1])[0] < loss)
    return test


def default_challenges():
    """Lesson 06's targets for :func:`gradient_descent_explorer`."""
    def global_minimum(explorer):
        from_default_start = np.allclose(explorer.path[0], explorer.surface.start, atol=1e-6)
        return (explorer.surface.name == "two_minima" and from_default_start
                and "the global minimum" in explorer.status)

    def diverges(explorer):
        run = explorer.run
        return (explorer.surface.name == "ravine" and explorer.optimizer == "SGD"
                and (run.diverged_at is not None or run.diverging))

    return [Challenge("ravine, plain SGD: find a learning rate that diverges (status: diverging or diverged)",
                      diverges),
            Challenge("ravine: be below a loss of 1e-6 at step 100 (plain SGD cannot: why?)",
                      reached(1e-6, 100, "ravine")),
            Challenge("two minima: reach the global (deeper) minimum from the default start",
                      global_minimum)]


class GradientDescentExplorer(Explorer):
    """The explorer of :func:`gradient_descent_explorer`.

    Attributes
    ----------
    surface : utils.surfaces.Surface
    optimizer : str
    run : utils.widgets.descent.Run
    path : ndarray, shape (steps + 1, 2)
        :math:`\\theta_0 \\dots \\theta_{steps}`; NaN after the step where the path diverged.
    losses : ndarray, shape (steps + 1,)
    status : str
        "converged at step k to loss L", "diverged at step k", "diverging: ..." or "still moving ...".
    k : int
        The current step (the ``Play`` control's value); the arrow is drawn at ``path[k]``.
    """

    live_format = "jpeg"  # a 1000-pixel-wide figure: JPEG encodes in a fraction of PNG's time

    def __init__(self, surface, optimizer, lr, momentum, alpha, beta1, beta2, steps, start, challenges):
        super().__init__(figsize=(10, 4.4), challenges=challenges)
        self._surfaces = {}
        self.surface = make_surface(surface)
        self._surfaces[self.surface.name] = self.surface
        start = self.surface.start if start is None else np.asarray(start, dtype=float)
        c = self.add_control
        names = list(dict.fromkeys([self.surface.name, *surfaces.SURFACES]))
        c("surface", widgets.Dropdown(options=names, value=self.surface.name, description="surface"),
          redraw=SURFACE, on_change=self._follow)
        c("optimizer", widgets.Dropdown(options=OPTIMIZER_NAMES, value=optimizer, description="optimizer"),
          on_change=self._follow)
        c("lr", widgets.FloatLogSlider(value=lr, base=10, min=np.log10(LR_RANGE[0]), max=np.log10(LR_RANGE[1]),
                                       step=0.01, description="η (lr)", readout_format=".2e"))
        c("momentum", widgets.FloatSlider(value=momentum, min=0.0, max=0.99, step=0.01, description="β momentum"))
        c("alpha", widgets.FloatSlider(value=alpha, min=0.5, max=0.999, step=0.001, description="α RMSprop",
                                       readout_format=".3f"))
        c("beta1", widgets.FloatSlider(value=beta1, min=0.0, max=0.99, step=0.01, description="β₁ Adam"))
        c("beta2", widgets.FloatSlider(value=beta2, min=0.5, max=0.9999, step=0.0001, description="β₂ Adam",
                                       readout_format=".4f"))
        c("steps", widgets.IntSlider(value=steps, min=1, max=MAX_STEPS, description="steps"),
          on_change=self._follow)
        x0, y0 = start_sliders(self.surface)
        x0.value, y0.value = float(start[0]), float(start[1])
        c("x0", x0)
        c("y0", y0)
        self.play = widgets.Play(value=steps, min=0, max=steps, step=1, interval=60, description="play")
        c("k", widgets.IntSlider(value=steps, min=0, max=steps, description="step k shown",
                                 style={"description_width": "initial"}))
        widgets.jslink((self.play, "value"), (self.controls["k"], "value"))
        self.add_button("step", "Step", self._step, icon="step-forward")
        self.add_button("reset", "Reset", self._reset, icon="undo")
        self._key = None
        self.start()
        self.on_click(self.ax, self.set_start)
        self._enable()

    def layout_controls(self):
        c, b = self.controls, self.buttons
        rows = [[c["surface"], c["optimizer"], c["steps"]],
                [c["lr"], c["momentum"], c["alpha"], c["beta1"], c["beta2"]],
                [c["x0"], c["y0"], widgets.Label("or click the contours")],
                [self.play, c["k"], b["step"], b["reset"]]]
        return widgets.VBox([widgets.HBox(r, layout=widgets.Layout(flex_flow="row wrap")) for r in rows])

    # -- controls that move other controls -------------------------------------------------

    def _follow(self, change):
        """Keep the other controls in step with the surface, the number of steps and the optimizer."""
        owner = change["owner"]
        if owner is self.controls["surface"]:
            s = self._surface(change["new"])
            for i, (slider, (low, high), value) in enumerate(((self.controls["x0"], s.xlim, s.start[0]),
                                                              (self.controls["y0"], s.ylim, s.start[1]))):
                set_range(slider, low, high, value, (high - low) / 200)
                slider.description = start_label(s, i)
        elif owner is self.controls["steps"]:
            k = self.controls["k"]
            at_end = k.value == change["old"]
            k.max = self.play.max = change["new"]
            if at_end:
                k.value = change["new"]
        self._enable()

    def _enable(self):
        """Grey out the hyperparameters the chosen optimizer does not use."""
        used = {"SGD": (), "momentum": ("momentum",), "RMSprop": ("alpha",), "Adam": ("beta1", "beta2")}
        for name in ("momentum", "alpha", "beta1", "beta2"):
            self.controls[name].disabled = name not in used[self.controls["optimizer"].value]

    def _surface(self, name):
        if name not in self._surfaces:
            self._surfaces[name] = make_surface(name)
        return self._surfaces[name]

    def _step(self):
        k = self.controls["k"]
        k.value = min(k.value + 1, k.max)

    def _reset(self):
        self.controls["k"].value = 0

    def set_start(self, x, y):
        """Move the start point to ``(x, y)`` (what a click on the contours does)."""
        with self.batch():
            self.controls["x0"].value, self.controls["y0"].value = x, y

    # -- the four parts ------------------------------------------------------------------

    def compute(self):
        v = self.values
        self.surface = self._surface(v["surface"])
        key = tuple(value for name, value in v.items() if name != "k")
        if key != self._key:  # the Play control only moves k: no need to run the optimizer again
            self.optimizer = v["optimizer"]
            self.run = run_optimizer(self.surface, v["optimizer"], (v["x0"], v["y0"]), v["steps"], lr=v["lr"],
                                     momentum=v["momentum"], alpha=v["alpha"], beta1=v["beta1"], beta2=v["beta2"])
            self.path, self.losses, self.status = self.run.path, self.run.losses, self.run.status
            self._key = key
        self.k = min(v["k"], self.run.end)

    def draw_static(self):
        fig = self.figure
        self.ax = fig.add_axes((0.065, 0.11, 0.255, 0.73))
        self.ax3 = fig.add_axes((0.34, 0.02, 0.345, 0.84), projection="3d")
        self.ax3.view_init(elev=38, azim=-62)
        self.ax_loss = fig.add_axes((0.8, 0.11, 0.17, 0.73))  # its redraw region stays clear of the 3-D view
        color = PATH_COLORS[0]
        (self.line,) = self.ax.plot([], [], "-o", color=color, markersize=2, linewidth=1.4, zorder=5,
                                    path_effects=_OUTLINE, label="path")
        (self.start_marker,) = self.ax.plot([], [], "o", color="white", markeredgecolor="black", markersize=7,
                                            zorder=6, label="start")
        (self.current,) = self.ax.plot([], [], "o", color=color, markeredgecolor="black", markersize=7, zorder=7)
        self.arrow = FancyArrowPatch((0, 0), (0, 0), arrowstyle="-|>", mutation_scale=14, color="black",
                                     linewidth=1.8, zorder=8, label=r"$-\nabla L(\theta_k)$")
        self.ax.add_patch(self.arrow)
        self.end_text = self.ax.text(0, 0, "", fontsize=9, fontweight="bold", zorder=9, color="black",
                                     bbox=dict(boxstyle="round,pad=0.2", facecolor="white", alpha=0.85))
        (self.line3,) = self.ax3.plot([], [], [], "-", color=color, linewidth=2, zorder=10)
        (self.current3,) = self.ax3.plot([], [], [], "o", color=color, markeredgecolor="black", markersize=6,
                                         zorder=11)
        self.ax_loss.set_xlabel("step $k$")
        (self.loss_line,) = self.ax_loss.plot([], [], color=color, linewidth=1.6)
        (self.loss_now,) = self.ax_loss.plot([], [], "o", color=color, markeredgecolor="black", markersize=6)
        self.ax_loss.grid(True, which="major", alpha=0.3)
        self.status_text = fig.text(0.5, 0.965, "", ha="center", va="center", fontsize=11)
        for artist in (self.line, self.start_marker, self.current, self.arrow, self.end_text, self.line3,
                       self.current3, self.loss_line, self.loss_now, self.status_text):
            self.animated(artist)
        self._surface_artists = []
        self._legend = None

    def draw_surface(self):
        for artist in self._surface_artists:
            artist.remove()
        s = self.surface
        self._surface_artists = [*draw_contours(self.ax, s), *draw_minima(self.ax, s)]
        self.ax.set_title("\n".join(textwrap.wrap(s.title, 44)), fontsize=9 if len(s.title) > 44 else 10)
        self._surface_artists.append(draw_surface_3d(self.ax3, s))
        self.ax3.set_title("\n".join(textwrap.wrap(height_title(s), 48)), fontsize=9, y=1.0, pad=0)
        self.ax_loss.set_ylabel(r"$L(\theta_k) - L^*$" if lowest(s) is not None else r"$L(\theta_k)$")
        loss_axis(self.ax_loss, "log" if lowest(s) is not None else "symlog", "loss against step")
        arrow = Line2D([], [], color="black", marker=r"$\rightarrow$", markersize=14, linestyle="none",
                       label=r"$-\nabla L(\theta_k)$, downhill")
        legend = self.ax.legend(handles=[self.line, self.start_marker, arrow, *draw_minima_handles(s)],
                                loc="lower right", fontsize=7, framealpha=1.0, fancybox=False)
        # An overlay: opaque, pasted over the path, so that the path passes under it, never over it
        self.overlay(legend, replace=self._legend)  # removing the old legend detaches it from the axes
        self._legend = self.ax.legend_ = legend

    def update(self):
        s, run, k = self.surface, self.run, self.k
        shown = clip_path(run.path[:k + 1], s.xlim, s.ylim)
        self.line.set_data(shown[:, 0], shown[:, 1])
        self.start_marker.set_data(run.path[:1, 0], run.path[:1, 1])
        point = run.path[k]
        self.current.set_data([point[0]], [point[1]])
        self._update_arrow(point, run.grads[k])
        self._update_end(shown)
        visible = _inside(run.path[:k + 1], s)
        heights = np.where(visible, surface_height(s, np.nan_to_num(run.losses[:k + 1], nan=0.0)), np.nan)
        self.line3.set_data_3d(np.where(visible, run.path[:k + 1, 0], np.nan),
                               np.where(visible, run.path[:k + 1, 1], np.nan), heights)
        here = slice(k, k + 1) if visible[k] else slice(0, 0)
        self.current3.set_data_3d(run.path[here, 0], run.path[here, 1], heights[here])
        gap = loss_above_minimum(s, run.losses)
        self.loss_line.set_data(np.arange(run.end + 1), gap[:run.end + 1])
        self.loss_now.set_data([k], [gap[k]])
        limits = (0, max(len(run.losses) - 1, 1)), nice_limits(gap[:run.end + 1], self.ax_loss.get_yscale())
        if limits != (self.ax_loss.get_xlim(), self.ax_loss.get_ylim()):
            self.ax_loss.set_xlim(limits[0])
            self.ax_loss.set_ylim(limits[1])
            self.stale(self.ax_loss)
        self.status_text.set_text(f"{self.optimizer}, η = {self.values['lr']:.3g}:  {self.status}"
                                  f"    (step k = {k} shown)")

    def _update_arrow(self, point, grad):
        s = self.surface
        norm = np.hypot(*grad) if np.all(np.isfinite(grad)) else 0.0
        if norm < GRAD_TOL or not _inside(point[None], s)[0]:
            self.arrow.set_visible(False)
            return
        span = min(s.xlim[1] - s.xlim[0], s.ylim[1] - s.ylim[0])
        # fixed length on screen: the direction is the lesson, not the size (the axes are not square)
        scale = np.array([s.xlim[1] - s.xlim[0], s.ylim[1] - s.ylim[0]]) / span
        direction = -grad / norm * scale
        direction = direction / np.hypot(*(direction / scale)) * 0.18 * span
        self.arrow.set_positions(tuple(point), tuple(point + direction))
        self.arrow.set_visible(True)

    def _update_end(self, shown):
        run = self.run
        if run.diverged_at is None or self.k < run.end or len(shown) == 0:
            self.end_text.set_visible(False)
            return
        x, y = shown[-1]
        (x0, x1), (y0, y1) = self.surface.xlim, self.surface.ylim
        inset = 0.04 * (x1 - x0), 0.06 * (y1 - y0)  # keep the label inside the axes
        x, y = min(max(x, x0 + inset[0]), x1 - inset[0]), min(max(y, y0 + inset[1]), y1 - inset[1])
        self.end_text.set_position((x, y))
        self.end_text.set_ha("right" if x > (x0 + x1) / 2 else "left")
        self.end_text.set_text(f"left the view, step {run.diverged_at}")
        self.end_text.set_visible(True)


def nice_limits(values, scale):
    """Axis limits that hold the finite `values`: powers of 1000 on a log scale, else 10% margins."""
    values = values[np.isfinite(values)]
    if values.size == 0:
        return (1e-3, 1.0) if scale == "log" else (-1.0, 1.0)
    low, high = float(values.min()), float(values.max())
    if scale == "log":  # in steps of three decades, so that most changes keep the limits
        low, high = np.log10(max(low, 1e-300)), np.log10(max(high, 1e-300))
        top = np.ceil(high + 0.05)
        bottom = min(3 * np.floor(low / 3), top - 6)  # at least six decades, in steps of three
        return 10.0 ** bottom, 10.0 ** top
    pad = 0.1 * (high - low) or 1.0
    step = 10.0 ** np.floor(np.log10(pad))  # round outwards, so small moves keep the limits
    return float(np.floor((low - pad) / step) * step), float(np.ceil((high + pad) / step) * step)


def draw_minima_handles(surface):
    """Legend handles for the minimum star and the saddle cross (without drawing anything)."""
    handles = []
    if len(surface.minima):
        handles.append(Line2D([], [], marker="*", markersize=11, color="white", markeredgecolor="black",
                              linestyle="none", label="minimum"))
    if len(surface.saddle_points):
        handles.append(Line2D([], [], marker="X", markersize=8, color="white", markeredgecolor="black",
                              linestyle="none", label="saddle point"))
    return handles


def _inside(points, surface):
    (x0, x1), (y0, y1) = surface.xlim, surface.ylim
    with np.errstate(invalid="ignore"):
        return (points[:, 0] >= x0) & (points[:, 0] <= x1) & (points[:, 1] >= y0) & (points[:, 1] <= y1)


@register_explorer(context={"momentum": {"optimizer": "momentum"}, "alpha": {"optimizer": "RMSprop"},
                           "beta1": {"optimizer": "Adam"}, "beta2": {"optimizer": "Adam"}})
def gradient_descent_explorer(surface="ravine", *, optimizer="SGD", lr=0.03, momentum=0.9, alpha=0.99,
                              beta1=0.9, beta2=0.999, steps=100, start=None, challenges=None):
    r"""Watch an optimizer walk down a loss surface; move the learning rate and see the path change.

    Parameters
    ----------
    surface : str or utils.surfaces.Surface, default "ravine"
        A name of ``utils.surfaces.SURFACES`` (the dropdown offers them all) or a surface.
    optimizer : {"SGD", "momentum", "RMSprop", "Adam"}, default "SGD"
        The course's optimizer classes, run on a two-element ``Parameter``.
    lr : float in [1e-4, 10], default 0.03
        Learning rate :math:`\eta` (a log slider).
    momentum : float in [0, 0.99], default 0.9
        :math:`\beta` of SGD with momentum.
    alpha : float in [0.5, 0.999], default 0.99
        RMSprop's decay of the mean square.
    beta1 : float in [0, 0.99], default 0.9
    beta2 : float in [0.5, 0.9999], default 0.999
        Adam's decay rates.
    steps : int in [1, 500], default 100
    start : array_like, shape (2,), optional
        :math:`\theta_0`; the surface's own start by default. A click on the contours sets it too.
    challenges : list of Challenge, optional
        Targets shown under the figure; lesson 06's by default (:func:`default_challenges`),
        none with ``[]``.

    Returns
    -------
    GradientDescentExplorer
        With ``.path`` (steps + 1, 2), ``.losses`` (steps + 1,), ``.status``, ``.controls``
        (``surface``, ``optimizer``, ``lr``, ``momentum``, ``alpha``, ``beta1``, ``beta2``,
        ``steps``, ``x0``, ``y0``, ``k``), ``.figure``.

    Raises
    ------
    ValueError
        For an unknown surface or optimizer, or a value outside its slider's range.

    Notes
    -----
    Plain gradient descent is :math:`\theta_{k+1} = \theta_k - \eta \nabla L(\theta_k)`; on a
    quadratic it converges exactly when :math:`\eta < 2/\lambda_{\max}` of the Hessian.
    """
    if optimizer not in OPTIMIZER_NAMES:
        raise ValueError(f"optimizer must be one of {', '.join(OPTIMIZER_NAMES)}, got {optimizer!r}")
    _check_in("lr", lr, *LR_RANGE)
    _check_in("momentum", momentum, 0.0, 0.99)
    _check_in("alpha", alpha, 0.5, 0.999)
    _check_in("beta1", beta1, 0.0, 0.99)
    _check_in("beta2", beta2, 0.5, 0.9999)
    _check_in("steps", steps, 1, MAX_STEPS)
    if start is not None and np.shape(start) != (2,):
        raise ValueError(f"start must be a point (theta_0, theta_1), shape (2,), got shape {np.shape(start)}")
    surface = make_surface(surface)
    if start is not None:
        _check_in("start[0]", start[0], *surface.xlim)
        _check_in("start[1]", start[1], *surface.ylim)
    return GradientDescentExplorer(surface, optimizer, float(lr), float(momentum), float(alpha), float(beta1),
                                   float(beta2), int(steps), start,
                                   default_challenges() if challenges is None else challenges)


def _check_in(name, value, low, high):
    if not (isinstance(value, (int, float, np.number)) and low <= value <= high):
        raise ValueError(f"{name} must be a number in [{low:g}, {high:g}], got {value!r}")
