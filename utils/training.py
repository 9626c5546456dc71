r"""The training loop: mini-batches, epochs, evaluation and early stopping.

Training repeats four steps on each mini-batch: a *forward pass* to get
predictions, the *loss*, a *backward pass* for the gradients, and an
*optimizer step*. One pass over the whole training set is an *epoch*.
``fit`` runs that loop and records, per epoch, the training and validation
loss and accuracy and the learning rate in a ``History``; ``EarlyStopping``
ends training when the validation loss stops improving and can restore the
best weights; a learning-rate scheduler, if given, is stepped once per epoch.

``fit`` checks every argument once, before the first update, so a mistake
(a label out of range, a NaN in the data, an optimizer built on another
model) is reported with the row of your array and leaves the model as it was.
When the loss stops being a finite number (the learning rate is too large),
``fit`` stops and raises ``TrainingDiverged``, which carries the ``History``
so far.

Left out on purpose: callbacks beyond early stopping, and checkpoints on disk.
"""

import math
from dataclasses import dataclass, field

import numpy as np

from ._training_checks import (check_model, check_optimizer, check_scheduler, check_validation_data,
                               prepare_data, unusable_model)
from ._validation import NonFiniteError, check_non_negative, check_positive, check_positive_int, check_rng
from .losses import LOSSES, Loss, _cross_entropy_and_grad

#: Losses for which "accuracy" means something.
_CLASSIFICATION = ("cross_entropy", "binary_cross_entropy")


class TrainingDiverged(FloatingPointError):
    """``fit`` stopped because the loss is no longer a finite number.

    Attributes
    ----------
    history : History
        What ran before: whole epochs in ``train_loss`` (and the rest), every
        step's loss in ``batch_loss``, the last entry being the non-finite one.
    epoch, step : int
        Where it happened (both 1-based).
    loss : float
        The non-finite loss (``inf`` or ``nan``).
    lr : float or None
        The optimizer's learning rate at that step.
    """

    def __init__(self, message, *, history, epoch, step, loss, lr):
        super().__init__(message)
        self.history, self.epoch, self.step, self.loss, self.lr = history, epoch, step, loss, lr


def iterate_minibatches(X, y, batch_size, *, shuffle=True, rng=None):
    """Yield ``(X_batch, y_batch)`` pairs that together cover the data once.

    Parameters
    ----------
    X : array_like, shape (N, ...)
        A numpy array, or a list (converted to an array).
    y : array_like, shape (N, ...)
    batch_size : int >= 1
        The last batch is smaller when N is not a multiple of it.
    shuffle : bool, default True
        Visit the samples in a random order (drawn from `rng`).
    rng : numpy.random.Generator, optional

    Yields
    ------
    X_batch : ndarray, shape (B, ...)
    y_batch : ndarray, shape (B, ...)

    Raises
    ------
    ValueError
        If `batch_size` is not an integer >= 1, `X` or `y` is a scalar, or
        their lengths differ.
    """
    check_positive_int(batch_size, "batch_size")
    X, y = np.asarray(X), np.asarray(y)
    for name, arr in (("X", X), ("y", y)):
        if arr.ndim == 0:
            raise ValueError(f"{name} must have one row per sample, got the scalar {arr!r}")
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
        of class 1 (a sigmoid's output), and the prediction is :math:`[\,p \ge 0.5\,]`.
    y : ndarray of int, shape (N,) or (N, 1)
        True class labels: in 0, ..., C-1, or 0 and 1 with one column. Whole
        numbers stored as floats are accepted.

    Returns
    -------
    float in [0, 1]

    Raises
    ------
    ValueError
        If `y` is not a vector of class labels (one-hot rows get the
        conversion ``y.argmax(axis=1)``), a label is not a class of `scores`,
        the lengths differ, the inputs are empty, one-column `scores` are not
        probabilities, or `scores` hold NaN.

    Notes
    -----
    .. math:: \operatorname{acc} = \frac{1}{N} \sum_{i=1}^{N} [\,\hat y_i = y_i\,]
    """
    scores, y = _metric_inputs(scores, y)
    if scores.ndim == 2 and scores.shape[1] > 1:
        pred = scores.argmax(axis=1)
    else:
        pred = scores.reshape(len(scores)) >= 0.5
    return float(np.mean(pred == y))


def _metric_inputs(scores, y):
    """`scores` as a float array and `y` as integer labels of shape (N,), checked against each other."""
    scores = np.asarray(scores)
    if scores.dtype.kind not in "biuf" or scores.ndim not in (1, 2):
        raise ValueError(f"scores must be a numeric array of shape (N, C) or (N,), got "
                         f"shape {scores.shape} and dtype {scores.dtype}")
    if scores.size and math.isnan(scores.min()):
        raise ValueError("scores contains NaN: the model's outputs are not numbers")
    y = np.asarray(y)
    classes = scores.shape[1] if scores.ndim == 2 and scores.shape[1] > 1 else 2
    if y.ndim == 2 and y.shape[1] == 1:
        y = y[:, 0]
    elif y.ndim != 1:
        hint = (": it looks one-hot; pass class indices, y.argmax(axis=1)"
                if y.ndim == 2 and y.shape[1] == classes else "")
        raise ValueError(f"y must hold class labels, shape (N,), got shape {y.shape}{hint}")
    if len(scores) != len(y):
        raise ValueError(f"scores and y must have the same length, got {len(scores)} and {len(y)}")
    if len(y) == 0:
        raise ValueError("scores and y are empty: the accuracy of no samples is undefined")
    if y.dtype.kind not in "iuf":
        raise ValueError(f"y must hold integer class labels, got dtype {y.dtype}"
                         + ("; convert with y.astype(int)" if y.dtype.kind == "b" else ""))
    binary = scores.ndim == 1 or scores.shape[1] == 1
    with np.errstate(invalid="ignore"):
        ok = (y >= 0) & (y < classes) & (y == np.round(y))
    if not ok.all():
        i = int(np.argmin(ok))
        what = ("one-column scores are probabilities of class 1, so labels must be 0 or 1"
                if binary else f"scores has {classes} columns, so labels must be in 0, ..., {classes - 1}")
        raise ValueError(f"y[{i}] = {y[i]} is not a class label: {what}")
    if binary and (scores.min() < 0 or scores.max() > 1):
        raise ValueError(f"one-column scores must be probabilities of class 1 in [0, 1] (a sigmoid's "
                         f"output), got values in [{scores.min():.4g}, {scores.max():.4g}]; for raw "
                         f"scores (logits), the prediction is scores >= 0: apply sigmoid first")
    return scores, y.astype(np.int64, copy=False)


def evaluate(model, X, y, loss, batch_size=1024):
    """Loss and (for classification) accuracy of `model` on ``(X, y)``, in eval mode.

    Parameters
    ----------
    model : Sequential
    X : ndarray, shape (N, D)
    y : ndarray, shape (N,) for class labels, or the shape of the model's output
    loss : str or Loss
        A name from ``utils.losses.LOSSES`` or one of its entries.
    batch_size : int >= 1, default 1024
        Rows per forward pass (the result does not depend on it).

    Returns
    -------
    dict
        ``{"loss": float, "accuracy": float}``; accuracy is None for regression
        losses and for soft binary targets (values strictly between 0 and 1).

    Raises
    ------
    ValueError
        If an argument is wrong (checked as in :func:`fit`, naming the row of
        `X` or `y`); if the model's parameters are not finite; or if its
        outputs overflow, so the loss is not finite (weights left too large by
        a run that diverged). No floating-point warning is raised first.
    """
    name, loss = _resolve_loss(loss)
    check_positive_int(batch_size, "batch_size")
    check_model(model)
    X, y, hard_labels = prepare_data(model, X, y, name)
    # Finite weights can still be too large (a run that diverged stops at the first non-finite
    # loss, before its weights are): their outputs overflow, which is reported below in these
    # terms, not warned about on the way nor as a loss's "logits contains an infinity".
    with np.errstate(over="ignore", invalid="ignore", divide="ignore"):
        try:
            result = _evaluate(model, X, y, name, loss, batch_size, hard_labels)
        except NonFiniteError:  # X and y are finite (checked): the model's outputs are not
            result = {"loss": math.nan}
    if not math.isfinite(result["loss"]):
        raise ValueError(f"the loss on X is {result['loss']}, not a finite number: "
                         f"{unusable_model(model)}")
    return result


def _evaluate(model, X, y, name, loss, batch_size, hard_labels):
    scores = model.predict(X, batch_size=batch_size)
    track = name in _CLASSIFICATION and hard_labels
    return {"loss": loss(scores, y), "accuracy": accuracy(scores, y) if track else None}


@dataclass
class History:
    """What ``fit`` records, one entry per epoch (and the loss of every step).

    Attributes
    ----------
    train_loss, val_loss : list of float
        Mean loss over the epoch's training batches; loss on the validation set.
    train_accuracy, val_accuracy : list of float
        Empty for regression losses and soft targets; ``val_*`` empty without
        validation data.
    lr : list of float
        The learning rate of each epoch (``optimizer.lr`` at its start), which
        a scheduler changes from epoch to epoch.
    batch_loss : list of float
        The loss of every training step, in order: what to plot to see a
        run blow up within an epoch.
    best_epoch : int or None
        With early stopping, the epoch (1-based) whose weights were kept.
    stopped_early : bool
    """

    train_loss: list = field(default_factory=list)
    train_accuracy: list = field(default_factory=list)
    val_loss: list = field(default_factory=list)
    val_accuracy: list = field(default_factory=list)
    lr: list = field(default_factory=list)
    batch_loss: list = field(default_factory=list)
    best_epoch: int = None
    stopped_early: bool = False

    @property
    def epochs(self):
        """Number of epochs that ran to the end."""
        return len(self.train_loss)

    def summary(self):
        """One line on the last epoch, e.g. ``epoch 20: loss 0.081, acc 0.977 | val loss 0.102, val acc 0.969``."""
        if not self.train_loss:
            return "no epoch finished"
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
    ``fit`` calls ``reset()`` at its start, so one ``EarlyStopping`` can serve
    several ``fit`` calls in turn; its best weights are only ever restored
    into the model they were taken from.
    """

    def __init__(self, patience, min_delta=0.0, restore_best=True):
        check_positive_int(patience, "patience")
        check_non_negative(min_delta, "min_delta")
        self.patience, self.min_delta, self.restore_best = patience, min_delta, restore_best
        self.reset()

    def reset(self):
        """Forget every epoch seen so far: the next ``update`` starts a new run."""
        self.best_loss, self.best_epoch, self.wait = np.inf, None, 0
        self._best_params, self._model_params = None, None

    def update(self, epoch, loss, model):
        """Record epoch `epoch`'s `loss`; return True when training should stop."""
        params = model.parameters()
        if self._model_params is None:
            self._model_params = params
        elif not _same_parameters(params, self._model_params):
            raise ValueError("this EarlyStopping is following another model: call reset() "
                             "first, or use one EarlyStopping per model")
        if loss < self.best_loss - self.min_delta:
            self.best_loss, self.best_epoch, self.wait = loss, epoch, 0
            if self.restore_best:
                self._best_params = [p.data.copy() for p in params]
            return False
        self.wait += 1
        return self.wait >= self.patience

    def restore(self, model):
        """Copy the best weights back into `model` (when `restore_best` is set).

        Raises
        ------
        ValueError
            If the best weights were taken from another model.
        """
        if not (self.restore_best and self._best_params is not None):
            return
        if not _same_parameters(model.parameters(), self._model_params):
            raise ValueError("this EarlyStopping holds the best weights of another model; "
                             "it will not copy them into this one")
        for p, best in zip(model.parameters(), self._best_params):
            p.data[...] = best


def _same_parameters(a, b):
    return len(a) == len(b) and all(p is q for p, q in zip(a, b))


def fit(model, X, y, *, loss, optimizer, epochs, batch_size, validation_data=None,
        early_stopping=None, scheduler=None, rng=None, progress=True):
    r"""Train `model` with mini-batch gradient descent and return its ``History``.

    Parameters
    ----------
    model : Sequential
    X : ndarray, shape (N, D)
        Training inputs, finite; converted to the dtype of the model's parameters.
    y : ndarray, shape (N,) of int for class labels, or the shape of the model's output
        (a 1-D target for a one-column output is taken as a column). Binary
        cross-entropy targets are in [0, 1] (soft targets allowed).
    loss : str or Loss
        ``"cross_entropy"`` (the model outputs logits), ``"binary_cross_entropy"``
        (the model ends in a Sigmoid), ``"mse"``, or an entry of ``LOSSES``.
    optimizer : Optimizer
        Built on ``model.parameters()``; its ``lr`` is a number > 0.
    epochs : int >= 1
    batch_size : int >= 1
    validation_data : (X_val, y_val), optional
        Checked like `X` and `y`.
    early_stopping : EarlyStopping, optional
        Reset at the start of this call.
    scheduler : object with a ``step()`` method, optional
        A learning-rate scheduler (such as ``StepLR``), called once after each
        epoch, after validation, as in PyTorch; it changes ``optimizer.lr``.
    rng : numpy.random.Generator, optional
        Shuffles the batches. The same rng state gives the same training run.
    progress : bool, default True
        Show a progress bar (``tqdm``: a widget in Jupyter, a line in a terminal), one step per
        epoch, with the last epoch's :meth:`History.summary` beside it.

    Returns
    -------
    History
        Includes ``lr``, the learning rate of each epoch, and ``batch_loss``,
        the loss of each step.

    Raises
    ------
    ValueError
        Before any update, if an argument is wrong: a label outside the
        model's classes or a target outside [0, 1] for binary cross-entropy
        (naming the row, ``y[700]``), NaN or an infinity in the data, shapes
        that do not fit the model, an optimizer holding another model's
        parameters, a learning rate that is not a number > 0, an `epochs` or
        `batch_size` that is not an integer >= 1. The model is unchanged.
    TrainingDiverged
        When a step's loss (or the validation loss) is not finite, or the
        parameters stop being finite: the learning rate is usually too large.
        The exception's ``history`` holds everything recorded up to then.
        When the very first batch's loss, before any update, is not finite,
        the message says that the model (or `X`) is the cause, not the
        learning rate.

    Notes
    -----
    Each step, for a batch :math:`(X_B, y_B)`:
    :math:`L = \ell(f_\theta(X_B), y_B)`, then :math:`\theta \leftarrow
    \operatorname{step}(\theta, \nabla_\theta L)`. Floating-point overflow is
    not warned about during training: it turns the loss into ``inf`` or
    ``nan``, which ``fit`` detects and reports.
    """
    name, loss = _resolve_loss(loss)
    check_positive_int(epochs, "epochs")
    check_positive_int(batch_size, "batch_size")
    check_model(model)
    check_optimizer(optimizer, model)
    check_scheduler(scheduler, optimizer)
    if early_stopping is not None and not isinstance(early_stopping, EarlyStopping):
        raise ValueError(f"early_stopping must be an EarlyStopping(patience=...), "
                         f"got {type(early_stopping).__name__}")
    X, y, hard_labels = prepare_data(model, X, y, name)
    if validation_data is not None:
        X_val, y_val = check_validation_data(validation_data)
        validation_data = prepare_data(model, X_val, y_val, name, names=("X_val", "y_val"))
    rng = check_rng(rng)
    if early_stopping is not None:
        early_stopping.reset()

    run = _Run(model, X, y, name, loss, optimizer, batch_size, rng, hard_labels)
    with _progress_bar(epochs, progress) as bar:
        try:
            for epoch in range(1, epochs + 1):
                stop = _run_epoch(run, epoch, validation_data, scheduler, early_stopping)
                bar.update(1)
                bar.set_postfix_str(run.history.summary(), refresh=False)
                if stop:
                    break
        except TrainingDiverged:
            bar.set_postfix_str(f"diverged at epoch {run.history.epochs + 1}")
            raise
        history = run.history
        if early_stopping is not None:
            early_stopping.restore(model)
            history.best_epoch = early_stopping.best_epoch
            if history.stopped_early:
                bar.set_postfix_str(f"{history.summary()} (stopped early; kept epoch {history.best_epoch})")
    return history


def _progress_bar(epochs, show):
    """A tqdm bar over the epochs: a widget in Jupyter, a line in a terminal (disabled: does nothing)."""
    from tqdm.auto import tqdm  # imported here: `import utils.training` stays light

    return tqdm(total=epochs, desc="training", unit="epoch", disable=not show)


@dataclass
class _Run:
    """What one call of ``fit`` trains on, and what it has recorded."""

    model: object
    X: np.ndarray
    y: np.ndarray
    name: str
    loss: Loss
    optimizer: object
    batch_size: int
    rng: np.random.Generator
    hard_labels: bool
    history: History = field(default_factory=History)


def _run_epoch(run, epoch, validation_data, scheduler, early_stopping):
    """One epoch: train, validate, step the scheduler; return True when early stopping says stop."""
    history, model = run.history, run.model
    lr = getattr(run.optimizer, "lr", None)
    if lr is not None and epoch > 1:
        check_positive(lr, f"optimizer.lr (set by the scheduler after epoch {epoch - 1})")
    history.lr.append(lr)
    _train_one_epoch(run, epoch, lr)
    if validation_data is not None:
        X_val, y_val, hard_labels = validation_data
        try:
            with np.errstate(over="ignore", invalid="ignore", divide="ignore"):
                result = _evaluate(model, X_val, y_val, run.name, run.loss, 1024, hard_labels)
        except NonFiniteError:  # the validation data are finite (checked): the outputs overflowed
            result = {"loss": math.nan}
        if not math.isfinite(result["loss"]):
            raise _diverged(run, epoch, None, result["loss"], lr, "the validation loss")
        history.val_loss.append(result["loss"])
        if result["accuracy"] is not None:
            history.val_accuracy.append(result["accuracy"])
    if scheduler is not None:
        scheduler.step()
    if early_stopping is not None:
        monitored = history.val_loss[-1] if history.val_loss else history.train_loss[-1]
        if early_stopping.update(epoch, monitored, model):
            history.stopped_early = True
            return True
    return False


def _train_one_epoch(run, epoch, lr):
    model, optimizer, history = run.model, run.optimizer, run.history
    track = run.name in _CLASSIFICATION and run.hard_labels
    model.train()
    total_loss, correct = 0.0, 0
    # Overflow is expected when training diverges: it is detected below, as a loss
    # that is not finite, instead of warned about by numpy on the way there.
    with np.errstate(over="ignore", invalid="ignore", divide="ignore"):
        batches = iterate_minibatches(run.X, run.y, run.batch_size, rng=run.rng)
        for step, (X_batch, y_batch) in enumerate(batches, start=1):
            try:
                scores = model.forward(X_batch)
                if run.name == "cross_entropy":  # the same two results, sharing one softmax
                    batch_loss, grad = _cross_entropy_and_grad(scores, y_batch)
                else:
                    batch_loss, grad = run.loss(scores, y_batch), run.loss.grad(scores, y_batch)
            except NonFiniteError:  # the data are finite (checked), so the parameters are not
                batch_loss = math.nan
            history.batch_loss.append(batch_loss)
            if not math.isfinite(batch_loss):
                raise _diverged(run, epoch, step, batch_loss, lr, "the loss")
            total_loss += batch_loss * len(X_batch)
            if track:
                correct += _count_correct(scores, y_batch)
            optimizer.zero_grad()
            model.backward(grad, input_grad=False)
            optimizer.step()
    if not all(math.isfinite(p.data.min()) and math.isfinite(p.data.max())
               for p in model.parameters()):  # once per epoch: the last update may have overflowed
        raise _diverged(run, epoch, None, math.nan, lr, "the parameters")
    history.train_loss.append(total_loss / len(run.X))
    if track:
        history.train_accuracy.append(correct / len(run.X))


def _count_correct(scores, y_batch):
    """Correct predictions in a batch whose labels were checked before training."""
    if scores.shape[1] > 1:
        return int(np.count_nonzero(scores.argmax(axis=1) == y_batch))
    return int(np.count_nonzero((scores >= 0.5) == (y_batch == 1)))


def _diverged(run, epoch, step, value, lr, what):
    steps = -(-len(run.X) // run.batch_size)
    if epoch == 1 and step == 1:  # before any update: this call's learning rate is not the cause
        message = (f"the loss of the first batch, before any update, is {value}: "
                   f"{unusable_model(run.model)}. This call's learning rate (lr={lr}) played no part.")
        return TrainingDiverged(message, history=run.history, epoch=epoch, step=step, loss=value, lr=lr)
    where = f"epoch {epoch}, step {step} of {steps}" if step else f"the end of epoch {epoch}"
    became = "stopped being finite" if what == "the parameters" else f"became {value}"
    finite = [v for v in run.history.batch_loss if math.isfinite(v)]
    before = f" (the last finite step loss was {finite[-1]:.4g})" if finite else ""
    lr_text = f"lr={lr:g}" if lr is not None else "this learning rate"
    advice = f"try lr={lr / 10:g}" if lr is not None else "try a smaller learning rate"
    message = (f"training diverged at {where}: {what} {became}{before} with {lr_text}. A learning "
               f"rate that is too large usually causes this: {advice}, with a new model and "
               f"optimizer (this model's weights are no longer usable). The history so far is in "
               f"this error's .history; plot .history.batch_loss to see the blow-up.")
    return TrainingDiverged(message, history=run.history, epoch=epoch, step=step, loss=value, lr=lr)


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
