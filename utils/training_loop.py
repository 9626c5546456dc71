r"""The training loop written out in small pieces, as lesson 08 builds it.

:func:`utils.training.fit` does everything at once (argument checks, a
progress bar, divergence, early stopping, schedulers). This module holds the
same loop as four short functions a learner can read, which are the
references lesson 08's exercises are checked against:

- :func:`train_epoch`: one pass over the training set in shuffled
  mini-batches; per batch a forward pass, the loss, a backward pass and an
  optimizer step;
- :func:`evaluate`: loss and accuracy on held-out data, in evaluation mode,
  without touching the weights;
- :func:`train`: epochs of :func:`train_epoch`, each followed by
  :func:`evaluate` on validation data, recorded in a history;
- :func:`predict_classes`: the predicted class of each image.

Left out on purpose: everything :func:`utils.training.fit` adds (checks of
every argument, early stopping, schedulers, divergence reports).
"""

import numpy as np

from .training import accuracy


def train_epoch(model, X, y, loss, optimizer, batch_size, rng):
    r"""Train `model` for one epoch of shuffled mini-batches; return the epoch's mean loss.

    Parameters
    ----------
    model : Sequential
        Switched to training mode first (``model.train()``).
    X : ndarray, shape (N, D)
    y : ndarray, shape (N,) of int class labels, or the shape of the model's output
    loss : utils.losses.Loss
        ``loss(scores, y_batch)`` is the batch's mean loss, ``loss.grad(scores, y_batch)``
        its gradient with respect to the scores, shape (B, C).
    optimizer : utils.optimizers.Optimizer
        Built on ``model.parameters()``.
    batch_size : int >= 1
        The last batch holds the ``N % batch_size`` rows left over, if any.
    rng : numpy.random.Generator
        The order of the rows: ``rng.permutation(N)``, drawn once per call.

    Returns
    -------
    float
        The mean loss over the epoch's samples: each batch's loss weighted by
        its size, :math:`\frac{1}{N}\sum_b B_b L_b`, computed before that batch's update.

    Notes
    -----
    For each batch :math:`\mathcal B` of the shuffled order:

    .. math::
        Z = f_\theta(X_\mathcal{B}), \quad L = \ell(Z, \mathbf y_\mathcal{B}), \quad
        \nabla_\theta L \text{ by backpropagation}, \quad \theta \leftarrow \operatorname{step}(\theta, \nabla_\theta L)

    The gradients are cleared before each backward pass, because ``backward``
    adds to ``.grad`` (as in PyTorch).
    """
    model.train()
    order = rng.permutation(len(X))
    total = 0.0
    for start in range(0, len(X), batch_size):
        idx = order[start:start + batch_size]
        scores = model.forward(X[idx])
        total += loss(scores, y[idx]) * len(idx)
        optimizer.zero_grad()
        model.backward(loss.grad(scores, y[idx]))
        optimizer.step()
    return float(total / len(X))


def evaluate(model, X, y, loss):
    """Loss and accuracy of a classifier on ``(X, y)``, in evaluation mode, with no update.

    Parameters
    ----------
    model : Sequential
        Left in evaluation mode (``model.eval()``), as in PyTorch; :func:`train_epoch`
        switches it back. Its weights and gradients are not changed.
    X : ndarray, shape (N, D)
    y : ndarray of int, shape (N,)
    loss : utils.losses.Loss

    Returns
    -------
    (float, float)
        The mean loss and the accuracy (the fraction of rows whose arg-max logit is the label).
    """
    model.eval()
    scores = model.forward(X)
    return float(loss(scores, y)), accuracy(scores, y)


def train(model, X, y, X_val, y_val, loss, optimizer, epochs, batch_size, rng):
    """Train for `epochs` epochs, evaluating on the validation data after each; return the history.

    Parameters
    ----------
    model, X, y, loss, optimizer, batch_size, rng
        As in :func:`train_epoch`; the same `rng` serves every epoch, so each
        epoch has a new order.
    X_val : ndarray, shape (N_val, D)
    y_val : ndarray of int, shape (N_val,)
    epochs : int >= 1

    Returns
    -------
    dict of str to list of float
        ``"train_loss"`` (from :func:`train_epoch`), ``"val_loss"`` and
        ``"val_accuracy"`` (from :func:`evaluate` after that epoch's training),
        one entry per epoch.
    """
    history = {"train_loss": [], "val_loss": [], "val_accuracy": []}
    for _ in range(epochs):
        history["train_loss"].append(train_epoch(model, X, y, loss, optimizer, batch_size, rng))
        val_loss, val_accuracy = evaluate(model, X_val, y_val, loss)
        history["val_loss"].append(val_loss)
        history["val_accuracy"].append(val_accuracy)
    return history


def predict_classes(model, images):
    """The predicted class of each image: the arg-max of the model's logits.

    Parameters
    ----------
    model : Sequential
        A classifier whose input is the flattened image (row by row).
    images : ndarray, shape (N, H, W)

    Returns
    -------
    ndarray of int64, shape (N,)
        Computed in evaluation mode (``model.predict``).
    """
    scores = model.predict(images.reshape(len(images), -1))
    return scores.argmax(axis=1)


__all__ = ["train_epoch", "evaluate", "train", "predict_classes"]
