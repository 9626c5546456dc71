"""Argument checks for ``fit`` and ``evaluate``, run once per call before anything changes.

Every argument is checked against the model it will meet: the data's shape
against the model's first layer, the labels against the number of outputs, the
optimizer's parameters against the model's own. An error names the row of the
caller's array (``y[700] = 10``), never a position inside a shuffled batch, and
is raised before the first update, so the model is left as it was. Training
itself then runs without per-step checks beyond a finite loss.
"""

import math

import numpy as np

from ._validation import NonFiniteError, _first_index, check_positive, first_non_finite
from .layers import Dense, Layer
from .losses import check_bce_targets


def check_model(model):
    """Raise unless `model` is a Layer whose parameters are all finite."""
    if not isinstance(model, Layer):
        raise ValueError(f"model must be a network such as Sequential(Dense(2, 8), ReLU(), ...), "
                         f"got {type(model).__name__}")
    for layer, p in _named_parameters(model):
        bad = first_non_finite(p.data)
        if bad is not None:
            raise ValueError(f"the model's parameter {p.name or 'unnamed'} of {layer!r} holds "
                             f"{bad[1]} at index {bad[0]}: this model diverged in an earlier run. "
                             f"Build a new model (and optimizer) and train it with a smaller "
                             f"learning rate")


def check_optimizer(optimizer, model):
    """Raise unless `optimizer` can train `model`: it updates exactly this model's parameters
    and its learning rate ``lr`` is a number > 0."""
    if isinstance(optimizer, type) or not (callable(getattr(optimizer, "step", None))
                                           and callable(getattr(optimizer, "zero_grad", None))):
        given = (f"the class {optimizer.__name__}" if isinstance(optimizer, type)
                 else f"{optimizer!r} of type {type(optimizer).__name__}")
        raise ValueError(f"optimizer must be an optimizer built on this model's parameters, "
                         f"e.g. SGD(model.parameters(), lr=0.1), got {given}")
    if hasattr(optimizer, "lr"):
        check_positive(optimizer.lr, "optimizer.lr")
    held = getattr(optimizer, "params", None)
    if held is None:
        return
    held_ids = {id(p) for p in held}
    owned = _named_parameters(model)
    missing = [(layer, p) for layer, p in owned if id(p) not in held_ids]
    foreign = len(held_ids - {id(p) for _, p in owned})
    if owned and len(missing) == len(owned):
        raise ValueError(f"optimizer holds the parameters of another model, not of this one: "
                         f"build it on this model, e.g. "
                         f"{type(optimizer).__name__}(model.parameters(), lr=...)")
    if missing:
        names = ", ".join(f"{p.name or 'unnamed'} of {layer!r}" for layer, p in missing)
        raise ValueError(f"optimizer does not update {len(missing)} of the model's {len(owned)} "
                         f"parameters ({names}): build it on model.parameters() of the whole model")
    if foreign:
        raise ValueError(f"optimizer also updates {foreign} parameter(s) that are not this "
                         f"model's: build it on model.parameters() of this model only")


def check_scheduler(scheduler, optimizer):
    """Raise unless `scheduler` is None or has a ``step()`` method (and, if it names an
    optimizer, it is `optimizer`)."""
    if scheduler is None:
        return
    if not callable(getattr(scheduler, "step", None)):
        raise ValueError(f"scheduler must have a step() method, called once after each epoch "
                         f"(e.g. StepLR(optimizer, step_size=10)), got {type(scheduler).__name__}")
    own = getattr(scheduler, "optimizer", None)
    if own is not None and own is not optimizer:
        raise ValueError("scheduler changes the learning rate of another optimizer: build it on "
                         "the optimizer passed to fit")


def check_validation_data(validation_data):
    """Return ``(X_val, y_val)`` from `validation_data`, which must be such a pair."""
    if not isinstance(validation_data, (tuple, list)) or len(validation_data) != 2:
        given = (f"a {type(validation_data).__name__} of length {len(validation_data)}"
                 if isinstance(validation_data, (tuple, list)) else type(validation_data).__name__)
        raise ValueError(f"validation_data must be a pair (X_val, y_val), got {given}")
    return validation_data


def prepare_data(model, X, y, loss_name, *, names=("X", "y")):
    """Check the inputs `X` and targets `y` against `model` and the loss; return them ready.

    Returns
    -------
    X : ndarray, shape (N, D), in the dtype of the model's parameters
    y : ndarray, shape (N,) of int64 class labels for cross-entropy; otherwise
        the shape of the model's output, in its dtype
    hard_labels : bool
        Whether accuracy means something: class labels (cross-entropy), or
        binary targets that are all 0 or 1 (not soft targets).
    """
    x_name, y_name = names
    dtype = _model_dtype(model)
    X = _inputs(model, X, x_name, dtype)
    y = np.asarray(y)
    if y.ndim == 0:
        raise ValueError(f"{y_name} must hold one target per row of {x_name}, got the scalar {y!r}")
    if len(y) != len(X):
        raise ValueError(f"{x_name} has {len(X)} rows but {y_name} has {len(y)}: "
                         f"they must have one row per sample each")
    out_shape = (len(X),) + _output_shape(model, X[:1], x_name)[1:]
    if loss_name == "binary_cross_entropy":
        last = _layers(model)[-1]
        if isinstance(last, Dense):
            raise ValueError(f"binary cross-entropy needs probabilities, but the model ends in "
                             f"{last!r}, whose outputs are any real numbers: end it with Sigmoid()")
    if loss_name == "cross_entropy":
        return X, _class_labels(y, y_name, out_shape), True
    y = _float_targets(y, y_name, dtype, out_shape)
    if loss_name == "binary_cross_entropy":
        check_bce_targets(y, y_name)
        return X, y, bool(np.all((y == 0) | (y == 1)))
    return X, y, False


def _inputs(model, X, name, dtype):
    X = np.asarray(X)
    if X.dtype.kind not in "biuf":
        raise ValueError(f"{name} must be a numeric array, got dtype {X.dtype}")
    if X.ndim == 0 or len(X) == 0:
        raise ValueError(f"{name} is empty: training and evaluation need at least one sample"
                         if X.ndim else f"{name} must be an array with one row per sample, got {X!r}")
    first = next((layer for layer in _layers(model) if hasattr(layer, "in_features")), None)
    if first is not None and (X.ndim != 2 or X.shape[1] != first.in_features):
        raise ValueError(f"{name} must have shape (N, {first.in_features}) for {first!r}, the model's "
                         f"first layer, got {X.shape}")
    original = X
    with np.errstate(over="ignore"):  # a value beyond float32's range becomes inf: reported next
        X = X.astype(dtype, copy=False)
    bad = first_non_finite(X)
    if bad is not None:
        index, value = bad
        if math.isfinite(original[index]):
            raise ValueError(f"{_at(name, index)} = {original[index]:.4g} is beyond the range of "
                             f"{dtype}, the model's dtype: rescale {name}, e.g. standardize each column")
        raise ValueError(f"{_at(name, index)} is {value}: {name} must hold finite numbers "
                         f"(row {index[0] if isinstance(index, tuple) else index})")
    return X


def _class_labels(y, name, out_shape):
    classes = out_shape[1] if len(out_shape) == 2 else None
    if y.ndim == 2 and y.shape[1] == 1:
        y = y[:, 0]
    elif y.ndim != 1:
        hint = (f"; it looks one-hot: pass class indices, {name}.argmax(axis=1)"
                if y.ndim == 2 and y.shape[1] == classes else "")
        raise ValueError(f"{name} must hold class indices, shape (N,), for cross-entropy, "
                         f"got shape {y.shape}{hint}")
    if y.dtype.kind not in "iuf":
        raise ValueError(f"{name} must hold integer class indices, got dtype {y.dtype}"
                         + (f"; convert with {name}.astype(int)" if y.dtype.kind == "b" else ""))
    if y.dtype.kind == "f":
        with np.errstate(invalid="ignore"):
            whole = np.isfinite(y) & (y == np.round(y))
        if not whole.all():
            i = _first_index(~whole)
            raise ValueError(f"{_at(name, i)} = {y[i]} is not a class index: class labels are "
                             f"whole numbers 0, 1, ..., C-1")
        y = y.astype(np.int64)
    if classes is not None and (y.min() < 0 or y.max() >= classes):  # two reductions, no mask
        i = _first_index((y < 0) | (y >= classes))
        raise ValueError(f"{_at(name, i)} = {y[i]} is not a class of this model: it has {classes} "
                         f"outputs, so labels must be in 0, ..., {classes - 1}")
    return y.astype(np.int64, copy=False)


def _float_targets(y, name, dtype, out_shape):
    if y.dtype.kind not in "biuf":
        raise ValueError(f"{name} must be a numeric array, got dtype {y.dtype}")
    if y.ndim == 1 and len(out_shape) == 2 and out_shape[1] == 1:
        y = y.reshape(-1, 1)  # a 1-D target for a one-column output is taken as a column
    if y.shape != out_shape:
        raise ValueError(f"{name} must have the shape of the model's output, "
                         f"(N, {', '.join(map(str, out_shape[1:]))}), got {y.shape}")
    original = y
    with np.errstate(over="ignore"):
        y = y.astype(dtype, copy=False)
    bad = first_non_finite(y)
    if bad is not None:
        index, value = bad
        beyond = math.isfinite(original[index])
        raise ValueError(f"{_at(name, index)} = {original[index]:.4g} is beyond the range of {dtype}"
                         if beyond else f"{_at(name, index)} is {value}: targets must be finite numbers")
    return y


def _output_shape(model, X_one, name="X"):
    """The shape of the model's output for one sample, from a forward pass in eval mode.

    A layer that refuses a non-finite input (a Sigmoid after an overflow) is reported as the
    model's fault, in the learner's terms, not as that layer's internal ``z contains NaN``.
    """
    was_training = model.training
    model.eval()
    try:
        with np.errstate(all="ignore"):  # only the shape is wanted here, not the values
            return np.shape(model.forward(X_one))
    except NonFiniteError:  # X is finite (checked before): the model's weights are the cause
        raise ValueError(f"the model's output for {name}[0] is not a finite number: "
                         f"{unusable_model(model)}") from None
    finally:
        model._set_mode(was_training)


def unusable_model(model):
    """Why a model with finite weights gives outputs or a loss that are not finite, and what to do."""
    largest = max((float(np.max(np.abs(p.data), initial=0.0)) for p in model.parameters()), default=0.0)
    return (f"the model's outputs overflow (its largest weight is {largest:.3g} in absolute value), "
            f"as after a training run that diverged. Build a new model (and optimizer) and train it "
            f"with a smaller learning rate (or rescale X if its values are huge)")


def _model_dtype(model):
    params = model.parameters()
    return params[0].data.dtype if params else np.dtype(np.float32)


def _layers(model):
    """The layers of `model` in order, looking inside nested containers."""
    inner = getattr(model, "layers", None)
    if inner is None:
        return [model]
    return [leaf for layer in inner for leaf in _layers(layer)]


def _named_parameters(model):
    """``(layer, parameter)`` pairs, in the order of ``model.parameters()``."""
    return [(layer, p) for layer in _layers(model) for p in layer.parameters()]


def _at(name, index):
    """``y[700]`` or ``X[5, 2]``."""
    if isinstance(index, tuple):
        return f"{name}[{', '.join(map(str, index))}]"
    return f"{name}[{index}]"


__all__ = ["check_model", "check_optimizer", "check_scheduler", "check_validation_data",
           "prepare_data", "unusable_model"]
