r"""Regularization, written out as the small functions lesson 10 builds: dropout, L2 and early stopping.

The layers and the training loop already regularize: :class:`utils.layers.Dropout`,
the optimizers' ``weight_decay`` and :class:`utils.training.EarlyStopping` inside
:func:`utils.training.fit`. This module holds the same three ideas as pure functions a
learner can read in one sitting, and they are the references lesson 10's exercises are
checked against:

- :func:`dropout_forward` and :func:`dropout_backward`: inverted dropout on an array, with
  the mask drawn exactly as ``Dropout`` draws it, so both give the same numbers;
- :func:`l2_penalty` and :func:`l2_penalty_grad`: the weight-decay penalty
  :math:`\frac\lambda2 \sum_l \lVert W^{[l]} \rVert^2` over a network's weight matrices
  (biases are not penalized) and its gradient;
- :func:`early_stopping_epoch`: the early-stopping rule of ``EarlyStopping`` applied to
  a list of validation losses after the fact;
- :func:`train_early_stopping`: a training loop that stops early and puts the best
  weights back, with *copies* of the weights, never references to them;
- :func:`overfit_moons`, :func:`big_network` and :func:`train_big_network`: lesson 10's
  experiment, a big network that memorises 32 noisy points, in one place, so that the
  lesson's figures and the check of exercise 10.7 run exactly the same code.

Left out on purpose: dropout variants (DropConnect, spatial dropout), L1 penalties,
and ``min_delta`` in the early-stopping rule (``EarlyStopping`` has it).
"""

import math

import numpy as np

from ._validation import as_float_array, check_non_negative, check_positive_int, check_probability
from .datasets import make_moons, train_test_split
from .layers import Dense, Dropout, ReLU
from .models import Sequential
from .optimizers import Adam
from .training import fit

__all__ = ["dropout_forward", "dropout_backward", "l2_penalty", "l2_penalty_grad", "early_stopping_epoch",
           "train_early_stopping", "overfit_moons", "big_network", "train_big_network"]


def dropout_forward(x, p, rng, training=True):
    r"""Inverted dropout: zero each element with probability `p` and scale the rest by :math:`1/(1-p)`.

    Parameters
    ----------
    x : array_like, shape (N, D) (any shape works)
        Activations. Float inputs keep their dtype; integer inputs become float64.
    p : float in [0, 1)
        Probability of dropping an element.
    rng : numpy.random.Generator
        Draws the mask: one call ``rng.random(x.shape)``, in training mode only.
    training : bool, default True
        In evaluation mode (False) the layer is the identity and draws nothing.

    Returns
    -------
    out : ndarray, the shape and dtype of `x` (float64 for integer `x`)
        A new array: :math:`m \odot x`.
    mask : ndarray, the shape and dtype of `out`
        :math:`m`: 0 for a dropped element, :math:`1/(1-p)` for a kept one; all ones in
        evaluation mode. The backward pass needs it.

    Raises
    ------
    ValueError
        If `p` is outside [0, 1) or `x` holds NaN.

    Notes
    -----
    With :math:`u_{ij}` uniform on [0, 1) (``rng.random``), an element is kept when
    :math:`u_{ij} \ge p`, which happens with probability :math:`1 - p`:

    .. math:: m_{ij} = \frac{[u_{ij} \ge p]}{1 - p}, \qquad \text{out} = m \odot x,
              \qquad \mathbb E[\text{out}_{ij}] = x_{ij}.

    The scaling keeps every activation's expected value, so evaluation needs no change
    (Srivastava et al., "Dropout", JMLR 15, 2014; the "inverted" form scales in training,
    as ``torch.nn.Dropout`` does). The same mask as :class:`utils.layers.Dropout`.
    """
    check_probability(p, "dropout p")
    x = as_float_array(x, "x")
    if not training:
        return x.copy(), np.ones_like(x)
    keep = rng.random(x.shape) >= p
    mask = keep.astype(x.dtype) / x.dtype.type(1 - p)
    return x * mask, mask


def dropout_backward(dout, mask):
    r"""The gradient through dropout: the upstream gradient times the forward pass's mask.

    Parameters
    ----------
    dout : array_like, shape of the forward output
        :math:`\partial L / \partial\, \text{out}`.
    mask : ndarray, the same shape
        The `mask` that :func:`dropout_forward` returned for this forward pass.

    Returns
    -------
    ndarray, the shape of `dout`, its float dtype (float64 for integer `dout`)
        :math:`\partial L / \partial x = m \odot \text{dout}`, a new array.

    Raises
    ------
    ValueError
        If the shapes differ.

    Notes
    -----
    :math:`\text{out} = m \odot x` is linear in :math:`x` with the mask fixed, so
    :math:`\partial L/\partial x_{ij} = m_{ij}\, \partial L/\partial \text{out}_{ij}`:
    a dropped unit passes no gradient, a kept one passes it scaled by :math:`1/(1-p)`.
    """
    dout = as_float_array(dout, "dout")
    mask = np.asarray(mask)
    if dout.shape != mask.shape:
        raise ValueError(f"dout and mask must have the same shape, got {dout.shape} and {mask.shape}")
    return dout * mask.astype(dout.dtype, copy=False)


def _check_layers(layers):
    if not isinstance(layers, (list, tuple)) or not all(isinstance(pair, (list, tuple)) and len(pair) == 2
                                                         for pair in layers):
        raise ValueError("layers must be a list of (W, b) pairs, one per Dense layer, got "
                         f"{type(layers).__name__}")
    return [(as_float_array(W, f"W of layer {k}"), as_float_array(b, f"b of layer {k}"))
            for k, (W, b) in enumerate(layers)]


def l2_penalty(layers, lam):
    r"""The L2 (weight-decay) penalty of a network's weight matrices; biases are not penalized.

    Parameters
    ----------
    layers : list of (W, b) pairs
        One pair per dense layer: ``W`` of shape (D_in, D_out), ``b`` of shape (D_out,).
    lam : float >= 0
        The strength :math:`\lambda`.

    Returns
    -------
    numpy floating scalar
        :math:`\frac\lambda2 \sum_l \lVert W^{[l]} \rVert_F^2`, in the weights' float dtype
        (float64 for integer weights); 0 for no layers.

    Raises
    ------
    ValueError
        If `layers` is not a list of pairs or `lam` < 0.

    Notes
    -----
    .. math:: R(W) = \frac{\lambda}{2} \sum_{l} \sum_{j,k} \bigl(W^{[l]}_{jk}\bigr)^2

    The factor 1/2 makes the gradient :math:`\lambda W` (the convention of Goodfellow,
    Bengio and Courville, *Deep Learning*, section 7.1.1, and of PyTorch's
    ``weight_decay``). Biases are left out, as in that section: they shift each unit
    without making the function steeper, and penalizing them can underfit. (PyTorch's
    ``weight_decay`` decays every parameter it is given, biases included, unless they
    are put in a parameter group of their own.)
    """
    check_non_negative(lam, "lam")
    weights = [W for W, _ in _check_layers(layers)]
    if not weights:
        return np.float64(0.0)
    total = sum(np.sum(W * W) for W in weights)
    return total * total.dtype.type(lam / 2)


def l2_penalty_grad(layers, lam):
    r"""The gradient of :func:`l2_penalty` with respect to every weight and bias.

    Parameters
    ----------
    layers : list of (W, b) pairs
        As for :func:`l2_penalty`.
    lam : float >= 0

    Returns
    -------
    list of (dW, db) pairs
        ``dW`` = :math:`\lambda W`, the shape and float dtype of ``W``; ``db`` zeros, the
        shape and float dtype of ``b`` (the penalty does not involve the biases). New arrays.

    Notes
    -----
    .. math:: \frac{\partial R}{\partial W^{[l]}} = \lambda W^{[l]}, \qquad
              \frac{\partial R}{\partial b^{[l]}} = 0

    Added to the data gradient, it turns a gradient step into
    :math:`W \leftarrow (1 - \eta\lambda) W - \eta \nabla_W L`: every step first shrinks
    the weights by the factor :math:`1 - \eta\lambda`, hence the name *weight decay*.
    """
    check_non_negative(lam, "lam")
    return [(W * W.dtype.type(lam), np.zeros_like(b)) for W, b in _check_layers(layers)]


def early_stopping_epoch(val_losses, patience):
    r"""Where early stopping stops on a sequence of validation losses, and which epoch it keeps.

    Parameters
    ----------
    val_losses : sequence of float, length E >= 1
        ``val_losses[k]`` is the validation loss after epoch ``k + 1`` (epochs count from 1).
    patience : int >= 1
        Epochs without improvement to wait before stopping.

    Returns
    -------
    best_epoch : int
        The epoch (from 1) with the lowest loss seen up to the stop: the first of equal
        ones, since a tie is no improvement.
    stop_epoch : int
        The epoch after which training stops: the ``patience``-th epoch in a row without
        improvement, or E when that never happens.

    Raises
    ------
    ValueError
        If `val_losses` is empty or not finite, or `patience` is not an integer >= 1.

    Notes
    -----
    An epoch improves when its loss is strictly below the best so far; the counter of
    epochs without improvement restarts at 0 on every improvement, and training stops
    when it reaches `patience` (Prechelt, "Early stopping, but when?", 1998; the rule of
    :class:`utils.training.EarlyStopping` with ``min_delta=0`` and of Keras's callback).
    The best epoch is chosen among the epochs that ran, never from losses after the stop.
    """
    check_positive_int(patience, "patience")
    losses = as_float_array(val_losses, "val_losses", finite=True)
    if losses.ndim != 1 or losses.size == 0:
        raise ValueError(f"val_losses must be a non-empty 1-D sequence of losses, got shape {losses.shape}")
    best_loss, best_epoch, wait = math.inf, 0, 0
    for epoch, loss in enumerate(losses.tolist(), start=1):
        if loss < best_loss:
            best_loss, best_epoch, wait = loss, epoch, 0
            continue
        wait += 1
        if wait >= patience:
            return best_epoch, epoch
    return best_epoch, len(losses)


def train_early_stopping(model, train_epoch, validation_loss, epochs, patience):
    r"""Train epoch by epoch, stop early, and put the best epoch's weights back into `model`.

    Parameters
    ----------
    model : object with ``parameters()``
        A list of parameters, each with an array ``.data`` that training changes in place
        (a :class:`utils.models.Sequential`).
    train_epoch : callable
        ``train_epoch(model)`` trains one epoch, changing the weights in place.
    validation_loss : callable
        ``validation_loss(model)`` returns the loss on held-out data, a float.
    epochs : int >= 1
        Most epochs to train.
    patience : int >= 1

    Returns
    -------
    best_epoch, stop_epoch : int
        As :func:`early_stopping_epoch` gives them for the losses seen. Afterwards the
        model's weights are those after epoch `best_epoch`.

    Notes
    -----
    The best weights are kept as *copies* (``p.data.copy()``): the arrays themselves keep
    changing in place as training goes on, so a list of references would hold the last
    weights, not the best. They are written back into the same arrays
    (``p.data[...] = best``), so that an optimizer holding them still works.
    """
    check_positive_int(epochs, "epochs")
    check_positive_int(patience, "patience")
    best_loss, best_epoch, wait, best = math.inf, 0, 0, None
    stop_epoch = epochs
    for epoch in range(1, epochs + 1):
        train_epoch(model)
        loss = float(validation_loss(model))
        if loss < best_loss:
            best_loss, best_epoch, wait = loss, epoch, 0
            best = [p.data.copy() for p in model.parameters()]
            continue
        wait += 1
        if wait >= patience:
            stop_epoch = epoch
            break
    for p, data in zip(model.parameters(), best):
        p.data[...] = data
    return best_epoch, stop_epoch


# ---------------------------------------------------------------------------------------------
# Lesson 10's experiment: the network that memorises, and the same run with each regularizer

def overfit_moons():
    """Lesson 10's data: 32 training and 300 validation points of the two moons, noise 0.3.

    Returns
    -------
    X_train : ndarray, shape (32, 2), float64
    X_val : ndarray, shape (300, 2), float64
    y_train : ndarray, shape (32,), int
    y_val : ndarray, shape (300,), int
        ``make_moons(332, noise=0.3, seed=3)``, split by ``train_test_split(..., test_size=300,
        stratify=True, seed=0)``, in that function's order.
    """
    X, y = make_moons(332, noise=0.3, seed=3)
    return train_test_split(X, y, test_size=300, stratify=True, seed=0)


def big_network(p=0.0, seed=1):
    """A 2-64-64-2 ReLU network (4,482 parameters), with ``Dropout(p)`` after each hidden layer when p > 0.

    Parameters
    ----------
    p : float in [0, 1), default 0
        Dropout rate; 0 gives the network without dropout layers.
    seed : int, default 1
        Seed of the initial weights (and of the dropout masks). The same seed gives the same
        initial weights for every `p`, because the masks are drawn only during training.

    Returns
    -------
    Sequential
    """
    rng = np.random.default_rng(seed)
    drop = (lambda: [Dropout(p, rng=rng)]) if p > 0 else (lambda: [])
    return Sequential(Dense(2, 64, rng=rng), ReLU(), *drop(), Dense(64, 64, rng=rng), ReLU(), *drop(),
                      Dense(64, 2, rng=rng))


#: Final figures of every finished run of :func:`train_big_network` without early stopping in this
#: session, by ``(p, weight_decay, epochs)``: ``(final training loss, final validation loss, lowest
#: validation loss)``. The runs are deterministic, so lesson 10's check of exercise 10.7 reads the
#: figures of the runs the lesson has just drawn instead of training the same six networks again.
FINISHED_RUNS = {}


def train_big_network(p=0.0, weight_decay=0.0, early_stopping=None, epochs=300):
    """Train :func:`big_network` on :func:`overfit_moons` as lesson 10 does; return ``(model, history)``.

    Adam with learning rate 0.003, one batch of all 32 points per epoch, the validation set
    scored after every epoch, and the batches visited in the same order (``rng`` seed 0) in
    every run, so runs differ only in their regularization.

    Parameters
    ----------
    p : float in [0, 1), default 0
        Dropout rate of :func:`big_network`.
    weight_decay : float >= 0, default 0
        L2 strength, passed to :class:`utils.optimizers.Adam` (it adds ``weight_decay * w``
        to the gradient of every parameter, biases included).
    early_stopping : utils.training.EarlyStopping or None
    epochs : int >= 1, default 300

    Returns
    -------
    model : Sequential
        After training (with early stopping: holding the best epoch's weights).
    history : utils.training.History

    Runs without early stopping also record their final figures in :data:`FINISHED_RUNS`.
    """
    X_train, X_val, y_train, y_val = overfit_moons()
    model = big_network(p)
    history = fit(model, X_train, y_train, loss="cross_entropy",
                  optimizer=Adam(model.parameters(), lr=0.003, weight_decay=weight_decay), epochs=epochs,
                  batch_size=32, validation_data=(X_val, y_val), early_stopping=early_stopping,
                  rng=np.random.default_rng(0), progress=False)
    if early_stopping is None:
        FINISHED_RUNS[(float(p), float(weight_decay), int(epochs))] = (
            float(history.train_loss[-1]), float(history.val_loss[-1]), float(np.min(history.val_loss)))
    return model, history
