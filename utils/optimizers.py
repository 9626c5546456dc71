r"""Optimizers: rules that turn gradients into parameter updates, and schedules for their learning rate.

Gradient descent moves every parameter a small step against its gradient,
:math:`\theta \leftarrow \theta - \eta \, \nabla_\theta L`, where the
*learning rate* :math:`\eta` sets the step size. The optimizers here follow
PyTorch's update rules exactly (``torch.optim.SGD`` without dampening or
Nesterov, ``RMSprop`` without centering, ``Adagrad``, and ``Adam`` with bias
correction), so their numbers can be compared one to one. They update
``Parameter.data`` in place and keep its dtype: a float32 layer stays float32,
and the explorers of lessons 06-07 run these same classes on a two-element
float64 ``Parameter`` holding a point of a loss surface.

A *learning-rate schedule* changes :math:`\eta` as training goes on. As in
``torch.optim.lr_scheduler``, a scheduler wraps any optimizer, and each call
of ``scheduler.step()`` (once per epoch, or once per step, as you choose) sets
``optimizer.lr``. Each schedule is also a pure function of the epoch,
:func:`step_decay` and :func:`cosine_annealing`, to plot or to check against;
and one step of momentum, RMSprop and Adam is a pure function of arrays,
:func:`momentum_step`, :func:`rmsprop_step` and :func:`adam_step`, which
returns the new state instead of changing it.

Left out on purpose: Nesterov momentum, AMSGrad, centered RMSprop, parameter
groups (one learning rate for all parameters), and the other schedulers.
"""

import math

import numpy as np

from ._validation import (check_non_negative, check_positive, check_positive_int, check_probability,
                          check_real)
from .layers import Parameter


class Optimizer:
    """Base class: holds the parameters; ``step()`` updates them, ``zero_grad()`` clears their gradients."""

    def __init__(self, params, lr):
        self.params = list(params)
        if not self.params:
            raise ValueError(f"{type(self).__name__} got no parameters to optimize")
        for i, p in enumerate(self.params):
            if not isinstance(p, Parameter):
                raise ValueError(f"{type(self).__name__} expects Parameter objects "
                                 f"(model.parameters()), got {type(p).__name__} at position {i}")
        check_positive(lr, "lr")
        self.lr = lr

    def zero_grad(self):
        """Set the gradient of every parameter to zero."""
        for p in self.params:
            p.zero_grad()

    def step(self):
        raise NotImplementedError


class SGD(Optimizer):
    r"""Stochastic gradient descent, with optional momentum and weight decay.

    Parameters
    ----------
    params : iterable of Parameter
        Usually ``model.parameters()``.
    lr : float > 0
        Learning rate :math:`\eta`.
    momentum : float in [0, 1), default 0
        :math:`\mu`; 0 gives plain gradient descent.
    weight_decay : float >= 0, default 0
        :math:`\lambda`, an L2 penalty added to the gradient.

    Notes
    -----
    For each parameter :math:`\theta` with gradient :math:`g`, as in ``torch.optim.SGD``:

    .. math::
        g &\leftarrow g + \lambda \theta \\
        v &\leftarrow \mu v + g \quad (v = g \text{ on the first step}) \\
        \theta &\leftarrow \theta - \eta v
    """

    def __init__(self, params, lr, momentum=0.0, weight_decay=0.0):
        super().__init__(params, lr)
        _check_decay(momentum, "momentum")
        check_non_negative(weight_decay, "weight_decay")
        self.momentum, self.weight_decay = momentum, weight_decay
        self.velocity = [None] * len(self.params)

    def step(self):
        """Update every parameter once, in place."""
        for i, p in enumerate(self.params):
            g = p.grad + self.weight_decay * p.data if self.weight_decay else p.grad
            if self.momentum:
                if self.velocity[i] is None:
                    self.velocity[i] = np.array(g, copy=True)
                else:
                    self.velocity[i] *= self.momentum
                    self.velocity[i] += g
                g = self.velocity[i]
            p.data -= self.lr * g

    def __repr__(self):
        return f"SGD(lr={self.lr}, momentum={self.momentum}, weight_decay={self.weight_decay})"


class Adam(Optimizer):
    r"""Adam: momentum on the gradient, scaled by a running estimate of its size.

    Parameters
    ----------
    params : iterable of Parameter
    lr : float > 0, default 1e-3
        Learning rate :math:`\eta`.
    betas : (float, float), default (0.9, 0.999)
        Decay rates :math:`\beta_1, \beta_2` of the two moving averages, each in [0, 1).
    eps : float > 0, default 1e-8
        :math:`\epsilon`, keeps the division finite.
    weight_decay : float >= 0, default 0
        :math:`\lambda`, an L2 penalty added to the gradient (as in ``torch.optim.Adam``).

    Notes
    -----
    At step :math:`t = 1, 2, \dots`, for each parameter :math:`\theta` with gradient :math:`g`:

    .. math::
        g &\leftarrow g + \lambda \theta \\
        m &\leftarrow \beta_1 m + (1 - \beta_1) g \\
        v &\leftarrow \beta_2 v + (1 - \beta_2) g^2 \\
        \hat m &= m / (1 - \beta_1^t), \quad \hat v = v / (1 - \beta_2^t) \\
        \theta &\leftarrow \theta - \eta \, \hat m / (\sqrt{\hat v} + \epsilon)

    :math:`m` and :math:`v` start at zero, so early averages are too small;
    dividing by :math:`1 - \beta^t` (bias correction) undoes that.
    """

    def __init__(self, params, lr=1e-3, betas=(0.9, 0.999), eps=1e-8, weight_decay=0.0):
        super().__init__(params, lr)
        if not isinstance(betas, (tuple, list)) or len(betas) != 2:
            raise ValueError(f"betas must be a pair (beta1, beta2), got {betas!r}")
        for k, beta in enumerate(betas, start=1):
            _check_decay(beta, f"beta{k}")
        check_positive(eps, "eps")
        check_non_negative(weight_decay, "weight_decay")
        self.betas, self.eps, self.weight_decay = tuple(betas), eps, weight_decay
        self.t = 0
        self.m = [np.zeros_like(p.data) for p in self.params]
        self.v = [np.zeros_like(p.data) for p in self.params]
        self._tmp = [np.empty_like(p.data) for p in self.params]

    def step(self):
        """Update every parameter once, in place."""
        self.t += 1
        b1, b2 = self.betas
        step_size = self.lr / (1 - b1 ** self.t)
        sqrt_bc2 = math.sqrt(1 - b2 ** self.t)
        for p, m, v, tmp in zip(self.params, self.m, self.v, self._tmp):
            g = p.grad + self.weight_decay * p.data if self.weight_decay else p.grad
            # In-place updates: no temporary arrays, and float32 stays float32.
            m *= b1
            np.multiply(g, 1 - b1, out=tmp)
            m += tmp
            v *= b2
            np.multiply(g, g, out=tmp)
            tmp *= 1 - b2
            v += tmp
            np.sqrt(v, out=tmp)
            tmp /= sqrt_bc2
            tmp += self.eps
            np.divide(m, tmp, out=tmp)
            tmp *= step_size
            p.data -= tmp

    def __repr__(self):
        return (f"Adam(lr={self.lr}, betas={self.betas}, eps={self.eps}, "
                f"weight_decay={self.weight_decay})")


class RMSprop(Optimizer):
    r"""RMSprop: each parameter's step divided by a running root mean square of its gradients.

    Parameters
    ----------
    params : iterable of Parameter
    lr : float > 0, default 1e-2
        Learning rate :math:`\eta`.
    alpha : float in [0, 1), default 0.99
        :math:`\alpha`, the decay rate of the moving average of squared gradients.
    eps : float > 0, default 1e-8
        :math:`\epsilon`, added to the root mean square (outside the square root).
    weight_decay : float >= 0, default 0
        :math:`\lambda`, an L2 penalty added to the gradient.
    momentum : float in [0, 1), default 0
        :math:`\mu`; 0 for no momentum.

    Notes
    -----
    For each parameter :math:`\theta` with gradient :math:`g`, as in ``torch.optim.RMSprop``
    (``centered=False``), with :math:`v` and :math:`b` starting at zero:

    .. math::
        g &\leftarrow g + \lambda \theta \\
        v &\leftarrow \alpha v + (1 - \alpha) g^2 \\
        b &\leftarrow \mu b + g / (\sqrt{v} + \epsilon) \\
        \theta &\leftarrow \theta - \eta b

    Without momentum the last two lines are
    :math:`\theta \leftarrow \theta - \eta\, g / (\sqrt{v} + \epsilon)`. A
    parameter whose gradients are large takes small steps and one whose
    gradients are small takes large ones: in a ravine, the steep direction stops
    zig-zagging and the flat one speeds up. There is no bias correction, so the
    first step, with :math:`v = (1 - \alpha) g^2`, is :math:`\eta/\sqrt{1 - \alpha}`
    (10 :math:`\eta` for :math:`\alpha = 0.99`) in every coordinate. Source: G. Hinton,
    Neural Networks for Machine Learning, lecture 6e (2012).
    """

    def __init__(self, params, lr=1e-2, alpha=0.99, eps=1e-8, weight_decay=0.0, momentum=0.0):
        super().__init__(params, lr)
        _check_decay(alpha, "alpha")
        check_positive(eps, "eps")
        check_non_negative(weight_decay, "weight_decay")
        _check_decay(momentum, "momentum")
        self.alpha, self.eps, self.weight_decay, self.momentum = alpha, eps, weight_decay, momentum
        self.square_avg = [np.zeros_like(p.data) for p in self.params]
        self.momentum_buffer = [np.zeros_like(p.data) for p in self.params]
        self._tmp = [np.empty_like(p.data) for p in self.params]

    def step(self):
        """Update every parameter once, in place."""
        for p, v, b, tmp in zip(self.params, self.square_avg, self.momentum_buffer, self._tmp):
            g = p.grad + self.weight_decay * p.data if self.weight_decay else p.grad
            v *= self.alpha
            np.multiply(g, g, out=tmp)
            tmp *= 1 - self.alpha
            v += tmp
            np.sqrt(v, out=tmp)
            tmp += self.eps
            np.divide(g, tmp, out=tmp)  # g / (sqrt(v) + eps)
            if self.momentum:
                b *= self.momentum
                b += tmp
                np.multiply(b, self.lr, out=tmp)
            else:
                tmp *= self.lr
            p.data -= tmp

    def __repr__(self):
        return (f"RMSprop(lr={self.lr}, alpha={self.alpha}, eps={self.eps}, "
                f"weight_decay={self.weight_decay}, momentum={self.momentum})")


class Adagrad(Optimizer):
    r"""Adagrad: each parameter's step divided by the root of the sum of all its squared gradients.

    Parameters
    ----------
    params : iterable of Parameter
    lr : float > 0, default 1e-2
        Learning rate :math:`\eta`.
    lr_decay : float >= 0, default 0
        :math:`\delta`: step :math:`t` uses :math:`\eta / (1 + (t - 1)\delta)`.
    weight_decay : float >= 0, default 0
        :math:`\lambda`, an L2 penalty added to the gradient.
    initial_accumulator_value : float >= 0, default 0
        :math:`\tau`, where the sum of squared gradients starts.
    eps : float > 0, default 1e-10
        :math:`\epsilon`, added to the root of the sum (outside the square root).

    Notes
    -----
    At step :math:`t = 1, 2, \dots`, for each parameter :math:`\theta` with
    gradient :math:`g`, as in ``torch.optim.Adagrad``, with :math:`s` starting at :math:`\tau`:

    .. math::
        \tilde\eta &= \eta / (1 + (t - 1)\,\delta) \\
        g &\leftarrow g + \lambda \theta \\
        s &\leftarrow s + g^2 \\
        \theta &\leftarrow \theta - \tilde\eta\, g / (\sqrt{s} + \epsilon)

    The sum only grows, so the steps only shrink: good for sparse gradients,
    too timid for long training (what RMSprop's moving average fixes). With
    :math:`\tau = 0` the first step is :math:`\eta` in every coordinate.
    Source: Duchi, Hazan and Singer, "Adaptive subgradient methods for online
    learning and stochastic optimization", JMLR 12 (2011).
    """

    def __init__(self, params, lr=1e-2, lr_decay=0.0, weight_decay=0.0,
                 initial_accumulator_value=0.0, eps=1e-10):
        super().__init__(params, lr)
        check_non_negative(lr_decay, "lr_decay")
        check_non_negative(weight_decay, "weight_decay")
        check_non_negative(initial_accumulator_value, "initial_accumulator_value")
        check_positive(eps, "eps")
        self.lr_decay, self.weight_decay, self.eps = lr_decay, weight_decay, eps
        self.initial_accumulator_value = initial_accumulator_value
        self.t = 0
        self.sum = [np.full_like(p.data, initial_accumulator_value) for p in self.params]
        self._tmp = [np.empty_like(p.data) for p in self.params]

    def step(self):
        """Update every parameter once, in place."""
        self.t += 1
        clr = self.lr / (1 + (self.t - 1) * self.lr_decay)
        for p, s, tmp in zip(self.params, self.sum, self._tmp):
            g = p.grad + self.weight_decay * p.data if self.weight_decay else p.grad
            np.multiply(g, g, out=tmp)
            s += tmp
            np.sqrt(s, out=tmp)
            tmp += self.eps
            np.divide(g, tmp, out=tmp)
            tmp *= clr
            p.data -= tmp

    def __repr__(self):
        return (f"Adagrad(lr={self.lr}, lr_decay={self.lr_decay}, weight_decay={self.weight_decay}, "
                f"initial_accumulator_value={self.initial_accumulator_value}, eps={self.eps})")


#: Optimizers by name: ``OPTIMIZERS["adam"](model.parameters(), lr=1e-3)``.
OPTIMIZERS = {"sgd": SGD, "adam": Adam, "rmsprop": RMSprop, "adagrad": Adagrad}


# --- Learning-rate schedules ---------------------------------------------------------------------

def step_decay(epoch, lr0, step_size, gamma=0.1):
    r"""The learning rate of step decay: multiplied by `gamma` every `step_size` epochs.

    Parameters
    ----------
    epoch : int or ndarray of int, any shape
        :math:`t \ge 0`, epochs (or steps) done so far.
    lr0 : float > 0
        :math:`\eta_0`, the learning rate at :math:`t = 0`.
    step_size : int >= 1
        :math:`k`, epochs between two decays.
    gamma : float > 0, default 0.1
        :math:`\gamma`, the factor of each decay.

    Returns
    -------
    float, or ndarray of float64 with the shape of `epoch`

    Raises
    ------
    ValueError
        If an epoch is negative or not a whole number, or an argument is out of range.

    Notes
    -----
    .. math:: \eta_t = \eta_0\, \gamma^{\lfloor t / k \rfloor}

    What ``torch.optim.lr_scheduler.StepLR`` sets after :math:`t` calls of ``step()``.
    """
    t = _epochs(epoch, "epoch", whole=True)
    check_positive(lr0, "lr0")
    check_positive_int(step_size, "step_size")
    check_positive(gamma, "gamma")
    lr = lr0 * gamma ** (t // step_size)
    return float(lr) if lr.ndim == 0 else lr


def cosine_annealing(t, lr0, T_max, eta_min=0.0):
    r"""The learning rate of cosine annealing: from `lr0` down to `eta_min` along half a cosine.

    Parameters
    ----------
    t : float or ndarray, any shape
        :math:`t \ge 0`, epochs (or steps) done so far.
    lr0 : float > 0
        :math:`\eta_0`, the learning rate at :math:`t = 0`.
    T_max : int >= 1
        :math:`T`, the number of epochs to reach `eta_min`.
    eta_min : float >= 0, default 0
        :math:`\eta_{\min}`, the learning rate at :math:`t = T`.

    Returns
    -------
    float, or ndarray of float64 with the shape of `t`

    Raises
    ------
    ValueError
        If a `t` is negative, or an argument is out of range.

    Notes
    -----
    .. math:: \eta_t = \eta_{\min} + \tfrac12 (\eta_0 - \eta_{\min})
              \Big(1 + \cos\frac{\pi t}{T}\Big)

    The rate falls slowly at first, fastest at :math:`t = T/2`, and slowly again
    near :math:`\eta_{\min}`. Past :math:`T` the cosine climbs again (period
    :math:`2T`), as in ``torch.optim.lr_scheduler.CosineAnnealingLR``: set
    :math:`T` to the length of training. Source: Loshchilov and Hutter, "SGDR:
    stochastic gradient descent with warm restarts", ICLR 2017.
    """
    t = _epochs(t, "t", whole=False)
    check_positive(lr0, "lr0")
    check_positive_int(T_max, "T_max")
    check_non_negative(eta_min, "eta_min")
    lr = eta_min + 0.5 * (lr0 - eta_min) * (1 + np.cos(np.pi * t / T_max))
    return float(lr) if lr.ndim == 0 else lr


class LRScheduler:
    """Base class: ``step()`` advances the epoch count and sets ``optimizer.lr``.

    The learning rate the optimizer has when the scheduler is made is the
    schedule's starting rate, ``base_lr``; ``last_epoch`` counts the calls of
    ``step()``, as in PyTorch.
    """

    def __init__(self, optimizer):
        if not isinstance(optimizer, Optimizer):
            raise ValueError(f"{type(self).__name__} expects an optimizer from utils.optimizers "
                             f"(SGD, Adam, ...), got {type(optimizer).__name__}")
        self.optimizer = optimizer
        self.base_lr = optimizer.lr
        self.last_epoch = 0
        self._last_lr = [optimizer.lr]

    def get_lr(self, epoch):
        """The learning rate after `epoch` calls of ``step()``."""
        raise NotImplementedError

    def step(self):
        """Advance one epoch (or one step) and set the optimizer's learning rate."""
        self.last_epoch += 1
        lr = self.get_lr(self.last_epoch)
        self.optimizer.lr = lr
        self._last_lr = [lr]

    def get_last_lr(self):
        """The learning rate set last, as a list with one entry (PyTorch's one per parameter group)."""
        return list(self._last_lr)


class StepLR(LRScheduler):
    r"""Multiply the learning rate by `gamma` every `step_size` calls of ``step()``.

    Parameters
    ----------
    optimizer : Optimizer
        Any optimizer of this module; its ``lr`` now is :math:`\eta_0`.
    step_size : int >= 1
    gamma : float > 0, default 0.1

    Notes
    -----
    After :math:`t` calls of ``step()``, ``optimizer.lr`` is
    :func:`step_decay(t, lr0, step_size, gamma) <step_decay>`:
    :math:`\eta_0 \gamma^{\lfloor t/k \rfloor}`, as ``torch.optim.lr_scheduler.StepLR``.

    Examples
    --------
    >>> opt = SGD(model.parameters(), lr=0.1)                    # doctest: +SKIP
    >>> scheduler = StepLR(opt, step_size=30, gamma=0.1)         # doctest: +SKIP
    >>> for epoch in range(90):                                  # doctest: +SKIP
    ...     train_one_epoch(model, opt)
    ...     scheduler.step()
    """

    def __init__(self, optimizer, step_size, gamma=0.1):
        check_positive_int(step_size, "step_size")
        check_positive(gamma, "gamma")
        super().__init__(optimizer)
        self.step_size, self.gamma = step_size, gamma

    def get_lr(self, epoch):
        return step_decay(epoch, self.base_lr, self.step_size, self.gamma)

    def __repr__(self):
        return f"StepLR(step_size={self.step_size}, gamma={self.gamma}, last_epoch={self.last_epoch})"


class CosineAnnealingLR(LRScheduler):
    r"""Lower the learning rate from its start to `eta_min` along half a cosine over `T_max` calls of ``step()``.

    Parameters
    ----------
    optimizer : Optimizer
        Any optimizer of this module; its ``lr`` now is :math:`\eta_0`.
    T_max : int >= 1
    eta_min : float >= 0, default 0

    Notes
    -----
    After :math:`t` calls of ``step()``, ``optimizer.lr`` is
    :func:`cosine_annealing(t, lr0, T_max, eta_min) <cosine_annealing>`:
    :math:`\eta_{\min} + \tfrac12(\eta_0 - \eta_{\min})(1 + \cos(\pi t/T))`, the closed
    form of ``torch.optim.lr_scheduler.CosineAnnealingLR``.
    """

    def __init__(self, optimizer, T_max, eta_min=0.0):
        check_positive_int(T_max, "T_max")
        check_non_negative(eta_min, "eta_min")
        super().__init__(optimizer)
        self.T_max, self.eta_min = T_max, eta_min

    def get_lr(self, epoch):
        return cosine_annealing(epoch, self.base_lr, self.T_max, self.eta_min)

    def __repr__(self):
        return (f"CosineAnnealingLR(T_max={self.T_max}, eta_min={self.eta_min}, "
                f"last_epoch={self.last_epoch})")


def _epochs(epoch, name, *, whole):
    """`epoch` as a float64 array of values >= 0 (whole numbers if `whole`)."""
    arr = np.asarray(epoch)
    if arr.dtype.kind not in "iuf" or not np.all(np.isfinite(arr)) or np.any(arr < 0):
        raise ValueError(f"{name} must be a number >= 0 (or an array of them), got {epoch!r}")
    if whole and np.any(arr != np.floor(arr)):
        raise ValueError(f"{name} must be a whole number of epochs (or steps), got {epoch!r}")
    return arr.astype(np.float64)


# --- One step as a pure function ----------------------------------------------------------
# The references for lesson 07's exercises: the classes above keep their state and update in
# place; these take the state as arrays and return the new state, the same numbers step by step.

def _check_decay(value, name):
    """Raise unless `value` is a number in [0, 1): a momentum or a decay rate."""
    check_real(value, name, "in [0, 1)")
    check_probability(value, name)


def _as_float(x, name):
    """`x` as an array; integers become float64, floats keep their dtype."""
    x = np.asarray(x)
    if x.dtype.kind not in "biuf":
        raise ValueError(f"{name} must be an array of numbers, got dtype {x.dtype}")
    return x.astype(np.float64) if not np.issubdtype(x.dtype, np.floating) else x


def _step_arrays(theta, **state):
    """`theta` and its state and gradient as float arrays, each required to have `theta`'s shape.

    A state or gradient of another shape would broadcast silently into a wrong result.
    """
    theta = _as_float(theta, "theta")
    arrays = [theta]
    for name, value in state.items():
        arr = _as_float(value, name)
        if arr.shape != theta.shape:
            raise ValueError(f"{name} must have the shape of theta, {theta.shape}, got {arr.shape}")
        arrays.append(arr)
    return arrays


def momentum_step(theta, v, grad, lr, momentum):
    r"""One step of SGD with momentum, as ``SGD(..., momentum=momentum).step()`` takes it.

    Parameters
    ----------
    theta : ndarray, any shape
        The parameters :math:`\theta`.
    v : ndarray, same shape as `theta`
        The velocity, a running sum of gradients; zeros before the first step.
    grad : ndarray, same shape as `theta`
        The gradient :math:`g = \nabla_\theta L` at `theta`.
    lr : float > 0
        Learning rate :math:`\eta`.
    momentum : float in [0, 1)
        :math:`\mu`.

    Returns
    -------
    theta_new, v_new : ndarray, same shape as `theta`
        New arrays; float inputs keep their dtype, integer inputs give float64.

    Raises
    ------
    ValueError
        If `v` or `grad` has another shape than `theta`, `lr` is not > 0, or
        `momentum` is not in [0, 1).

    Notes
    -----
    As in ``torch.optim.SGD`` (no dampening):

    .. math::
        v \leftarrow \mu v + g, \qquad \theta \leftarrow \theta - \eta v

    With :math:`v = 0` before the first step, the first step is plain gradient descent.
    """
    theta, v, grad = _step_arrays(theta, v=v, grad=grad)
    check_positive(lr, "lr")
    _check_decay(momentum, "momentum")
    v_new = momentum * v + grad
    return theta - lr * v_new, v_new


def rmsprop_step(theta, s, grad, lr, alpha=0.99, eps=1e-8):
    r"""One step of RMSprop, as ``torch.optim.RMSprop`` takes it (no momentum, not centered).

    Parameters
    ----------
    theta : ndarray, any shape
        The parameters :math:`\theta`.
    s : ndarray, same shape as `theta`
        The running average of squared gradients; zeros before the first step.
    grad : ndarray, same shape as `theta`
        The gradient :math:`g` at `theta`.
    lr : float > 0
        Learning rate :math:`\eta`.
    alpha : float in [0, 1), default 0.99
        Decay rate :math:`\alpha` of the average.
    eps : float > 0, default 1e-8
        :math:`\epsilon`, added to the square root; keeps the division finite.

    Returns
    -------
    theta_new, s_new : ndarray, same shape as `theta`
        New arrays; float inputs keep their dtype, integer inputs give float64.

    Raises
    ------
    ValueError
        If `s` or `grad` has another shape than `theta`, `lr` or `eps` is not > 0, or
        `alpha` is not in [0, 1).

    Notes
    -----
    Elementwise, with :math:`g^2` the square of each entry (Hinton, Coursera lecture 6e, 2012):

    .. math::
        s \leftarrow \alpha s + (1 - \alpha) g^2, \qquad
        \theta \leftarrow \theta - \eta \, \frac{g}{\sqrt{s} + \epsilon}
    """
    theta, s, grad = _step_arrays(theta, s=s, grad=grad)
    check_positive(lr, "lr")
    _check_decay(alpha, "alpha")
    check_positive(eps, "eps")
    s_new = alpha * s + (1 - alpha) * grad * grad
    return theta - lr * grad / (np.sqrt(s_new) + eps), s_new


def adam_step(theta, m, v, grad, t, lr=1e-3, beta1=0.9, beta2=0.999, eps=1e-8):
    r"""Step `t` of Adam with bias correction, as ``torch.optim.Adam`` takes it.

    Parameters
    ----------
    theta : ndarray, any shape
        The parameters :math:`\theta`.
    m, v : ndarray, same shape as `theta`
        The running averages of the gradient and of its square after step ``t - 1``
        (zeros before the first step).
    grad : ndarray, same shape as `theta`
        The gradient :math:`g` at `theta`.
    t : int >= 1
        The number of this step, counted from 1.
    lr : float > 0, default 1e-3
        Learning rate :math:`\eta`.
    beta1, beta2 : float in [0, 1), default 0.9 and 0.999
        Decay rates of the two averages.
    eps : float > 0, default 1e-8
        :math:`\epsilon`, added to the square root.

    Returns
    -------
    theta_new, m_new, v_new : ndarray, same shape as `theta`
        New arrays (`m_new` and `v_new` without bias correction, ready for step ``t + 1``);
        float inputs keep their dtype, integer inputs give float64.

    Raises
    ------
    ValueError
        If `t` is not an integer >= 1 (bias correction divides by :math:`1 - \beta_1^t`),
        `m`, `v` or `grad` has another shape than `theta`, `lr` or `eps` is not > 0, or a
        beta is not in [0, 1).

    Notes
    -----
    Kingma and Ba, "Adam: a method for stochastic optimization", ICLR 2015, Algorithm 1:

    .. math::
        m &\leftarrow \beta_1 m + (1 - \beta_1) g, \qquad v \leftarrow \beta_2 v + (1 - \beta_2) g^2 \\
        \hat m &= \frac{m}{1 - \beta_1^t}, \qquad \hat v = \frac{v}{1 - \beta_2^t}, \qquad
        \theta \leftarrow \theta - \eta \, \frac{\hat m}{\sqrt{\hat v} + \epsilon}
    """
    check_positive_int(t, "t")
    theta, m, v, grad = _step_arrays(theta, m=m, v=v, grad=grad)
    check_positive(lr, "lr")
    _check_decay(beta1, "beta1")
    _check_decay(beta2, "beta2")
    check_positive(eps, "eps")
    m_new = beta1 * m + (1 - beta1) * grad
    v_new = beta2 * v + (1 - beta2) * grad * grad
    m_hat, v_hat = m_new / (1 - beta1 ** t), v_new / (1 - beta2 ** t)
    return theta - lr * m_hat / (np.sqrt(v_hat) + eps), m_new, v_new
