r"""Loss surfaces of real models on data: a line fitted by mean squared error, and a
two-weight logistic regression fitted by cross-entropy, on all rows or on a mini-batch.
"""

import numpy as np

from .._validation import as_float_array, check_non_negative
from ..activations import sigmoid
from .base import Quadratic, Surface


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
                         minima=[best], axis_labels=("w", "b"), **_view_around(center))


def linear_regression(X=None, y=None, *, rows=None, l2=0.0, noise=0.1, n=100, seed=0, view=None):
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
    view : Surface, optional
        A ``linear_regression`` surface of the same data, all rows and no weight
        decay, whose view and start this one takes. By default it is built here:
        give it when making many mini-batch surfaces of one data set (an explorer
        makes one per step), so that it is built once.

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
        If the shapes do not fit, `rows` holds an index outside ``[0, N)``, `l2` < 0,
        or `view` is not a ``linear_regression`` surface of all N rows without weight decay.

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
    if view is not None:
        _check_view(view, LinearRegression, X, y)
    elif rows is not None or l2 != 0:
        view = LinearRegression(X, y, None, 0.0, None)
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

    #: Entries of the temporary (points, B) array per chunk: 512 KB, which stays in cache.
    CHUNK = 1 << 16

    def __init__(self, X, y, rows, l2, view_from):
        self.X, self.y, self.rows, self.l2 = X, y, rows, l2
        self._x, t = _batch(X, y, rows)
        self._v = (1 - 2 * t)[:, None] * self._x  # the loss of row i is softplus(theta . v_i)
        self._t = t
        best = self._newton()
        batch = "" if rows is None else f", mini-batch of {len(rows)}"
        decay = f", L2 {l2:g}" if l2 else ""
        title = f"Cross-entropy of sigmoid(w0 x0 + w1 x1) on {len(X)} points{batch}{decay}"
        if view_from is not None:
            center = view_from.minima[0] if len(view_from.minima) else np.zeros(2)
        else:
            center = best[0] if len(best) else np.zeros(2)
        super().__init__("logistic_regression", title, minima=best, axis_labels=("w₀", "w₁"),
                         **_view_around(center))

    def _value(self, t0, t1):
        shape = np.shape(t0)
        t0, t1 = np.ravel(t0), np.ravel(t1)
        out = np.empty(t0.shape)
        step = max(1, self.CHUNK // len(self._v))
        for i in range(0, len(t0), step):
            u = np.multiply.outer(t0[i:i + step], self._v[:, 0])
            u += np.multiply.outer(t1[i:i + step], self._v[:, 1])
            out[i:i + step] = np.mean(_softplus_inplace(u), axis=-1)
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
        if self.l2 == 0 and _separable(self._v):
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


# --- Helpers ------------------------------------------------------------------------------------

def _check_l2(l2):
    check_non_negative(l2, "l2")
    return float(l2)


def _check_view(view, kind, X, y):
    same = isinstance(view, kind) and view.X.shape == X.shape and np.array_equal(view.X, X) \
        and np.array_equal(view.y, y)
    if same and view.rows is None and view.l2 == 0:
        return
    if isinstance(view, kind):
        got = f"one of {len(view.X)} rows" + ("" if same else " of other data") \
              + ("" if view.rows is None else f", a batch of {len(view.rows)}") \
              + (f", L2 {view.l2:g}" if view.l2 else "")
    else:
        got = repr(view)
    raise ValueError(f"view must be the {kind.__name__} surface of the same {len(X)} rows, all of them, "
                     f"without L2, got {got}")


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
        from ..datasets import make_regression_1d
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
        from ..datasets import make_blobs
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


def _softplus_inplace(u):
    r""":math:`\log(1 + e^u)`, computed in the memory of `u` as :math:`\max(u, 0) + \log(1 + e^{-|u|})`.

    The exponent is never positive, so nothing overflows for any finite `u`
    (twice as fast as ``np.logaddexp(0, u)``, which computes the same).
    """
    positive = np.maximum(u, 0)
    np.abs(u, out=u)
    np.negative(u, out=u)
    np.exp(u, out=u)
    np.log1p(u, out=u)
    u += positive
    return u


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
