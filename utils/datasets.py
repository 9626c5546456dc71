r"""Small data sets for the lessons, and a train/test split.

Five synthetic 2-D classification sets show what a model can and cannot
learn: blobs a single line separates (the perceptron's world), the XOR
pattern no line separates, and moons, circles and spirals that need a
curved decision boundary. Each returns ``(X, y)``: ``X`` of shape ``(n, 2)``
in float64 and ``y`` of shape ``(n,)`` in int64. The ``n`` samples are
split among the classes as evenly as possible (the first classes get the
extra samples) and the rows are shuffled, so the classes are interleaved.
:func:`make_regression_1d` gives a noisy 1-D curve to fit, and
:func:`load_digits` the 8x8 handwritten digits that ship with scikit-learn,
the real data set every lesson runs on offline. :func:`load_mnist` (from
:mod:`utils.mnist`) downloads the 28x28 MNIST digits once, for learners who
are online, and caches them.

Randomness is explicit: every random function takes ``rng`` (a
``numpy.random.Generator``) or ``seed`` (an int), not both, and the same seed
always gives the same data. In every generator, ``noise`` is the standard
deviation of Gaussian noise added to each coordinate.

Left out on purpose: other downloads, mini-batches
(:func:`utils.training.iterate_minibatches` makes them), feature scaling and
cross-validation.
"""

import numpy as np

from ._validation import (as_float_array, check_labels, check_non_negative, check_positive,
                          check_positive_int, check_probability, check_rng)
from .mnist import load_mnist  # noqa: F401  (re-exported: datasets is where learners look for data)

#: Random blob centres are drawn from the square [-_BOX, _BOX]^2, like scikit-learn's.
_BOX = 10.0


def make_xor(n=200, noise=0.1, *, rng=None, seed=None):
    r"""Four Gaussian clusters at the corners :math:`(\pm 1, \pm 1)`: the XOR pattern.

    Parameters
    ----------
    n : int, default 200
        Number of samples, at least 2.
    noise : float, default 0.1
        Standard deviation of each cluster.
    rng : numpy.random.Generator, optional
    seed : int, optional
        Used to build a generator when `rng` is not given.

    Returns
    -------
    X : ndarray, shape (n, 2), float64
    y : ndarray, shape (n,), int64
        1 where the two coordinates of the cluster centre have different
        signs, else 0.

    Notes
    -----
    .. math:: y = [\operatorname{sign} c_1 \ne \operatorname{sign} c_2]
              = \operatorname{XOR}(c_1 > 0,\ c_2 > 0)

    for a sample drawn around the centre :math:`c`. Both classes have their mean
    at the origin, so no straight line separates them.
    """
    _check_n_and_noise(n, noise, classes=2)
    rng = check_rng(rng, seed)
    corners = np.array([[1, 1], [-1, 1], [-1, -1], [1, -1]], dtype=np.float64)
    sizes = _class_sizes(n, 4)  # corners alternate labels 0, 1, 0, 1: classes stay balanced
    X = np.repeat(corners, sizes, axis=0)
    y = np.repeat(np.array([0, 1, 0, 1], dtype=np.int64), sizes)
    return _jitter_and_shuffle(X, y, noise, rng)


def make_moons(n=200, noise=0.1, *, rng=None, seed=None):
    r"""Two interleaving half circles, like scikit-learn's ``make_moons``.

    Parameters
    ----------
    n : int, default 200
        Number of samples, at least 2.
    noise : float, default 0.1
    rng : numpy.random.Generator, optional
    seed : int, optional

    Returns
    -------
    X : ndarray, shape (n, 2), float64
    y : ndarray, shape (n,), int64
        0 for the upper moon, 1 for the lower one.

    Notes
    -----
    With :math:`t` evenly spaced in :math:`[0, \pi]` in each class,

    .. math:: x^{(0)} = (\cos t,\ \sin t), \qquad x^{(1)} = (1 - \cos t,\ \tfrac12 - \sin t)

    plus noise. scikit-learn gives an odd sample to the lower moon; we give it
    to the upper one, like every set here.
    """
    _check_n_and_noise(n, noise, classes=2)
    rng = check_rng(rng, seed)
    t0, t1 = (np.linspace(0, np.pi, size) for size in _class_sizes(n, 2))
    upper = _unit_circle(t0)
    lower = np.array([1.0, 0.5]) - _unit_circle(t1)
    return _jitter_and_shuffle(np.concatenate([upper, lower]), _labels(n, 2), noise, rng)


def make_circles(n=200, noise=0.05, *, factor=0.5, rng=None, seed=None):
    r"""A small circle inside a large one, like scikit-learn's ``make_circles``.

    Parameters
    ----------
    n : int, default 200
        Number of samples, at least 2.
    noise : float, default 0.05
    factor : float, default 0.5
        Radius of the inner circle, in [0, 1); the outer circle has radius 1.
    rng : numpy.random.Generator, optional
    seed : int, optional

    Returns
    -------
    X : ndarray, shape (n, 2), float64
    y : ndarray, shape (n,), int64
        0 for the outer circle, 1 for the inner one.

    Notes
    -----
    With :math:`t` evenly spaced in :math:`[0, 2\pi)` in each class,

    .. math:: x^{(0)} = (\cos t,\ \sin t), \qquad x^{(1)} = \text{factor} \cdot (\cos t,\ \sin t)

    plus noise. The classes are separated by the radius :math:`\lVert x \rVert`,
    which is not a linear function of :math:`x`.
    """
    _check_n_and_noise(n, noise, classes=2)
    check_probability(factor, "factor")
    rng = check_rng(rng, seed)
    t0, t1 = (np.linspace(0, 2 * np.pi, size, endpoint=False) for size in _class_sizes(n, 2))
    X = np.concatenate([_unit_circle(t0), factor * _unit_circle(t1)])
    return _jitter_and_shuffle(X, _labels(n, 2), noise, rng)


def make_spirals(n=200, noise=0.1, *, classes=2, turns=1.0, rng=None, seed=None):
    r"""Interleaved spiral arms, one per class, like CS231n's spiral data.

    Parameters
    ----------
    n : int, default 200
        Number of samples, at least `classes`.
    noise : float, default 0.1
    classes : int, default 2
        Number of arms :math:`K`.
    turns : float, default 1.0
        How many full turns each arm makes from the centre to radius 1.
    rng : numpy.random.Generator, optional
    seed : int, optional

    Returns
    -------
    X : ndarray, shape (n, 2), float64
    y : ndarray, shape (n,), int64
        The arm of each sample, in ``0 .. classes - 1``.

    Notes
    -----
    With the radius :math:`r` evenly spaced in :math:`[0, 1]` along arm :math:`k`,

    .. math:: \theta = 2\pi \cdot \text{turns} \cdot r + \frac{2\pi k}{K}, \qquad
              x = r\,(\cos\theta,\ \sin\theta)

    plus noise. Neighbouring arms are :math:`1 / (K \cdot \text{turns})` apart
    along a ray from the centre. CS231n jitters the angle instead of the
    coordinates and uses 4 radians per arm; the picture is the same.
    """
    check_positive_int(classes, "classes")
    check_positive(turns, "turns")
    _check_n_and_noise(n, noise, classes=classes)
    rng = check_rng(rng, seed)
    y = _labels(n, classes)
    r = np.concatenate([np.linspace(0, 1, size) for size in _class_sizes(n, classes)])
    theta = 2 * np.pi * turns * r + 2 * np.pi * y / classes
    return _jitter_and_shuffle(r[:, None] * _unit_circle(theta), y, noise, rng)


def make_blobs(n=200, noise=1.0, *, centers=2, rng=None, seed=None):
    r"""Gaussian blobs, one per class.

    Parameters
    ----------
    n : int, default 200
        Number of samples, at least the number of centres.
    noise : float, default 1.0
        Standard deviation of each blob.
    centers : int or array_like, shape (K, 2), default 2
        The blob centres, or how many to draw at random, uniformly from the
        square :math:`[-10, 10]^2`.
    rng : numpy.random.Generator, optional
    seed : int, optional

    Returns
    -------
    X : ndarray, shape (n, 2), float64
    y : ndarray, shape (n,), int64
        The blob of each sample, in ``0 .. K - 1``.

    Notes
    -----
    .. math:: x \sim \mathcal N(c_y,\ \text{noise}^2 I)

    Random centres are redrawn until any two are at least :math:`10/\sqrt{K}`
    apart (7.1 for two blobs), so two blobs with ``noise`` of 0.5 or less are
    separated by a line: the perceptron's setting.
    """
    _check_n_and_noise(n, noise, classes=_num_centers(centers))
    rng = check_rng(rng, seed)
    if np.ndim(centers) == 0:
        centers = _random_centers(centers, rng)
    centers = as_float_array(centers, "centers", dtype=np.float64)
    y = _labels(n, len(centers))
    return _jitter_and_shuffle(centers[y], y, noise, rng)


def make_regression_1d(n=100, noise=0.1, *, rng=None, seed=None):
    r"""A noisy smooth curve on :math:`[-3, 3]`, to fit with a small network.

    Parameters
    ----------
    n : int, default 100
        Number of samples, at least 1.
    noise : float, default 0.1
        Standard deviation of the noise added to the target.
    rng : numpy.random.Generator, optional
    seed : int, optional

    Returns
    -------
    x : ndarray, shape (n, 1), float64
        Inputs, uniform on :math:`[-3, 3]`.
    y : ndarray, shape (n, 1), float64
        Targets.

    Notes
    -----
    .. math:: y = \sin x + 0.1\,x^2 + \varepsilon, \qquad \varepsilon \sim \mathcal N(0, \text{noise}^2)

    A line cannot follow the wiggle of :math:`\sin x`; a network with one
    hidden layer of a few units can.
    """
    _check_n_and_noise(n, noise, classes=1)
    rng = check_rng(rng, seed)
    x = rng.uniform(-3.0, 3.0, size=(n, 1))
    return x, np.sin(x) + 0.1 * x**2 + noise * rng.standard_normal((n, 1))


def load_digits(*, return_images=False):
    r"""The 8x8 handwritten digits (0-9) that ship with scikit-learn.

    1797 grey-scale images, each flattened into 64 pixels. The data is in
    scikit-learn's package: nothing is downloaded.

    Parameters
    ----------
    return_images : bool, default False
        Also return the images as 8x8 arrays, for plotting.

    Returns
    -------
    X : ndarray, shape (1797, 64), float32
        Pixel intensities scaled to :math:`[0, 1]`.
    y : ndarray, shape (1797,), int64
        The digit shown, in ``0 .. 9``.
    images : ndarray, shape (1797, 8, 8), float32
        Only with ``return_images=True``; ``images.reshape(-1, 64)`` is `X`.

    Notes
    -----
    The raw pixels are counts in :math:`0 .. 16`, so :math:`X = \text{pixels} / 16`.
    """
    # Imported here, so that importing utils.datasets does not import scikit-learn.
    from sklearn.datasets import load_digits as sklearn_load_digits

    digits = sklearn_load_digits()
    X = (digits.data / 16).astype(np.float32)
    y = digits.target.astype(np.int64)
    if return_images:
        return X, y, (digits.images / 16).astype(np.float32)
    return X, y


def train_test_split(X, y, *, test_size=0.2, stratify=False, rng=None, seed=None):
    r"""Shuffle the rows of `X` and `y` and split them into a training and a test part.

    Parameters
    ----------
    X : array_like, shape (N, ...)
        Inputs, one row per sample; any number of trailing dimensions.
    y : array_like, shape (N, ...)
        Targets, in the same order as the rows of `X`.
    test_size : float or int, default 0.2
        The fraction of rows for the test part, in (0, 1), rounded to the
        nearest count and kept in ``[1, N - 1]``; or the count itself, in
        ``[1, N - 1]``.
    stratify : bool, default False
        Keep the proportion of each class of `y` (shape ``(N,)``) in both parts.
    rng : numpy.random.Generator, optional
    seed : int, optional

    Returns
    -------
    X_train : ndarray, shape (N - N_test, ...)
    X_test : ndarray, shape (N_test, ...)
    y_train : ndarray, shape (N - N_test, ...)
    y_test : ndarray, shape (N_test, ...)
        Same dtypes as the inputs. Every row lands in exactly one part.

    Notes
    -----
    With ``stratify=True``, class :math:`k` with :math:`N_k` rows gives about
    :math:`N_k \cdot N_{test} / N` rows to the test part: within one row of
    that, totalling :math:`N_{test}`, and at least one row in each part when
    :math:`N_k \ge 2`. With very small classes these floors win, and the test
    part's size can differ from :math:`N_{test}`.
    """
    X, y = _check_split_inputs(X, y)
    n_test = _test_count(test_size, len(y))
    rng = check_rng(rng, seed)
    order = rng.permutation(len(y))
    is_test = np.zeros(len(y), dtype=bool)
    if not stratify:
        is_test[order[:n_test]] = True
    else:
        class_of = _class_indices(y)
        take = _stratified_counts(np.bincount(class_of), n_test)
        for k, count in enumerate(take):  # the first `count` shuffled rows of class k
            is_test[order[class_of[order] == k][:count]] = True
    train, test = order[~is_test[order]], order[is_test[order]]
    return X[train], X[test], y[train], y[test]


def one_hot(labels, num_classes, *, dtype=np.float64):
    r"""Turn class indices into one-hot rows.

    Parameters
    ----------
    labels : array_like of int, shape (N,)
        Class indices, each in ``0 .. num_classes - 1``.
    num_classes : int
        Number of classes :math:`C`.
    dtype : numpy dtype, default float64

    Returns
    -------
    ndarray, shape (N, C)
        Row :math:`i` is all zeros except a 1 in column ``labels[i]``.

    Notes
    -----
    .. math:: Y_{ik} = [\, y_i = k \,]

    ``one_hot([2, 0], 3)`` is ``[[0, 0, 1], [1, 0, 0]]``.
    """
    check_positive_int(num_classes, "num_classes")
    labels = check_labels(labels, num_classes)
    return np.eye(num_classes, dtype=dtype)[labels]


def _check_n_and_noise(n, noise, *, classes):
    check_positive_int(n, "n")
    if n < classes:
        raise ValueError(f"n must be at least the number of classes ({classes}), got {n}")
    check_non_negative(noise, "noise")


def _class_sizes(n, k):
    """Split n samples among k classes as evenly as possible; the first classes get the extras."""
    return n // k + (np.arange(k) < n % k)


def _labels(n, k):
    """Labels 0, 0, ..., 1, 1, ..., k-1 in the sizes of `_class_sizes`, shape (n,)."""
    return np.repeat(np.arange(k, dtype=np.int64), _class_sizes(n, k))


def _unit_circle(t):
    """Points at angles `t` (shape (m,)) on the unit circle, shape (m, 2)."""
    return np.column_stack([np.cos(t), np.sin(t)])


def _jitter_and_shuffle(X, y, noise, rng):
    """Add Gaussian noise of std `noise` to `X`, then shuffle the rows of `X` and `y` together."""
    X = X + noise * rng.standard_normal(X.shape)
    order = rng.permutation(len(y))
    return X[order], y[order]


def _random_centers(k, rng):
    """k centres uniform in the box, redrawn until any two are at least _BOX / sqrt(k) apart."""
    min_gap = _BOX / np.sqrt(k)  # small enough that the box never fills up
    centers = []
    while len(centers) < k:
        c = rng.uniform(-_BOX, _BOX, size=2)
        if all(np.hypot(*(c - other)) >= min_gap for other in centers):
            centers.append(c)
    return np.array(centers)


def _num_centers(centers):
    """Check `centers`, a count or an array of shape (K, 2), and return K."""
    if np.ndim(centers) == 0:
        check_positive_int(centers, "centers")
        return centers
    centers = as_float_array(centers, "centers")
    if centers.ndim != 2 or centers.shape[1] != 2 or len(centers) == 0:
        raise ValueError(f"centers must be an int or have shape (K, 2) with K >= 1, "
                         f"got shape {centers.shape}")
    return len(centers)


def _check_split_inputs(X, y):
    X, y = np.asarray(X), np.asarray(y)
    if X.ndim == 0 or y.ndim == 0:
        raise ValueError(f"X and y must be arrays with one row per sample, "
                         f"got shapes {X.shape} and {y.shape}")
    if len(X) != len(y):
        raise ValueError(f"X and y must have the same number of rows, got {len(X)} and {len(y)}")
    if len(y) < 2:
        raise ValueError(f"need at least 2 rows to split, got {len(y)}")
    return X, y


def _test_count(test_size, n):
    """The number of test rows asked for by `test_size`, a fraction or a count."""
    if isinstance(test_size, (int, np.integer)) and not isinstance(test_size, bool):
        if not 1 <= test_size <= n - 1:
            raise ValueError(f"test_size as a count must be in [1, {n - 1}] for {n} rows, "
                             f"got {test_size}")
        return int(test_size)
    if not isinstance(test_size, (float, np.floating)) or not 0 < test_size < 1:
        raise ValueError(f"test_size must be a fraction in (0, 1) or a count in [1, {n - 1}], "
                         f"got {test_size!r}")
    return min(max(int(test_size * n + 0.5), 1), n - 1)  # round half up, leave both parts non-empty


def _class_indices(y):
    """Class index of each row, in 0 .. K-1 (classes in sorted order), shape (N,)."""
    if y.ndim != 1:
        raise ValueError(f"stratify=True needs y of class labels with shape (N,), got {y.shape}")
    return np.unique(y, return_inverse=True)[1]


def _stratified_counts(counts, n_test):
    """Test rows per class: near counts * n_test / N, summing to n_test where the floors allow."""
    ideal = counts * n_test / counts.sum()
    low = (counts >= 2).astype(np.int64)  # a class of 2+ keeps a row in each part
    high = counts - low
    take = np.clip(np.floor(ideal).astype(np.int64), low, high)
    while take.sum() != n_test:
        step = 1 if take.sum() < n_test else -1
        movable = take < high if step == 1 else take > low
        if not movable.any():
            break
        behind = step * (ideal - take)  # how far each class lags its ideal, in the step's direction
        k = np.flatnonzero(movable)[np.argmax(behind[movable])]
        take[k] += step
    return take
