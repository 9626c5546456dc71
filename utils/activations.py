r"""Activation functions and their derivatives.

An activation function :math:`g` is applied elementwise to a layer's
pre-activation :math:`z = xW + b`; without it a stack of layers would collapse
into one linear map. Each function here is pure, keeps the dtype and shape of
its input, and sits right above its derivative ``<name>_grad``, which is always
evaluated at the pre-activation :math:`z` (not at the output :math:`g(z)`).

``softmax`` is not elementwise: it turns a row of scores into a probability
distribution. Its gradient is folded into the cross-entropy loss
(:func:`utils.losses.cross_entropy_grad`), the way every framework does it.

Left out on purpose: GELU, SiLU and friends, which the course does not use.
"""

from typing import Callable, NamedTuple

import numpy as np

from ._validation import as_float_array, check_non_negative


def step(z):
    r"""Heaviside step, the perceptron's original activation.

    Parameters
    ----------
    z : ndarray, any shape
        Pre-activations.

    Returns
    -------
    ndarray, same shape and dtype as `z`
        1 where :math:`z \ge 0`, else 0.

    Notes
    -----
    .. math:: \operatorname{step}(z) = \begin{cases} 1 & z \ge 0 \\ 0 & z < 0 \end{cases}

    Its derivative is 0 everywhere except at 0, where it does not exist, so
    gradient descent cannot learn through it. That is why networks use
    :func:`sigmoid` and its cousins instead.
    """
    z = as_float_array(z, "z")
    return (z >= 0).astype(z.dtype)


def sigmoid(z):
    r"""Logistic sigmoid, squashing any real number into (0, 1).

    Parameters
    ----------
    z : ndarray, any shape
        Pre-activations.

    Returns
    -------
    ndarray, same shape and dtype as `z`

    Notes
    -----
    .. math:: \sigma(z) = \frac{1}{1 + e^{-z}}

    Computed as :math:`e^{z}/(1 + e^{z})` for negative :math:`z`, so that
    :math:`e^{-z}` never overflows: ``sigmoid(-1000)`` is 0 without a warning.
    """
    z = as_float_array(z, "z")
    e = np.exp(-np.abs(z))  # in (0, 1]: cannot overflow
    return np.where(z >= 0, 1 / (1 + e), e / (1 + e))


def sigmoid_grad(z):
    r"""Derivative of :func:`sigmoid`, evaluated at the pre-activation `z`.

    Parameters
    ----------
    z : ndarray, any shape

    Returns
    -------
    ndarray, same shape and dtype as `z`

    Notes
    -----
    .. math:: \sigma'(z) = \sigma(z)\,(1 - \sigma(z))

    At most 0.25 (at :math:`z = 0`): gradients shrink through every sigmoid.
    """
    s = sigmoid(z)
    return s * (1 - s)


def tanh(z):
    r"""Hyperbolic tangent, squashing any real number into (-1, 1).

    Parameters
    ----------
    z : ndarray, any shape

    Returns
    -------
    ndarray, same shape and dtype as `z`

    Notes
    -----
    .. math:: \tanh(z) = \frac{e^{z} - e^{-z}}{e^{z} + e^{-z}} = 2\sigma(2z) - 1

    Zero-centred, unlike the sigmoid.
    """
    return np.tanh(as_float_array(z, "z"))


def tanh_grad(z):
    r"""Derivative of :func:`tanh`, evaluated at the pre-activation `z`.

    Parameters
    ----------
    z : ndarray, any shape

    Returns
    -------
    ndarray, same shape and dtype as `z`

    Notes
    -----
    .. math:: \tanh'(z) = 1 - \tanh^2(z)
    """
    t = tanh(z)
    return 1 - t * t


def relu(z):
    r"""Rectified linear unit: keeps positive inputs, zeroes negative ones.

    Parameters
    ----------
    z : ndarray, any shape

    Returns
    -------
    ndarray, same shape and dtype as `z`

    Notes
    -----
    .. math:: \operatorname{ReLU}(z) = \max(0, z)
    """
    z = as_float_array(z, "z")
    return np.maximum(z, 0)


def relu_grad(z):
    r"""Derivative of :func:`relu`, evaluated at the pre-activation `z`.

    Parameters
    ----------
    z : ndarray, any shape

    Returns
    -------
    ndarray, same shape and dtype as `z`
        1 where :math:`z > 0`, else 0.

    Notes
    -----
    .. math:: \operatorname{ReLU}'(z) = \begin{cases} 1 & z > 0 \\ 0 & z \le 0 \end{cases}

    The derivative does not exist at 0; like PyTorch we use 0 there.
    """
    z = as_float_array(z, "z")
    return (z > 0).astype(z.dtype)


def leaky_relu(z, negative_slope=0.01):
    r"""Leaky ReLU: like ReLU, but a small slope for negative inputs.

    Parameters
    ----------
    z : ndarray, any shape
    negative_slope : float, default 0.01
        The slope :math:`\alpha` for :math:`z < 0` (PyTorch's default).

    Returns
    -------
    ndarray, same shape and dtype as `z`

    Notes
    -----
    .. math:: \operatorname{LeakyReLU}(z) = \begin{cases} z & z > 0 \\ \alpha z & z \le 0 \end{cases}

    Negative units still pass a little gradient, so they cannot "die".
    """
    z = as_float_array(z, "z")
    check_non_negative(negative_slope, "negative_slope")
    return np.where(z > 0, z, z.dtype.type(negative_slope) * z)  # a float64 slope must not upcast float32


def leaky_relu_grad(z, negative_slope=0.01):
    r"""Derivative of :func:`leaky_relu`, evaluated at the pre-activation `z`.

    Parameters
    ----------
    z : ndarray, any shape
    negative_slope : float, default 0.01

    Returns
    -------
    ndarray, same shape and dtype as `z`
        1 where :math:`z > 0`, else :math:`\alpha`.
    """
    z = as_float_array(z, "z")
    check_non_negative(negative_slope, "negative_slope")
    return np.where(z > 0, 1, z.dtype.type(negative_slope)).astype(z.dtype)


def log_softmax(z, axis=-1):
    r"""Logarithm of :func:`softmax`, computed without forming the softmax.

    Parameters
    ----------
    z : ndarray, shape (N, C)
        Scores (logits), one row per sample.
    axis : int, default -1
        The class axis.

    Returns
    -------
    ndarray, same shape and dtype as `z`

    Raises
    ------
    ValueError
        As :func:`softmax`: NaN, a scalar, or no scores along `axis`.

    Notes
    -----
    .. math:: \log \operatorname{softmax}(z)_k = z_k - \max_j z_j - \log \sum_j e^{z_j - \max_j z_j}
    """
    z = _scores(z, axis, "log_softmax")
    shifted = z - z.max(axis=axis, keepdims=True)  # largest score becomes 0: exp cannot overflow
    return shifted - np.log(np.exp(shifted).sum(axis=axis, keepdims=True))


def softmax(z, axis=-1):
    r"""Turn each row of scores into probabilities that sum to 1.

    Parameters
    ----------
    z : ndarray, shape (N, C)
        Scores (logits), one row per sample.
    axis : int, default -1
        The class axis.

    Returns
    -------
    ndarray, same shape and dtype as `z`
        Each row is non-negative and sums to 1. An empty batch, shape (0, C),
        gives an empty result.

    Raises
    ------
    ValueError
        If `z` holds NaN, is a scalar, or has no scores along `axis` (shape
        (N, 0)): a distribution over no classes cannot sum to 1.

    Notes
    -----
    .. math:: \operatorname{softmax}(z)_k = \frac{e^{z_k}}{\sum_j e^{z_j}}
              = \frac{e^{z_k - m}}{\sum_j e^{z_j - m}}, \quad m = \max_j z_j

    Subtracting the row maximum :math:`m` changes nothing mathematically and
    keeps :math:`e^{z}` from overflowing for scores like 1e4.
    """
    z = _scores(z, axis, "softmax")
    e = np.exp(z - z.max(axis=axis, keepdims=True))
    return e / e.sum(axis=axis, keepdims=True)


def _scores(z, axis, name):
    """`z` as a float array with at least one score along `axis` (the classes)."""
    z = as_float_array(z, "z")
    if z.ndim == 0:
        raise ValueError(f"{name} needs an array of scores, one per class, got the scalar {z}")
    if not -z.ndim <= axis < z.ndim:
        raise ValueError(f"{name}: axis {axis} does not exist in z of shape {z.shape}")
    if z.shape[axis] == 0:
        raise ValueError(f"{name} needs at least one class: z has shape {z.shape}, with no "
                         f"scores along axis {axis}, and a distribution over no classes "
                         f"cannot sum to 1")
    return z


class Activation(NamedTuple):
    """An activation and its derivative; calling it applies the activation."""

    fn: Callable
    grad: Callable

    def __call__(self, z):
        return self.fn(z)


#: Elementwise activations by name: ``ACTIVATIONS["relu"](z)``, ``ACTIVATIONS["relu"].grad(z)``.
ACTIVATIONS = {
    "sigmoid": Activation(sigmoid, sigmoid_grad),
    "tanh": Activation(tanh, tanh_grad),
    "relu": Activation(relu, relu_grad),
    "leaky_relu": Activation(leaky_relu, leaky_relu_grad),
}
