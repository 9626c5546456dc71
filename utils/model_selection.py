r"""Model selection: held-out data, reading training curves, and learning curves.

A model is judged on data it was not trained on. :func:`train_val_split` and
:func:`train_val_test_split` hold rows out, keeping each class's proportion
(*stratified*): the *validation* set chooses between models and epochs, the
*test* set is looked at once, at the end. :func:`best_epoch`,
:func:`generalization_gap` and :func:`validation_rise` read a ``History`` from
``utils.training.fit``; :func:`learning_curve` trains one recipe on growing
parts of the training set; :func:`select_by_validation` picks the run whose
best validation loss is lowest. These are the references of lesson 09.

Left out on purpose: cross-validation (k folds), which trains k models per
choice, and hyperparameter search beyond a loop over a few settings.
"""

import numpy as np

from ._validation import check_positive_int, check_rng
from .datasets import train_test_split
from .training import History, evaluate


def train_val_split(X, y, *, val_size=0.2, rng=None, seed=None):
    r"""Split rows into a training and a validation part, keeping each class's proportion.

    Parameters
    ----------
    X : array_like, shape (N, ...)
        Inputs, one row per sample.
    y : array_like of int, shape (N,)
        Class labels, in the order of the rows of `X`.
    val_size : float in (0, 1) or int, default 0.2
        Fraction (or count) of rows for validation.
    rng : numpy.random.Generator, optional
    seed : int, optional

    Returns
    -------
    X_train : ndarray, shape (N - N_val, ...)
    X_val : ndarray, shape (N_val, ...)
    y_train : ndarray, shape (N - N_val,)
    y_val : ndarray, shape (N_val,)
        New arrays with the inputs' dtypes; every row lands in exactly one part. The
        caller's arrays are not changed.

    Raises
    ------
    ValueError
        If `X` and `y` differ in length, `y` is not 1-D, or `val_size` is out of range.

    Notes
    -----
    Class :math:`k`, with :math:`N_k` rows, gives within one row of
    :math:`N_k \cdot N_{val} / N` rows to the validation part (see
    :func:`utils.datasets.train_test_split`, which this calls with ``stratify=True``).
    """
    return train_test_split(X, y, test_size=val_size, stratify=True, rng=rng, seed=seed)


def train_val_test_split(X, y, *, val_size=0.2, test_size=0.2, rng=None, seed=None):
    r"""Split rows three ways, stratified: training, validation and test.

    Parameters
    ----------
    X : array_like, shape (N, ...)
    y : array_like of int, shape (N,)
    val_size, test_size : float
        Fractions of all N rows for validation and for test; together below 1.
    rng : numpy.random.Generator, optional
    seed : int, optional

    Returns
    -------
    X_train, X_val, X_test, y_train, y_val, y_test : ndarray
        Shapes ``(N_train, ...)``, ``(N_val, ...)``, ``(N_test, ...)`` and the
        matching ``(N_part,)``; the inputs' dtypes.

    Raises
    ------
    ValueError
        If a fraction is not in (0, 1), or the two leave no training rows.

    Notes
    -----
    The test part is split off first, then the validation part from the rest with
    the fraction :math:`f_{val} / (1 - f_{test})`, so that each part holds about
    its fraction of all :math:`N` rows and of every class.
    """
    for name, value in (("val_size", val_size), ("test_size", test_size)):
        if isinstance(value, bool) or not isinstance(value, (float, np.floating)) or not 0 < value < 1:
            raise ValueError(f"{name} must be a fraction in (0, 1), got {value!r}")
    if val_size + test_size >= 1:
        raise ValueError(f"val_size + test_size must be below 1 to leave training rows, "
                         f"got {val_size} + {test_size} = {val_size + test_size:g}")
    rng = check_rng(rng, seed)
    X_rest, X_test, y_rest, y_test = train_test_split(X, y, test_size=test_size, stratify=True, rng=rng)
    X_train, X_val, y_train, y_val = train_test_split(X_rest, y_rest, test_size=val_size / (1 - test_size),
                                                      stratify=True, rng=rng)
    return X_train, X_val, X_test, y_train, y_val, y_test


def _losses(history, name):
    if not isinstance(history, History):
        raise ValueError(f"expected a History (what fit returns), got {type(history).__name__}")
    values = getattr(history, name)
    if len(values) == 0:
        why = " (was fit given validation_data?)" if name == "val_loss" else ""
        raise ValueError(f"history.{name} is empty{why}")
    return np.asarray(values, dtype=np.float64)


def best_epoch(history):
    r"""The epoch (counted from 1) with the lowest validation loss.

    Parameters
    ----------
    history : History
        From ``fit`` with ``validation_data``.

    Returns
    -------
    int
        :math:`e^* = \arg\min_e L_{val}(e)`, the earliest one when several tie. Epochs
        count from 1, so it is one more than the index into ``history.val_loss``.

    Raises
    ------
    ValueError
        If `history` is not a History or holds no validation loss.

    Notes
    -----
    .. math:: e^* = 1 + \operatorname{argmin}_{i} \; \texttt{val\_loss}[i]
    """
    return int(np.argmin(_losses(history, "val_loss"))) + 1


def generalization_gap(train_loss, val_loss):
    r"""The generalization gap of every epoch: validation loss minus training loss.

    Parameters
    ----------
    train_loss, val_loss : array_like, shape (E,)
        Losses per epoch (lists, as in a History, or arrays).

    Returns
    -------
    ndarray, shape (E,)
        A new array; float inputs keep their dtype, integer inputs give float64.

    Raises
    ------
    ValueError
        If the two are not 1-D of the same length.

    Notes
    -----
    .. math:: \text{gap}(e) = L_{val}(e) - L_{train}(e)

    A gap near 0 means the model does as well on new data as on its training data;
    a growing gap is the mark of overfitting.
    """
    train_loss, val_loss = np.asarray(train_loss), np.asarray(val_loss)
    if train_loss.ndim != 1 or train_loss.shape != val_loss.shape:
        raise ValueError(f"train_loss and val_loss must be 1-D of the same length, got shapes "
                         f"{train_loss.shape} and {val_loss.shape}")
    gap = val_loss - train_loss
    return gap + 0.0  # integers become float64; float32 stays float32 (a Python float is weak)


def validation_rise(history):
    r"""How far the last validation loss has risen above the lowest one.

    Parameters
    ----------
    history : History

    Returns
    -------
    float
        :math:`L_{val}(E) - \min_e L_{val}(e) \ge 0`; 0 when the last epoch is the best.

    Notes
    -----
    A run overfits when this grows while its training loss keeps falling. The run with
    the larger rise has trained further past its best epoch.
    """
    val = _losses(history, "val_loss")
    return float(val[-1] - val.min())


def learning_curve(make_and_fit, X_train, y_train, X_val, y_val, sizes, *, loss="cross_entropy"):
    r"""Train one recipe on the first `m` training rows for each `m`, and measure both losses.

    Parameters
    ----------
    make_and_fit : callable
        ``make_and_fit(X, y)`` builds a new model, trains it on ``(X, y)`` and returns it.
        Give it a fixed seed inside, so every size starts from comparable weights.
    X_train : ndarray, shape (N, D)
    y_train : ndarray, shape (N,)
    X_val : ndarray, shape (N_val, D)
    y_val : ndarray, shape (N_val,)
    sizes : sequence of int
        Training-set sizes, each in ``1 .. N``.
    loss : str, default "cross_entropy"

    Returns
    -------
    train_losses, val_losses : ndarray, shape (len(sizes),), float64
        The loss of each model on the rows it was trained on, and on the validation set.

    Raises
    ------
    ValueError
        If a size is not an integer in ``1 .. N``.

    Notes
    -----
    For each size :math:`m`: :math:`\theta_m = \text{fit}(X_{1..m}, y_{1..m})`, then
    :math:`L_{train}(m) = L(\theta_m; X_{1..m})` and :math:`L_{val}(m) = L(\theta_m; X_{val})`.
    Shuffle the training rows first (a random or stratified split does), so that the
    first :math:`m` are a random sample.
    """
    n = len(X_train)
    for m in sizes:
        check_positive_int(m, "each size")
        if m > n:
            raise ValueError(f"sizes must be at most the {n} training rows, got {m}")
    train_losses, val_losses = [], []
    for m in sizes:
        model = make_and_fit(X_train[:m], y_train[:m])
        train_losses.append(evaluate(model, X_train[:m], y_train[:m], loss)["loss"])
        val_losses.append(evaluate(model, X_val, y_val, loss)["loss"])
    return np.array(train_losses, dtype=np.float64), np.array(val_losses, dtype=np.float64)


def select_by_validation(histories):
    r"""The name of the run whose best validation loss is lowest.

    Parameters
    ----------
    histories : dict of str to History
        One training run per candidate (a width, a depth, a learning rate, ...).

    Returns
    -------
    str
        :math:`\arg\min_{\text{run}} \min_e L^{\text{run}}_{val}(e)`; the first in the
        dict's order on a tie.

    Raises
    ------
    ValueError
        If `histories` is empty or a run has no validation loss.

    Notes
    -----
    Each run is judged at its best epoch (as early stopping would keep it), not at its
    last. The test set plays no part: it is used once, on the chosen run.
    """
    if not isinstance(histories, dict) or not histories:
        raise ValueError(f"expected a non-empty dict of name -> History, got {histories!r}")
    best = {name: float(_losses(h, "val_loss").min()) for name, h in histories.items()}
    return min(best, key=best.get)
