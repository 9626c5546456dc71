r"""Loss surfaces: losses of two parameters, to watch gradient descent move on.

A *loss surface* is a loss :math:`L(\theta)` of two parameters
:math:`\theta = (\theta_0, \theta_1)`, small enough to draw as contours or in
3-D. Each :class:`Surface` has its value, its analytic gradient and Hessian,
its known minima, a good default start and a default view. Every method works
on one point, shape ``(2,)``, or on a whole grid at once, shape ``(..., 2)``
(the last axis holds :math:`\theta_0, \theta_1`); :meth:`Surface.grid`
evaluates a contour grid in one vectorised call.

Two kinds of surfaces, each made by a factory function, all in ``SURFACES``:

* textbook shapes: :func:`bowl`, :func:`ravine`, :func:`rosenbrock` (the
  banana), :func:`saddle` and :func:`two_minima`;
* losses of real models on data: :func:`linear_regression` (the mean squared
  error of :math:`\hat y = w x + b`) and :func:`logistic_regression` (the
  cross-entropy of a two-weight logistic regression). Pass ``rows`` to get the
  surface of one mini-batch, and ``l2`` to add weight decay: the surface moves.

Far from the view. Gradient descent with too large a learning rate leaves
every view and runs off to :math:`|\theta| = 10^6` and beyond. Every surface
returns finite values, gradients and Hessians, without a floating-point
warning, for every :math:`|\theta_i| \le 10^{50}`. Beyond that the numbers may
overflow to ``inf`` (or ``nan`` where two infinities meet), still without a
warning; so an explorer stops a path once :math:`|\theta|` passes a bound such
as ``DIVERGENCE_BOUND`` (1e6, far outside every view) and reports it diverged.
A non-finite :math:`\theta` (``nan``, ``inf``) raises ``ValueError``.

Only numpy here: the figures live in ``utils.plotting`` and the explorers in
``utils.widgets``, which import this module, never the other way round.

Left out on purpose: surfaces of more than two parameters, and plotting.
"""

import numpy as np

from ._validation import as_float_array, check_positive, check_positive_int
from .activations import sigmoid

#: A path with :math:`|\theta_i|` beyond this bound has diverged; surfaces are exact far beyond it.
DIVERGENCE_BOUND = 1e6


class Surface:
    r"""A loss of two parameters :math:`\theta = (\theta_0, \theta_1)`.

    Made by the factory functions of this module (``bowl()``, ``ravine()``,
    ...); subclasses implement ``_value``, ``_grad`` and ``_hessian``.

    Attributes
    ----------
    name : str
        The key in ``SURFACES``, e.g. ``"ravine"``.
    title : str
        For a figure, e.g. ``"Ravine (condition number 50)"``.
    minima : ndarray, shape (k, 2), float64
        The known minima, the global one first; shape (0, 2) when there is none.
    saddle_points : ndarray, shape (m, 2), float64
        Points where the gradient is zero and the Hessian has a negative eigenvalue.
    start : ndarray, shape (2,), float64
        A good default start for gradient descent.
    xlim, ylim : (float, float)
        The default view of :math:`\theta_0` and :math:`\theta_1`; it contains
        `start` and every minimum.
    log_levels : bool
        True where contours read best on a log scale (the banana, the ravine).
    """

    log_levels = False

    def __init__(self, name, title, *, minima, start, xlim, ylim, saddle_points=()):
        self.name, self.title = name, title
        self.minima = np.asarray(minima, dtype=np.float64).reshape(-1, 2)
        self.saddle_points = np.asarray(saddle_points, dtype=np.float64).reshape(-1, 2)
        self.start = np.asarray(start, dtype=np.float64).reshape(2)
        self.xlim = (float(xlim[0]), float(xlim[1]))
        self.ylim = (float(ylim[0]), float(ylim[1]))

    def value(self, theta):
        r"""The loss :math:`L(\theta)`.

        Parameters
        ----------
        theta : array_like, shape (..., 2)
            One point, shape (2,), or any grid of points, the last axis
            holding :math:`(\theta_0, \theta_1)`.

        Returns
        -------
        ndarray, shape (...), float64
            A 0-d value for one point.

        Raises
        ------
        ValueError
            If the last axis of `theta` does not have length 2, or `theta`
            holds a NaN or an infinity.
        """
        t0, t1 = _split(theta)
        with np.errstate(over="ignore", invalid="ignore"):  # beyond |theta| = 1e50: see the module
            return self._value(t0, t1)

    def grad(self, theta):
        r"""The gradient :math:`\nabla L(\theta)`, evaluated at `theta`.

        Parameters
        ----------
        theta : array_like, shape (..., 2)

        Returns
        -------
        ndarray, shape (..., 2), float64
            :math:`(\partial L/\partial\theta_0, \partial L/\partial\theta_1)`.

        Raises
        ------
        ValueError
            As :meth:`value`.
        """
        t0, t1 = _split(theta)
        with np.errstate(over="ignore", invalid="ignore"):
            g0, g1 = self._grad(t0, t1)
            return np.stack(np.broadcast_arrays(g0, g1), axis=-1)

    def hessian(self, theta):
        r"""The Hessian :math:`\nabla^2 L(\theta)`, evaluated at `theta`.

        Parameters
        ----------
        theta : array_like, shape (..., 2)

        Returns
        -------
        ndarray, shape (..., 2, 2), float64
            Symmetric: ``H[..., i, j]`` is
            :math:`\partial^2 L / \partial\theta_i \partial\theta_j`.

        Raises
        ------
        ValueError
            As :meth:`value`.
        """
        t0, t1 = _split(theta)
        with np.errstate(over="ignore", invalid="ignore"):
            h00, h01, h11 = np.broadcast_arrays(*self._hessian(t0, t1), t0)[:3]
            return np.stack([np.stack([h00, h01], -1), np.stack([h01, h11], -1)], -2)

    def grid(self, n=101, xlim=None, ylim=None):
        """The loss on an ``n`` by ``n`` grid over the view, for contour and surface plots.

        Parameters
        ----------
        n : int >= 2, default 101
            Points along each axis.
        xlim, ylim : (float, float), optional
            The ranges of :math:`\\theta_0` and :math:`\\theta_1`; default the
            surface's own `xlim` and `ylim`.

        Returns
        -------
        T0, T1 : ndarray, shape (n, n), float64
            ``np.meshgrid`` of the two axes: ``T0[i, j]`` is the j-th
            :math:`\\theta_0`, ``T1[i, j]`` the i-th :math:`\\theta_1`.
        L : ndarray, shape (n, n), float64
            The loss at each grid point, ``L[i, j] = value((T0[i, j], T1[i, j]))``.

        Raises
        ------
        ValueError
            If `n` is not an integer >= 2 or a range is not finite and increasing.
        """
        check_positive_int(n, "n")
        if n < 2:
            raise ValueError(f"n must be an integer >= 2 (points along each axis), got {n!r}")
        x0, x1 = _check_range(self.xlim if xlim is None else xlim, "xlim")
        y0, y1 = _check_range(self.ylim if ylim is None else ylim, "ylim")
        T0, T1 = np.meshgrid(np.linspace(x0, x1, n), np.linspace(y0, y1, n))
        with np.errstate(over="ignore", invalid="ignore"):
            return T0, T1, self._value(T0, T1)

    def __repr__(self):
        return f"<Surface {self.name}: {self.title}>"

    def _value(self, t0, t1):
        raise NotImplementedError

    def _grad(self, t0, t1):
        raise NotImplementedError

    def _hessian(self, t0, t1):
        raise NotImplementedError


class Quadratic(Surface):
    r"""A quadratic :math:`L(\theta) = \tfrac12 (\theta - c)^\top A (\theta - c) + L^*`.

    Its gradient is :math:`A(\theta - c)` and its Hessian the constant
    :math:`A` (symmetric, shape (2, 2)). Gradient descent on it converges
    exactly when :math:`0 < \eta < 2/\lambda_{\max}(A)` (for positive-definite
    :math:`A`), and the ratio :math:`\lambda_{\max}/\lambda_{\min}`, the
    *condition number*, sets how slowly.
    """

    def __init__(self, name, title, A, center=(0.0, 0.0), offset=0.0, **kwargs):
        self.A = np.array(A, dtype=np.float64).reshape(2, 2)
        self.center = np.array(center, dtype=np.float64).reshape(2)
        self.offset = float(offset)
        super().__init__(name, title, **kwargs)

    def _value(self, t0, t1):
        (a00, a01), (_, a11) = self.A
        d0, d1 = t0 - self.center[0], t1 - self.center[1]
        return 0.5 * (a00 * d0 * d0 + 2 * a01 * d0 * d1 + a11 * d1 * d1) + self.offset

    def _grad(self, t0, t1):
        (a00, a01), (_, a11) = self.A
        d0, d1 = t0 - self.center[0], t1 - self.center[1]
        return a00 * d0 + a01 * d1, a01 * d0 + a11 * d1

    def _hessian(self, t0, t1):
        return self.A[0, 0], self.A[0, 1], self.A[1, 1]


def bowl():
    r"""A round bowl, :math:`L(\theta) = \tfrac12 (\theta_0^2 + \theta_1^2)`.

    Returns
    -------
    Surface
        Minimum at (0, 0); Hessian :math:`I`, so the gradient points straight
        at the minimum from everywhere and :math:`\eta = 1` lands on it in one
        step. :math:`\eta = 2` bounces between two points forever; more diverges.

    Notes
    -----
    .. math:: L = \tfrac12 (\theta_0^2 + \theta_1^2), \quad
              \nabla L = \theta, \quad \nabla^2 L = I
    """
    return Quadratic("bowl", "Round bowl", np.eye(2), minima=[(0.0, 0.0)], start=(-4.0, 3.0),
                     xlim=(-5.0, 5.0), ylim=(-5.0, 5.0))


def ravine(condition=50.0):
    r"""An elongated bowl: steep across, shallow along.

    Parameters
    ----------
    condition : float >= 1, default 50
        :math:`\kappa`, the condition number of the Hessian
        (:math:`\lambda_{\max}/\lambda_{\min}`).

    Returns
    -------
    Surface
        Minimum at (0, 0); contours on a log scale.

    Raises
    ------
    ValueError
        If `condition` is not a finite number >= 1.

    Notes
    -----
    .. math:: L = \tfrac12 (\theta_0^2 + \kappa\, \theta_1^2), \quad
              \nabla^2 L = \operatorname{diag}(1, \kappa)

    Gradient descent is stable for :math:`\eta < 2/\kappa` only (0.04 at
    :math:`\kappa = 50`); at such a step it crawls along :math:`\theta_0`,
    losing a factor of at best :math:`(\kappa - 1)/(\kappa + 1)` of its
    distance per step, and zig-zags across :math:`\theta_1`. Momentum brings
    that factor to :math:`(\sqrt\kappa - 1)/(\sqrt\kappa + 1)` (Polyak's heavy
    ball; Goh, "Why Momentum Really Works", Distill 2017).
    """
    if not np.isfinite(condition) or condition < 1:
        raise ValueError(f"condition must be a finite number >= 1, got {condition}")
    kappa = float(condition)
    surface = Quadratic("ravine", f"Ravine (condition number {kappa:g})", np.diag([1.0, kappa]),
                        minima=[(0.0, 0.0)], start=(-8.0, 2.0), xlim=(-10.0, 10.0),
                        ylim=(-3.0, 3.0))
    surface.log_levels = True
    return surface


def saddle():
    r"""A saddle, :math:`L(\theta) = \tfrac12 (\theta_0^2 - \theta_1^2)`: no minimum at all.

    Returns
    -------
    Surface
        ``minima`` is empty, shape (0, 2); ``saddle_points`` is [(0, 0)],
        where the gradient vanishes but the loss still falls along
        :math:`\theta_1`. The default start lies just off the ridge
        :math:`\theta_1 = 0`.

    Notes
    -----
    .. math:: L = \tfrac12 (\theta_0^2 - \theta_1^2), \quad
              \nabla L = (\theta_0, -\theta_1), \quad
              \nabla^2 L = \operatorname{diag}(1, -1)

    The loss is unbounded below, so no optimizer converges here. The explorers
    use it to show a saddle point: gradient descent from near the ridge runs
    towards (0, 0), slows down where the gradient almost vanishes, then escapes
    along :math:`\theta_1` (momentum escapes sooner). They stop the path when
    it leaves the (bounded) view, and say so, rather than call it converged.
    """
    return Quadratic("saddle", "Saddle (no minimum)", np.diag([1.0, -1.0]), minima=(),
                     saddle_points=[(0.0, 0.0)], start=(-2.5, 0.01), xlim=(-3.0, 3.0),
                     ylim=(-3.0, 3.0))


class Rosenbrock(Surface):
    r"""Rosenbrock's banana, :math:`L = (a - \theta_0)^2 + b (\theta_1 - \theta_0^2)^2`."""

    log_levels = True

    def __init__(self, a, b):
        self.a, self.b = float(a), float(b)
        super().__init__("rosenbrock", f"Rosenbrock's banana (a={a:g}, b={b:g})",
                         minima=[(a, a * a)], start=(-1.5, 2.0),
                         xlim=(min(-2.0, a - 1.0), max(2.0, a + 1.0)),
                         ylim=(min(-1.0, a * a - 1.0), max(3.0, a * a + 1.0)))

    def _value(self, t0, t1):
        r = t1 - t0 * t0
        return (self.a - t0) ** 2 + self.b * r * r

    def _grad(self, t0, t1):
        r = t1 - t0 * t0
        return -2 * (self.a - t0) - 4 * self.b * t0 * r, 2 * self.b * r

    def _hessian(self, t0, t1):
        return 2 - 4 * self.b * (t1 - 3 * t0 * t0), -4 * self.b * t0, 2 * self.b


def rosenbrock(a=1.0, b=100.0):
    r"""Rosenbrock's banana: a curved, flat-bottomed valley that is easy to find and slow to follow.

    Parameters
    ----------
    a : float, default 1
        The minimum is at :math:`(a, a^2)`, with loss 0.
    b : float > 0, default 100
        How steep the valley's walls are.

    Returns
    -------
    Surface
        Contours on a log scale; start (-1.5, 2), the far side of the valley.

    Raises
    ------
    ValueError
        If `a` is not finite or `b` is not > 0.

    Notes
    -----
    .. math::
        L &= (a - \theta_0)^2 + b\,(\theta_1 - \theta_0^2)^2 \\
        \nabla L &= \big(-2(a - \theta_0) - 4 b\, \theta_0 (\theta_1 - \theta_0^2),\;
                    2 b\, (\theta_1 - \theta_0^2)\big)

    At the minimum the Hessian is :math:`\begin{pmatrix} 2 + 8ba^2 & -4ba \\ -4ba & 2b
    \end{pmatrix}`, with :math:`\lambda_{\max} \approx 1002` for the defaults, so plain
    gradient descent needs :math:`\eta < 0.002` there. Source: H. H. Rosenbrock, "An
    automatic method for finding the greatest or least value of a function", The
    Computer Journal 3 (1960).
    """
    if not np.isfinite(a):
        raise ValueError(f"a must be a finite number, got {a}")
    check_positive(b, "b")
    return Rosenbrock(a, b)


class TwoMinima(Surface):
    r"""A tilted double well, :math:`L = (\theta_0^2 - 1)^2 + 0.3\,\theta_0 + (\theta_1 - \theta_0/2)^2`."""

    TILT = 0.3

    def __init__(self):
        # Critical points lie on theta_1 = theta_0 / 2, where 4 t^3 - 4 t + TILT = 0.
        roots = np.sort(np.roots([4.0, 0.0, -4.0, self.TILT]).real)
        points = np.column_stack([roots, roots / 2])
        super().__init__("two_minima", "Two minima (the start decides)",
                         minima=points[[0, 2]], saddle_points=points[[1]], start=(0.6, 1.5),
                         xlim=(-2.0, 2.0), ylim=(-2.0, 2.0))

    def _value(self, t0, t1):
        u, r = t0 * t0 - 1, t1 - t0 / 2
        return u * u + self.TILT * t0 + r * r

    def _grad(self, t0, t1):
        r = t1 - t0 / 2
        return 4 * t0 * (t0 * t0 - 1) + self.TILT - r, 2 * r

    def _hessian(self, t0, t1):
        return 12 * t0 * t0 - 4 + 0.5, -1.0, 2.0


def two_minima():
    r"""Two valleys of different depth: the start decides which one gradient descent reaches.

    Returns
    -------
    Surface
        ``minima[0]``, near (-1.04, -0.52), is the global minimum (loss about
        -0.31); ``minima[1]``, near (0.96, 0.48), is a local one (loss about
        0.29). Between them lies a saddle point near (0.075, 0.038).
        Gradient descent from the default start (0.6, 1.5) ends in the local
        minimum; from (-0.5, 1.5) in the global one.

    Notes
    -----
    .. math::
        L &= (\theta_0^2 - 1)^2 + 0.3\,\theta_0 + (\theta_1 - \theta_0/2)^2 \\
        \nabla L &= \big(4\theta_0(\theta_0^2 - 1) + 0.3 - (\theta_1 - \theta_0/2),\;
                         2(\theta_1 - \theta_0/2)\big)

    The gradient vanishes on :math:`\theta_1 = \theta_0/2` where
    :math:`4t^3 - 4t + 0.3 = 0`: the minima and the saddle are that cubic's
    three roots, computed with ``np.roots``. The tilt :math:`0.3\,\theta_0`
    makes the left valley the deeper one.
    """
    return TwoMinima()


# --- Surfaces of models on data --------------------------------------------------------------

class LinearRegression(Quadratic):
    r"""The mean squared error of :math:`\hat y = w x + b`, with :math:`\theta = (w, b)`.

    Attributes
    ----------
    X : ndarray, shape (N, 1), float64
        Every input, not only the mini-batch.
    y : ndarray, shape (N,), float64
        Every target.
    rows : ndarray of int, shape (B,), or None
        The mini-batch; None for all N rows.
    l2 : float
        The weight-decay strength :math:`\lambda`.
    """

    def __init__(self, X, y, rows, l2, view_from):
        self.X, self.y, self.rows, self.l2 = X, y, rows, l2
        x, t = _batch(X, y, rows)
        x = x[:, 0]
        # L = mean((w x + b - y)^2) + l2/2 |theta|^2 = theta^T Q theta - 2 theta^T v + mean(y^2)
        Q = np.array([[np.mean(x * x), np.mean(x)], [np.mean(x), 1.0]]) + 0.5 * l2 * np.eye(2)
        v = np.array([np.mean(x * t), np.mean(t)])
        best = np.linalg.lstsq(Q, v, rcond=None)[0]  # the minimum-norm minimum if Q is singular
        residual = best[0] * x + best[1] - t
        lowest = np.mean(residual * residual) + 0.5 * l2 * (best @ best)
        batch = "" if rows is None else f", mini-batch of {len(rows)}"
        decay = f", L2 {l2:g}" if l2 else ""
        title = f"MSE of y = w x + b on {len(X)} points{batch}{decay}"
        center = best if view_from is None else view_from.minima[0]
        super().__init__("linear_regression", title, 2 * Q, center=best, offset=lowest,
                         minima=[best], **_view_around(center))


def linear_regression(X=None, y=None, *, rows=None, l2=0.0, noise=0.1, n=100, seed=0):
    r"""The loss surface of fitting a line, :math:`\hat y = w x + b`, by mean squared error.

    Parameters
    ----------
    X : ndarray, shape (N, 1) or (N,), optional
        Inputs :math:`x`. Default: ``datasets.make_regression_1d(n, noise, seed=seed)``.
    y : ndarray, shape (N, 1) or (N,), optional
        Targets. Give both `X` and `y`, or neither.
    rows : array_like of int, shape (B,), optional
        Indices of the rows in the mini-batch (repeats allowed); default all N rows.
    l2 : float >= 0, default 0
        Weight decay :math:`\lambda`, on both :math:`w` and :math:`b`.
    noise : float >= 0, default 0.1
    n : int >= 1, default 100
    seed : int, default 0
        Used only to make the default data: `noise`, `n` and `seed` are ignored
        when `X` and `y` are given.

    Returns
    -------
    Surface
        With :math:`\theta = (w, b)`, the data (attributes ``X``, ``y``,
        ``rows``, ``l2``) and its one minimum, computed in closed form. The view
        and start depend on all N rows without weight decay, not on `rows` or
        `l2`, so the surfaces of different mini-batches share one frame.

    Raises
    ------
    ValueError
        If the shapes do not fit, `rows` holds an index outside ``[0, N)``, or `l2` < 0.

    Notes
    -----
    For the B rows of the batch,

    .. math::
        L(w, b) &= \frac1B \sum_{i} (w x_i + b - y_i)^2 + \frac\lambda2 (w^2 + b^2) \\
        \nabla L &= \frac2B \sum_{i} (w x_i + b - y_i)\,(x_i, 1) + \lambda\,(w, b)

    The weight decay follows PyTorch's ``weight_decay`` convention: it adds
    :math:`\lambda\theta` to the gradient. :math:`L` is a quadratic with the
    constant Hessian :math:`2\,\overline{(x, 1)^\top (x, 1)} + \lambda I`, so it is
    evaluated from the batch's means in time independent of B, and its minimum
    solves the normal equations. With one row (or all :math:`x_i` equal) and
    :math:`\lambda = 0` the minima form a line; ``minima`` holds its point
    nearest the origin.
    """
    X, y = _regression_data(X, y, noise, n, seed)
    rows = _check_rows(rows, len(X))
    l2 = _check_l2(l2)
    view = None if rows is None and l2 == 0 else LinearRegression(X, y, None, 0.0, None)
    return LinearRegression(X, y, rows, l2, view)


class LogisticRegression(Surface):
    r"""The mean cross-entropy of :math:`p = \sigma(w_0 x_0 + w_1 x_1)`, with :math:`\theta = (w_0, w_1)`.

    Attributes
    ----------
    X : ndarray, shape (N, 2), float64
    y : ndarray, shape (N,), float64, 0 or 1
    rows : ndarray of int, shape (B,), or None
    l2 : float
    """

    #: Grid points evaluated at once: bounds the temporary (points, B) arrays to about 8 MB.
    CHUNK = 1 << 20

    def __init__(self, X, y, rows, l2, view_from):
        self.X, self.y, self.rows, self.l2 = X, y, rows, l2
        self._x, t = _batch(X, y, rows)
        self._sign = 1 - 2 * t  # the loss of one sample is softplus(sign * z)
        self._t = t
        best = self._newton()
        batch = "" if rows is None else f", mini-batch of {len(rows)}"
        decay = f", L2 {l2:g}" if l2 else ""
        title = f"Cross-entropy of sigmoid(w0 x0 + w1 x1) on {len(X)} points{batch}{decay}"
        if view_from is not None:
            center = view_from.minima[0] if len(view_from.minima) else np.zeros(2)
        else:
            center = best[0] if len(best) else np.zeros(2)
        super().__init__("logistic_regression", title, minima=best, **_view_around(center))

    def _value(self, t0, t1):
        shape = np.shape(t0)
        t0, t1 = np.ravel(t0), np.ravel(t1)
        out = np.empty(t0.shape)
        step = max(1, self.CHUNK // len(self._x))
        for i in range(0, len(t0), step):
            z = np.multiply.outer(t0[i:i + step], self._x[:, 0])
            z += np.multiply.outer(t1[i:i + step], self._x[:, 1])
            z *= self._sign
            out[i:i + step] = np.mean(np.logaddexp(0.0, z), axis=-1)  # softplus, never overflows
        out += 0.5 * self.l2 * (t0 * t0 + t1 * t1)
        return out.reshape(shape)

    def _probabilities(self, t0, t1):
        z = np.multiply.outer(t0, self._x[:, 0]) + np.multiply.outer(t1, self._x[:, 1])
        return sigmoid(z)

    def _grad(self, t0, t1):
        err = self._probabilities(t0, t1) - self._t  # (..., B)
        B = len(self._t)
        return (err @ self._x[:, 0] / B + self.l2 * t0, err @ self._x[:, 1] / B + self.l2 * t1)

    def _hessian(self, t0, t1):
        p = self._probabilities(t0, t1)
        s = p * (1 - p) / len(self._t)
        x0, x1 = self._x[:, 0], self._x[:, 1]
        return s @ (x0 * x0) + self.l2, s @ (x0 * x1), s @ (x1 * x1) + self.l2

    def _newton(self):
        """The minimum, by Newton's method with step halving; empty if there is none."""
        if self.l2 == 0 and _separable(self._sign[:, None] * self._x):
            return np.empty((0, 2))  # the loss falls towards 0 as |theta| grows: no minimum
        theta = np.zeros(2)
        loss = self._value(theta[0], theta[1])
        for _ in range(200):
            g = np.array(self._grad(theta[0], theta[1]))
            h00, h01, h11 = self._hessian(theta[0], theta[1])
            step = np.linalg.lstsq(np.array([[h00, h01], [h01, h11]]), g, rcond=None)[0]
            for _ in range(60):  # halve the step until the loss does not rise
                candidate = theta - step
                new = self._value(candidate[0], candidate[1])
                if new <= loss:
                    break
                step = step / 2
            theta, loss = candidate, new
            if np.max(np.abs(step)) <= 1e-13 * (1 + np.max(np.abs(theta))):
                break
        return theta[None, :]


def logistic_regression(X=None, y=None, *, rows=None, l2=0.0, seed=0):
    r"""The loss surface of a two-weight logistic regression (no bias) on two blobs.

    Parameters
    ----------
    X : ndarray, shape (N, 2), optional
        Inputs. Default: 100 points in two overlapping Gaussian blobs,
        ``datasets.make_blobs(100, noise=1.0, centers=[(-1, -0.5), (1, 0.5)], seed=seed)``.
    y : ndarray, shape (N,), optional
        Labels, 0 or 1. Give both `X` and `y`, or neither.
    rows : array_like of int, shape (B,), optional
        Indices of the rows in the mini-batch; default all N rows.
    l2 : float >= 0, default 0
        Weight decay :math:`\lambda` (PyTorch's convention: :math:`+\lambda\theta` in the gradient).
    seed : int, default 0
        Used only for the default data.

    Returns
    -------
    Surface
        With :math:`\theta = (w_0, w_1)` and attributes ``X``, ``y``, ``rows``,
        ``l2``. Its minimum is found once, when the surface is made, by Newton's
        method (to a relative step of 1e-13). When the batch can be separated by
        a line through the origin and :math:`\lambda = 0` there is no minimum (the
        loss falls towards 0 as :math:`|\theta| \to \infty`) and ``minima`` is
        empty, shape (0, 2).

    Raises
    ------
    ValueError
        If the shapes do not fit, `y` holds anything but 0 and 1, `rows` holds
        an index outside ``[0, N)``, or `l2` < 0.

    Notes
    -----
    With :math:`z_i = \theta^\top x_i` and the B rows of the batch,

    .. math::
        L(\theta) &= -\frac1B \sum_i \big[y_i \log\sigma(z_i) + (1 - y_i)\log(1 - \sigma(z_i))\big]
                     + \frac\lambda2 |\theta|^2
                   = \frac1B \sum_i \operatorname{softplus}\big((1 - 2y_i)\, z_i\big)
                     + \frac\lambda2 |\theta|^2 \\
        \nabla L &= \frac1B \sum_i (\sigma(z_i) - y_i)\, x_i + \lambda\theta, \qquad
        \nabla^2 L = \frac1B \sum_i \sigma(z_i)(1 - \sigma(z_i))\, x_i x_i^\top + \lambda I

    The softplus form, :math:`\log(1 + e^{s})` computed by ``np.logaddexp(0, s)``,
    is exact for every :math:`z`: it equals ``losses.binary_cross_entropy(sigmoid(z), y)``
    wherever that one's clamp of :math:`\log p` at -100 is not reached (:math:`|z| < 36`).
    """
    X, y = _classification_data(X, y, seed)
    rows = _check_rows(rows, len(X))
    l2 = _check_l2(l2)
    view = None if rows is None and l2 == 0 else LogisticRegression(X, y, None, 0.0, None)
    return LogisticRegression(X, y, rows, l2, view)


#: Every surface by name: ``SURFACES["ravine"]()`` makes one with its default settings.
SURFACES = {
    "bowl": bowl, "ravine": ravine, "rosenbrock": rosenbrock, "saddle": saddle,
    "two_minima": two_minima, "linear_regression": linear_regression,
    "logistic_regression": logistic_regression,
}


# --- Helpers ------------------------------------------------------------------------------------

def _split(theta):
    """Check `theta` of shape (..., 2) and return its two float64 coordinates."""
    arr = as_float_array(theta, "theta", dtype=np.float64)
    if arr.ndim == 0 or arr.shape[-1] != 2:
        raise ValueError(f"theta must have shape (..., 2), its last axis holding (theta_0, theta_1), "
                         f"got shape {arr.shape}")
    if not np.isfinite(arr).all():
        raise ValueError("theta must be finite, got an infinity: stop a diverging path before it "
                         "overflows (see DIVERGENCE_BOUND)")
    return arr[..., 0], arr[..., 1]


def _check_range(lim, name):
    try:
        lo, hi = (float(v) for v in lim)
    except (TypeError, ValueError):
        raise ValueError(f"{name} must be a pair (low, high), got {lim!r}") from None
    if not (np.isfinite(lo) and np.isfinite(hi) and lo < hi):
        raise ValueError(f"{name} must be a finite pair with low < high, got {lim!r}")
    return lo, hi


def _check_l2(l2):
    if not np.isfinite(l2) or l2 < 0:
        raise ValueError(f"l2 must be >= 0, got {l2}")
    return float(l2)


def _check_rows(rows, N):
    if rows is None:
        return None
    arr = np.asarray(rows)
    if arr.ndim != 1 or arr.size == 0 or arr.dtype.kind not in "iu":
        raise ValueError(f"rows must be a non-empty 1-D array of integer row indices, "
                         f"got {arr.dtype} array of shape {arr.shape}")
    if arr.min() < 0 or arr.max() >= N:
        raise ValueError(f"rows must be in [0, {N}) (the data has {N} rows), "
                         f"got values in [{arr.min()}, {arr.max()}]")
    return arr.astype(np.int64)


def _pair_given(X, y):
    if (X is None) != (y is None):
        raise ValueError("give both X and y, or neither (for the default data)")
    return X is not None


def _regression_data(X, y, noise, n, seed):
    if not _pair_given(X, y):
        from .datasets import make_regression_1d
        X, y = make_regression_1d(n, noise, seed=seed)
    X = as_float_array(X, "X", dtype=np.float64)
    y = as_float_array(y, "y", dtype=np.float64)
    if X.ndim == 1:
        X = X[:, None]
    if X.ndim != 2 or X.shape[1] != 1:
        raise ValueError(f"X must have shape (N, 1) or (N,), one input per row, got {X.shape}")
    if y.ndim == 2 and y.shape[1] == 1:
        y = y[:, 0]
    if y.shape != (len(X),):
        raise ValueError(f"y must have shape ({len(X)},) or ({len(X)}, 1), one target per row "
                         f"of X, got {y.shape}")
    return _finite_data(X, y)


def _classification_data(X, y, seed):
    if not _pair_given(X, y):
        from .datasets import make_blobs
        X, y = make_blobs(100, noise=1.0, centers=[(-1.0, -0.5), (1.0, 0.5)], seed=seed)
    X = as_float_array(X, "X", dtype=np.float64)
    y = as_float_array(y, "y", dtype=np.float64)
    if X.ndim != 2 or X.shape[1] != 2:
        raise ValueError(f"X must have shape (N, 2), two inputs per row, got {X.shape}")
    if y.shape != (len(X),):
        raise ValueError(f"y must have shape ({len(X)},), one label per row of X, got {y.shape}")
    if not np.isin(y, (0.0, 1.0)).all():
        raise ValueError("y must hold labels 0 or 1, got other values: "
                         f"{np.unique(y[~np.isin(y, (0.0, 1.0))])[:5]}")
    return _finite_data(X, y)


def _finite_data(X, y):
    if len(X) == 0:
        raise ValueError("X is empty: a data surface needs at least one row")
    if not (np.isfinite(X).all() and np.isfinite(y).all()):
        raise ValueError("X and y must be finite, got an infinity")
    return X, y


def _batch(X, y, rows):
    return (X, y) if rows is None else (X[rows], y[rows])


def _view_around(center):
    """A view of at least +-3 around `center`, in steps of 0.5, that shows the origin; a start in its corner."""
    c0, c1 = (round(2 * float(v)) / 2 for v in center)
    xlim = (min(c0 - 3.0, -1.0), max(c0 + 3.0, 1.0))
    ylim = (min(c1 - 3.0, -1.0), max(c1 + 3.0, 1.0))
    return {"xlim": xlim, "ylim": ylim, "start": (c0 - 2.5, c1 + 2.5)}


def _separable(V):
    r"""Whether some direction :math:`d \ne 0` has :math:`d^\top v_i \ge 0` for every row,
    and :math:`> 0` for one: then the cross-entropy falls forever along :math:`d`.

    In 2-D: the rows (zero rows aside) lie in a closed half-plane exactly when the
    widest angular gap between them is at least :math:`\pi`. Rows all on one line
    through the origin, in both directions, have no such direction.
    """
    V = V[np.any(V != 0, axis=1)]
    if len(V) == 0:
        return False
    angles = np.sort(np.arctan2(V[:, 1], V[:, 0]))
    gaps = np.diff(np.append(angles, angles[0] + 2 * np.pi))
    collinear = np.all(np.abs(V[:, 0] * V[0, 1] - V[:, 1] * V[0, 0]) <= 1e-12 * np.abs(V).max() ** 2)
    both_ways = np.any(V @ V[0] < 0)
    return bool(gaps.max() >= np.pi - 1e-12 and not (collinear and both_ways))
