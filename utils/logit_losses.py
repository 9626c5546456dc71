r"""Binary cross-entropy computed from logits, never from probabilities.

:func:`utils.losses.binary_cross_entropy` takes probabilities :math:`p = \sigma(z)`.
Once :math:`\sigma(z)` has been rounded to exactly 0 or 1 (for :math:`z = 40` in
float64, :math:`z = 17` in float32), :math:`\log(1 - p)` is :math:`\log 0` and the
loss can only be clamped. Working on the logit :math:`z` itself keeps every
digit: the loss of a confidently wrong logit of 1000 is 1000, not a clamp.
This is PyTorch's ``binary_cross_entropy_with_logits`` (``BCEWithLogitsLoss``),
and lesson 04 builds it.

Left out on purpose: ``pos_weight`` and per-sample weights.
"""

import numpy as np

from ._validation import as_float_array, check_same_shape


def binary_cross_entropy_with_logits(z, y):
    r"""Binary cross-entropy of the logits `z`, averaged over every element.

    Parameters
    ----------
    z : ndarray, shape (N,) or (N, 1), float
        Logits: the pre-activation of the output, before the sigmoid.
        Integer input is read as float64.
    y : ndarray, same shape as `z`
        Targets in [0, 1]: 0 or 1, or a soft target in between.

    Returns
    -------
    float
        The mean loss (a Python float, as :func:`utils.losses.binary_cross_entropy`).

    Raises
    ------
    ValueError
        If `z` and `y` differ in shape, are empty, hold NaN, or `y` lies outside [0, 1].

    Notes
    -----
    With :math:`\log \sigma(z) = -\log(1 + e^{-z})` and
    :math:`\log(1 - \sigma(z)) = -z - \log(1 + e^{-z})`,

    .. math:: L = \frac{1}{M} \sum_i \Big[ \max(z_i, 0) - z_i y_i + \log\big(1 + e^{-|z_i|}\big) \Big],

    where :math:`M` is the number of elements. The exponent :math:`-|z|` is never
    positive, so nothing overflows. Source: the same formula as PyTorch's
    ``binary_cross_entropy_with_logits`` and TensorFlow's
    ``sigmoid_cross_entropy_with_logits``.
    """
    z, y = _logits_and_targets(z, y)
    per_element = np.maximum(z, 0) - z * y + np.log1p(np.exp(-np.abs(z)))
    return float(np.mean(per_element))


def binary_cross_entropy_with_logits_grad(z, y):
    r"""Gradient of :func:`binary_cross_entropy_with_logits` with respect to `z`.

    Parameters
    ----------
    z : ndarray, shape (N,) or (N, 1), float
    y : ndarray, same shape as `z`, values in [0, 1]

    Returns
    -------
    ndarray, same shape as `z`, same dtype (float64 for integer `z`)

    Raises
    ------
    ValueError
        As :func:`binary_cross_entropy_with_logits`.

    Notes
    -----
    .. math:: \frac{\partial L}{\partial z_i} = \frac{1}{M} \big(\sigma(z_i) - y_i\big)

    The sigmoid's derivative cancels against the logarithm's: the gradient is
    "prediction minus target", like softmax cross-entropy's.
    """
    z, y = _logits_and_targets(z, y)
    e = np.exp(-np.abs(z))  # the stable sigmoid of utils.activations, inline: no second validation
    p = np.where(z >= 0, 1 / (1 + e), e / (1 + e))
    return (p - y) / z.size


def _logits_and_targets(z, y):
    z = as_float_array(z, "z")
    y = as_float_array(y, "y", dtype=z.dtype)
    check_same_shape(z, y, "z", "y")
    if z.size == 0:
        raise ValueError("z is empty: a loss needs at least one logit")
    if not np.all(np.isfinite(z)):
        raise ValueError("z must be finite logits, got inf")
    if y.min() < 0 or y.max() > 1:
        raise ValueError(f"y must hold targets in [0, 1] (0 or 1 for two classes), got values in "
                         f"[{y.min():.4g}, {y.max():.4g}]; labels of -1 and 1 must become 0 and 1 first")
    return z, y
