r"""Metrics of a classifier beyond accuracy: the confusion matrix.

Accuracy (:func:`utils.training.accuracy`) says how often a classifier is
right; the *confusion matrix* says how it is wrong: which true class is taken
for which. Row :math:`i` counts the samples whose true class is :math:`i`,
column :math:`j` those predicted as :math:`j`, so the diagonal holds the
correct predictions and every other entry one kind of mistake. This is the
convention of scikit-learn's ``confusion_matrix`` and of most textbooks
(rows true, columns predicted); a few tools print its transpose, so always
read the axis labels.

Left out on purpose: precision, recall and F1 per class (each is one line of
numpy on this matrix: a column or a row divided by its sum).
"""

import numpy as np


def confusion_matrix(y_true, y_pred, num_classes):
    r"""Count how often each true class is predicted as each class.

    Parameters
    ----------
    y_true : array_like of int, shape (N,)
        True class labels in ``0 .. num_classes - 1``.
    y_pred : array_like of int, shape (N,)
        Predicted class labels in ``0 .. num_classes - 1``.
    num_classes : int >= 1
        :math:`C`. Given, not read off the labels: a class that never occurs
        still gets its row and column.

    Returns
    -------
    ndarray of int64, shape (C, C)
        ``M[i, j]`` is the number of samples of true class ``i`` predicted as
        ``j``. Rows sum to the class counts of `y_true`; the trace is the
        number of correct predictions.

    Raises
    ------
    ValueError
        If the labels are not whole numbers of shape (N,), their lengths
        differ, or a label is outside ``0 .. num_classes - 1`` (the message
        names its position).

    Notes
    -----
    .. math:: M_{ij} = \sum_{n=1}^{N} [\,y_n = i\,]\,[\,\hat y_n = j\,]

    Source: the convention of ``sklearn.metrics.confusion_matrix``.

    Examples
    --------
    >>> confusion_matrix([0, 1, 1, 2], [0, 2, 1, 2], 3)
    array([[1, 0, 0],
           [0, 1, 1],
           [0, 0, 1]])
    """
    if isinstance(num_classes, bool) or not isinstance(num_classes, (int, np.integer)) or num_classes < 1:
        raise ValueError(f"num_classes must be an integer >= 1, got {num_classes!r}")
    y_true, y_pred = (_labels(a, name, num_classes) for a, name in ((y_true, "y_true"), (y_pred, "y_pred")))
    if len(y_true) != len(y_pred):
        raise ValueError(f"y_true and y_pred must have the same length, got {len(y_true)} and {len(y_pred)}")
    # np.add.at adds 1 once per sample, also where (i, j) repeats; M[y_true, y_pred] += 1 would not.
    M = np.zeros((num_classes, num_classes), dtype=np.int64)
    np.add.at(M, (y_true, y_pred), 1)
    return M


def _labels(a, name, num_classes):
    """`a` as int64 labels of shape (N,), checked to lie in 0 .. num_classes - 1."""
    a = np.asarray(a)
    if a.ndim != 1 or a.dtype.kind not in "iuf":
        raise ValueError(f"{name} must hold class labels, shape (N,), got shape {a.shape} and dtype {a.dtype}")
    bad = ~((a >= 0) & (a < num_classes) & (a == np.round(a)))
    if bad.any():
        i = int(np.argmax(bad))
        raise ValueError(f"{name}[{i}] = {a[i]} is not a class label in 0 .. {num_classes - 1}")
    return a.astype(np.int64)


__all__ = ["confusion_matrix"]
