"""Input checks shared by every public function in `utils`.

Each check raises a ``ValueError`` whose message names what was expected and
what was given, in the learner's words: ``Dense(784 -> 256) expected input of
shape (N, 784), got (32, 28, 28)``. Keeping them in one place keeps the wording
the same everywhere.
"""

import math
import numbers

import numpy as np


class NonFiniteError(ValueError):
    """An array that must hold finite numbers holds NaN (or, where refused, an infinity).

    A ``ValueError``, so ``except ValueError`` still catches it; ``fit`` tells it
    apart to report a diverging network in terms of the loss and the learning rate.
    """


def as_float_array(x, name, *, dtype=None, finite=False):
    """Return `x` as a floating-point array, checking that it holds no NaN.

    Integer and boolean inputs become float64; float inputs keep their dtype,
    unless `dtype` asks for another one. With ``finite=True``, infinities are
    refused too (after the conversion to `dtype`, so a value beyond float32's
    range counts as one). Raises ``NonFiniteError`` (a ``ValueError``).
    """
    arr = np.asarray(x)
    # dtype.kind (b)ool, (i)nt, (u)int, (f)loat, (c)omplex: what np.issubdtype checks,
    # at a fraction of its cost; this runs several times per training step.
    if arr.dtype.kind not in "biufc":
        raise ValueError(f"{name} must be a numeric array, got dtype {arr.dtype}")
    if dtype is not None:
        arr = arr.astype(dtype, copy=False)
    elif arr.dtype.kind != "f":
        arr = arr.astype(np.float64)
    if arr.size and math.isnan(arr.min()):  # min propagates NaN without a temporary array
        where = f" at index {_first_index(np.isnan(arr))}" if arr.ndim else ""
        raise NonFiniteError(f"{name} contains NaN{where}")
    if finite and arr.size and arr.dtype.kind == "f" and not (math.isfinite(arr.max())
                                                              and math.isfinite(arr.min())):
        where = f" at index {_first_index(np.isinf(arr))}" if arr.ndim else ""
        raise NonFiniteError(f"{name} contains an infinity{where}")
    return arr


def first_non_finite(arr):
    """``None`` when every entry of the float array `arr` is finite, else
    ``(index, value)`` of the first one that is not (NaN or an infinity)."""
    if not arr.size or arr.dtype.kind != "f":
        return None
    low, high = arr.min(), arr.max()  # two reductions, no temporary mask in the usual case
    if math.isfinite(low) and math.isfinite(high):
        return None
    index = _first_index(~np.isfinite(arr)) if arr.ndim else ()
    return index, arr[index]


def check_ndim(arr, ndim, name, shape_hint):
    """Raise unless `arr` has `ndim` dimensions; `shape_hint` reads like ``(N, D)``."""
    if arr.ndim != ndim:
        raise ValueError(f"{name} must have shape {shape_hint}, got {arr.shape}")


def check_same_shape(a, b, name_a, name_b):
    """Raise unless arrays `a` and `b` have the same shape."""
    if a.shape != b.shape:
        raise ValueError(f"{name_a} and {name_b} must have the same shape, "
                         f"got {a.shape} and {b.shape}")


def check_labels(labels, num_classes, name="labels"):
    """Return integer class labels of shape ``(N,)``, each in ``[0, num_classes)``."""
    arr = np.asarray(labels)
    if arr.ndim != 1:
        raise ValueError(f"{name} must have shape (N,), got {arr.shape}")
    if arr.dtype.kind not in "iuf":
        raise ValueError(f"{name} must be integer class indices, got dtype {arr.dtype}"
                         + ("; convert with .astype(int)" if arr.dtype.kind == "b" else ""))
    if arr.dtype.kind not in "iu":  # signed or unsigned integers
        if arr.dtype.kind != "f" or not np.all(np.isfinite(arr)) or np.any(arr != np.round(arr)):
            raise ValueError(f"{name} must be integer class indices, got dtype {arr.dtype} "
                             f"with non-integer values")
        arr = arr.astype(np.int64)
    if arr.size and (arr.min() < 0 or arr.max() >= num_classes):  # two reductions, no mask
        i = _first_index((arr < 0) | (arr >= num_classes))
        raise ValueError(f"{name} must be in [0, {num_classes}), got {arr[i]} at index {i}")
    return arr


def check_positive(value, name):
    """Raise unless `value` is a finite real number > 0 (not a string, not a bool)."""
    check_real(value, name, "> 0")
    if not math.isfinite(value) or value <= 0:
        raise ValueError(f"{name} must be > 0, got {value}")


def check_non_negative(value, name):
    """Raise unless `value` is a finite real number >= 0 (not a string, not a bool)."""
    check_real(value, name, ">= 0")
    if not math.isfinite(value) or value < 0:
        raise ValueError(f"{name} must be >= 0, got {value}")


def check_real(value, name, condition="a real number"):
    """Raise unless `value` is a real number (int, float or a numpy scalar, not a bool).

    A string gets a hint: ``lr="0.01"`` is told to drop the quotes.
    """
    if isinstance(value, numbers.Real) and not isinstance(value, (bool, np.bool_)):
        return
    if isinstance(value, np.ndarray) and value.ndim == 0 and value.dtype.kind in "iuf":
        return
    wanted = condition if condition == "a real number" else f"a number {condition}"
    hint = " (write the number without quotes)" if isinstance(value, str) else ""
    raise ValueError(f"{name} must be {wanted}, got {value!r} of type {type(value).__name__}{hint}")


def check_positive_int(value, name):
    """Raise unless `value` is an integer >= 1 (a Python or numpy integer, not a bool or a float)."""
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, (int, np.integer)) or value < 1:
        kind = "" if isinstance(value, (int, np.integer)) else f" of type {type(value).__name__}"
        raise ValueError(f"{name} must be an integer >= 1, got {value!r}{kind}")


def check_probability(value, name, *, upper_open=True):
    """Raise unless ``0 <= value < 1`` (or ``<= 1`` when `upper_open` is False)."""
    ok = 0 <= value < 1 if upper_open else 0 <= value <= 1
    if not ok:
        interval = "[0, 1)" if upper_open else "[0, 1]"
        raise ValueError(f"{name} must be in {interval}, got {value}")


def check_rng(rng=None, seed=None):
    """Return a ``numpy.random.Generator`` from `rng` or `seed` (not both)."""
    if rng is not None and seed is not None:
        raise ValueError("pass either rng or seed, not both")
    if rng is None:
        return np.random.default_rng(seed)
    if not isinstance(rng, np.random.Generator):
        raise ValueError(f"rng must be a numpy.random.Generator "
                         f"(np.random.default_rng(seed)), got {type(rng).__name__}")
    return rng


def _first_index(mask):
    idx = tuple(int(i) for i in np.argwhere(mask)[0])
    return idx[0] if len(idx) == 1 else idx
