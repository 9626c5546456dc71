r"""The training loop: mini-batches, epochs, evaluation and early stopping.

Training repeats four steps on each mini-batch: a *forward pass* to get
predictions, the *loss*, a *backward pass* for the gradients, and an
*optimizer step*. One pass over the whole training set is an *epoch*.
``fit`` runs that loop and records, per epoch, the training and validation
loss and accuracy in a ``History``; ``EarlyStopping`` ends training when the
validation loss stops improving and can restore the best weights.

Left out on purpose: callbacks beyond early stopping, learning-rate
schedules and checkpoints on disk.
"""

from dataclasses import dataclass, field

import numpy as np

from ._validation import as_float_array, check_non_negative, check_positive_int, check_rng
from .losses import LOSSES, Loss, _cross_entropy_and_grad
from .progress import ProgressBar

#: Losses for which "accuracy" means something.
_CLASSIFICATION = ("cross_entropy", "binary_cross_entropy")


def iterate_minibatches(X, y, batch_size, *, shuffle=True, rng=None):
    """Yield ``(X_batch, y_batch)`` pairs that together cover the data once.

    Parameters
    ----------
    X : ndarray, shape (N, ...)
    y : ndarray, shape (N, ...)
    batch_size : int >= 1
        The last batch is smaller when N is not a multiple of it.
    shuffle : bool, default True
        Visit the samples in a random order (drawn from `rng`).
    rng : numpy.random.Generator, optional

    Yields
    ------
    X_batch : ndarray, shape (B, ...)
    y_batch : ndarray, shape (B, ...)
    """
    check_positive_int(batch_size, "batch_size")
    if len(X) != len(y):
        raise ValueError(f"X and y must have the same number of samples, got {len(X)} and {len(y)}")
    order = check_rng(rng).permutation(len(X)) if shuffle else np.arange(len(X))
    for start in range(0, len(X), batch_size):
        idx = order[start:start + batch_size]
        yield X[idx], y[idx]


def accuracy(scores, y):
    r"""Fraction of samples whose predicted class is the true class.

    Parameters
    ----------
    scores : ndarray, shape (N, C) or (N,) or (N, 1)
        With C >= 2 columns, the predicted class is the arg-max of each row
        (logits or probabilities). With one column, `scores` are probabilities
        of class 1, and the prediction is :math:`[\,p \ge 0.5\,]`.
    y : ndarray, shape (N,) or (N, 1)
        True class labels.

    Returns
    -------
    float in [0, 1]
    """
    scores = np.asarray(scores)
    y = np.asarray(y).reshape(len(y), -1)[:, 0] if np.ndim(y) > 1 else np.asarray(y)
    if len(scores) != len(y):
        raise ValueError(f"scores and y must have the same length, got {len(scores)} and {len(y)}")
    if scores.ndim == 2 and scores.shape[1] > 1:
        pred = scores.argmax(axis=1)
    else:
        pred = (scores.reshape(len(scores)) >= 0.5).astype(int)
    return float(np.mean(pred == y))


def evaluate(model, X, y, loss, batch_size=1024):
    """Loss and (for classification) accuracy of `model` on ``(X, y)``, in eval mode.

    Parameters
    ----------
    model : Sequential
    X : ndarray, shape (N, D)
    y : ndarray, shape (N,) for class labels, or the shape of the model's output
    loss : str or Loss
        A name from ``utils.losses.LOSSES`` or one of its entries.

    Returns
    -------
    dict
        ``{"loss": float, "accuracy": float}``; accuracy is None for regression losses.
    """
    name, loss = _resolve_loss(loss)
    scores = model.predict(X, batch_size=batch_size)
    y = _targets(y, name, scores.dtype)
    return {"loss": loss(scores, y), "accuracy": accuracy(scores, y) if name in _CLASSIFICATION else None}


@dataclass
class History:
    """What ``fit`` records, one entry per epoch.

    Attributes
    ----------
    train_loss, val_loss : list of float
        Mean loss over the epoch's training batches; loss on the validation set.
    train_accuracy, val_accuracy : list of float
        Empty for regression losses; ``val_*`` empty without validation data.
    best_epoch : int or None
        With early stopping, the epoch (1-based) whose weights were kept.
    stopped_early : bool
    """

    train_loss: list = field(default_factory=list)
    train_accuracy: list = field(default_factory=list)
    val_loss: list = field(default_factory=list)
    val_accuracy: list = field(default_factory=list)
    best_epoch: int = None
    stopped_early: bool = False

    @property
    def epochs(self):
        """Number of epochs that ran."""
        return len(self.train_loss)

    def summary(self):
        """One line on the last epoch, e.g. ``epoch 20: loss 0.081, acc 0.977 | val loss 0.102, val acc 0.969``."""
        parts = [f"epoch {self.epochs}: loss {self.train_loss[-1]:.4g}"]
        if self.train_accuracy:
            parts.append(f", acc {self.train_accuracy[-1]:.3f}")
        if self.val_loss:
            parts.append(f" | val loss {self.val_loss[-1]:.4g}")
        if self.val_accuracy:
            parts.append(f", val acc {self.val_accuracy[-1]:.3f}")
        return "".join(parts)


class EarlyStopping:
    """Stop training when the monitored loss has not improved for `patience` epochs.

    Parameters
    ----------
    patience : int >= 1
        Epochs without improvement to wait before stopping.
    min_delta : float >= 0, default 0
        An improvement must lower the loss by more than this.
    restore_best : bool, default True
        At the end, put back the weights of the best epoch.

    Notes
    -----
    ``fit`` monitors the validation loss, or the training loss without
    validation data. ``update`` returns True when training should stop.
    """

    def __init__(self, patience, min_delta=0.0, restore_best=True):
        check_positive_int(patience, "patience")
        check_non_negative(min_delta, "min_delta")
        self.patience, self.min_delta, self.restore_best = patience, min_delta, restore_best
        self.best_loss, self.best_epoch, self.wait = np.inf, None, 0
        self._best_params = None

    def update(self, epoch, loss, model):
        """Record epoch `epoch`'s `loss`; return True when training should stop."""
        if loss < self.best_loss - self.min_delta:
            self.best_loss, self.best_epoch, self.wait = loss, epoch, 0
            if self.restore_best:
                self._best_params = [p.data.copy() for p in model.parameters()]
            return False
        self.wait += 1
        return self.wait >= self.patience

    def restore(self, model):
        """Copy the best weights back into `model` (when `restore_best` is set)."""
        if self.restore_best and self._best_params is not None:
            for p, best in zip(model.parameters(), self._best_params):
                p.data[...] = best


def fit(model, X, y, *, loss, optimizer, epochs, batch_size, validation_data=None,
        early_stopping=None, rng=None, progress=True):
    """Train `model` with mini-batch gradient descent and return its ``History``.

    Parameters
    ----------
    model : Sequential
    X : ndarray, shape (N, D)
        Training inputs; converted to the dtype of the model's first layer.
    y : ndarray, shape (N,) of int for class labels, or the shape of the model's output
        (a 1-D target for a one-column output is taken as a column)
    loss : str or Loss
        ``"cross_entropy"`` (the model outputs logits), ``"binary_cross_entropy"``
        (the model ends in a Sigmoid), ``"mse"``, or an entry of ``LOSSES``.
    optimizer : Optimizer
        Built on ``model.parameters()``.
    epochs : int >= 1
    batch_size : int >= 1
    validation_data : (X_val, y_val), optional
    early_stopping : EarlyStopping, optional
    rng : numpy.random.Generator, optional
        Shuffles the batches. The same rng state gives the same training run.
    progress : bool, default True
        Show a progress bar (a widget in Jupyter, a line in a terminal).

    Returns
    -------
    History
    """
    check_positive_int(epochs, "epochs")
    check_positive_int(batch_size, "batch_size")
    name, loss = _resolve_loss(loss)
    X, y = _training_arrays(model, X, y, name)
    rng = check_rng(rng)
    history = History()
    bar = ProgressBar(epochs, "training") if progress else None
    for epoch in range(1, epochs + 1):
        _train_one_epoch(model, X, y, loss, name, optimizer, batch_size, rng, history)
        if validation_data is not None:
            result = evaluate(model, *validation_data, loss=loss)
            history.val_loss.append(result["loss"])
            if result["accuracy"] is not None:
                history.val_accuracy.append(result["accuracy"])
        if bar:
            bar.update(epoch, history.summary())
        if early_stopping is not None:
            monitored = history.val_loss[-1] if history.val_loss else history.train_loss[-1]
            if early_stopping.update(epoch, monitored, model):
                history.stopped_early = True
                break
    if early_stopping is not None:
        early_stopping.restore(model)
        history.best_epoch = early_stopping.best_epoch
    if bar:
        bar.close(history.summary() + (f" (stopped early; kept epoch {history.best_epoch})"
                                       if history.stopped_early else ""))
    return history


def _train_one_epoch(model, X, y, loss, name, optimizer, batch_size, rng, history):
    model.train()
    total_loss, correct = 0.0, 0.0
    for X_batch, y_batch in iterate_minibatches(X, y, batch_size, rng=rng):
        scores = model.forward(X_batch)
        if name == "cross_entropy":  # the same two results, sharing one softmax
            batch_loss, grad = _cross_entropy_and_grad(scores, y_batch)
        else:
            batch_loss, grad = loss(scores, y_batch), loss.grad(scores, y_batch)
        total_loss += batch_loss * len(X_batch)
        if name in _CLASSIFICATION:
            correct += accuracy(scores, y_batch) * len(X_batch)
        optimizer.zero_grad()
        model.backward(grad, input_grad=False)
        optimizer.step()
    history.train_loss.append(total_loss / len(X))
    if name in _CLASSIFICATION:
        history.train_accuracy.append(correct / len(X))


def _resolve_loss(loss):
    if isinstance(loss, str):
        if loss not in LOSSES:
            raise ValueError(f"loss must be one of {sorted(LOSSES)}, got {loss!r}")
        return loss, LOSSES[loss]
    for name, entry in LOSSES.items():
        if loss is entry or loss is entry.fn:
            return name, entry
    if isinstance(loss, Loss):
        return None, loss
    raise ValueError(f"loss must be a name from {sorted(LOSSES)} or an entry of LOSSES, got {loss!r}")


def _training_arrays(model, X, y, name):
    params = model.parameters()
    dtype = params[0].data.dtype if params else np.float32
    X = as_float_array(X, "X", dtype=dtype)
    if len(X) != len(y):
        raise ValueError(f"X and y must have the same number of samples, got {len(X)} and {len(y)}")
    if len(X) == 0:
        raise ValueError("X is empty: fit needs at least one sample")
    return X, _targets(y, name, dtype)


def _targets(y, name, dtype):
    """Class labels stay integers; other targets become a float column if 1-D."""
    if name == "cross_entropy":
        return np.asarray(y)
    y = as_float_array(y, "y", dtype=dtype)
    return y.reshape(-1, 1) if y.ndim == 1 else y
