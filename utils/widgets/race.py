r"""Lesson 07's race: several optimizers, each with its own learning rate, from one start.

:func:`optimizer_race` runs SGD, SGD with momentum, RMSprop and Adam (the course's classes) from
the same start on the same loss surface and shows their paths on the contours and their losses
against the step, one colour, line style and marker each. The legend is the race's table: for
each optimizer, the step from which :math:`L - L^*` *stays* below the tolerance to the last step
(``Run.settled_at``), or "not reached". Arriving means staying: a path that jumps through the
tolerance once and leaves again (SGD near :math:`\eta = 2 \cdot 10^{-3}` on the banana, flung
across the valley close to the minimum) has not arrived. Moving one learning rate reruns only
that optimizer. The figure is 1000 pixels wide, to fit JupyterLab's output area.
"""

import textwrap

import ipywidgets as widgets
import numpy as np
from matplotlib import patheffects

from .. import surfaces
from .base import LINE_STYLES, MARKERS, SURFACE, Challenge, Explorer, register_explorer
from .descent import (OPTIMIZER_NAMES, PATH_COLORS, clip_path, draw_contours, draw_minima, loss_above_minimum,
                      loss_axis, lowest, run_optimizer)
from .gradient_descent import LR_RANGE, _check_in, make_surface, nice_limits, set_range, start_sliders

#: Learning rates the race starts with: each one stable on Rosenbrock's banana from its start.
DEFAULT_LRS = {"SGD": 1e-3, "momentum": 1e-3, "RMSprop": 3e-3, "Adam": 0.1}
#: Most steps the race runs.
MAX_STEPS = 1000


def default_challenges():
    """Lesson 07's targets for :func:`optimizer_race`."""
    def half_of_sgd(race):
        sgd = race.steps_to_tol.get("SGD")
        others = [k for name, k in race.steps_to_tol.items() if name != "SGD" and k is not None]
        return race.surface.name == "rosenbrock" and sgd is not None and any(k <= sgd / 2 for k in others)

    def all_within(race):
        return (race.surface.name == "ravine" and race.values["tol"] <= 1e-3
                and all(k is not None and k <= 300 for k in race.steps_to_tol.values()))

    return [Challenge("banana: beat plain SGD with half its steps (SGD must reach the tolerance too)",
                      half_of_sgd),
            Challenge("ravine, tolerance 1e-3 or less: every optimizer there within 300 steps", all_within)]


class OptimizerRace(Explorer):
    """The explorer of :func:`optimizer_race`.

    Attributes
    ----------
    surface : utils.surfaces.Surface
    runs : dict, optimizer name -> utils.widgets.descent.Run
    paths : dict, name -> ndarray, shape (steps + 1, 2)
    losses : dict, name -> ndarray, shape (steps + 1,)
    steps_to_tol : dict, name -> int or None
        The first step from which :math:`L - L^*` stays below the tolerance to the last step
        (None: not within the steps, or not for good).
    status : str
        Who reached the tolerance first, or that nobody did.
    """

    live_format = "jpeg"

    def __init__(self, surface, optimizers, lrs, momentum, steps, tol, start, challenges):
        super().__init__(figsize=(10, 4.5), challenges=challenges)
        self.names = list(optimizers)
        self._surfaces = {}
        self.surface = self._surface(surface)
        start = self.surface.start if start is None else np.asarray(start, dtype=float)
        c = self.add_control
        names = list(dict.fromkeys([self.surface.name, *surfaces.SURFACES]))
        c("surface", widgets.Dropdown(options=names, value=self.surface.name, description="surface"),
          redraw=SURFACE, on_change=self._follow)
        for name in self.names:
            c(f"lr_{name}", widgets.FloatLogSlider(value=lrs[name], base=10, min=np.log10(LR_RANGE[0]),
                                                   max=np.log10(LR_RANGE[1]), step=0.01, readout_format=".1e",
                                                   description=f"η {name}"))
        c("momentum", widgets.FloatSlider(value=momentum, min=0.0, max=0.99, step=0.01, description="β momentum"))
        c("steps", widgets.IntSlider(value=steps, min=1, max=MAX_STEPS, description="steps"))
        c("tol", widgets.FloatLogSlider(value=tol, base=10, min=-8, max=0, step=0.5, description="tolerance",
                                        readout_format=".0e"))
        x0, y0 = start_sliders(self.surface)
        x0.value, y0.value = float(start[0]), float(start[1])
        c("x0", x0)
        c("y0", y0)
        self._keys, self._tops = {}, {}
        self.runs = {}
        self.start()
        self.on_click(self.ax, self.set_start)

    def _surface(self, name):
        key = name.name if isinstance(name, surfaces.Surface) else name
        if key not in self._surfaces:
            self._surfaces[key] = make_surface(name)
        return self._surfaces[key]

    def _follow(self, change):
        s = self._surface(change["new"])
        for slider, (low, high), value in ((self.controls["x0"], s.xlim, s.start[0]),
                                           (self.controls["y0"], s.ylim, s.start[1])):
            set_range(slider, low, high, value, (high - low) / 200)

    def _highest(self, surface):
        r"""The largest :math:`L - L^*` over the surface's view (on a 21 by 21 grid): the loss axis's top."""
        if surface.name not in self._tops:
            _, _, L = surface.grid(21)
            self._tops[surface.name] = float(np.max(L)) - lowest(surface)
        return self._tops[surface.name]

    def set_start(self, x, y):
        """Move the common start to ``(x, y)`` (what a click on the contours does)."""
        with self.batch():
            self.controls["x0"].value, self.controls["y0"].value = x, y

    def compute(self):
        v = self.values
        self.surface = self._surface(v["surface"])
        shared = (v["surface"], v["x0"], v["y0"], v["steps"])
        for name in self.names:
            key = (*shared, v[f"lr_{name}"], v["momentum"] if name == "momentum" else None)
            if self._keys.get(name) != key:  # rerun only the optimizers whose settings changed
                self.runs[name] = run_optimizer(self.surface, name, (v["x0"], v["y0"]), v["steps"],
                                                lr=v[f"lr_{name}"], momentum=v["momentum"])
                self._keys[name] = key
        self.paths = {name: run.path for name, run in self.runs.items()}
        self.losses = {name: run.losses for name, run in self.runs.items()}
        best = lowest(self.surface)
        target = v["tol"] + (best if best is not None else 0.0)
        self.steps_to_tol = {name: self.runs[name].settled_at(target) for name in self.names}
        reached = {n: k for n, k in self.steps_to_tol.items() if k is not None}
        if reached:
            winner = min(reached, key=reached.get)
            self.status = (f"{winner} first, within the tolerance from step {reached[winner]} on; "
                           f"{len(reached)} of {len(self.names)} arrive")
        else:
            self.status = f"none within {v['steps']} steps"

    def draw_static(self):
        fig = self.figure
        self.ax = fig.add_axes((0.07, 0.12, 0.35, 0.76))
        self.ax_loss = fig.add_axes((0.53, 0.12, 0.245, 0.76))  # its redraw region stays clear of the contours
        self.ax_loss.set_xlabel("step $t$")
        self.ax_loss.grid(True, alpha=0.3)
        self.lines, self.loss_lines = {}, {}
        outline = [patheffects.withStroke(linewidth=2.6, foreground="white")]
        for k, name in enumerate(self.names):
            style = dict(color=PATH_COLORS[k % len(PATH_COLORS)], linestyle=LINE_STYLES[k % len(LINE_STYLES)])
            (self.lines[name],) = self.ax.plot([], [], marker=MARKERS[k % len(MARKERS)], markersize=3.5,
                                               markevery=0.1, linewidth=1.6, zorder=5 + k, path_effects=outline,
                                               **style)
            (self.loss_lines[name],) = self.ax_loss.plot([], [], linewidth=1.6, marker=MARKERS[k % len(MARKERS)],
                                                         markersize=4, markevery=0.1, **style)
            self.animated(self.lines[name])
            self.animated(self.loss_lines[name])
        (self.start_marker,) = self.ax.plot([], [], "o", color="white", markeredgecolor="black", markersize=7,
                                            zorder=20)
        self.tol_line = self.ax_loss.axhline(1.0, color="0.3", linestyle=":", linewidth=1)
        # The legend (names, colours, line styles) is static and belongs to the figure, placed clear of
        # the loss axes' redraw region (25 px to its right), so a redraw of those axes leaves it alone;
        # the table under it is one text, so a change redraws one artist rather than a legend of five texts.
        right = (self.ax_loss.get_position().x1 * fig.bbox.width + 35) / fig.bbox.width
        top = self.ax_loss.get_position().y1
        fig.legend([self.loss_lines[n] for n in self.names], self.names, loc="upper left",
                   bbox_to_anchor=(right, top), borderaxespad=0.0, fontsize=8)
        self.table = fig.text(right + 0.005, top - 0.3, "", ha="left", va="top", fontsize=8, family="monospace",
                              linespacing=1.5)
        self.status_text = fig.text(0.5, 0.965, "", ha="center", va="center", fontsize=11)
        for artist in (self.start_marker, self.tol_line, self.table, self.status_text):
            self.animated(artist)
        self._surface_artists = []

    def draw_surface(self):
        for artist in self._surface_artists:
            artist.remove()
        s = self.surface
        self._surface_artists = [*draw_contours(self.ax, s), *draw_minima(self.ax, s)]
        self.ax.set_title("\n".join(textwrap.wrap(s.title, 44)), fontsize=9 if len(s.title) > 44 else 10)
        has_min = lowest(s) is not None
        loss_axis(self.ax_loss, "log" if has_min else "symlog", "loss against step (dotted: the tolerance)")
        self.ax_loss.set_ylabel(r"$L(\theta_t) - L^*$" if has_min else r"$L(\theta_t)$")

    def update(self):
        s, v = self.surface, self.values
        gaps = {}
        for name in self.names:
            run = self.runs[name]
            shown = clip_path(run.path, s.xlim, s.ylim)
            self.lines[name].set_data(shown[:, 0], shown[:, 1])
            gaps[name] = loss_above_minimum(s, run.losses)
            self.loss_lines[name].set_data(np.arange(run.end + 1), gaps[name][:run.end + 1])
        self.start_marker.set_data([v["x0"]], [v["y0"]])
        self.tol_line.set_ydata([v["tol"], v["tol"]])
        self.tol_line.set_visible(lowest(s) is not None)
        rows = [f"L-L* stays < {v['tol']:.0e}", "from step:"]
        for name in self.names:
            k = self.steps_to_tol[name]
            end = self.runs[name].diverged_at
            result = str(k) if k is not None else (f"diverged ({end})" if end is not None else "not reached")
            rows.append(f"{name:8s} {result}")
        self.table.set_text("\n".join(rows))
        # Limits from the surface's view and the tolerance only (not from the start or where each run
        # ends), so moving a learning rate or the start keeps them and redraws no axes; a diverging
        # curve leaves through the top.
        if self.ax_loss.get_yscale() == "log":
            top = 10.0 ** np.ceil(np.log10(max(self._highest(s), v["tol"])))
            limits = (0, max(v["steps"], 1)), (min(1e-10, v["tol"] / 100), top)
        else:
            every = np.concatenate([g[np.isfinite(g)] for g in gaps.values()])
            limits = (0, max(v["steps"], 1)), nice_limits(every, "symlog")
        if limits != (self.ax_loss.get_xlim(), self.ax_loss.get_ylim()):
            self.ax_loss.set_xlim(limits[0])
            self.ax_loss.set_ylim(limits[1])
            self.stale(self.ax_loss)
        self.status_text.set_text(self.status)


@register_explorer
def optimizer_race(surface="rosenbrock", *, optimizers=OPTIMIZER_NAMES, lrs=None, momentum=0.9, steps=500,
                   tol=1e-2, start=None, challenges=None):
    r"""Race optimizers from one start on one loss surface, each with its own learning rate.

    Parameters
    ----------
    surface : str or utils.surfaces.Surface, default "rosenbrock"
    optimizers : sequence of str, default ("SGD", "momentum", "RMSprop", "Adam")
        At least two of them, each at most once.
    lrs : dict, name -> float in [1e-4, 10], optional
        Each optimizer's learning rate; :data:`DEFAULT_LRS` for those not given.
    momentum : float in [0, 0.99], default 0.9
        :math:`\beta` of SGD with momentum.
    steps : int in [1, 1000], default 500
    tol : float in [1e-8, 1], default 1e-2
        An optimizer has arrived when :math:`L - L^* <` `tol`.
    start : array_like, shape (2,), optional
        The common start; the surface's own by default. A click on the contours sets it.
    challenges : list of Challenge, optional
        Lesson 07's by default (:func:`default_challenges`); none with ``[]``.

    Returns
    -------
    OptimizerRace
        With ``.paths``, ``.losses``, ``.runs`` (dicts by optimizer), ``.steps_to_tol``,
        ``.status``, ``.controls`` (``surface``, ``lr_<name>`` for each, ``momentum``, ``steps``,
        ``tol``, ``x0``, ``y0``), ``.figure``.

    Raises
    ------
    ValueError
        For an unknown surface or optimizer, or a value outside its slider's range.
    """
    optimizers = list(optimizers)
    known = set(optimizers) <= set(OPTIMIZER_NAMES)
    if len(optimizers) < 2 or len(set(optimizers)) != len(optimizers) or not known:
        raise ValueError(f"optimizers must be two or more different names of {', '.join(OPTIMIZER_NAMES)}, "
                         f"got {optimizers!r}")
    lrs = {**DEFAULT_LRS, **(lrs or {})}
    for name in optimizers:
        _check_in(f"lrs[{name!r}]", lrs[name], *LR_RANGE)
    _check_in("momentum", momentum, 0.0, 0.99)
    _check_in("steps", steps, 1, MAX_STEPS)
    _check_in("tol", tol, 1e-8, 1.0)
    surface = make_surface(surface)
    if start is not None:
        if np.shape(start) != (2,):
            raise ValueError(f"start must be a point (theta_0, theta_1), shape (2,), got shape {np.shape(start)}")
        _check_in("start[0]", start[0], *surface.xlim)
        _check_in("start[1]", start[1], *surface.ylim)
    return OptimizerRace(surface, optimizers, lrs, float(momentum), int(steps), float(tol), start,
                         default_challenges() if challenges is None else challenges)
