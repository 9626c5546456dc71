"""Checks for lesson 09 (overfitting and generalization).

Every expected value comes from the references in ``utils.model_selection``
(``train_val_split``'s per-class counts, ``best_epoch``, ``generalization_gap``,
``validation_rise``, ``learning_curve``, ``select_by_validation``), run on the
same input; each known mistake is computed on that input too, so its hint
appears only when the learner's result is exactly that mistake. The split is
random, so exercise 9.1 is checked by its properties (every row once, each
class's proportion, the rng used, the caller's arrays untouched) rather than
against one answer. Exercise 9.5 is checked by running it: the learner's
learning curve trains real (small) models and must match the reference's.
"""

import copy

import numpy as np

from ..datasets import make_blobs
from ..layers import Dense, ReLU
from ..model_selection import (best_epoch, generalization_gap, learning_curve, select_by_validation,
                               train_val_split, validation_rise)
from ..models import Sequential
from ..optimizers import Adam
from ..training import History, evaluate, fit
from .core import Case, call_learner, compare, failure, require_callable, run_cases, show_value

__all__ = ["check_train_val_split", "check_best_epoch", "check_generalization_gap", "check_which_overfits",
           "check_learning_curve", "check_select_by_validation"]

HINTS = {
    "9.1": ("Split each class on its own: shuffle that class's row indices with `rng`, send the first "
            "part to validation and the rest to training. Then index X and y with the two index arrays.",
            "For class k, `idx = np.flatnonzero(y == k)`, shuffled by `rng.permutation(idx)`; about "
            "val_fraction * len(idx) of them (rounded) go to validation. Collect the indices of every class, "
            "then X[train_idx], X[val_idx], y[train_idx], y[val_idx]: indexing with an index array makes new "
            "arrays and leaves the caller's X and y as they were (no rng.shuffle(X))."),
    "9.2": ("Look for the smallest entry of the history's validation losses, then turn its position into an "
            "epoch number.",
            "np.argmin gives the index of the first smallest value of history.val_loss (not train_loss). "
            "Index 0 is epoch 1, so add one, and return a Python int."),
    "9.3": ("The gap is how much worse the model does on data it has not seen: the validation loss minus the "
            "training loss, epoch by epoch.",
            "A History holds lists, and `-` does not work on lists: make numpy arrays first (np.asarray), then "
            "subtract. Integer inputs must give floats (the dtype rule): adding 0.0 does that and keeps float32 "
            "as float32."),
    "9.4": ("Overfitting shows in the validation loss: it goes down, reaches its lowest value, then climbs "
            "back up. Measure how far each run has climbed by its last epoch.",
            "For each run, the climb is its last validation loss minus its lowest one. Return 'a' if run a "
            "climbed further, else 'b'. The training loss, the final validation loss and the gap all say "
            "something else."),
    "9.5": ("For each size m, train a new model on the first m training rows (make_and_fit does the building "
            "and training), then measure its loss on those same m rows and on the validation set.",
            "In a loop over sizes, hand make_and_fit the slices of the first m rows of X_train and y_train; "
            "it returns a trained model. Then take evaluate(...)['loss'] with 'cross_entropy' twice: on those "
            "same m rows (not all of X_train) and on X_val, y_val. Collect the numbers in two lists and return "
            "them as two float arrays, training losses first."),
    "9.6": ("Judge each run by the best validation loss it reached at any epoch, and pick the run where that "
            "is lowest.",
            "For each name, the lowest value of histories[name].val_loss; return the name (the dict key, a "
            "string) with the smallest one. Not the training loss, and not the last epoch's validation loss."),
}


def _message(title, number, total, description, input_text, expected, problem, hint=None):
    lines = [f"{title}: case {number} of {total} failed ({description}).",
             f"  input:    {input_text}",
             f"  expected: {expected}",
             f"  problem:  {problem}"]
    if hint:
        lines.append(f"  hint:     {hint}")
    return "\n".join(lines)


def _named(mistakes, got):
    """The hint of the mistake(s) whose answer is `got` (a name or a letter), or None."""
    hints = [hint for hint, value in mistakes.items() if value == got]
    if len(hints) <= 1:
        return hints[0] if hints else None
    return "more than one mistake gives this answer: " + "; or ".join(h.rstrip(".") for h in hints) + "."


# ---------------------------------------------------------------------------------------------
# Exercise 9.1 train_val_split

def _numbered(labels, d=2, dtype=np.float64, seed=0):
    """X (N, d) whose first column numbers the rows 0..N-1, so a row says where it came from."""
    labels = np.asarray(labels)
    X = np.random.default_rng(seed).normal(size=(len(labels), d)).round(2).astype(dtype)
    X[:, 0] = np.arange(len(labels))
    return X


_SPLIT_INPUTS = [
    ("10 samples, two classes of 5, val_fraction 0.2: one row of each class to validation",
     np.repeat([0, 1], 5), 0.2, 2, np.float64, 0),
    ("40 samples, classes of 30 and 10 in sorted order, val_fraction 0.25", np.repeat([0, 1], [30, 10]),
     0.25, 2, np.float64, 1),
    ("three classes of 24, 12 and 6, interleaved, val_fraction 0.5",
     np.random.default_rng(7).permutation(np.repeat([0, 1, 2], [24, 12, 6])), 0.5, 3, np.float64, 2),
    ("float32 features keep float32, labels keep int64; four classes, val_fraction 0.3",
     np.random.default_rng(8).permutation(np.repeat([0, 1, 2, 3], [15, 10, 8, 7])), 0.3, 3, np.float32, 3),
    ("one feature per sample, labels 3 and 7 (not 0 and 1), val_fraction 0.2",
     np.repeat([7, 3], [12, 18]), 0.2, 1, np.float64, 4),
    ("labels -1 and +1 (negative labels are labels too), val_fraction 0.25",
     np.random.default_rng(9).permutation(np.repeat([-1, 1], [12, 8])), 0.25, 2, np.float64, 5),
]


def _split_problem(result, X, y, frac):
    """What is wrong with a split, as (problem, hint), or None."""
    if not isinstance(result, (tuple, list)) or len(result) != 4:
        return (f"expected a tuple of four arrays (X_train, X_val, y_train, y_val), got "
                f"{show_value(result) if isinstance(result, np.ndarray) else type(result).__name__}",
                "return X_train, X_val, y_train, y_val")
    if not all(isinstance(part, np.ndarray) for part in result):
        return "expected four numpy arrays", "index X and y with arrays of row indices"
    X_train, X_val, y_train, y_val = result
    if X_val.ndim == 1 and y_train.ndim == X.ndim:
        return ("the second value looks like labels and the third like features",
                "the values are in the wrong order: return (X_train, X_val, y_train, y_val), as "
                "scikit-learn's train_test_split does")
    if X_train.shape[1:] != X.shape[1:] or X_val.shape[1:] != X.shape[1:] or y_train.ndim != 1 or y_val.ndim != 1:
        return (f"shapes {X_train.shape}, {X_val.shape}, {y_train.shape}, {y_val.shape}; expected (N_train, "
                f"{X.shape[1]}), (N_val, {X.shape[1]}), (N_train,), (N_val,)", None)
    if len(X_train) != len(y_train) or len(X_val) != len(y_val):
        return "X_train and y_train (or X_val and y_val) have different lengths", None
    if X_train.dtype != X.dtype or X_val.dtype != X.dtype or y_train.dtype != y.dtype or y_val.dtype != y.dtype:
        return (f"dtypes {X_train.dtype}, {X_val.dtype}, {y_train.dtype}, {y_val.dtype}; expected {X.dtype} for "
                f"the features and {y.dtype} for the labels", "the parts keep the dtypes of X and y")
    rows_train, rows_val = X_train[:, 0].astype(np.int64), X_val[:, 0].astype(np.int64)
    both = np.intersect1d(rows_train, rows_val)
    if both.size:
        return (f"{both.size} row(s) are in both parts, e.g. row {both[0]}",
                "a row in both parts lets the model be judged on data it trained on: each row must go to "
                "exactly one part")
    rows = np.concatenate([rows_train, rows_val])
    if sorted(rows.tolist()) != list(range(len(y))):
        problem = f"the two parts hold {len(rows)} rows, not every one of the {len(y)} rows exactly once"
        missing = np.setdiff1d(np.arange(len(y)), rows)
        lost = [k for k in np.unique(y) if np.isin(np.flatnonzero(y == k), missing).all()]
        if len(np.unique(rows)) == len(rows) and lost and np.array_equal(missing, np.flatnonzero(np.isin(y, lost))):
            which = f"class {lost[0]}" if len(lost) == 1 else "classes " + ", ".join(str(k) for k in lost)
            return (problem + f": every row of {which} is missing",
                    "the labels need not be 0 .. C-1 (here they are "
                    f"{', '.join(str(k) for k in np.unique(y))}): loop over the labels that occur, np.unique(y), "
                    "not over range(C)")
        return (problem, "every row goes to exactly one part: split the row indices, do not draw rows at random "
                         "with replacement")
    if not (np.array_equal(X_train, X[rows_train]) and np.array_equal(X_val, X[rows_val])):
        return "a row of X was changed on the way", None
    if not (np.array_equal(y_train, y[rows_train]) and np.array_equal(y_val, y[rows_val])):
        return ("a row of X is paired with the wrong label",
                "X and y were shuffled differently: index X and y with the same arrays of indices")
    for k in np.unique(y):
        n_k, v_k = int(np.sum(y == k)), int(np.sum(y_val == k))
        if abs(v_k - frac * n_k) >= 1:
            hint = "keep each class's proportion: split every class on its own (stratify)"
            if abs(len(y_val) - (1 - frac) * len(y)) < 1:
                hint = (f"the validation part holds {len(y_val)} of {len(y)} rows, the share 1 - val_fraction: "
                        f"val_fraction is the share of rows that go to validation")
            return (f"class {k} has {n_k} rows, so about {frac:g} x {n_k} = {frac * n_k:g} belong in validation, "
                    f"within one row; your validation part holds {v_k}", hint)
    return None


def _split_input_text(X, y, frac, seed):
    counts = ", ".join(f"{int(np.sum(y == k))} of class {k}" for k in np.unique(y))
    return (f"X of shape {X.shape} ({X.dtype}, column 0 numbers the rows), y of {len(y)} labels ({counts}), "
            f"val_fraction = {frac}, rng = np.random.default_rng({seed})")


def check_train_val_split(train_val_split_fn):
    """Exercise 9.1: a stratified train/validation split drawn from `rng`, new arrays, inputs untouched."""
    title = "Exercise 9.1 train_val_split"
    require_callable(title, train_val_split_fn)
    total = len(_SPLIT_INPUTS)
    for number, (description, labels, frac, d, dtype, seed) in enumerate(_SPLIT_INPUTS, start=1):
        y = np.asarray(labels, dtype=np.int64)
        X = _numbered(y, d, dtype, seed)
        text = _split_input_text(X, y, frac, seed)
        sizes = [len(part) for part in train_val_split(X, y, val_size=frac, rng=np.random.default_rng(seed))]
        expected = (f"(X_train, X_val, y_train, y_val), for example with {sizes[1]} validation rows: each class "
                    f"split in proportion, every row once, drawn from rng")

        def run(s):
            case = Case(description, (X, y, frac, np.random.default_rng(s)), None, names=("X", "y", "val_fraction",
                                                                                         "rng"), input_text=text)
            return call_learner(title, train_val_split_fn, case, number, total)

        result = run(seed)
        found = _split_problem(result, X, y, frac)
        if found is None:
            again, other = run(seed), run(seed + 100)
            same = _split_problem(again, X, y, frac) is None and np.array_equal(again[1], result[1])
            if not same:
                found = ("two calls with rngs of the same seed gave different splits",
                         "draw the random order from the `rng` argument (rng.permutation), not from np.random "
                         "or a new generator")
            elif _split_problem(other, X, y, frac) is None and np.array_equal(other[1], result[1]):
                found = ("rngs with different seeds gave the same split",
                         "the split ignores the `rng` argument (no shuffling, or a fixed seed inside): draw the "
                         "order from `rng`, so that each seed gives its own split")
        if found is not None:
            problem, hint = found
            raise AssertionError(_message(title, number, total, description, text, expected, problem, hint))
    print(f"{title}: all {total} cases passed")


# ---------------------------------------------------------------------------------------------
# Histories for exercises 9.2, 9.4 and 9.6

def _history(train_loss, val_loss, val_accuracy=()):
    return History(train_loss=[float(v) for v in train_loss], val_loss=[float(v) for v in val_loss],
                   val_accuracy=[float(v) for v in val_accuracy])


def _curve(epochs, start, floor, rate, rise=0.0, turn=None):
    """A loss curve: exponential decay from `start` to `floor`, then (after epoch `turn`) a linear rise."""
    e = np.arange(1, epochs + 1)
    curve = floor + (start - floor) * np.exp(-rate * (e - 1))
    if turn is not None:
        curve = curve + rise * np.maximum(e - turn, 0) / max(epochs - turn, 1)
    return curve.round(4)


def _show_list(values, limit=8):
    values = [round(float(v), 4) for v in values]
    if len(values) <= limit:
        return "[" + ", ".join(f"{v:g}" for v in values) + "]"
    return "[" + ", ".join(f"{v:g}" for v in values[:limit]) + f", ... ({len(values)} epochs)]"


def _show_history(h):
    text = f"History(train_loss = {_show_list(h.train_loss)}, val_loss = {_show_list(h.val_loss)}"
    if h.val_accuracy:
        text += f", val_accuracy = {_show_list(h.val_accuracy)}"
    return text + ")"


def _same_history(a, b):
    return (a.train_loss == b.train_loss and a.val_loss == b.val_loss and a.val_accuracy == b.val_accuracy
            and a.train_accuracy == b.train_accuracy)


def _call_on_histories(title, fn, case, number, total, histories):
    """Call `fn` on copies of the histories; refuse a function that changes them in place."""
    copies = copy.deepcopy(histories)
    run_case = Case(case.description, tuple(copies) if isinstance(copies, list) else (copies,), case.expected,
                    names=case.names, input_text=case.input_text)
    got = call_learner(title, fn, run_case, number, total)
    if isinstance(histories, History):
        pairs, same_keys = [(histories, copies)], True
    elif isinstance(histories, dict):
        same_keys = list(histories) == list(copies)
        pairs = [(histories[k], copies[k]) for k in histories if k in copies]
    else:
        pairs, same_keys = list(zip(histories, copies)), True
    if not (same_keys and all(_same_history(a, b) for a, b in pairs)):
        raise AssertionError(failure(title, case, number, total,
                                     "your function changed the history it was given (sorted a list, say): read "
                                     "the losses, do not change them; np.argmin or min() find the smallest "
                                     "without sorting"))
    return got


def _int_problem(got, expected):
    if isinstance(got, (bool, np.bool_)):
        return "expected an epoch number, got a boolean"
    if isinstance(got, np.integer) and int(got) == expected:
        return (f"the epoch is right, but it is numpy's {type(got).__name__}, not a Python int: np.argmin returns "
                f"a numpy integer (a tuple or a list shows it as np.{type(got).__name__}({int(got)})); wrap the "
                f"result in int(...)")
    if isinstance(got, (float, np.floating)) and float(got).is_integer():
        return (f"expected an integer epoch, got the float {got!r}: return int(...), an epoch is a whole "
                f"number")
    return compare(got, expected)


# ---------------------------------------------------------------------------------------------
# Exercise 9.2 best_epoch

def _best_epoch_inputs():
    overfit_train = _curve(40, 2.3, 0.001, 0.25)
    overfit_val = _curve(40, 2.2, 0.35, 0.3, rise=0.6, turn=12)
    tie_val = [0.8, 0.5, 0.4, 0.6, 0.4, 0.7]
    return [
        ("three epochs: the validation loss is lowest at epoch 2", [1.0, 0.6, 0.3], [0.9, 0.5, 0.7],
         [0.6, 0.8, 0.75]),
        ("40 epochs of a run that overfits: the training loss keeps falling, the validation loss turns up",
         overfit_train, overfit_val, ()),
        ("the best epoch is the first one", [0.5, 0.3, 0.2, 0.1], [0.4, 0.45, 0.6, 0.8], ()),
        ("still improving: the best epoch is the last one", [0.9, 0.7, 0.6, 0.55, 0.5],
         [1.0, 0.8, 0.7, 0.65, 0.62], ()),
        ("two epochs tie for the lowest validation loss: return the earlier one", [0.9, 0.6, 0.5, 0.3, 0.2, 0.1],
         tie_val, ()),
        ("the highest validation accuracy is at another epoch than the lowest validation loss",
         [1.2, 0.7, 0.4, 0.2, 0.1], [1.1, 0.6, 0.5, 0.55, 0.7], [0.7, 0.8, 0.84, 0.86, 0.85]),
    ]


def _best_epoch_case(description, train, val, acc):
    h = _history(train, val, acc)
    index = int(np.argmin(val))
    mistakes = {
        "that is the index into val_loss, not the epoch: epochs count from 1, so epoch = index + 1.": index,
        "you took the training loss: the best epoch is where the *validation* loss is lowest (the training "
        "loss almost always falls to the end).": best_epoch(_history(val, train)),
        "you took the epoch of the largest validation loss: the best one is the smallest (np.argmin).":
            int(np.argmax(val)) + 1,
        "when several epochs tie, return the earliest (np.argmin does); you returned the last of them.":
            len(val) - int(np.argmin(np.asarray(val)[::-1])),
        "you returned the number of epochs, not the best one.": len(val),
    }
    if acc:
        mistakes["you picked the epoch with the highest validation accuracy; the exercise asks for the lowest "
                 "validation loss."] = int(np.argmax(acc)) + 1
    expected = best_epoch(h)
    mistakes = {hint: value for hint, value in mistakes.items() if value != expected}
    return Case(description, (h,), expected, mistakes=mistakes, names=("history",), input_text=_show_history(h))


def check_best_epoch(best_epoch_fn):
    """Exercise 9.2: the epoch (from 1) with the lowest validation loss in a History, an int."""
    title = "Exercise 9.2 best_epoch"
    require_callable(title, best_epoch_fn)
    cases = [_best_epoch_case(*inputs) for inputs in _best_epoch_inputs()]
    for number, case in enumerate(cases, start=1):
        got = _call_on_histories(title, best_epoch_fn, case, number, len(cases), case.args[0])
        problem = _int_problem(got, case.expected)
        if problem:
            raise AssertionError(failure(title, case, number, len(cases), problem, got))
    print(f"{title}: all {len(cases)} cases passed")


# ---------------------------------------------------------------------------------------------
# Exercise 9.3 generalization_gap

def _gap_cases():
    f32 = np.float32
    inputs = [
        ("three epochs, as the lists a History holds", [0.9, 0.5, 0.2], [1.0, 0.7, 0.6]),
        ("early epochs where the validation loss is below the training loss (the gap is negative there)",
         [1.2, 0.8, 0.5, 0.3, 0.2], [1.0, 0.7, 0.55, 0.5, 0.6]),
        ("one epoch", [0.25], [0.4]),
        ("numpy arrays of 30 epochs", _curve(30, 2.0, 0.01, 0.2), _curve(30, 2.0, 0.3, 0.25, rise=0.5, turn=10)),
        ("float32 arrays give a float32 gap", np.array([0.5, 0.25, 0.125], dtype=f32),
         np.array([0.75, 0.5, 0.625], dtype=f32)),
        ("integer inputs (misclassified samples per epoch) give a float64 gap", np.array([40, 12, 3, 0]),
         np.array([45, 20, 15, 18])),
        ("a zero training loss (a model that memorised its data)", [0.0, 0.0], [0.5, 0.75]),
    ]
    cases = []
    for description, train, val in inputs:
        t, v = np.asarray(train), np.asarray(val)
        expected = generalization_gap(train, val)
        mistakes = {
            "the sign is flipped: the gap is the validation loss minus the training loss (it is positive when the "
            "model does worse on new data).": t - v + 0.0,
            "you took the absolute value: a gap can be negative (early on, or with dropout), keep its sign.":
                np.abs(v - t) + 0.0,
            "you returned only the last epoch's gap: return one value per epoch, shape (E,).": (v - t + 0.0)[-1],
            "you averaged the gap over the epochs: return one value per epoch, shape (E,).":
                float(np.mean(v - t)),
        }
        if np.all(t > 0):
            mistakes["you divided the losses; the gap is their difference, val_loss - train_loss."] = v / t
        cases.append(Case(description, (train, val), expected, names=("train_loss", "val_loss"), mistakes=mistakes))
    return cases


def check_generalization_gap(generalization_gap_fn):
    """Exercise 9.3: the gap val_loss - train_loss of every epoch, a new float array of shape (E,)."""
    try:
        run_cases("Exercise 9.3 generalization_gap", generalization_gap_fn, _gap_cases())
    except AssertionError as err:
        message = str(err)
        if "unsupported operand type(s) for -: 'list' and 'list'" in message:
            message += ("\n  hint:     a History holds Python lists, and `-` is not defined for lists: convert "
                        "them to numpy arrays first (np.asarray), then subtract.")
            raise type(err)(message) from None
        raise


# ---------------------------------------------------------------------------------------------
# Exercise 9.4 which_overfits

def _overfits_inputs():
    E = 60
    memorises = (_curve(E, 1.0, 0.0005, 0.15), _curve(E, 1.0, 0.3, 0.3, rise=0.5, turn=12))
    underfits = (_curve(E, 1.0, 0.6, 0.05), _curve(E, 1.05, 0.65, 0.05))
    underfits_badly = (_curve(E, 1.2, 0.85, 0.05), _curve(E, 1.25, 0.95, 0.05))
    noisy_still_learning = (_curve(E, 1.5, 0.4, 0.04), _curve(E, 1.6, 1.2, 0.04))
    mild_overfit = (_curve(E, 1.0, 0.01, 0.1), _curve(E, 1.0, 0.3, 0.2, rise=0.15, turn=20))
    low_train_small_rise = (_curve(E, 1.0, 0.0001, 0.2), _curve(E, 1.0, 0.3, 0.3, rise=0.1, turn=15))
    higher_train_big_rise = (_curve(E, 1.0, 0.05, 0.1), _curve(E, 1.0, 0.25, 0.15, rise=0.35, turn=25))
    early_small_rise = (_curve(E, 1.0, 0.02, 0.1), _curve(E, 1.0, 0.3, 0.4, rise=0.05, turn=10))
    late_big_rise = (_curve(E, 1.0, 0.01, 0.1), _curve(E, 1.0, 0.25, 0.1, rise=0.5, turn=30))
    started_high = (_curve(E, 2.0, 0.5, 0.05), _curve(E, 3.0, 0.9, 0.05))
    e = np.arange(1, E + 1)
    spike = _curve(E, 1.0, 0.3, 0.2, rise=0.05, turn=15) + (0.6 * np.exp(-((e - 35) / 4.0) ** 2)).round(4)
    spiked_and_recovered = (_curve(E, 1.0, 0.01, 0.1), spike)
    steady_rise = (_curve(E, 1.0, 0.01, 0.1), _curve(E, 1.0, 0.3, 0.2, rise=0.3, turn=25))
    last_epoch_jump = np.append(_curve(E - 1, 1.0, 0.3, 0.2), 0.7)
    jumps_at_the_end = (_curve(E, 1.0, 0.01, 0.1), last_epoch_jump)
    steady_small_rise = (_curve(E, 1.0, 0.01, 0.1), _curve(E, 1.0, 0.3, 0.2, rise=0.25, turn=20))
    low_floor = (_curve(E, 1.0, 0.001, 0.2), _curve(E, 1.0, 0.1, 0.3, rise=0.2, turn=20))
    high_floor = (_curve(E, 1.0, 0.2, 0.2), _curve(E, 1.2, 0.6, 0.3, rise=0.3, turn=20))
    still_falling = (_curve(E, 1.0, 0.3, 0.05), _curve(E, 1.1, 0.45, 0.05))
    return [
        ("a memorises its training data, b underfits", memorises, underfits),
        ("a has a large gap but is still improving; b's validation loss has turned up", noisy_still_learning,
         mild_overfit),
        ("a overfits yet ends with a lower validation loss than b, which underfits", memorises, underfits_badly),
        ("both overfit: a has the lower training loss, b's validation loss has climbed further",
         low_train_small_rise, higher_train_big_rise),
        ("both overfit: a turned up earlier but climbed less; b turned up later and climbed further",
         early_small_rise, late_big_rise),
        ("b memorises its training data, a underfits", underfits, memorises),
        ("a's validation loss started high and has only fallen (no climb); b turned up a little", started_high,
         mild_overfit),
        ("a's validation loss spiked after its best epoch and came back down; b climbs to the last epoch",
         spiked_and_recovered, steady_rise),
        ("a's validation loss jumps up only in the last epoch; b climbed steadily, less far", jumps_at_the_end,
         steady_small_rise),
        ("a climbed by less, but from a low value (a large ratio); b climbed further from a high one", low_floor,
         high_floor),
        ("a tie: both runs are still improving, neither has climbed", still_falling, underfits),
    ]


_LESS = "you returned the run that overfits less: return the one whose validation loss climbed further."


def _peak_after_best(val):
    val = np.asarray(val)
    return float(val[int(np.argmin(val)):].max() - val.min())


def _overfits_case(description, a, b):
    ha, hb = _history(*a), _history(*b)
    expected = "a" if validation_rise(ha) > validation_rise(hb) else "b"
    other = "b" if expected == "a" else "a"

    def pick(score_a, score_b, smaller=True):
        return ("a" if score_a < score_b else "b") if smaller else ("a" if score_a > score_b else "b")

    mistakes = {
        "you picked the run with the lower training loss: a low training loss alone is not overfitting, the "
        "validation loss must turn up.": pick(a[0][-1], b[0][-1]),
        "you picked the run with the higher final validation loss: a run can end worse without overfitting "
        "(it underfits, or the data are noisy); look at how far its validation loss climbed.":
            pick(a[1][-1], b[1][-1], smaller=False),
        "you picked the run with the larger final gap: noisy data give a large gap too; the sign of "
        "overfitting is a validation loss that climbs back up.":
            pick(a[1][-1] - a[0][-1], b[1][-1] - b[0][-1], smaller=False),
        "you picked the run whose validation loss turned up first; compare how far each has climbed since "
        "its lowest point.": pick(int(np.argmin(a[1])), int(np.argmin(b[1]))),
        "you measured the whole range of the validation loss, highest minus lowest: a loss that starts high and "
        "only falls has a large range without any overfitting; measure from the lowest value up to the last "
        "epoch.": pick(max(a[1]) - min(a[1]), max(b[1]) - min(b[1]), smaller=False),
        "you measured the highest point after the lowest one; the climb is where the last epoch stands above "
        "the lowest value (a run that spiked and came back down has not climbed in the end).":
            pick(_peak_after_best(a[1]), _peak_after_best(b[1]), smaller=False),
        "you missed the last epoch (an index one short?): the climb is measured at val_loss[-1].":
            pick(a[1][-2] - min(a[1]), b[1][-2] - min(b[1]), smaller=False),
        "you compared the climbs as ratios (last / lowest); the climb is a difference, last minus lowest.":
            pick(a[1][-1] / min(a[1]), b[1][-1] / min(b[1]), smaller=False),
    }
    if other not in mistakes.values():  # the answer no named mistake explains: say only what it means
        mistakes[_LESS] = other
    mistakes = {hint: value for hint, value in mistakes.items() if value != expected}
    text = f"history_a = {_show_history(ha)}, history_b = {_show_history(hb)}"
    return Case(description, (ha, hb), expected, mistakes=mistakes, names=("history_a", "history_b"),
                input_text=text)


def check_which_overfits(which_overfits):
    """Exercise 9.4: ``"a"`` or ``"b"``, the run whose validation loss climbed further above its lowest value."""
    title = "Exercise 9.4 which_overfits"
    require_callable(title, which_overfits)
    cases = [_overfits_case(*inputs) for inputs in _overfits_inputs()]
    for number, case in enumerate(cases, start=1):
        got = _call_on_histories(title, which_overfits, case, number, len(cases), list(case.args))
        if isinstance(got, str) and got.strip().lower() == case.expected and got != case.expected:
            raise AssertionError(failure(title, case, number, len(cases),
                                         f"return exactly 'a' or 'b' (lower case, no spaces), got {got!r}"))
        if not isinstance(got, str) or got not in ("a", "b"):
            raise AssertionError(failure(title, case, number, len(cases),
                                         f"expected the string 'a' or 'b', got {got!r}"))
        rises = [validation_rise(h) for h in case.args]
        if got != case.expected and rises[0] == rises[1]:
            raise AssertionError(_message(title, number, len(cases), case.description, case.input_text,
                                          repr(case.expected), f"got {got!r}, but neither run climbed further "
                                          f"than the other (both by {rises[0]:g}): the rule then says 'b'",
                                          "return 'a' only when run a climbed strictly further (>, not >=)"))
        if got != case.expected:
            raise AssertionError(_message(title, number, len(cases), case.description, case.input_text,
                                          repr(case.expected), f"got {got!r}, but the other run overfits more",
                                          _named(case.mistakes, got)))
    print(f"{title}: all {len(cases)} cases passed")


# ---------------------------------------------------------------------------------------------
# Exercise 9.5 learning_curve

def _make_and_fit(X, y):
    """The check's recipe: a 2-8-3 ReLU network, 15 epochs of Adam, fixed seeds (deterministic)."""
    rng = np.random.default_rng(0)
    model = Sequential(Dense(X.shape[1], 8, rng=rng), ReLU(), Dense(8, 3, rng=rng))
    fit(model, X, y, loss="cross_entropy", optimizer=Adam(model.parameters(), lr=0.05), epochs=15,
        batch_size=8, rng=np.random.default_rng(1), progress=False)
    return model


def _curve_data(dtype, seed):
    X, y = make_blobs(90, noise=1.6, centers=[[-2.0, 0.0], [2.0, 0.0], [0.0, 2.5]], seed=seed)
    X = X.astype(dtype)
    return X[:60], y[:60], X[60:], y[60:]


class _Spy:
    """Wraps a make_and_fit recipe and records the rows it was given."""

    def __init__(self, recipe):
        self.recipe, self.calls = recipe, []

    def __call__(self, X, y):
        self.calls.append((np.array(X, copy=True), np.array(y, copy=True)))
        return self.recipe(X, y)


def _curve_mistakes(X_train, y_train, X_val, y_val, sizes, train, val):
    def loss(model, X, y):
        return evaluate(model, X, y, "cross_entropy")["loss"]
    def accuracy(model, X, y):
        return evaluate(model, X, y, "cross_entropy")["accuracy"]
    models = [_make_and_fit(X_train[:m], y_train[:m]) for m in sizes]
    on_all = np.array([loss(model, X_train, y_train) for model in models])
    acc = np.array([accuracy(model, X_val, y_val) for model in models])
    acc_train = np.array([accuracy(model, X_train[:m], y_train[:m]) for model, m in zip(models, sizes)])
    val_first_m = np.array([loss(model, X_val[:m], y_val[:m]) for model, m in zip(models, sizes)])
    return {
        "you returned accuracies; the learning curve here is the loss (evaluate(...)['loss']) on both sets.":
            (acc_train, acc),
        "the validation loss is measured on the whole validation set, X_val and y_val, for every size; only "
        "the training rows grow with m.": (train, val_first_m),
        "the second curve is the loss on the validation set (X_val, y_val), not on the training rows.":
            (train, on_all),
        "the training loss must be measured on the m rows each model was trained on, X_train[:m], not on all of "
        "X_train: a model's own training rows are what it can memorise.": (on_all, val),
        "the two curves are swapped: return (train_losses, val_losses), training losses first.": (val, train),
        "you returned accuracies for the validation set; the learning curve here is the loss "
        "(evaluate(...)['loss']).": (train, acc),
    }


def _curve_cases():
    cases = []
    for description, dtype, seed, sizes in [
            ("60 training rows of three overlapping blobs, sizes 6, 15, 30, 60", np.float64, 0, [6, 15, 30, 60]),
            ("float32 inputs (the losses are float64 numbers all the same); sizes not in increasing order",
             np.float32, 1, [20, 60, 10]),
            ("one size only", np.float64, 2, [40])]:
        X_train, y_train, X_val, y_val = _curve_data(dtype, seed)
        train, val = learning_curve(_make_and_fit, X_train, y_train, X_val, y_val, sizes)
        text = (f"make_and_fit = a 2-8-3 ReLU network trained for 15 epochs, X_train of shape {X_train.shape} "
                f"({X_train.dtype}), y_train (60,), X_val {X_val.shape}, y_val (30,), sizes = {sizes}")
        cases.append(Case(description, (X_train, y_train, X_val, y_val, sizes), (train, val),
                          mistakes=_curve_mistakes(X_train, y_train, X_val, y_val, sizes, train, val),
                          names=("X_train", "y_train", "X_val", "y_val", "sizes"), input_text=text,
                          returns=("train_losses", "val_losses")))
    return cases


def _rows_problem(spy, X_train, y_train, sizes):
    """A sentence when the recipe was not called once per size on the first m rows, else None."""
    given = [len(X) for X, _ in spy.calls]
    if given != list(sizes) and sorted(given) == sorted(sizes):
        return (f"make_and_fit was called with {given} rows, in another order than sizes = {list(sizes)}: go "
                f"through the sizes in the order given (do not sort them), so that the i-th losses belong to "
                f"sizes[i]")
    if given != list(sizes):
        return (f"make_and_fit was called with {given} rows, expected once per size, with {list(sizes)} rows: "
                f"train a new model for every size, on that many rows")
    for (X, y), m in zip(spy.calls, sizes):
        if not (np.array_equal(X, X_train[:m]) and np.array_equal(y, y_train[:m])):
            return (f"for size {m}, make_and_fit got other rows than the first {m}: train on X_train[:m] and "
                    f"y_train[:m], the same rows for every run of the curve (the last rows, or a new shuffle, "
                    f"change the sample from size to size)")
    return None


def check_learning_curve(learning_curve_fn):
    """Exercise 9.5: training and validation loss of a recipe trained on the first m rows, for each m.

    Checked by running it: the learner's function trains real models through the
    recipe it is given, and its losses must match the reference's on the same recipe.
    """
    title = "Exercise 9.5 learning_curve"
    require_callable(title, learning_curve_fn)
    cases = _curve_cases()
    for number, case in enumerate(cases, start=1):
        X_train, y_train, X_val, y_val, sizes = case.args
        spy = _Spy(_make_and_fit)
        run_case = Case(case.description, (spy, X_train, y_train, X_val, y_val, list(sizes)), case.expected,
                        names=("make_and_fit",) + case.names, input_text=case.input_text, returns=case.returns)
        got = call_learner(title, learning_curve_fn, run_case, number, len(cases))
        problem = _rows_problem(spy, X_train, y_train, sizes)
        if problem:
            raise AssertionError(failure(title, case, number, len(cases), problem))
        if isinstance(got, list) and len(got) == 2:
            got = tuple(got)
        problem = compare(got, case.expected, rtol=1e-6, atol=1e-9)
        if problem:
            raise AssertionError(failure(title, case, number, len(cases), problem, got))
    print(f"{title}: all {len(cases)} cases passed")


# ---------------------------------------------------------------------------------------------
# Exercise 9.6 select_by_validation

def _selection_inputs():
    E = 50
    small = (_curve(E, 1.0, 0.55, 0.06), _curve(E, 1.0, 0.6, 0.06))
    still_falling = (_curve(E, 1.0, 0.25, 0.05), _curve(E, 1.0, 0.33, 0.05))
    good = (_curve(E, 1.0, 0.05, 0.12), _curve(E, 1.0, 0.22, 0.2, rise=0.2, turn=18))
    huge = (_curve(E, 1.0, 0.0001, 0.3), _curve(E, 1.0, 0.26, 0.4, rise=0.8, turn=8))
    fast = (_curve(E, 1.0, 0.2, 0.3), _curve(E, 1.0, 0.3, 0.3))
    slow = (_curve(E, 2.0, 0.1, 0.08), _curve(E, 2.0, 0.25, 0.08))
    return [
        ("three widths: 4 units underfit, 256 memorise, 32 are best at their best epoch",
         {"4 units": small, "32 units": good, "256 units": huge}),
        ("the run that ends lowest is not the one that was best at its best epoch",
         {"8 units": still_falling, "32 units": good}),
        ("the best run is the last in the dict", {"1 layer": small, "2 layers": huge, "3 layers": good}),
        ("one run only", {"64 units": huge}),
        ("a tie: the first of the equal runs", {"width 16": good, "width 16 again": good, "width 2": small}),
        ("a run that learns slowly reaches the lowest loss; the fast one is lower on average over the epochs",
         {"lr 0.1": fast, "lr 0.001": slow}),
    ]


def _selection_case(description, runs):
    histories = {name: _history(*curves) for name, curves in runs.items()}
    expected = select_by_validation(histories)
    names = list(runs)

    def lowest(score):
        values = [score(*runs[name]) for name in names]
        return names[int(np.argmin(values))]

    mistakes = {
        "you picked the run with the lowest training loss: the biggest model memorises best, and that says "
        "nothing about new data. Compare validation losses.": lowest(lambda t, v: t[-1]),
        "you compared the validation losses of the last epoch; judge each run at its best epoch, "
        "min(val_loss), as early stopping would keep it.": lowest(lambda t, v: v[-1]),
        "you picked the run with the highest validation loss: the best run has the lowest.":
            names[int(np.argmax([min(runs[n][1]) for n in names]))],
        "you averaged the validation loss over the epochs: a run that learns slowly has a high average and may "
        "still reach the lowest loss; judge each run by its lowest value.": lowest(lambda t, v: np.mean(v)),
        "you picked the run whose validation loss climbed least after its best epoch (the one that overfits "
        "least); the exercise asks for the lowest validation loss reached, however far it climbed afterwards.":
            lowest(lambda t, v: v[-1] - min(v)),
        "you picked the run with the smallest gap between its validation and training loss at the best epoch: "
        "a small gap at a high loss is underfitting; compare the validation losses themselves.":
            lowest(lambda t, v: v[int(np.argmin(v))] - t[int(np.argmin(v))]),
    }
    mistakes = {hint: value for hint, value in mistakes.items() if value != expected}
    text = "histories = {" + ", ".join(f"{name!r}: {_show_history(h)}" for name, h in histories.items()) + "}"
    return Case(description, (histories,), expected, mistakes=mistakes, names=("histories",), input_text=text)


def check_select_by_validation(select_by_validation_fn):
    """Exercise 9.6: the name of the run whose lowest validation loss is lowest."""
    title = "Exercise 9.6 select_by_validation"
    require_callable(title, select_by_validation_fn)
    cases = [_selection_case(*inputs) for inputs in _selection_inputs()]
    for number, case in enumerate(cases, start=1):
        histories = case.args[0]
        got = _call_on_histories(title, select_by_validation_fn, case, number, len(cases), histories)
        if isinstance(got, History):
            raise AssertionError(failure(title, case, number, len(cases),
                                         "you returned a History; return its name, the dict key (a string)"))
        if not isinstance(got, str) or got not in histories:
            raise AssertionError(failure(title, case, number, len(cases),
                                         f"expected one of the names {list(histories)}, got {got!r}"))
        best = min(histories[case.expected].val_loss)
        if got != case.expected and min(histories[got].val_loss) == best:
            raise AssertionError(_message(title, number, len(cases), case.description, case.input_text,
                                          repr(case.expected),
                                          f"got {got!r}, which ties with {case.expected!r} for the lowest "
                                          f"validation loss ({best:g}): on a tie the exercise asks for the first "
                                          f"in the dict's order",
                                          "keep the first of equal runs: replace the best so far only when a run "
                                          "is strictly lower (<, not <=); min() and np.argmin keep the first"))
        if got != case.expected:
            raise AssertionError(_message(title, number, len(cases), case.description, case.input_text,
                                          repr(case.expected),
                                          f"got {got!r}, but another run reached a lower validation loss",
                                          _named(case.mistakes, got)))
    print(f"{title}: all {len(cases)} cases passed")
