r"""Plain gradient descent on a function of a few parameters, as lesson 06 teaches it.

Gradient descent walks downhill: from a start :math:`\theta_0` it repeats

.. math:: \theta_{k+1} = \theta_k - \eta\, \nabla L(\theta_k),

where the *learning rate* :math:`\eta` sets the step size. This module holds
that one rule, the loop that records the path it walks, a loop that stops by
itself (when the gradient is small, or when the run diverges), and the
largest learning rate that still converges on a quadratic,
:math:`2 / \lambda_\text{max}` of its Hessian.

The parameters are a plain vector ``theta`` of shape ``(P,)`` and the gradient
a function ``grad(theta)`` of the same shape, so a learner can follow every
number. Networks use the optimizers in ``utils.optimizers`` instead, which
apply the same rule to ``Parameter`` objects in place. Left out on purpose:
momentum and adaptive step sizes (lesson 07), line searches.

Dtypes follow the course's rule: a float ``theta`` keeps its dtype, an integer
one gives float64; every result is a new array.
"""

from typing import NamedTuple

import numpy as np

from ._validation import as_float_array, check_positive, check_positive_int, check_real


def _theta(theta, name="theta"):
    theta = as_float_array(theta, name)
    if theta.ndim != 1:
        raise ValueError(f"{name} must have shape (P,), one entry per parameter, got {theta.shape}")
    return theta


def _gradient(grad, theta):
    g = np.asarray(grad(theta))
    if g.shape != theta.shape:
        raise ValueError(f"grad(theta) must have the shape of theta, {theta.shape}, got {g.shape}")
    return g


def _learning_rate(lr):
    if isinstance(lr, (bool, str)) or not np.isscalar(lr) or not np.isfinite(lr) or lr <= 0:
        raise ValueError(f"lr must be a number > 0, got {lr!r}")
    return lr


def gradient_descent_step(grad, theta, lr):
    r"""One step of gradient descent: :math:`\theta - \eta \nabla L(\theta)`.

    Parameters
    ----------
    grad : callable
        ``grad(theta)`` returns :math:`\nabla L(\theta)`, an array of shape ``(P,)``.
    theta : array_like, shape (P,)
        The current parameters. Not changed.
    lr : float > 0
        The learning rate :math:`\eta`.

    Returns
    -------
    ndarray, shape (P,)
        The new parameters, a new array; float64 for integer `theta`, else `theta`'s dtype.

    Raises
    ------
    ValueError
        If `theta` is not a 1-D numeric array, `lr` is not a number > 0, or
        ``grad(theta)`` has another shape than `theta`.

    Notes
    -----
    .. math:: \theta_\text{new} = \theta - \eta\, \nabla L(\theta)
    """
    theta, lr = _theta(theta), _learning_rate(lr)
    return (theta - lr * _gradient(grad, theta)).astype(theta.dtype, copy=False)


def gradient_descent(grad, theta0, lr, steps):
    r"""Run `steps` steps of gradient descent from `theta0` and return the whole path.

    Parameters
    ----------
    grad : callable
        ``grad(theta)`` returns :math:`\nabla L(\theta)`, shape ``(P,)``.
    theta0 : array_like, shape (P,)
        The start :math:`\theta_0`. Not changed.
    lr : float > 0
        The learning rate :math:`\eta`.
    steps : int >= 0
        How many steps to take.

    Returns
    -------
    ndarray, shape (steps + 1, P)
        Row ``k`` is :math:`\theta_k`; row 0 is the start. float64 for integer
        `theta0`, else `theta0`'s dtype.

    Raises
    ------
    ValueError
        For a bad `theta0`, `lr` or `steps`, or a gradient of the wrong shape.

    Notes
    -----
    .. math:: \theta_{k+1} = \theta_k - \eta\, \nabla L(\theta_k), \qquad k = 0, \dots, \text{steps} - 1

    A learning rate that is too large makes the path grow without bound; a
    long enough run then overflows. :func:`gradient_descent_until` stops such
    a run first.
    """
    theta0, lr = _theta(theta0, "theta0"), _learning_rate(lr)
    if isinstance(steps, bool) or not isinstance(steps, (int, np.integer)) or steps < 0:
        raise ValueError(f"steps must be an integer >= 0, got {steps!r}")
    path = np.empty((steps + 1, theta0.size), dtype=theta0.dtype)
    path[0] = theta0
    for k in range(steps):
        path[k + 1] = gradient_descent_step(grad, path[k], lr)
    return path


def max_stable_lr(hessian):
    r"""The largest learning rate for which gradient descent converges on a quadratic.

    Parameters
    ----------
    hessian : array_like, shape (P, P)
        The Hessian :math:`H` of :math:`L(\theta) = \tfrac12 (\theta - \theta^*)^\top H (\theta - \theta^*)`:
        symmetric, with a largest eigenvalue above 0.

    Returns
    -------
    float
        :math:`2 / \lambda_\text{max}(H)`. Every :math:`\eta` below it converges;
        at it the steepest direction oscillates forever; above it the run diverges.

    Raises
    ------
    ValueError
        If `hessian` is not a square, symmetric, finite matrix whose largest
        eigenvalue is positive.

    Notes
    -----
    Along the eigenvector of eigenvalue :math:`\lambda_i`, one step multiplies the
    distance to the minimum by :math:`1 - \eta \lambda_i`. The run converges when
    every :math:`|1 - \eta \lambda_i| < 1`:

    .. math:: 0 < \eta < \frac{2}{\lambda_\text{max}}

    (Goodfellow, Bengio and Courville, *Deep Learning*, 2016, section 4.3.1.)
    """
    H = as_float_array(hessian, "hessian", dtype=np.float64)
    if H.ndim != 2 or H.shape[0] != H.shape[1]:
        raise ValueError(f"hessian must be a square matrix of shape (P, P), got {H.shape}")
    if not np.all(np.isfinite(H)):
        raise ValueError("hessian must be finite, got inf")
    if not np.allclose(H, H.T, rtol=1e-10, atol=0.0):
        raise ValueError("hessian must be symmetric (a Hessian always is), got H != H.T")
    lam_max = np.linalg.eigvalsh(H)[-1]
    if lam_max <= 0:
        raise ValueError(f"hessian's largest eigenvalue must be > 0 (a bowl in some direction), got {lam_max:.3g}")
    return float(2.0 / lam_max)


class Descent(NamedTuple):
    """What :func:`gradient_descent_until` returns."""

    path: np.ndarray
    """Shape (k + 1, P): the start and every step taken."""
    losses: np.ndarray
    """Shape (k + 1,): the loss at each row of `path`."""
    status: str
    """``"converged"``, ``"diverged"`` or ``"max_steps"``."""
    step: int
    """The last step taken, k."""

    def __str__(self):
        if self.status == "max_steps":
            return f"still moving after {self.step} steps, loss {self.losses[-1]:.3g}"
        if self.status == "diverged":
            highest = np.max(self.losses[np.isfinite(self.losses)])
            return f"diverged at step {self.step}, after a loss of {highest:.3g}"
        return f"converged at step {self.step}, loss {self.losses[-1]:.3g}"


def gradient_descent_until(loss, grad, theta0, lr, *, max_steps, loss_tol=None, grad_tol=None, limit=1e6):
    r"""Gradient descent that stops by itself: converged, diverged, or out of steps.

    Parameters
    ----------
    loss : callable
        ``loss(theta)`` returns :math:`L(\theta)`, a number.
    grad : callable
        ``grad(theta)`` returns :math:`\nabla L(\theta)`, shape ``(P,)``.
    theta0 : array_like, shape (P,)
    lr : float > 0
    max_steps : int >= 1
    loss_tol : float, optional
        Stop ("converged") at the first :math:`\theta_k` with :math:`L(\theta_k) \le` `loss_tol`
        (useful when the minimum's loss is known, as on a test surface).
    grad_tol : float, optional
        Stop ("converged") at the first :math:`\theta_k` with :math:`\|\nabla L(\theta_k)\| \le` `grad_tol`
        (the usual test when the minimum is unknown).
    limit : float, default 1e6
        Stop ("diverged") as soon as some :math:`|\theta_{k,i}|` exceeds it, or the loss
        is not finite: far from any minimum, and before anything can overflow.

    Returns
    -------
    Descent
        ``path`` (k + 1, P), ``losses`` (k + 1,), ``status`` and ``step`` k.

    Raises
    ------
    ValueError
        For a bad `theta0`, `lr`, `max_steps` or `limit`, a `loss_tol` that is not a finite
        number, a `grad_tol` that is not a number > 0 (a negative one would never stop the run),
        or a gradient of the wrong shape.

    Notes
    -----
    The same rule as :func:`gradient_descent`, checked after every step.
    """
    theta, lr = _theta(theta0, "theta0"), _learning_rate(lr)
    check_positive_int(max_steps, "max_steps")
    check_positive(limit, "limit")
    if loss_tol is not None:
        check_real(loss_tol, "loss_tol")
        if not np.isfinite(loss_tol):
            raise ValueError(f"loss_tol must be a finite number, got {loss_tol}")
    if grad_tol is not None:
        check_positive(grad_tol, "grad_tol")
    path, losses, status = [theta], [float(loss(theta))], "max_steps"
    for k in range(max_steps + 1):
        if np.max(np.abs(path[-1])) > limit or not np.isfinite(losses[-1]):
            status = "diverged"
            break
        g = _gradient(grad, path[-1])
        if (loss_tol is not None and losses[-1] <= loss_tol) or \
                (grad_tol is not None and np.linalg.norm(g) <= grad_tol):
            status = "converged"
            break
        if k == max_steps:
            break
        path.append((path[-1] - lr * g).astype(theta.dtype, copy=False))
        losses.append(float(loss(path[-1])) if np.max(np.abs(path[-1])) <= limit else np.inf)
    return Descent(np.array(path), np.array(losses), status, len(path) - 1)
