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

The package has three modules: ``base`` (the :class:`Surface` class and the
quadratic), ``shapes`` (the textbook surfaces) and ``data`` (the surfaces of
models on data). Only numpy here: the figures live in ``utils.plotting`` and
the explorers in ``utils.widgets``, which import this package, never the other
way round.

Left out on purpose: surfaces of more than two parameters, and plotting.
"""

from .base import DIVERGENCE_BOUND, Quadratic, Surface
from .data import LinearRegression, LogisticRegression, linear_regression, logistic_regression
from .shapes import Rosenbrock, TwoMinima, bowl, ravine, rosenbrock, saddle, two_minima

#: Every surface by name: ``SURFACES["ravine"]()`` makes one with its default settings.
SURFACES = {
    "bowl": bowl, "ravine": ravine, "rosenbrock": rosenbrock, "saddle": saddle,
    "two_minima": two_minima, "linear_regression": linear_regression,
    "logistic_regression": logistic_regression,
}

__all__ = ["DIVERGENCE_BOUND", "SURFACES", "Surface", "Quadratic", "Rosenbrock", "TwoMinima",
           "LinearRegression", "LogisticRegression", "bowl", "ravine", "rosenbrock", "saddle",
           "two_minima", "linear_regression", "logistic_regression"]
