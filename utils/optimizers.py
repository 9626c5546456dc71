r"""Optimizers: rules that turn gradients into parameter updates.

Gradient descent moves every parameter a small step against its gradient,
:math:`\theta \leftarrow \theta - \eta \, \nabla_\theta L`, where the
*learning rate* :math:`\eta` sets the step size. The optimizers here follow
PyTorch's update rules exactly (``torch.optim.SGD`` without dampening or
Nesterov, ``torch.optim.Adam`` with bias correction), so their numbers can be
compared one to one. They update ``Parameter.data`` in place and keep its dtype.

Left out on purpose: learning-rate schedules, Nesterov momentum, AMSGrad.
"""

import math

import numpy as np

from ._validation import check_non_negative, check_positive, check_probability
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
        check_probability(momentum, "momentum")
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
        if len(betas) != 2:
            raise ValueError(f"betas must be a pair (beta1, beta2), got {betas!r}")
        for k, beta in enumerate(betas, start=1):
            check_probability(beta, f"beta{k}")
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


#: Optimizers by name: ``OPTIMIZERS["adam"](model.parameters(), lr=1e-3)``.
OPTIMIZERS = {"sgd": SGD, "adam": Adam}
