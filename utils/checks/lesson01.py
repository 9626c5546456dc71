"""Checks for lesson 01 (the perceptron).

Every expected value comes from the reference implementations in
``utils.perceptron`` and ``utils.activations``; each known mistake is
computed on the same input, so its hint appears only when the learner's
result is exactly that mistake.
"""

import numpy as np

from ..activations import sigmoid, step
from ..perceptron import perceptron_predict, perceptron_update, weighted_sum
from .core import Case, call_learner, exp_overflow_raises, failure, run_cases, show_value, silenced_warnings

__all__ = ["check_weighted_sum", "check_sigmoid", "check_perceptron_predict", "check_and_weights",
           "check_perceptron_update"]

_rng = np.random.default_rng(1)
_X3 = np.array([[1.0, 2.0], [0.5, -1.0], [-2.0, 0.0]])
_X5 = _rng.normal(size=(5, 3)).round(2)


def _weighted_sum_cases():
    inputs = [("one sample, no bias", np.array([[2.0, -1.0]]), np.array([0.5, 1.5]), 0.0),
              ("a batch of 3 samples with a bias", _X3, np.array([0.5, -1.0]), 2.5),
              ("5 samples with 3 features and a negative bias", _X5, np.array([1.0, -2.0, 0.5]), -0.75),
              ("one feature per sample", np.array([[1.0], [2.0], [3.0]]), np.array([-1.5]), 1.0)]
    cases = []
    for description, X, w, b in inputs:
        cases.append(Case(description, (X, w, b), weighted_sum(X, w, b), names=("X", "w", "b"), mistakes={
            "the result is off by b: did you forget to add the bias?": X @ w,
            "the bias has the wrong sign: z = X @ w + b adds it.": X @ w - b,
            "you multiplied elementwise but did not sum over the features (axis=1).": X * w + b,
            "you summed over the whole batch; z needs one value per sample, shape (N,).": np.sum(X @ w) + b,
            "you added b to the weights; the bias is added once, after the weighted sum.": X @ (w + b),
        }))
    return cases


def check_weighted_sum(weighted_sum):
    """Exercise 1.1: ``z = X @ w + b`` for a batch ``X`` (N, D), weights ``w`` (D,), bias ``b``."""
    run_cases("Exercise 1.1 weighted_sum", weighted_sum, _weighted_sum_cases())


_SIGMOID_OVERFLOW = {
    "negative": ("For z = -1000, e^(-z) = e^1000 overflows. For negative z use the same number in the form "
                 "e^z / (1 + e^z) (the lesson's paragraph on numerical stability), built from e^(-|z|)."),
    "positive": ("For z = 800, e^z overflows: np.where computes both of its forms for every element, so the "
                 "form for negative z ran on z = 800 too. Build both forms from e^(-|z|), which is at most 1."),
}


def _sigmoid_cases():
    inputs = [("z = 0", np.array(0.0)),
              ("a few moderate values", np.array([-2.0, -0.5, 0.5, 2.0])),
              ("a 2-D array keeps its shape", np.array([[-1.0, 0.0], [1.0, 3.0]])),
              ("large positive z (e^-z underflows)", np.array([50.0, 800.0])),
              ("large negative z (e^-z overflows in the naive formula)", np.array([-50.0, -1000.0])),
              ("float32 input stays float32", np.array([-3.0, 0.0, 3.0], dtype=np.float32))]
    cases = []
    for description, z in inputs:
        overflow_hint = _SIGMOID_OVERFLOW["positive" if np.max(z) > 0 else "negative"]
        cases.append(Case(description, (z,), sigmoid(z), names=("z",), overflow_hint=overflow_hint, mistakes={
            "you computed sigma(-z), the mirror image: check the sign in the exponent, and which form "
            "np.where picks for which sign of z.": sigmoid(-z),
            "you computed tanh; the sigmoid's outputs lie in (0, 1), not (-1, 1).": np.tanh(z),
            "the '1 +' is missing from the denominator.": np.exp(np.minimum(z, 700.0)),
        }))
    return cases


def check_sigmoid(sigmoid):
    """Exercise 1.2: a sigmoid that is exact and raises no warning for any input."""
    title = "Exercise 1.2 sigmoid"
    silencer = silenced_warnings(sigmoid) if callable(sigmoid) else None
    if silencer:
        raise AssertionError(f"{title}: your function silences numpy's warnings ({silencer}). That hides an "
                             f"overflow, it does not prevent one: remove it and make the formula itself safe.")
    with exp_overflow_raises():  # even inside np.errstate(over="ignore") in code the learner calls
        # atol=0: sigma(-50) = 1.9e-22 must come out as that, not as 0 or as sigma(-20)
        run_cases(title, sigmoid, _sigmoid_cases(), check_dtype=True, atol=0.0)


def _predict_cases():
    on_boundary = np.array([[1.0, 1.0], [2.0, 0.0], [0.0, 0.0]])
    bias_decides = np.array([[1.0, 0.0], [-1.0, 0.0], [-1.0, -1.0], [0.4, 0.2]])
    inputs = [("a batch of 3 samples", _X3, np.array([0.5, -1.0]), 0.25),
              ("the bias decides: without b, one of these samples changes class", bias_decides,
               np.array([1.0, 1.0]), 1.2),
              ("points exactly on the boundary (z = 0) belong to class 1", on_boundary,
               np.array([1.0, 1.0]), -2.0),
              ("5 samples with 3 features", _X5, np.array([1.0, -2.0, 0.5]), 0.1)]
    cases = []
    for description, X, w, b in inputs:
        z = weighted_sum(X, w, b)
        cases.append(Case(description, (X, w, b), perceptron_predict(X, w, b), names=("X", "w", "b"),
                          mistakes={
            "you returned z itself; apply the step function: 1 where z >= 0, else 0.": z,
            "a point with z = 0 exactly should be class 1: use z >= 0, not z > 0.": (z > 0).astype(float),
            "you used the sigmoid; the perceptron's output is the step function, 0 or 1.": sigmoid(z),
            "the classes are swapped: step(z) is 1 where z >= 0.": (z < 0).astype(float),
            "the bias is missing: the step is applied to z = X @ w + b.": (X @ w >= 0).astype(float),
            "the bias has the wrong sign: z = X @ w + b adds it.": (X @ w - b >= 0).astype(float),
            "your outputs are -1 and 1 (np.sign); this perceptron's classes are 0 and 1.": np.sign(z),
        }))
    return cases


def check_perceptron_predict(perceptron_predict):
    """Exercise 1.3: ``y_hat = step(X @ w + b)`` for a batch, 0 or 1 per sample."""
    run_cases("Exercise 1.3 perceptron_predict", perceptron_predict, _predict_cases())


#: The four inputs of a two-input logic gate and AND's truth table.
GATE_INPUTS = np.array([[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]])
AND_TABLE = np.array([0.0, 0.0, 0.0, 1.0])


def _weights_and_bias(title, case, result):
    """``(w, b)`` as a float array of shape (2,) and a float, or a failure that says what is off."""
    def fail(problem):
        return AssertionError(failure(title, case, 1, 1, problem))
    if not (isinstance(result, (tuple, list)) and len(result) == 2):
        return_value = show_value(result) if isinstance(result, np.ndarray) else repr(result)
        raise fail(f"and_weights() must return a pair (w, b), as in `return w, b`; got {return_value}")
    try:
        w, b = (np.asarray(part, dtype=float) for part in result)
    except (TypeError, ValueError):
        raise fail(f"w and b must be numbers; got {result!r}") from None
    if not (np.all(np.isfinite(w)) and np.all(np.isfinite(b))):
        raise fail(f"w and b must be finite numbers; got {result!r}")
    if w.size == 1 and b.shape == (2,):
        raise fail("the pair is in the wrong order: return (w, b), the weights first, then the bias")
    if w.shape != (2,):
        raise fail(f"w must have shape (2,), one weight per input; got shape {w.shape}")
    if b.size != 1:
        raise fail(f"b must be a single number; got shape {b.shape}")
    return w, float(b.reshape(()))


def check_and_weights(and_weights):
    """Exercise 1.4: weights ``(w, b)`` for which a perceptron computes AND."""
    title = "Exercise 1.4 and_weights"
    table = Case("the AND truth table, all 4 inputs", (), AND_TABLE,
                 input_text="the four inputs (0, 0), (0, 1), (1, 0), (1, 1)")
    result = call_learner(title, and_weights, table, 1, 1)
    w, b = _weights_and_bias(title, table, result)
    got = perceptron_predict(GATE_INPUTS, w, b)
    if not np.array_equal(got, AND_TABLE):
        rows = [f"({x1:.0f}, {x2:.0f}) -> {g:.0f} (AND gives {t:.0f})"
                for (x1, x2), g, t in zip(GATE_INPUTS, got, AND_TABLE) if g != t]
        table.mistakes = {
            "these weights compute OR; AND needs a higher threshold, so make b more negative.":
                np.array([0.0, 1.0, 1.0, 1.0]),
            "every input gives 1: b is too large (z >= 0 even for (0, 0)).": np.ones(4),
            "every input gives 0: even (1, 1) falls below the threshold; make b less negative "
            "or the weights larger.": np.zeros(4),
        }
        raise AssertionError(failure(title, table, 1, 1, "wrong output for " + "; ".join(rows), got))
    z = GATE_INPUTS @ w + b
    note = ""
    if np.any(z == 0):
        note = (" (note: an input lies exactly on the boundary, z = 0; a margin, such as "
                "w = (1, 1), b = -1.5, makes the gate robust to small changes)")
    print(f"{title}: all 4 cases passed (the AND truth table, with w = {w}, b = {b:g}){note}")


def _update_cases():
    inputs = [("a class-1 sample predicted as 0", np.array([0.0, 0.0]), -0.5, np.array([1.0, 2.0]), 1, 1.0),
              ("a class-0 sample predicted as 1", np.array([1.0, 1.0]), 0.0, np.array([0.5, 1.0]), 0, 1.0),
              ("a correctly classified sample changes nothing", np.array([1.0, -1.0]), 0.5,
               np.array([2.0, 1.0]), 1, 1.0),
              ("a missed class-1 sample with learning rate eta = 0.1", np.array([0.2, -0.4, 0.1]), 0.3,
               np.array([1.0, 1.0, -2.0]), 1, 0.1),
              ("a false alarm with learning rate eta = 0.5", np.array([0.5, 0.5]), 0.0,
               np.array([1.0, 3.0]), 0, 0.5),
              ("the first step from w = 0, b = 0: z = 0, so y_hat = 1, a false alarm for y = 0",
               np.array([0.0, 0.0]), 0.0, np.array([2.0, -1.0]), 0, 1.0)]
    cases = []
    for description, w, b, x, y, eta in inputs:
        y_hat = perceptron_predict(x[None, :], w, b)[0]
        z = float(x @ w + b)
        cases.append(Case(description, (w, b, x, y, eta), perceptron_update(w, b, x, y, eta),
                          names=("w", "b", "x", "y", "eta"), mistakes={
            "the update has the wrong sign: use (y - y_hat), so w moves towards a missed class-1 sample.":
                (w - eta * (y - y_hat) * x, b - eta * (y - y_hat)),
            "the bias did not change: update it too, b + eta * (y - y_hat).": (w + eta * (y - y_hat) * x, b),
            "a sample with z = 0 exactly is predicted as class 1: y_hat = step(z) uses z >= 0, not z > 0.":
                (w + eta * (y - float(z > 0)) * x, b + eta * (y - float(z > 0))),
            "you used z instead of y_hat = step(z) in the error (y - y_hat).":
                (w + eta * (y - z) * x, b + eta * (y - z)),
            "the learning rate eta is missing from the update.": (w + (y - y_hat) * x, b + (y - y_hat)),
            "eta scales the bias's step too: b + eta * (y - y_hat).": (w + eta * (y - y_hat) * x, b + (y - y_hat)),
        }))
    return cases


def check_perceptron_update(perceptron_update):
    """Exercise 1.5: one step of the perceptron learning rule, returning ``(w_new, b_new)``."""
    run_cases("Exercise 1.5 perceptron_update", perceptron_update, _update_cases())
