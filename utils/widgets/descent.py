r"""What the loss-surface explorers compute and draw: an optimizer's path over a ``Surface``.

Compute. :func:`run_optimizer` runs one of the course's optimizer classes (``utils.optimizers``:
``SGD``, ``SGD`` with momentum, ``RMSprop``, ``Adam``) on a two-element ``Parameter`` over a
loss surface of ``utils.surfaces``: at each step it sets ``p.grad`` to the surface's gradient
and calls ``opt.step()``, exactly as ``fit`` does for a network. It never reimplements an
update rule. It returns a :class:`Run`: the path, the losses, and a status that says whether
the path converged, diverged, is diverging or is still moving. Steps are counted by :math:`k`,
as in lesson 06: :math:`\theta_k` is the point after :math:`k` steps, :math:`\theta_0` the start.

Divergence is a result, not an error: a path whose :math:`|\theta_i|` passes
``surfaces.DIVERGENCE_BOUND`` stops there with the status "diverged at step k"; on a surface
without a minimum (the saddle) it stops when it leaves the view. No floating-point warning is
raised on the way (the surfaces stay finite far beyond the bound).

A learning rate just above :math:`2/\lambda_{\max}` makes the loss grow by a small factor per
step, so the path can take hundreds of steps to pass the bound. The status calls such a run
*diverging* (growing without bound) when both hold (:func:`is_diverging`):

- *steadily*: the loss above the minimum, :math:`L(\theta_k) - L^*`, rose over each of the last
  ``RISING_STEPS`` steps, every value above the one two steps before (so that a zig-zag, whose
  loss alternates, counts by its growing envelope);
- *far above its start*: it is more than ``FAR_ABOVE`` times :math:`L(\theta_0) - L^*`.

A loss that rises steadily but is still below that is "still moving ..., rising". On a surface
without a minimum the loss has no floor to measure from, and only leaving the view counts.

Draw. :func:`draw_contours`, :func:`draw_surface_3d` and :func:`clip_path` draw a surface and
a path for the explorers; colours come from ``viridis`` (contours) and the Okabe-Ito palette
(paths), each path with its own line style and marker, so they read for colour-blind learners.
"""

import math
from dataclasses import dataclass

import numpy as np

from .. import optimizers, surfaces
from ..layers import Parameter

#: The optimizers an explorer offers, in the order of the lessons.
OPTIMIZER_NAMES = ("SGD", "momentum", "RMSprop", "Adam")
#: A path has converged where the gradient's norm falls below this.
GRAD_TOL = 1e-6
#: Steps over which the loss must have risen for a run to be called diverging (see the module docstring).
RISING_STEPS = 10
#: ... and how many times its start's loss above the minimum it must be.
FAR_ABOVE = 10.0


def make_optimizer(name, params, lr, *, momentum=0.9, alpha=0.99, beta1=0.9, beta2=0.999):
    r"""One of the course's optimizers, by the name an explorer shows.

    Parameters
    ----------
    name : {"SGD", "momentum", "RMSprop", "Adam"}
        ``"momentum"`` is ``SGD`` with ``momentum`` :math:`\beta`.
    params : list of Parameter
    lr : float > 0
        Learning rate :math:`\eta`.
    momentum : float in [0, 1)
        :math:`\beta` of SGD with momentum.
    alpha : float in [0, 1)
        RMSprop's decay of the mean square (PyTorch's ``alpha``).
    beta1, beta2 : float in [0, 1)
        Adam's decay rates.

    Returns
    -------
    utils.optimizers.Optimizer

    Raises
    ------
    ValueError
        For an unknown name, or a hyperparameter out of its range.
    """
    if name == "SGD":
        return optimizers.SGD(params, lr=lr)
    if name == "momentum":
        return optimizers.SGD(params, lr=lr, momentum=momentum)
    if name == "RMSprop":
        return optimizers.RMSprop(params, lr=lr, alpha=alpha)
    if name == "Adam":
        return optimizers.Adam(params, lr=lr, betas=(beta1, beta2))
    raise ValueError(f"optimizer must be one of {', '.join(OPTIMIZER_NAMES)}, got {name!r}")


@dataclass
class Run:
    r"""An optimizer's path over a surface.

    Attributes
    ----------
    path : ndarray, shape (steps + 1, 2), float64
        :math:`\theta_0` (the start), :math:`\theta_1, \dots`; NaN after `end`.
    losses : ndarray, shape (steps + 1,), float64
        :math:`L(\theta_k)`; NaN after `end`.
    grads : ndarray, shape (steps + 1, 2), float64
        :math:`\nabla L(\theta_k)`; NaN after `end`.
    end : int
        The last step with a point (`steps` unless the path diverged or left the view).
    converged_at : int or None
        The first step where :math:`\|\nabla L\| <` ``GRAD_TOL``.
    diverged_at : int or None
        The step where :math:`|\theta_i|` first passed the bound (or, on a surface with no
        minimum, where the path left the view).
    status : str
        "converged at step k to loss L", "diverged at step k", "diverging: ..." or
        "still moving ...".
    diverging : bool
        Whether the loss grows without bound though no parameter has passed the bound yet
        (the rule: :func:`is_diverging`).
    """

    path: np.ndarray
    losses: np.ndarray
    grads: np.ndarray
    end: int
    converged_at: object
    diverged_at: object
    status: str
    diverging: bool = False

    def steps_to(self, loss):
        """The first step whose loss is at most `loss`, or None (it may leave again: see `settled_at`)."""
        hit = np.flatnonzero(self.losses[:self.end + 1] <= loss)
        return int(hit[0]) if hit.size else None

    def settled_at(self, loss):
        """The first step from which the loss stays at most `loss` to the last step, or None.

        None also for a run that diverged. A path that only passes through (a lucky jump
        that lands near the minimum and leaves again) has not arrived.
        """
        if self.diverged_at is not None:
            return None
        above = np.flatnonzero(~(self.losses[:self.end + 1] <= loss))  # NaN counts as above
        k = int(above[-1]) + 1 if above.size else 0
        return k if k <= self.end else None


def run_optimizer(surface, optimizer, start, steps, *, lr, bound=surfaces.DIVERGENCE_BOUND, **hyper):
    r"""Run an optimizer from `start` for `steps` steps on a surface.

    Parameters
    ----------
    surface : utils.surfaces.Surface
    optimizer : str
        A name of :data:`OPTIMIZER_NAMES`.
    start : array_like, shape (2,)
        :math:`\theta_0`.
    steps : int >= 0
    lr : float > 0
    bound : float
        A path with :math:`\max_i |\theta_i| >` `bound` has diverged.
    **hyper
        ``momentum``, ``alpha``, ``beta1``, ``beta2`` for :func:`make_optimizer`.

    Returns
    -------
    Run

    Notes
    -----
    Each step is :math:`g_k = \nabla L(\theta_k)`, then the optimizer's update, e.g.
    :math:`\theta_{k+1} = \theta_k - \eta\, g_k` for SGD. The gradient comes from
    ``surface.grad_at``, the surface's fast path for one point.
    """
    p = Parameter(np.array(start, dtype=np.float64).reshape(2))
    opt = make_optimizer(optimizer, [p], lr, **hyper)
    path = np.full((steps + 1, 2), np.nan)
    grads = np.full((steps + 1, 2), np.nan)
    path[0] = p.data
    if len(surface.minima) == 0:
        (x_lo, y_lo), (x_hi, y_hi) = _escape_box(surface, margin=0.5)
    else:
        x_lo = y_lo = -bound
        x_hi = y_hi = bound
    end, converged_at, diverged_at = steps, None, None
    for t in range(steps + 1):  # plain floats in the checks: this loop is most of a redraw's compute
        g = surface.grad_at(p.data[0], p.data[1])
        grads[t] = g
        if converged_at is None and math.hypot(*g) < GRAD_TOL:
            converged_at = t
        if t == steps:
            break
        p.grad[...] = g
        opt.step()
        x, y = float(p.data[0]), float(p.data[1])
        if not (x_lo <= x <= x_hi and y_lo <= y <= y_hi):  # also catches NaN
            end, diverged_at = t + 1, t + 1
            path[t + 1] = np.where(np.isfinite(p.data), p.data, np.nan)
            break
        path[t + 1] = p.data
    losses = np.full(steps + 1, np.nan)
    finite = np.all(np.isfinite(path), axis=1)
    losses[finite] = surface.value(path[finite])
    diverging = diverged_at is None and converged_at is None and is_diverging(surface, losses[:end + 1])
    return Run(path, losses, grads, end, converged_at, diverged_at,
               _status(surface, path, losses, end, converged_at, diverged_at, diverging), diverging)


def rising(gaps, steps=RISING_STEPS):
    r"""Whether the last `steps` values of `gaps` each exceed the value two steps before.

    Two steps, not one, so that a zig-zag (a loss that alternates as the path flips sides of
    a valley) counts as rising when its envelope grows.

    Parameters
    ----------
    gaps : ndarray, shape (K,)
        :math:`L(\theta_k) - L^*` for :math:`k = 0 \dots K-1`, finite.

    Returns
    -------
    bool
        False when there are fewer than ``steps + 2`` values.
    """
    if len(gaps) < steps + 2:
        return False
    last = gaps[-(steps + 2):]
    return bool(np.all(last[2:] > last[:-2]))


def is_diverging(surface, losses):
    r"""Whether a run's loss is growing without bound: rising steadily and far above its start.

    Parameters
    ----------
    surface : utils.surfaces.Surface
    losses : ndarray, shape (K,)
        :math:`L(\theta_0) \dots L(\theta_{K-1})`, finite (a run up to its last point).

    Returns
    -------
    bool
        False on a surface without a minimum (no :math:`L^*` to measure from).

    Notes
    -----
    With :math:`d_k = L(\theta_k) - L^*` and :math:`K - 1` the last step: diverging when
    :math:`d_k > d_{k-2}` for the last ``RISING_STEPS`` steps and :math:`d_{K-1} >` ``FAR_ABOVE``
    :math:`\cdot\, d_0`. On a quadratic, gradient descent with :math:`\eta > 2/\lambda_{\max}`
    multiplies the steep direction's distance by :math:`|1 - \eta\lambda_{\max}| > 1` each step,
    so both hold after enough steps, however slightly :math:`\eta` passes the limit.
    """
    if lowest(surface) is None or len(losses) == 0:
        return False
    gaps = loss_above_minimum(surface, losses)
    return rising(gaps) and gaps[-1] > FAR_ABOVE * gaps[0]


def _escape_box(surface, margin):
    """The view widened by `margin` times its size on each side, as (low, high) corners."""
    (x0, x1), (y0, y1) = surface.xlim, surface.ylim
    dx, dy = margin * (x1 - x0), margin * (y1 - y0)
    return np.array([x0 - dx, y0 - dy]), np.array([x1 + dx, y1 + dy])


def _status(surface, path, losses, end, converged_at, diverged_at, diverging):
    if diverged_at is not None:
        if len(surface.minima) == 0:
            return f"left the view at step {diverged_at}: this loss has no minimum"
        return f"diverged at step {diverged_at}"
    if diverging:
        return f"diverging: loss {losses[end]:.3g} after {end} steps, rising steadily (start {losses[0]:.3g})"
    if converged_at is not None:
        if np.linalg.eigvalsh(surface.hessian(path[converged_at])).min() < 0:  # flat, but not a bottom
            return (f"stopped at step {converged_at} at a saddle point (loss {losses[converged_at]:.3g}): the "
                    f"gradient is zero there, but the loss still falls in another direction")
        where = ""
        if len(surface.minima) > 1:
            nearest = int(np.argmin(np.linalg.norm(surface.minima - path[converged_at], axis=1)))
            where = " (the global minimum)" if nearest == 0 else " (a local minimum, not the global one)"
        return f"converged at step {converged_at} to loss {losses[converged_at]:.3g}{where}"
    rises = lowest(surface) is not None and rising(loss_above_minimum(surface, losses[:end + 1]))
    return f"still moving after {end} steps: loss {losses[end]:.3g}" + (", rising" if rises else "")


# --------------------------------------------------------------------------------------------
# Drawing

#: Colours of the paths: Okabe-Ito vermillion, blue, bluish green, reddish purple, orange.
PATH_COLORS = ["#D55E00", "#0072B2", "#009E73", "#CC79A7", "#E69F00", "#56B4E9"]
#: Colour map of the contours and the 3-D surface (perceptually uniform, colour-blind safe).
SURFACE_CMAP = "viridis"


def lowest(surface):
    """The lowest loss the figures measure from: the global minimum's, or None without one."""
    return float(surface.value(surface.minima[0])) if len(surface.minima) else None


def loss_above_minimum(surface, losses, floor=1e-16):
    r""":math:`L - L^*`, floored at `floor` for a log scale (or `losses` when there is no minimum)."""
    best = lowest(surface)
    if best is None:
        return losses
    return np.maximum(losses - best, floor, where=np.isfinite(losses), out=np.full_like(losses, np.nan))


def contour_levels(surface, L, n=18):
    """Contour levels of a grid of losses: log-spaced above the minimum where the surface asks, else quantiles."""
    best, top = lowest(surface), float(np.max(L))
    if best is None or not surface.log_levels:  # equal areas per band: the valleys get as many lines
        return np.unique(np.quantile(L, np.linspace(0.0, 1.0, n)))
    gap = top - best
    return best + np.concatenate([[0.0], np.geomspace(gap * 1e-5, gap, n - 1)])


#: Labels in mathtext of the parameter names surfaces give (``Surface.axis_labels``).
_MATH_NAMES = {"θ₀": r"$\theta_0$", "θ₁": r"$\theta_1$", "w₀": "$w_0$", "w₁": "$w_1$", "w": "$w$", "b": "$b$"}


def axis_labels(surface):
    r"""The labels of a surface's two axes: :math:`\theta_0, \theta_1`, or :math:`w, b` for a line fit, ..."""
    return tuple(_MATH_NAMES.get(name, name) for name in surface.axis_labels)


def draw_contours(ax, surface, *, n=101, filled=True, alpha=1.0, cmap=SURFACE_CMAP, colors=None,
                  linewidths=0.8, zorder=0):
    r"""Draw a surface's contours over its view, label the axes with its parameters' names (:func:`axis_labels`).

    Parameters
    ----------
    ax : matplotlib Axes
    surface : utils.surfaces.Surface
    n : int
        Grid points per axis.
    filled : bool
        Filled contours (``contourf``) under thin lines, or lines only.

    Returns
    -------
    list of matplotlib artists
        The contour sets (to remove when the surface changes).
    """
    T0, T1, L = surface.grid(n)
    levels = contour_levels(surface, L)
    artists = []
    if filled:  # one colour per band, evenly along the map, however the levels are spaced
        from matplotlib import colormaps

        bands = colormaps[cmap](np.linspace(0.0, 1.0, len(levels) + 1))
        artists.append(ax.contourf(T0, T1, L, levels=levels, colors=bands, alpha=alpha, zorder=zorder,
                                   extend="max"))
    artists.append(ax.contour(T0, T1, L, levels=levels, colors=colors or ("white" if filled else None),
                              cmap=None if (filled or colors) else cmap, linewidths=linewidths,
                              alpha=0.5 * alpha if filled else alpha, zorder=zorder))
    ax.set_xlim(surface.xlim)
    ax.set_ylim(surface.ylim)
    xlabel, ylabel = axis_labels(surface)
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)
    return artists


def draw_minima(ax, surface, zorder=4):
    """Mark the surface's minima (stars) and saddle points (crosses); return the artists."""
    artists = []
    if len(surface.minima):
        artists.append(ax.scatter(*surface.minima.T, marker="*", s=160, c="white", edgecolors="black",
                                  linewidths=1.0, zorder=zorder, label="minimum"))
    if len(surface.saddle_points):
        artists.append(ax.scatter(*surface.saddle_points.T, marker="X", s=80, c="white",
                                  edgecolors="black", linewidths=1.0, zorder=zorder, label="saddle point"))
    return artists


def surface_height(surface, L):
    r"""The height drawn in 3-D: :math:`\log_{10}(1 + L - L^*)` where contours are log-spaced, else :math:`L`."""
    if surface.log_levels and lowest(surface) is not None:
        return np.log10(1.0 + np.maximum(L - lowest(surface), 0.0))
    return L


def height_label(surface):
    """The label of the 3-D view's vertical axis."""
    if surface.log_levels and lowest(surface) is not None:
        return r"$\log_{10}(1 + L - L^*)$"
    return r"$L(\theta)$"


def height_title(surface):
    """The 3-D view's title: what its height is, said in words where it is not the loss itself."""
    if surface.log_levels and lowest(surface) is not None:
        return "height: the loss above its minimum, log scale"
    return "height: the loss"


def draw_surface_3d(ax, surface, *, n=31):
    """Draw the surface as a 3-D mesh over its view on a 3-D Axes; return the artist."""
    T0, T1, L = surface.grid(n)
    Z = surface_height(surface, L)
    mesh = ax.plot_surface(T0, T1, Z, cmap=SURFACE_CMAP, linewidth=0, antialiased=False, alpha=0.85,
                           rcount=n, ccount=n)
    ax.set_xlim(surface.xlim)
    ax.set_ylim(surface.ylim)
    ax.set_zlim(float(np.min(Z)), float(np.max(Z)))
    xlabel, ylabel = axis_labels(surface)
    ax.set_xlabel(xlabel, labelpad=-4)
    ax.set_ylabel(ylabel, labelpad=-4)
    ax.set_zlabel(height_label(surface), labelpad=-2)
    from matplotlib.ticker import MaxNLocator

    for axis in (ax.xaxis, ax.yaxis, ax.zaxis):  # few ticks: their labels are most of a 3-D draw's cost
        axis.set_major_locator(MaxNLocator(4))
    ax.tick_params(labelsize=7, pad=-2)
    return mesh


def loss_axis(ax, scale="log", title=None):
    """Set a loss axis to a log (or symlog) scale with few ticks, for fast redraws.

    An axis redrawn on its own (``Explorer.stale``) costs about its tick count: a log axis over
    fifteen decades has over a hundred minor ticks, so minor ticks are left out and at most seven
    major ones kept; a title at a fixed height spares matplotlib measuring the tick labels.
    """
    from matplotlib.ticker import LogLocator, NullLocator, SymmetricalLogLocator

    ax.set_yscale(scale)
    if scale == "log":
        ax.yaxis.set_major_locator(LogLocator(base=10, numticks=7))
    else:
        ax.yaxis.set_major_locator(SymmetricalLogLocator(base=10, linthresh=1.0))
    ax.yaxis.set_minor_locator(NullLocator())
    if title is not None:
        ax.set_title(title, fontsize=10, y=1.0, pad=6)


def clip_path(path, xlim, ylim, margin=1.0):
    """The part of a path to draw: up to where it leaves the view widened by `margin`, cut at that edge.

    Parameters
    ----------
    path : ndarray, shape (T, 2)
        NaN rows (after the path's end) are dropped.
    xlim, ylim : (float, float)
    margin : float
        The box is the view widened by `margin` times its size on each side; the lines are also
        clipped to the axes by matplotlib, so the box only keeps huge coordinates out of drawing.

    Returns
    -------
    ndarray, shape (K, 2), K <= T
    """
    path = path[np.all(np.isfinite(path), axis=1)]
    (x0, x1), (y0, y1) = xlim, ylim
    lo = np.array([x0 - margin * (x1 - x0), y0 - margin * (y1 - y0)])
    hi = np.array([x1 + margin * (x1 - x0), y1 + margin * (y1 - y0)])
    outside = np.flatnonzero(np.any((path < lo) | (path > hi), axis=1))
    if outside.size == 0:
        return path
    k = outside[0]
    if k == 0:
        return path[:0]
    p, q = path[k - 1], path[k]
    d = q - p
    with np.errstate(divide="ignore", invalid="ignore"):  # d may be 0 along one axis
        limits = np.where(d > 0, (hi - p) / d, np.where(d < 0, (lo - p) / d, np.inf))
    s = float(np.min(limits))  # where the segment first crosses the box's edge
    return np.vstack([path[:k], p + s * d])
