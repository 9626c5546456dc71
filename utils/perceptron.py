r"""The perceptron: a weighted sum, a bias and a step, learned by Rosenblatt's rule.

A perceptron computes :math:`z = w \cdot x + b` and outputs
:math:`\hat y = \operatorname{step}(z)`, 1 on one side of the line (plane)
:math:`w \cdot x + b = 0` and 0 on the other. Its learning rule nudges the
weights towards each misclassified sample and stops changing them once every
sample is on the right side, which happens only when the classes are linearly
separable.

These are the reference implementations that lesson 01's demonstrations and
exercise checks use. Labels are 0 and 1 throughout.

Left out on purpose: the pocket algorithm and multi-class perceptrons.
"""

from typing import NamedTuple

import numpy as np

from ._validation import as_float_array, check_ndim, check_positive, check_positive_int, check_rng
from .activations import step


def weighted_sum(X, w, b):
    r"""The perceptron's pre-activation for a batch.

    Parameters
    ----------
    X : ndarray, shape (N, D)
        One sample per row.
    w : ndarray, shape (D,)
        Weights.
    b : float
        Bias.

    Returns
    -------
    z : ndarray, shape (N,)

    Notes
    -----
    .. math:: z_i = w \cdot x_i + b = \sum_{j=1}^{D} w_j x_{ij} + b, \qquad z = X w + b
    """
    X, w = _inputs(X, w)
    return X @ w + b


def perceptron_predict(X, w, b):
    r"""The perceptron's output :math:`\hat y = \operatorname{step}(Xw + b)`, 0 or 1 per sample.

    Parameters
    ----------
    X : ndarray, shape (N, D)
    w : ndarray, shape (D,)
    b : float

    Returns
    -------
    y_hat : ndarray, shape (N,), values 0.0 or 1.0
    """
    return step(weighted_sum(X, w, b))


def perceptron_update(w, b, x, y, eta=1.0):
    r"""One step of the perceptron learning rule on one sample.

    Parameters
    ----------
    w : ndarray, shape (D,)
    b : float
    x : ndarray, shape (D,)
        One sample.
    y : {0, 1}
        Its label.
    eta : float > 0, default 1.0
        Learning rate :math:`\eta`.

    Returns
    -------
    w_new : ndarray, shape (D,)
        A new array (also when nothing changes), with the dtype of ``w + x``: float
        inputs keep their dtype, integer inputs give float64.
    b_new : float
        ``b``'s own type: a Python float for a Python number, ``np.float32`` for ``np.float32``.
        The inputs are not modified.

    Notes
    -----
    .. math:: \hat y = \operatorname{step}(w \cdot x + b), \qquad
              w \leftarrow w + \eta\,(y - \hat y)\,x, \qquad
              b \leftarrow b + \eta\,(y - \hat y)

    A correctly classified sample has :math:`y - \hat y = 0` and changes nothing.

    Textbooks often write the rule for labels :math:`t \in \{-1, +1\}`: on a mistake
    (:math:`t\,(w \cdot x + b) \le 0`), :math:`w \leftarrow w + \eta\,t\,x` and
    :math:`b \leftarrow b + \eta\,t`. With :math:`t = 2y - 1`, :math:`y - \hat y = t` on every
    mistake, so the two rules make the same steps; they differ only for a sample exactly on the
    boundary, which the :math:`\pm 1` form counts as a mistake for both classes.
    """
    check_positive(eta, "eta")
    x = as_float_array(x, "x")
    check_ndim(x, 1, "x", "(D,)")
    error = float(y - perceptron_predict(x[None, :], w, b)[0])  # a Python number: b keeps its own type
    return w + eta * error * x, b + eta * error


class PerceptronRun(NamedTuple):
    """Result of :func:`train_perceptron`."""

    w: np.ndarray
    b: float
    errors: list
    """Mistakes in each epoch, counted while the weights change: a sample counts when the
    weights it meets (updated by the samples before it) misclassify it."""
    path: list
    """``(w, b)`` after each epoch, starting with the initial values."""

    @property
    def converged(self):
        """True when the last epoch made no mistake: every sample is on its side, so more epochs change nothing."""
        return bool(self.errors) and self.errors[-1] == 0


def train_perceptron(X, y, *, eta=1.0, epochs=20, w=None, b=0.0, rng=None, shuffle=True):
    r"""Run the perceptron learning rule over the data, one sample at a time.

    Parameters
    ----------
    X : ndarray, shape (N, D)
    y : ndarray, shape (N,), values 0 or 1
    eta : float > 0, default 1.0
    epochs : int >= 1, default 20
        Stops earlier, after the first epoch with no mistake.
    w : ndarray, shape (D,), optional
        Initial weights (zeros by default).
    b : float, default 0.0
    rng : numpy.random.Generator, optional
        Draws the order of the samples, ``rng.permutation(N)``, afresh at the start of each epoch.
    shuffle : bool, default True
        False visits the samples in the order 0, ..., N-1 in every epoch (and ignores `rng`).

    Returns
    -------
    PerceptronRun
        Final ``w`` and ``b``, mistakes per epoch, and ``(w, b)`` after each epoch.

    Notes
    -----
    A mistake is counted while the weights change: sample :math:`i` counts when the weights
    it meets misclassify it, and then the rule updates them. So the count of an epoch is not
    the number of samples the final weights misclassify; an epoch that starts from a poor
    guess counts only the mistakes left after the first updates have improved it.
    """
    X, w = _inputs(X, np.zeros(np.shape(X)[-1]) if w is None else w)
    check_positive_int(epochs, "epochs")
    rng = check_rng(rng) if shuffle else None
    errors, path = [], [(w.copy(), float(b))]
    for _ in range(epochs):
        mistakes = 0
        for i in (rng.permutation(len(X)) if shuffle else range(len(X))):
            w_new, b_new = perceptron_update(w, b, X[i], y[i], eta)
            mistakes += int(b_new != b or np.any(w_new != w))
            w, b = w_new, b_new
        errors.append(mistakes)
        path.append((w.copy(), float(b)))
        if mistakes == 0:
            break
    return PerceptronRun(w, float(b), errors, path)


def _inputs(X, w):
    X = as_float_array(X, "X")
    w = as_float_array(w, "w")
    check_ndim(X, 2, "X", "(N, D)")
    check_ndim(w, 1, "w", "(D,)")
    if X.shape[1] != len(w):
        raise ValueError(f"X has {X.shape[1]} features per sample but w has {len(w)} weights; "
                         f"expected X of shape (N, {len(w)}), got {X.shape}")
    return X, w
