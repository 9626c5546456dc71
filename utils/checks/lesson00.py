"""Checks for lesson 00 (welcome): a warm-up with the batch-first convention."""

import numpy as np

from .core import Case, run_cases

__all__ = ["check_column_means"]

#: Two hints for exercise 0.1, for ``hint("0.1")`` and ``hint("0.1", level=2)``.
HINTS = {
    "0.1": ("A mean is a sum divided by a count. Which axis of X counts the samples, and which the features? "
            "The sum runs down each column.",
            "Add up X over axis 0 (the samples) to get one total per feature, shape (D,), then divide by the "
            "number of samples, the length of that axis. Use true division / so the means are floats."),
}


def _cases():
    rng = np.random.default_rng(0)
    square = rng.normal(size=(3, 3)).round(2)
    tall = rng.normal(size=(5, 2)).round(2)
    ints = np.array([[1, 2], [2, 3], [4, 4]])
    cases = []
    for description, X in [("a 3x3 batch, N = D", square), ("5 samples with 2 features", tall),
                           ("one sample", tall[:1]), ("integer features give float64 means", ints),
                           ("float32 features give float32 means", tall.astype(np.float32))]:
        N = X.shape[0]
        cases.append(Case(description, (X,), X.mean(axis=0), names=("X",), mistakes={
            "you averaged each row (axis=1); the features are the columns, so average over the samples, axis=0.":
                X.mean(axis=1),
            "you summed the columns but did not divide by the number of samples N.": X.sum(axis=0),
            "you divided by the number of features D; a mean divides by the number of samples N = X.shape[0].":
                X.sum(axis=0) / X.shape[1],
            "the result was rounded down to whole numbers: with integer features, use true division / "
            "(not //), add up in floats (np.zeros(D), not np.zeros_like(X[0]), which is an integer array), and "
            "do not cast the means back to the input's integer dtype (`.astype(X.dtype)`).":
                X.sum(axis=0) // N,
        }))
    return cases


def check_column_means(column_means):
    """Exercise 0.1: the mean of every feature (column) of a batch ``X`` of shape (N, D).

    The means have shape (D,); float features keep their dtype, integer features give float64.
    """
    run_cases("Exercise 0.1 column_means", column_means, _cases())
