r"""Textbook loss surfaces: a bowl, a ravine, Rosenbrock's banana, a saddle and two minima.

Each is a formula of two parameters with its gradient and Hessian in closed form.
"""

import numpy as np

from .._validation import check_positive, check_real
from .base import Quadratic, Surface


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
    check_real(condition, "condition", ">= 1")
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
    check_real(a, "a")
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
