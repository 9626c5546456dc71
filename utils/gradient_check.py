r"""Gradient checking: compare an analytic gradient with a numerical one.

A backward pass is easy to get subtly wrong. The cure is to compare it with
*central differences*, which need nothing but the forward pass:

.. math:: \frac{\partial f}{\partial x_i} \approx \frac{f(x + h e_i) - f(x - h e_i)}{2h}

The error of this estimate shrinks like :math:`h^2`. In float64 with
:math:`h = 10^{-5}`, a correct gradient agrees to a relative error of about
1e-7 or better; an error above 1e-4 almost always means a bug. Always check in
float64: float32 rounding alone gives errors around 1e-3.
"""

import numpy as np

from ._validation import as_float_array


def numerical_gradient(f, x, h=1e-5):
    r"""Gradient of a scalar function by central differences.

    Parameters
    ----------
    f : callable
        ``f(x)`` returns a number. It is called :math:`2 \cdot x.size` times.
    x : ndarray, any shape
        The point to differentiate at. It is perturbed in place and restored.
    h : float, default 1e-5
        The step.

    Returns
    -------
    ndarray, same shape as `x`
        :math:`(f(x + h e_i) - f(x - h e_i)) / 2h` for every index :math:`i`.
    """
    if not np.issubdtype(np.asarray(x).dtype, np.floating):
        raise ValueError(f"x must be a float array (perturbed in place), got dtype {np.asarray(x).dtype}")
    grad = np.zeros_like(x)
    it = np.nditer(x, flags=["multi_index"], op_flags=[["readwrite"]])
    for _ in it:
        i = it.multi_index
        old = x[i]
        x[i] = old + h
        f_plus = f(x)
        x[i] = old - h
        f_minus = f(x)
        x[i] = old
        grad[i] = (f_plus - f_minus) / (2 * h)
    return grad


def numerical_gradient_array(f, x, dout, h=1e-5):
    r"""Vector-Jacobian product of an array-valued function by central differences.

    Parameters
    ----------
    f : callable
        ``f(x)`` returns an array of the shape of `dout`.
    x : ndarray, any shape
        Perturbed in place and restored.
    dout : ndarray
        The upstream gradient :math:`\partial L / \partial f`.
    h : float, default 1e-5

    Returns
    -------
    ndarray, same shape as `x`
        :math:`\sum_j \text{dout}_j \, \partial f_j / \partial x_i`, the gradient a
        backward pass must return.
    """
    return numerical_gradient(lambda x_: float(np.sum(f(x_) * dout)), x, h)


def rel_error(a, b):
    r"""Largest elementwise relative error between two arrays.

    Returns
    -------
    float
        :math:`\max_i |a_i - b_i| / \max(10^{-8}, |a_i| + |b_i|)`; 0 for identical arrays.
    """
    a, b = as_float_array(a, "a"), as_float_array(b, "b")
    if a.shape != b.shape:
        raise ValueError(f"a and b must have the same shape, got {a.shape} and {b.shape}")
    if a.size == 0:
        return 0.0
    return float(np.max(np.abs(a - b) / np.maximum(1e-8, np.abs(a) + np.abs(b))))


def check_layer_gradients(layer, x, *, seed=0, h=1e-5):
    r"""Compare a layer's ``backward`` with central differences, for its input and every parameter.

    Uses the scalar :math:`L = \sum_{ij} \text{out}_{ij}\, \text{dout}_{ij}` with a
    random ``dout``, so that :math:`\partial L/\partial \text{out} = \text{dout}`.

    Parameters
    ----------
    layer : Layer
        Build it with ``dtype=np.float64``. Dropout must be in eval mode or have
        a fixed mask, since the check calls ``forward`` many times.
    x : ndarray, shape (N, D_in), float64
    seed : int, default 0
        Seed of the random upstream gradient.
    h : float, default 1e-5

    Returns
    -------
    dict of str to float
        Relative error for ``"x"`` and for each parameter by name
        (``"W"``, ``"b"``; a repeated name gets its position, ``"W[2]"``);
        each should be below about 1e-7.
    """
    x = np.array(x, dtype=np.float64)
    dout = np.random.default_rng(seed).standard_normal(layer.forward(x).shape)
    layer.zero_grad()
    layer.forward(x)
    dx = layer.backward(dout)
    errors = {"x": rel_error(dx, numerical_gradient_array(layer.forward, x, dout, h))}
    for k, p in enumerate(layer.parameters()):
        num = numerical_gradient_array(lambda _: layer.forward(x), p.data, dout, h)
        key = p.name or "param"
        errors[key if key not in errors else f"{key}[{k}]"] = rel_error(p.grad, num)
    return errors
