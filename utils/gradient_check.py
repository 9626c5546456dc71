r"""Gradient checking: compare an analytic gradient with a numerical one.

A backward pass is easy to get subtly wrong. The cure is to compare it with
*central differences*, which need nothing but the forward pass:

.. math:: \frac{\partial f}{\partial x_i} \approx \frac{f(x + h e_i) - f(x - h e_i)}{2h}

The error of this estimate shrinks like :math:`h^2`. In float64 with
:math:`h = 10^{-5}`, a correct gradient agrees to a relative error of about
1e-7 or better; an error above 1e-4 almost always means a bug. Always check in
float64: float32 rounding alone gives errors around 1e-3, which look like a bug
and are not one. ``check_layer_gradients`` therefore checks a float64 copy of
the layer, whatever its own dtype.
"""

import copy
import numbers
import warnings

import numpy as np

from ._validation import as_float_array


def numerical_gradient(f, x, h=1e-5):
    r"""Gradient of a scalar function by central differences.

    Parameters
    ----------
    f : callable
        ``f(x)`` returns one number (a Python or numpy scalar, or an array
        holding a single value). It is called :math:`2 \cdot x.size` times.
    x : ndarray of float, any shape
        The point to differentiate at. It is perturbed in place and restored.
    h : float, default 1e-5
        The step.

    Returns
    -------
    ndarray, same shape and dtype as `x`
        :math:`(f(x + h e_i) - f(x - h e_i)) / 2h` for every index :math:`i`.

    Raises
    ------
    ValueError
        If `x` is not a writable float array, or if `f` returns anything but a
        single number (for an array-valued `f`, use :func:`numerical_gradient_array`).
    """
    if not isinstance(x, np.ndarray) or x.dtype.kind != "f" or not x.flags.writeable:
        given = (f"a {type(x).__name__}" if not isinstance(x, np.ndarray) else
                 f"dtype {x.dtype}" if x.dtype.kind != "f" else "a read-only array")
        raise ValueError(f"x must be a writable float array (it is perturbed in place), got {given}")
    grad = np.zeros_like(x)
    it = np.nditer(x, flags=["multi_index"], op_flags=[["readwrite"]])
    for _ in it:
        i = it.multi_index
        old = x[i]
        x[i] = old + h
        f_plus = _scalar(f(x))
        x[i] = old - h
        f_minus = _scalar(f(x))
        x[i] = old
        grad[i] = (f_plus - f_minus) / (2 * h)
    return grad


def _scalar(value):
    """`value`, the result of the function being differentiated, as a float."""
    if isinstance(value, numbers.Real) and not isinstance(value, (bool, np.bool_)):
        return float(value)
    arr = np.asarray(value) if isinstance(value, (np.ndarray, list, tuple)) else None
    if arr is not None and arr.size == 1 and arr.dtype.kind in "iuf":
        return float(arr.reshape(()))
    got = (f"an array of shape {arr.shape}" if arr is not None else
           f"{value!r} of type {type(value).__name__}")
    raise ValueError(f"f must return a single number (a scalar loss), got {got}; to check the "
                     f"gradient of a function that returns an array, use "
                     f"numerical_gradient_array(f, x, dout), or reduce it to a number, e.g. "
                     f"lambda x: np.sum(f(x))")


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

    The check runs on a float64 copy of `layer`: its parameters (and a
    ``dtype`` attribute, as ``Dense`` has) are converted to float64, so a
    default float32 layer is checked at float64 precision; `layer` itself is
    left as it was. In float32, rounding alone gives relative errors of about
    1e-3 (``Dense(3, 4)``: 4e-3 to 6e-3) for a correct backward pass, too
    close to what a bug gives to tell the two apart.

    Parameters
    ----------
    layer : Layer
        Any dtype. Dropout must be in eval mode or have a fixed mask, since the
        check calls ``forward`` many times.
    x : ndarray, shape (N, D_in)
        Converted to float64.
    seed : int, default 0
        Seed of the random upstream gradient.
    h : float, default 1e-5

    Returns
    -------
    dict of str to float
        Relative error for ``"x"`` and for each parameter by name
        (``"W"``, ``"b"``; a repeated name gets its position, ``"W[2]"``);
        each should be below about 1e-7, and above 1e-4 almost always means a bug.

    Warns
    -----
    UserWarning
        If the copy still computes in a lower precision than float64 (a layer
        that casts to its own fixed dtype): its errors then include rounding of
        about 1e-3 and do not prove a bug.
    """
    layer = _float64_copy(layer)
    x = np.array(x, dtype=np.float64)
    out = np.asarray(layer.forward(x))
    if out.dtype != np.float64:
        warnings.warn(f"{layer!r} computes in {out.dtype} even with float64 parameters and input, "
                      f"so the relative errors include {out.dtype} rounding (about 1e-3 for "
                      f"float32) and do not by themselves mean a bug; let the layer take "
                      f"dtype=np.float64 to check it properly", UserWarning, stacklevel=2)
    dout = np.random.default_rng(seed).standard_normal(out.shape)
    layer.zero_grad()
    layer.forward(x)
    dx = layer.backward(dout)
    errors = {"x": rel_error(dx, numerical_gradient_array(layer.forward, x, dout, h))}
    for k, p in enumerate(layer.parameters()):
        num = numerical_gradient_array(lambda _: layer.forward(x), p.data, dout, h)
        key = p.name or "param"
        errors[key if key not in errors else f"{key}[{k}]"] = rel_error(p.grad, num)
    return errors


def _float64_copy(layer):
    """A deep copy of `layer` whose parameters (and ``dtype`` attributes) are float64."""
    layer = copy.deepcopy(layer)
    for part in _sublayers(layer):
        try:
            np.dtype(getattr(part, "dtype"))
        except (AttributeError, TypeError):
            continue
        part.dtype = np.dtype(np.float64)
    for p in layer.parameters():
        p.data = p.data.astype(np.float64)
        p.grad = np.zeros_like(p.data)
    return layer


def _sublayers(layer):
    """`layer` and, for a container such as ``Sequential``, every layer inside it."""
    yield layer
    for inner in getattr(layer, "layers", ()):
        yield from _sublayers(inner)
