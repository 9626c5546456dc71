r"""The :class:`Surface` every loss surface is, and :class:`Quadratic`, the simplest kind.

See the package docstring, ``utils.surfaces``, for the whole story.
"""

import numpy as np

from .._validation import as_float_array, check_positive_int

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
        A good default start for gradient descent. Read-only, like `minima` and
        `saddle_points`: give an optimizer a copy, ``Parameter(surface.start.copy())``.
    xlim, ylim : (float, float)
        The default view of :math:`\theta_0` and :math:`\theta_1`; it contains
        `start` and every minimum.
    log_levels : bool
        True where contours read best on a log scale (the banana, the ravine).
    axis_labels : (str, str)
        What the two parameters are called, for the axes: ``("θ₀", "θ₁")``, or
        ``("w", "b")`` for the line of ``linear_regression``.
    """

    log_levels = False

    def __init__(self, name, title, *, minima, start, xlim, ylim, saddle_points=(),
                 axis_labels=("θ₀", "θ₁")):
        self.name, self.title = name, title
        self.axis_labels = tuple(axis_labels)
        self.minima = np.array(minima, dtype=np.float64).reshape(-1, 2)
        self.saddle_points = np.array(saddle_points, dtype=np.float64).reshape(-1, 2)
        self.start = np.array(start, dtype=np.float64).reshape(2)
        self.xlim = (float(xlim[0]), float(xlim[1]))
        self.ylim = (float(ylim[0]), float(ylim[1]))
        for known in (self.minima, self.saddle_points, self.start):
            known.flags.writeable = False  # an optimizer must step a copy: Parameter(s.start.copy())

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

    def grad_at(self, t0, t1):
        r"""The gradient at one point, fast: for a loop that steps a single point (an explorer's optimizer).

        The same numbers as :meth:`grad`, without its checks and its stacking into an array:
        several times faster for one point, which is most of the cost of a path of 500 steps.

        Parameters
        ----------
        t0, t1 : float
            :math:`\theta_0` and :math:`\theta_1`, finite. They are not checked: use :meth:`grad`
            for values from outside, this for a path that a loop keeps finite (inside
            ``DIVERGENCE_BOUND``).

        Returns
        -------
        (float, float)
            :math:`(\partial L/\partial\theta_0, \partial L/\partial\theta_1)` at the point, as
            Python floats (``inf`` far beyond the bound, as :meth:`grad`, without a warning).
        """
        with np.errstate(over="ignore", invalid="ignore"):
            g0, g1 = self._grad(float(t0), float(t1))
        return float(g0), float(g1)

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

    Parameters
    ----------
    name, title : str
        As for :class:`Surface`.
    A : array_like, shape (2, 2)
        The Hessian :math:`A`, symmetric (only its upper triangle is read).
    center : array_like, shape (2,), default (0, 0)
        :math:`c`, where the gradient vanishes.
    offset : float, default 0
        :math:`L^*`, the loss at `center`.
    **kwargs
        ``minima``, ``start``, ``xlim``, ``ylim`` and the other keywords of :class:`Surface`.

    Notes
    -----
    .. math:: L = \tfrac12 (\theta - c)^\top A (\theta - c) + L^*, \quad
              \nabla L = A (\theta - c), \quad \nabla^2 L = A
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
