r"""Lesson 07's mini-batch explorer: the loss surface moves under the path, one batch at a time.

:func:`minibatch_explorer` fits a line :math:`\hat y = w x + b` to ``make_regression_1d`` data
by mini-batch SGD (``utils.optimizers.SGD`` on a two-element ``Parameter``). At step :math:`t`
the gradient is that of the mean squared error on the :math:`t`-th mini-batch only, so the
figure draws, at the current step, *that batch's* loss surface (coloured contours and its
minimum, a cross) over the full-batch surface drawn faintly (grey contours and its minimum, a
star). Moving the step control shows the surface itself move; a bigger batch makes it move
less. The L2 slider adds :math:`\tfrac{\lambda}{2}\|\theta\|^2` to every surface and bends them
all towards the origin.

Beside the contours: the data with the current batch highlighted and the current line, and the
full-batch loss along the path. The batches are drawn without replacement, epoch after epoch
(every row once per epoch, the last partial batch kept), from the ``seed`` control.

The noise of the batches is measured by ``batch_spread``: the mean distance of the batches'
minima from the full-batch minimum, over the batches of exactly ``batch_size`` rows. The last,
smaller batch of each epoch (4 rows when 64 rows are cut into batches of 30) is left out of the
mean, and the figure says so: it is as noisy as its size, so with it the mean would mix two
sizes, and a batch of one row has no single minimum to measure (a whole line of them). The
mean is therefore the noise of a batch of that size, whatever the remainder, and falls as the
batch grows; the run itself still takes every batch, the small ones too.

Speed: the 101 batch surfaces share one full-data view (``linear_regression(view=...)``) and
the path steps with ``Surface.grad_at``, so a new batch size or seed costs about a third of
what it did.
"""

import ipywidgets as widgets
import numpy as np
from matplotlib import patheffects
from matplotlib.lines import Line2D

from .. import datasets, optimizers, surfaces
from ..layers import Parameter
from .base import SURFACE, Challenge, Explorer, register_explorer
from .descent import PATH_COLORS, SURFACE_CMAP, clip_path, contour_levels, draw_minima, loss_axis
from .gradient_descent import _check_in, draw_minima_handles

#: Rows of the default data set.
N_ROWS = 64


def batches(n_rows, batch_size, steps, rng):
    """Row indices of `steps` mini-batches, epoch after epoch: each row once per epoch, in a new order.

    Parameters
    ----------
    n_rows : int
    batch_size : int in [1, n_rows]
        The last batch of an epoch is smaller when `n_rows` is not a multiple of it.
    steps : int
    rng : numpy.random.Generator

    Returns
    -------
    list of ndarray of int, length `steps`
    """
    out = []
    while len(out) < steps:
        order = rng.permutation(n_rows)
        out.extend(order[start:start + batch_size] for start in range(0, n_rows, batch_size))
    return out[:steps]


def _unique_minimum(surface):
    """Whether a quadratic surface has one minimum (its constant Hessian ``A`` is not singular)."""
    (a00, a01), (_, a11) = surface.A
    return bool(a00 * a11 - a01 * a01 > 1e-10 * (a00 + a11) ** 2)


def default_challenges():
    """Lesson 07's targets for :func:`minibatch_explorer`."""
    def noise_small(explorer):
        return bool(explorer.batch_spread < 0.1)  # False for NaN: batches of one row, without L2

    def one_row(explorer):
        return explorer.values["batch_size"] == 1 and explorer.final_gap < 0.08

    def l2_halves(explorer):
        without = explorer.plain.minima[0]
        return float(np.hypot(*explorer.full.minima[0])) <= 0.5 * float(np.hypot(*without))

    return [Challenge("make the batch minima stay within 0.1 of the full-batch minimum (the mean over the "
                      "batches of the chosen size)", noise_small),
            Challenge("batch size 1: end within 0.08 of the lowest full-batch loss (try the learning rate)",
                      one_row),
            Challenge("with L2, pull the full-batch minimum halfway to the origin", l2_halves)]


class MinibatchExplorer(Explorer):
    r"""The explorer of :func:`minibatch_explorer`.

    Attributes
    ----------
    X : ndarray, shape (N, 1)
    y : ndarray, shape (N, 1)
    full : utils.surfaces.Surface
        The full-batch surface (with the L2 term).
    plain : utils.surfaces.Surface
        The full-batch surface without L2 (whose view every surface shares).
    batch_rows : list of ndarray of int, length steps + 1
        The rows of the batch used at each step (the last one is shown at the end).
    batch_surfaces : list of Surface
    batch_minima : ndarray, shape (steps + 1, 2)
        NaN for a batch with a line of minima (its rows share one x, e.g. a single row, without L2).
    batch_spread : float
        Mean distance of the minima of the batches of exactly ``batch_size`` rows from the
        full-batch minimum: the noise of a batch of that size. The last, smaller batch of each
        epoch is left out (NaN when no measured batch has a single minimum: one row, no L2).
    spread_batches : int
        How many batches the mean is over.
    path : ndarray, shape (steps + 1, 2)
        :math:`(w, b)` after each step; NaN after a divergence.
    losses : ndarray, shape (steps + 1,)
        The full-batch loss along the path.
    final_gap : float
        :math:`L(\theta_{steps}) - L^*` on the full batch (inf after a divergence).
    status : str
    t : int
        The current step.
    """

    live_format = "jpeg"

    def __init__(self, batch_size, noise, l2, lr, steps, seed, challenges):
        super().__init__(figsize=(10, 4.5), challenges=challenges)
        self.steps = steps
        c = self.add_control
        c("batch_size", widgets.IntSlider(value=batch_size, min=1, max=N_ROWS, description="batch size"))
        c("noise", widgets.FloatSlider(value=noise, min=0.0, max=1.0, step=0.05, description="data noise"),
          redraw=SURFACE)
        c("l2", widgets.FloatSlider(value=l2, min=0.0, max=10.0, step=0.1, description="L2 λ"), redraw=SURFACE)
        c("lr", widgets.FloatLogSlider(value=lr, base=10, min=-3, max=0, step=0.05, description="η (lr)",
                                       readout_format=".3f"))
        c("seed", widgets.IntSlider(value=seed, min=0, max=20, description="shuffle seed"))
        self.play = widgets.Play(value=0, min=0, max=steps, step=1, interval=150, description="play")
        c("t", widgets.IntSlider(value=steps // 4, min=0, max=steps, description="step"))
        widgets.jslink((self.play, "value"), (self.controls["t"], "value"))
        self._keys = {}
        self.start()

    def layout_controls(self):
        rows = [[*[self.controls[n] for n in ("batch_size", "lr", "seed")]],
                [*[self.controls[n] for n in ("noise", "l2")], self.play, self.controls["t"]]]
        return widgets.VBox([widgets.HBox(r, layout=widgets.Layout(flex_flow="row wrap")) for r in rows])

    # -- compute -------------------------------------------------------------------------

    def compute(self):
        v = self.values
        if self._keys.get("data") != v["noise"]:
            X, y = datasets.make_regression_1d(N_ROWS, v["noise"], seed=0)
            self.X, self.y = X, y
            self.plain = surfaces.linear_regression(X, y)
            self._keys["data"] = v["noise"]
        key = (v["noise"], v["l2"])
        if self._keys.get("full") != key:
            self.full = surfaces.linear_regression(self.X, self.y, l2=v["l2"], view=self.plain)
            self._keys["full"] = key
        key = (v["noise"], v["l2"], v["batch_size"], v["seed"])
        if self._keys.get("batches") != key:  # the learning rate leaves the batches as they are
            self._batches(v)
            self._keys["batches"] = key
        key = (*key, v["lr"])
        if self._keys.get("run") != key:
            self._run(v)
            self._keys["run"] = key
        self.t = min(v["t"], self.end)

    def _batches(self, v):
        rng = np.random.default_rng(v["seed"])
        self.batch_rows = batches(N_ROWS, v["batch_size"], self.steps + 1, rng)
        self.batch_surfaces = [surfaces.linear_regression(self.X, self.y, rows=rows, l2=v["l2"], view=self.plain)
                               for rows in self.batch_rows]
        # A batch whose rows share one x (a single row, say) has a line of minima, not one: NaN
        self.batch_minima = np.array([s.minima[0] if _unique_minimum(s) else (np.nan, np.nan)
                                      for s in self.batch_surfaces])
        # The noise of a batch of this size: the smaller last batch of each epoch is left out
        measured = np.array([len(rows) == v["batch_size"] for rows in self.batch_rows])
        measured &= np.all(np.isfinite(self.batch_minima), axis=1)
        distances = np.linalg.norm(self.batch_minima[measured] - self.full.minima[0], axis=1)
        self.batch_spread = float(np.mean(distances)) if measured.any() else np.nan
        self.spread_batches = int(measured.sum())

    def _run(self, v):
        p = Parameter(np.array(self.full.start, dtype=np.float64))
        opt = optimizers.SGD([p], lr=v["lr"])
        self.path = np.full((self.steps + 1, 2), np.nan)
        self.path[0] = p.data
        self.end, self.diverged_at = self.steps, None
        for t in range(self.steps):
            p.grad[...] = self.batch_surfaces[t].grad_at(p.data[0], p.data[1])
            opt.step()
            if not np.all(np.abs(p.data) <= surfaces.DIVERGENCE_BOUND):  # also catches NaN
                self.end = self.diverged_at = t + 1
                self.path[t + 1] = np.where(np.isfinite(p.data), p.data, np.nan)
                break
            self.path[t + 1] = p.data
        self.losses = np.full(self.steps + 1, np.nan)
        finite = np.all(np.isfinite(self.path), axis=1)
        self.losses[finite] = self.full.value(self.path[finite])
        best = float(self.full.value(self.full.minima[0]))
        self.final_gap = float(self.losses[self.steps] - best) if self.diverged_at is None else np.inf
        if self.diverged_at is not None:
            self.status = f"diverged at step {self.diverged_at}"
        else:
            self.status = (f"after {self.steps} steps: full-batch loss {self.losses[self.steps]:.4f} "
                           f"(lowest {best:.4f})")

    # -- draw ----------------------------------------------------------------------------

    def draw_static(self):
        fig = self.figure
        # Each axes' redraw region (Explorer.stale: 80 px left, 25 right) stays clear of its neighbours.
        self.ax = fig.add_axes((0.07, 0.11, 0.255, 0.7))
        self.ax_data = fig.add_axes((0.42, 0.11, 0.235, 0.7))
        self.ax_loss = fig.add_axes((0.765, 0.11, 0.21, 0.7))
        self.surface_axes = [self.ax, self.ax_data]  # noise and L2 leave the loss axes alone
        color = PATH_COLORS[0]
        outline = [patheffects.withStroke(linewidth=2.6, foreground="white")]
        (self.line,) = self.ax.plot([], [], "-o", color=color, markersize=2.5, linewidth=1.4, zorder=6,
                                    path_effects=outline, label="path of SGD")
        (self.current,) = self.ax.plot([], [], "o", color=color, markeredgecolor="black", markersize=7, zorder=8)
        (self.batch_min,) = self.ax.plot([], [], "X", color=PATH_COLORS[1], markeredgecolor="white",
                                         markersize=10, zorder=7, label="this batch's minimum")
        self.batch_cs = self.ax.plot([], [])[0]  # replaced by the batch's contours in update()
        self.ax.set_xlabel("$w$ (slope)")
        self.ax.set_ylabel("$b$ (intercept)")
        self.ax_data.set_xlabel("$x$")
        self.ax_data.set_ylabel("$y$")
        self.ax_data.set_title("the data; this batch in colour", fontsize=10)
        self.batch_points = self.ax_data.scatter([], [], s=36, c=PATH_COLORS[1], marker="s", edgecolors="black",
                                                 linewidths=0.5, zorder=4, label="this batch")
        (self.fit,) = self.ax_data.plot([], [], color=color, linewidth=2, zorder=5,
                                        label=r"$\hat y = w x + b$ now")
        self.ax_loss.set_xlabel("step $t$")
        self.ax_loss.set_ylabel(r"full-batch $L(\theta_t) - L^*$")
        loss_axis(self.ax_loss, "log", "full-batch loss along the path")
        # Fixed limits: the start is about 1e1-1e2 above the lowest loss, and a diverging path
        # leaves through the top (the status says so), so no change redraws this axes.
        self.ax_loss.set_xlim(0, self.steps)
        self.ax_loss.set_ylim(1e-6, 1e3)
        self.ax_loss.grid(True, alpha=0.3)
        (self.loss_line,) = self.ax_loss.plot([], [], color=color, linewidth=1.4)
        (self.loss_now,) = self.ax_loss.plot([], [], "o", color=color, markeredgecolor="black", markersize=6)
        self.status_text = fig.text(0.5, 0.96, "", ha="center", va="center", fontsize=10.5)
        self.spread_text = fig.text(0.5, 0.905, "", ha="center", va="center", fontsize=9.5, color="0.2")
        self.end_text = self.ax_loss.text(0.97, 0.95, "", transform=self.ax_loss.transAxes, ha="right", va="top",
                                          fontsize=8, bbox=dict(boxstyle="round,pad=0.2", facecolor="white",
                                                                alpha=0.85))
        # The legends lie over the moving contours and batch points: overlays, opaque, pasted on top.
        legend = self.ax.legend(handles=[self.line, self.batch_min, *draw_minima_handles(surfaces.bowl())],
                                labels=["path of SGD", "this batch's minimum", "full batch's minimum"],
                                loc="lower right", fontsize=7, framealpha=1.0, fancybox=False)
        grey_points = Line2D([], [], marker="o", color="0.65", linestyle="none", markersize=4)
        best_line = Line2D([], [], color="0.3", linestyle="--")
        data_legend = self.ax_data.legend([self.batch_points, self.fit, grey_points, best_line],
                                          ["this batch", r"$\hat y = w x + b$ now", "all rows",
                                           "best line (full batch)"],
                                          loc="upper left", fontsize=7, framealpha=1.0, fancybox=False)
        for artist in (self.line, self.current, self.batch_min, self.batch_cs, self.batch_points, self.fit,
                       self.loss_line, self.loss_now, self.status_text, self.spread_text, self.end_text):
            self.animated(artist)
        self.overlay(legend)
        self.overlay(data_legend)
        self._surface_artists = []

    def draw_surface(self):
        for artist in self._surface_artists:
            artist.remove()
        full = self.full
        T0, T1, L = full.grid(81)
        self.levels = contour_levels(full, L, n=14)
        faint = self.ax.contour(T0, T1, L, levels=self.levels, colors="0.6", linewidths=0.8, zorder=1)
        self._surface_artists = [faint, *draw_minima(self.ax, full, zorder=5)]
        self.ax.set_xlim(full.xlim)
        self.ax.set_ylim(full.ylim)
        self.ax.set_title("this batch's loss (colour), full batch's (grey)", fontsize=9)
        x = self.X[:, 0]
        self._surface_artists.append(self.ax_data.scatter(x, self.y[:, 0], s=14, c="0.65", zorder=2,
                                                          label="all rows"))
        grid = np.array([x.min(), x.max()])
        w, b = full.minima[0]
        self._surface_artists.extend(self.ax_data.plot(grid, w * grid + b, color="0.3", linestyle="--", zorder=3,
                                                       label="best line (full batch)"))
        pad = 0.1 * (self.y.max() - self.y.min())
        self.ax_data.set_ylim(self.y.min() - pad, self.y.max() + pad)

    def update(self):
        t, full = self.t, self.full
        batch = self.batch_surfaces[t]
        T0, T1, L = batch.grid(61, full.xlim, full.ylim)
        cs = self.ax.contour(T0, T1, L, levels=self.levels, cmap=SURFACE_CMAP, linewidths=1.1, zorder=2)
        self.batch_cs = self.animated(cs, replace=self.batch_cs)
        shown = clip_path(self.path[:t + 1], full.xlim, full.ylim)
        self.line.set_data(shown[:, 0], shown[:, 1])
        point = self.path[t]
        self.current.set_data([point[0]], [point[1]])
        self.batch_min.set_data(self.batch_minima[t, :1], self.batch_minima[t, 1:])
        rows = self.batch_rows[t]
        self.batch_points.set_offsets(np.column_stack([self.X[rows, 0], self.y[rows, 0]]))
        x = np.array([self.X.min(), self.X.max()])
        if np.all(np.isfinite(point)):
            self.fit.set_data(x, point[0] * x + point[1])
        best = float(full.value(full.minima[0]))
        gap = np.maximum(self.losses - best, 1e-16, where=np.isfinite(self.losses),
                         out=np.full_like(self.losses, np.nan))
        self.loss_line.set_data(np.arange(self.end + 1), gap[:self.end + 1])
        self.loss_now.set_data([t], [gap[t]])
        if np.all(np.isfinite(self.batch_minima[t])):
            where = f"its minimum is {np.linalg.norm(self.batch_minima[t] - full.minima[0]):.2f} from the full one"
        else:
            where = "its minima form a whole line (one x fits many lines)"
        self.status_text.set_text(f"step {t}, a batch of {len(rows)}: {where}")
        self.spread_text.set_text(self._spread_line())
        self.end_text.set_text(self.status.replace(": ", ":\n", 1).replace(" (lowest", "\n(lowest"))


    def _spread_line(self):
        """The line under the status: the mean distance of the batch minima, and over which batches."""
        size = self.values["batch_size"]
        left = N_ROWS % size
        if np.isnan(self.batch_spread):
            mean = f"batches of {size} row{'s' if size > 1 else ''} have no single minimum: no mean distance"
        else:
            mean = f"mean distance over the {self.spread_batches} batches of {size}: {self.batch_spread:.3f}"
        if left:
            mean += f" (the last batch of each epoch, {left} row{'s' if left > 1 else ''}, left out)"
        return mean


@register_explorer
def minibatch_explorer(*, batch_size=4, noise=0.5, l2=0.0, lr=0.1, steps=100, seed=0, challenges=None):
    r"""Mini-batch SGD on the loss surface of a line fit, with each batch's own surface drawn.

    Parameters
    ----------
    batch_size : int in [1, 64], default 4
        Rows per mini-batch; 64 is the full batch (every step sees all the data).
    noise : float in [0, 1], default 0.5
        Standard deviation of the noise in the targets (``make_regression_1d``, 64 rows, seed 0).
    l2 : float in [0, 10], default 0
        Weight decay :math:`\lambda`, added to every surface as :math:`\tfrac{\lambda}{2}\|\theta\|^2`.
    lr : float in [1e-3, 1], default 0.1
        Learning rate of SGD.
    steps : int in [1, 500], default 100
    seed : int in [0, 20], default 0
        Seed of the order in which the rows are drawn.
    challenges : list of Challenge, optional
        Lesson 07's by default (:func:`default_challenges`); none with ``[]``.

    Returns
    -------
    MinibatchExplorer
        With ``.path``, ``.losses``, ``.batch_rows``, ``.batch_minima``, ``.batch_spread``,
        ``.status``, ``.controls`` (``batch_size``, ``noise``, ``l2``, ``lr``, ``seed``, ``t``),
        ``.figure``.

    Raises
    ------
    ValueError
        For a value outside its control's range.

    Notes
    -----
    For the rows :math:`\mathcal B_t` of step :math:`t`,

    .. math::
        L_{\mathcal B_t}(w, b) = \frac{1}{|\mathcal B_t|} \sum_{i \in \mathcal B_t} (w x_i + b - y_i)^2
            + \frac{\lambda}{2}(w^2 + b^2), \qquad
        \theta_{t+1} = \theta_t - \eta \nabla L_{\mathcal B_t}(\theta_t)
    """
    for name, value, low, high in (("batch_size", batch_size, 1, N_ROWS), ("noise", noise, 0.0, 1.0),
                                   ("l2", l2, 0.0, 10.0), ("lr", lr, 1e-3, 1.0), ("steps", steps, 1, 500),
                                   ("seed", seed, 0, 20)):
        _check_in(name, value, low, high)
    return MinibatchExplorer(int(batch_size), float(noise), float(l2), float(lr), int(steps), int(seed),
                             default_challenges() if challenges is None else challenges)
