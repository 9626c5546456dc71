r"""Loss functions and their gradients.

A loss :math:`L` is one number that says how far the predictions are from the
targets; training makes it small. Every loss here is the *mean* over the batch,
like PyTorch's defaults, and is paired with ``<name>_grad``, the gradient of
that mean with respect to the loss's first argument (same shape as it). That
gradient is where backpropagation starts.

Left out on purpose: sum reductions, class weights and label smoothing.
"""

from typing import Callable, NamedTuple

import numpy as np

from ._validation import _first_index, as_float_array, check_labels, check_ndim, check_same_shape
from .activations import log_softmax, softmax

#: PyTorch clamps log-probabilities at -100 in binary cross-entropy; so do we.
_LOG_FLOOR = -100.0
#: Smallest value of p (1 - p) we divide by in the BCE gradient, as PyTorch does.
_GRAD_EPS = 1e-12


def mse(y_pred, y_true):
    r"""Mean squared error, averaged over every element.

    Parameters
    ----------
    y_pred : ndarray, shape (N,) or (N, K)
        Predictions :math:`\hat y`.
    y_true : ndarray, same shape as `y_pred`
        Targets :math:`y`.

    Returns
    -------
    float

    Notes
    -----
    .. math:: L = \frac{1}{M} \sum_{i} (\hat y_i - y_i)^2

    where :math:`M` is the number of elements. No factor 1/2, like PyTorch's
    ``MSELoss``.
    """
    y_pred, y_true = _pair(y_pred, y_true)
    diff = y_pred - y_true
    return float(np.mean(diff * diff))


def mse_grad(y_pred, y_true):
    r"""Gradient of :func:`mse` with respect to `y_pred`.

    Returns
    -------
    ndarray, same shape and dtype as `y_pred`

    Notes
    -----
    .. math:: \frac{\partial L}{\partial \hat y_i} = \frac{2}{M} (\hat y_i - y_i)
    """
    y_pred, y_true = _pair(y_pred, y_true)
    return (2 / y_pred.size) * (y_pred - y_true)


def binary_cross_entropy(p, y):
    r"""Binary cross-entropy on probabilities, averaged over every element.

    Parameters
    ----------
    p : ndarray, shape (N,) or (N, 1)
        Predicted probabilities :math:`p = P(y = 1)`, in [0, 1] (a sigmoid's output).
    y : ndarray, same shape as `p`
        Targets in [0, 1]: class labels 0 or 1, or soft targets (a probability
        of class 1, such as 0.9).

    Returns
    -------
    float

    Raises
    ------
    ValueError
        If `p` is outside [0, 1] (logits instead of probabilities), if a target
        is outside [0, 1] (labels -1 and +1 are refused, with the conversion
        :math:`(y + 1)/2`), if either holds NaN or an infinity, or if the
        shapes differ.

    Notes
    -----
    .. math:: L = -\frac{1}{M} \sum_i \big[ y_i \log p_i + (1 - y_i) \log(1 - p_i) \big]

    With a target outside [0, 1] this sum has no lower bound (with :math:`y = -1`
    it falls without limit as :math:`p \to 1`), which is why such targets are refused.

    Each log is clamped at -100, as in PyTorch, so p = 0 or 1 gives a large
    but finite loss instead of infinity.
    """
    p, y = _probabilities(p, y)
    with np.errstate(divide="ignore"):  # log(0) = -inf is expected here, and clamped next
        log_p = np.maximum(np.log(p), _LOG_FLOOR)
        log_1mp = np.maximum(np.log(1 - p), _LOG_FLOOR)
    return float(-np.mean(y * log_p + (1 - y) * log_1mp))


def binary_cross_entropy_grad(p, y):
    r"""Gradient of :func:`binary_cross_entropy` with respect to `p`.

    Returns
    -------
    ndarray, same shape and dtype as `p`

    Notes
    -----
    .. math:: \frac{\partial L}{\partial p_i} = \frac{1}{M} \, \frac{p_i - y_i}{p_i (1 - p_i)}

    The denominator is kept above 1e-12 (as in PyTorch), so p = 0 or 1 gives
    a large but finite gradient.
    """
    p, y = _probabilities(p, y)
    return (p - y) / (np.maximum(p * (1 - p), _GRAD_EPS) * p.size)


def cross_entropy(logits, labels):
    r"""Softmax cross-entropy on raw scores, averaged over the batch.

    Parameters
    ----------
    logits : ndarray, shape (N, C)
        Unnormalised scores :math:`z`, one row per sample (no softmax applied).
    labels : ndarray of int, shape (N,)
        The correct class :math:`y_i \in \{0, \dots, C-1\}` of each sample.

    Returns
    -------
    float

    Notes
    -----
    .. math:: L = -\frac{1}{N} \sum_{i=1}^{N} \log \operatorname{softmax}(z_i)_{y_i}

    Computed through :func:`utils.activations.log_softmax`, so a confident
    wrong prediction (a logit of 1e4 on the wrong class) gives a large, finite
    loss.
    """
    logits, labels = _logits(logits, labels)
    log_p = log_softmax(logits)
    return float(-np.mean(log_p[np.arange(len(labels)), labels]))


def cross_entropy_grad(logits, labels):
    r"""Gradient of :func:`cross_entropy` with respect to `logits`.

    Returns
    -------
    ndarray, shape (N, C), same dtype as `logits`

    Notes
    -----
    .. math:: \frac{\partial L}{\partial z_{ik}} = \frac{1}{N} \big(\operatorname{softmax}(z_i)_k - [k = y_i]\big)

    The softmax's own Jacobian cancels against the log: the result is simply
    "predicted probabilities minus the one-hot target".
    """
    logits, labels = _logits(logits, labels)
    grad = softmax(logits)
    grad[np.arange(len(labels)), labels] -= 1
    grad /= len(labels)
    return grad


def _cross_entropy_and_grad(logits, labels):
    """``(cross_entropy(logits, labels), cross_entropy_grad(logits, labels))``, the same
    numbers, with one check of the inputs and one softmax instead of two: ``fit`` uses it."""
    logits, labels = _logits(logits, labels)
    rows = np.arange(len(labels))
    shifted = logits - logits.max(axis=-1, keepdims=True)  # as in log_softmax and softmax
    e = np.exp(shifted)
    total = e.sum(axis=-1, keepdims=True)
    loss = float(-np.mean(shifted[rows, labels] - np.log(total)[:, 0]))  # log_softmax at the labels
    grad = e / total  # softmax
    grad[rows, labels] -= 1
    grad /= len(labels)
    return loss, grad


def _pair(y_pred, y_true, names=("y_pred", "y_true")):
    """Both as float arrays of one shape and dtype; errors use `names`, the caller's parameter names."""
    pred_name, true_name = names
    y_pred = as_float_array(y_pred, pred_name, finite=True)
    y_true = as_float_array(y_true, true_name, dtype=y_pred.dtype, finite=True)
    check_same_shape(y_pred, y_true, pred_name, true_name)
    if y_pred.size == 0:
        raise ValueError(f"{pred_name} is empty: a loss needs at least one prediction")
    return y_pred, y_true


def _probabilities(p, y):
    p, y = _pair(p, y, names=("p", "y"))
    if p.min() < 0 or p.max() > 1:
        raise ValueError(f"p must hold probabilities in [0, 1], got values in "
                         f"[{p.min():.4g}, {p.max():.4g}]; did you pass logits? "
                         f"Apply sigmoid first")
    check_bce_targets(y, "y")
    return p, y


def check_bce_targets(y, name):
    """Raise unless every target of binary cross-entropy is in [0, 1].

    Hard labels are 0 or 1; soft targets (a probability such as 0.9) are legal
    too. Outside [0, 1] the loss can go below 0 and training runs away, so
    ``-1`` (from the ±1 labelling) is refused with the conversion to use.
    """
    if y.size and (y.min() < 0 or y.max() > 1):  # two reductions, no mask in the usual case
        i = _first_index((y < 0) | (y > 1))
        where = f"{name}[{i}]" if not isinstance(i, tuple) else f"{name}[{', '.join(map(str, i))}]"
        hint = ("; for labels in {-1, +1} use (y + 1) / 2" if y.min() == -1 else "")
        raise ValueError(f"binary cross-entropy needs targets in [0, 1] (0, 1 or a probability), "
                         f"got {where} = {y[i]:.4g}{hint}")


def _logits(logits, labels):
    logits = as_float_array(logits, "logits", finite=True)
    check_ndim(logits, 2, "logits", "(N, C)")
    labels = check_labels(labels, logits.shape[1])
    if len(labels) != len(logits):
        raise ValueError(f"logits has {len(logits)} rows but labels has {len(labels)} entries")
    if len(labels) == 0:
        raise ValueError("logits is empty: a loss needs at least one sample")
    return logits, labels


class Loss(NamedTuple):
    """A loss and its gradient; calling it computes the loss."""

    fn: Callable
    grad: Callable

    def __call__(self, prediction, target):
        return self.fn(prediction, target)


#: Losses by name: ``LOSSES["mse"](y_hat, y)``, ``LOSSES["mse"].grad(y_hat, y)``.
LOSSES = {
    "mse": Loss(mse, mse_grad),
    "binary_cross_entropy": Loss(binary_cross_entropy, binary_cross_entropy_grad),
    "cross_entropy": Loss(cross_entropy, cross_entropy_grad),
}
