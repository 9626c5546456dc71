"""Checks for lesson 01 (the perceptron).

Every expected value comes from the reference implementations in
``utils.perceptron`` and ``utils.activations``; each known mistake is
computed on the same input, so its hint appears only when the learner's
result is exactly that mistake.
"""

import contextlib
import random
from dataclasses import replace

import numpy as np

from ..activations import sigmoid
from ..perceptron import perceptron_predict, perceptron_update, train_perceptron, weighted_sum
from .core import Case, call_learner, compare, failure, require_callable, run_cases, show_value

__all__ = ["check_weighted_sum", "check_sigmoid", "check_perceptron_predict", "check_and_weights",
           "check_perceptron_update", "check_train_perceptron"]

#: Two hints per exercise, for ``hint("1.2")`` and ``hint("1.2", level=2)``: the idea, then how to write it.
HINTS = {
    "1.1": ("For one sample, z is the dot product of x and w plus b. A batch does that for every row of X at "
            "once: which numpy operator multiplies a matrix by a vector?",
            "The matrix product of X (N, D) with w (D,) has shape (N,): one weighted sum per sample. Add b "
            "once, after the product; numpy broadcasts the number to every sample. Keep the batch axis even "
            "when N = 1, so avoid np.squeeze."),
    "1.2": ("Use the two forms of the sigmoid from the section on numerical stability: each one is safe for "
            "one sign of z. The exponential both need is e^(-|z|), which is at most 1, so it cannot overflow.",
            "Compute e = e^(-|z|) once. For z >= 0 the sigmoid is 1 / (1 + e); for z < 0 it is e / (1 + e). "
            "np.where(condition, a, b) picks between the two element by element. Do not call np.exp on z "
            "itself, and do not silence warnings: a wider float only moves the overflow further out."),
    "1.3": ("First the weighted sum z (your weighted_sum), then the step: 1 where z >= 0, else 0. The "
            "threshold is 0, not 0.5: the bias already moves the line.",
            "A comparison such as z >= 0 gives booleans; the predictions must be floats of z's dtype "
            "(the dtype rule), so convert the booleans with `.astype(...)`. A point with z = 0 is class 1."),
    "1.4": ("For the four inputs, x1 + x2 is 0, 1, 1 or 2. With w = (1, 1), where must the threshold -b lie "
            "so that only the sum 2 reaches it?",
            "Pick b so that 1 + b < 0 <= 2 + b, with some margin on both sides, and return the pair as "
            "(w, b): w a float array of shape (2,), b a number."),
    "1.5": ("Predict first: y_hat = step(w . x + b), with z = 0 counting as class 1. The error y - y_hat is "
            "0, +1 or -1, and it scales one step of size eta towards or away from x.",
            "w moves by eta * (y - y_hat) * x and b by eta * (y - y_hat), both from the prediction made "
            "before the step. Build new values (w + ...), never w += ...; return (w_new, b_new) in that "
            "order. Take exactly one step, even when the sample is still misclassified after it."),
    "1.6": ("An epoch visits every sample once and calls your perceptron_update on it. Count a mistake "
            "while you go, before each update; after the epoch, record the count and stop if it is 0.",
            "For each epoch: order = range(N) when rng is None, else rng.permutation(N), drawn anew each "
            "epoch. Then, for each sample i in that order: if your perceptron_predict gets it wrong "
            "with the current weights, add 1 to the count; then let your perceptron_update take its step on "
            "sample i and keep the new weights. After the epoch, append the count to errors and stop if it "
            "was 0. Return the three values."),
}

_rng = np.random.default_rng(1)
_X3 = np.array([[1.0, 2.0], [0.5, -1.0], [-2.0, 0.0]])
_X5 = _rng.normal(size=(5, 3)).round(2)


def _weighted_sum_cases():
    X32 = np.array([[1.5, -2.0], [0.25, 4.0]], dtype=np.float32)
    inputs = [("a batch of 3 samples with a bias", _X3, np.array([0.5, -1.0]), 2.5),
              ("5 samples with 3 features and a negative bias", _X5, np.array([1.0, -2.0, 0.5]), -0.75),
              ("one feature per sample", np.array([[1.0], [2.0], [3.0]]), np.array([-1.5]), 1.0),
              ("one sample, no bias: a batch of N = 1 keeps its axis, shape (1,)", np.array([[2.0, -1.0]]),
               np.array([0.5, 1.5]), 0.0),
              ("float32 inputs give a float32 z", X32, np.array([2.0, 0.5], dtype=np.float32), 0.5),
              ("integer features with float weights give float64", np.array([[1, 2], [3, -1]]),
               np.array([0.5, 0.25]), -1.0)]
    cases = []
    for description, X, w, b in inputs:
        mistakes = {
            "the result is off by b: did you forget to add the bias?": X @ w,
            "the bias has the wrong sign: z = X @ w + b adds it.": X @ w - b,
            "you multiplied elementwise but did not sum over the features (axis=1).": X * w + b,
            "you added b to the weights; the bias is added once, after the weighted sum.": X @ (w + b),
        }
        if len(X) > 1:
            mistakes["you summed over the whole batch; z needs one value per sample, shape (N,)."] = \
                np.sum(X @ w) + b
        else:  # summing over a batch of one gives the same number: only the squeeze explains a lost axis here
            mistakes["np.squeeze removed the batch axis too: for a batch of one sample (N = 1) it drops every "
                     "axis of length 1, so z lost its shape (1,). z must have shape (N,) for every N: use "
                     "X @ w with w of shape (D,), or index the one axis you added ([:, 0])."] = \
                np.squeeze(X @ w[:, None]) + b
        cases.append(Case(description, (X, w, b), weighted_sum(X, w, b), names=("X", "w", "b"),
                          mistakes=mistakes))
    return cases


def check_weighted_sum(weighted_sum):
    """Exercise 1.1: ``z = X @ w + b`` for a batch ``X`` (N, D), weights ``w`` (D,), bias ``b``.

    z has shape (N,) for every N, and the dtype rule's dtype: float32 inputs give float32,
    integer features with float weights give float64.
    """
    run_cases("Exercise 1.1 weighted_sum", weighted_sum, _weighted_sum_cases())


_WIDER_FLOAT = ("A wider float (np.longdouble) only moves the limit, and not on every computer: e^100000 "
                "overflows every float.")
_SIGMOID_OVERFLOW = {
    "negative": ("For z = -1000 or -1e5, e^(-z) = e^1000 overflows. For negative z use the same number in the "
                 "form e^z / (1 + e^z) (the lesson's paragraph on numerical stability), built from e^(-|z|). "
                 + _WIDER_FLOAT),
    "positive": ("For z = 800 or 1e5, e^z overflows: np.where computes both of its forms for every element, so "
                 "the form for negative z ran on large positive z too. Build both forms from e^(-|z|), which "
                 "is at most 1. " + _WIDER_FLOAT),
    "none": "no number in this case is large, so the overflow comes from the formula itself: check each step.",
}
_SIGMOID_DIVIDE = ("the sigmoid's denominator 1 + e^(-z) is never 0 (e^(-z) > 0), but yours is 0 here: at "
                   "z = 0, 1 - e^0 = 0. Check the sign in the denominator: it is 1 + e^(-z).")


def _sigmoid_cases():
    inputs = [("z = 0", np.array(0.0)),
              ("a few moderate values", np.array([-2.0, -0.5, 0.5, 2.0])),
              ("a 2-D array keeps its shape", np.array([[-1.0, 0.0], [1.0, 3.0]])),
              ("large positive z (e^-z underflows)", np.array([50.0, 800.0, 1e5])),
              ("large negative z (e^-z overflows in the naive formula, in every float, even for z = -1e5)",
               np.array([-50.0, -1000.0, -1e5])),
              ("float32 input stays float32, also for large |z|",
               np.array([-1000.0, -100.0, -3.0, 0.0, 3.0, 100.0, 1000.0], dtype=np.float32)),
              ("integer input gives float64", np.array([-2, 0, 2]))]
    cases = []
    for description, z in inputs:
        size = "none" if np.max(np.abs(z)) < 50 else ("positive" if np.max(z) >= 50 and np.min(z) > -50
                                                      else "negative")
        cases.append(Case(description, (z,), sigmoid(z), names=("z",), overflow_hint=_SIGMOID_OVERFLOW[size],
                          divide_hint=_SIGMOID_DIVIDE, mistakes={
            "you computed sigma(-z), the mirror image: check the sign in the exponent, and which form "
            "np.where picks for which sign of z.": sigmoid(-z),
            "you computed tanh; the sigmoid's outputs lie in (0, 1), not (-1, 1).": np.tanh(z),
            "the '1 +' is missing from the denominator.": np.exp(np.minimum(np.asarray(z, dtype=float), 700.0)),
        }))
    return cases


def check_sigmoid(sigmoid):
    """Exercise 1.2: a sigmoid that is exact and raises no floating-point error for any input.

    Same shape as z; float inputs keep their dtype, integer inputs give float64.
    """
    # atol=0: sigma(-50) = 1.9e-22 must come out as that, not as 0 or as sigma(-20)
    run_cases("Exercise 1.2 sigmoid", sigmoid, _sigmoid_cases(), atol=0.0)


def _predict_cases():
    on_boundary = np.array([[1.0, 1.0], [2.0, 0.0], [0.0, 0.0]])
    bias_decides = np.array([[1.0, 0.0], [-1.0, 0.0], [-1.0, -1.0], [0.4, 0.2]])
    small_z = np.array([[0.2, 0.1], [1.0, 1.0], [-1.0, 0.0], [0.0, 0.4]])
    inputs = [("a batch of 3 samples", _X3, np.array([0.5, -1.0]), 0.25),
              ("samples with 0 <= z < 0.5 are class 1 too: the threshold is 0", small_z,
               np.array([1.0, 1.0]), 0.0),
              ("the bias decides: without b, one of these samples changes class", bias_decides,
               np.array([1.0, 1.0]), 1.2),
              ("points exactly on the boundary (z = 0) belong to class 1", on_boundary,
               np.array([1.0, 1.0]), -2.0),
              ("5 samples with 3 features", _X5, np.array([1.0, -2.0, 0.5]), 0.1),
              ("float32 inputs give float32 predictions", _X3.astype(np.float32),
               np.array([0.5, -1.0], dtype=np.float32), 0.25),
              ("integer features with float weights give float64 predictions", np.array([[1, 2], [-3, 1], [0, 0]]),
               np.array([1.0, -0.5]), 0.0),
              ("one sample: a batch of N = 1 keeps its axis, shape (1,)", np.array([[2.0, -1.0]]),
               np.array([0.5, 1.5]), -0.25)]
    cases = []
    for description, X, w, b in inputs:
        z = weighted_sum(X, w, b)
        one_sample = {} if len(X) > 1 else {
            "np.squeeze removed the batch axis too: for a batch of one sample (N = 1) it drops every axis of "
            "length 1, so y_hat lost its shape (1,). y_hat must have shape (N,) for every N: use X @ w with w of "
            "shape (D,), or index the one axis you added ([:, 0]).":
                (np.squeeze(X @ w[:, None]) + b >= 0).astype(float)}
        cases.append(Case(description, (X, w, b), perceptron_predict(X, w, b), names=("X", "w", "b"),
                          mistakes={**one_sample,
            "you returned z itself; apply the step function: 1 where z >= 0, else 0.": z,
            "a point with z = 0 exactly should be class 1: use z >= 0, not z > 0.": (z > 0).astype(float),
            "you used the sigmoid; the perceptron's output is the step function, 0 or 1.": sigmoid(z),
            "the classes are swapped: step(z) is 1 where z >= 0.": (z < 0).astype(float),
            "the bias is missing: the step is applied to z = X @ w + b.": (X @ w >= 0).astype(float),
            "the bias has the wrong sign: z = X @ w + b adds it.": (X @ w - b >= 0).astype(float),
            "your outputs are -1 and 1 (np.sign); this perceptron's classes are 0 and 1.": np.sign(z),
            "you compared z with 0.5: that is where the sigmoid's output crosses 0.5, but the step's threshold "
            "is z = 0 (the bias b already moves the line).": (z >= 0.5).astype(float),
            "np.heaviside(z, 0.5) gives 0.5 for a point on the line; here z = 0 is class 1: the second argument "
            "of np.heaviside is the value at 0, so use 1.0 (or z >= 0).": np.heaviside(z, 0.5),
        }))
    return cases


def check_perceptron_predict(perceptron_predict):
    """Exercise 1.3: ``y_hat = step(X @ w + b)`` for a batch: 0.0 or 1.0 per sample, floats of z's dtype."""
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
    if b.ndim:
        raise fail(f"b must be a single number, not an array of shape {b.shape}: write b = -1.5, not "
                   f"np.array([-1.5]) (a bias of shape (1,) would give every later z an extra axis)")
    if not isinstance(result[0], np.ndarray):
        raise fail(f"w must be a numpy array, got a Python {type(result[0]).__name__}: write "
                   f"np.array([..., ...]), so that `X_gate @ w` and `w.shape` work as the lesson uses them")
    if result[0].dtype.kind != "f":
        raise fail(f"w must be a float array, got dtype {result[0].dtype}: write the weights as floats, "
                   f"np.array([1.0, 1.0]), not np.array([1, 1]). Results are floats (the course's dtype rule).")
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
            "these weights compute NAND, the opposite of AND: flip the signs of w and b.": np.array([1.0, 1.0, 1.0, 0.0]),
        }
        raise AssertionError(failure(title, table, 1, 1, "wrong output for " + "; ".join(rows), got))
    z = GATE_INPUTS @ w + b
    note = ""
    if np.any(z == 0):
        note = (" (note: an input lies exactly on the boundary, z = 0; a margin, such as "
                "w = (1, 1), b = -1.5, makes the gate robust to small changes)")
    print(f"{title}: all 4 cases passed (the AND truth table, with w = {w}, b = {b:g}){note}")


def _iterated_update(w, b, x, y, eta, steps=1000):
    """The rule applied again and again until the sample is classified correctly: a loop, not one step."""
    for _ in range(steps):
        if perceptron_predict(x[None, :], w, b)[0] == y:
            break
        w, b = perceptron_update(w, b, x, y, eta)
    return w, b


def _update_cases():
    w32, x32 = np.array([0.5, -0.25], dtype=np.float32), np.array([1.0, 2.0], dtype=np.float32)
    inputs = [("a class-1 sample predicted as 0", np.array([0.0, 0.0]), -0.5, np.array([1.0, 2.0]), 1, 1.0),
              ("a class-0 sample predicted as 1", np.array([1.0, 1.0]), 0.0, np.array([0.5, 1.0]), 0, 1.0),
              ("one step is not enough: after it the sample is still misclassified, and that is fine",
               np.array([1.0, 1.0]), 0.0, np.array([1.0, 1.0]), 0, 0.1),
              ("one step overshoots: the sample ends far on the other side, and that is fine",
               np.array([0.1, 0.0]), -0.5, np.array([3.0, 4.0]), 1, 1.0),
              ("a correctly classified sample changes nothing (but w_new is still a new array)",
               np.array([1.0, -1.0]), 0.5, np.array([2.0, 1.0]), 1, 1.0),
              ("a missed class-1 sample with learning rate eta = 0.1", np.array([0.2, -0.4, 0.1]), 0.3,
               np.array([1.0, 1.0, -2.0]), 1, 0.1),
              ("a false alarm with learning rate eta = 0.5", np.array([0.5, 0.5]), 0.0,
               np.array([1.0, 3.0]), 0, 0.5),
              ("the first step from w = 0, b = 0: z = 0, so y_hat = 1, a false alarm for y = 0",
               np.array([0.0, 0.0]), 0.0, np.array([2.0, -1.0]), 0, 1.0),
              ("a class-1 sample exactly on the line (z = 0) is classified correctly: nothing changes",
               np.array([1.0, -1.0]), 0.0, np.array([1.0, 1.0]), 1, 1.0),
              ("float32 weights, sample and bias stay float32", w32, np.float32(-1.0), x32, 1, 0.5),
              ("integer weights and sample give float64", np.array([1, -2]), 0, np.array([2, 3]), 1, 0.5)]
    cases = []
    for description, w, b, x, y, eta in inputs:
        y_hat = float(perceptron_predict(x[None, :], w, b)[0])
        z = float(x @ w + b)
        w_new, b_new = perceptron_update(w, b, x, y, eta)
        mistakes = {
            "the update has the wrong sign: use (y - y_hat), so w moves towards a missed class-1 sample.":
                (w - eta * (y - y_hat) * x, b - eta * (y - y_hat)),
            "the bias did not change: update it too, b + eta * (y - y_hat).": (w + eta * (y - y_hat) * x, b),
            "a sample with z = 0 exactly is predicted as class 1: y_hat = step(z) uses z >= 0, not z > 0.":
                (w + eta * (y - float(z > 0)) * x, b + eta * (y - float(z > 0))),
            "you used z instead of y_hat = step(z) in the error (y - y_hat).":
                (w + eta * (y - z) * x, b + eta * (y - z)),
            "the learning rate eta is missing from the update.": (w + (y - y_hat) * x, b + (y - y_hat)),
            "eta scales the bias's step too: b + eta * (y - y_hat).": (w + eta * (y - y_hat) * x, b + (y - y_hat)),
        }
        t = 2 * y - 1  # the textbooks' label in {-1, +1}: a step whenever t * z <= 0, also at z = 0 for class 1
        if t * z <= 0:
            mistakes["you used the textbook rule for labels -1/+1, which counts z = 0 as a mistake for both "
                     "classes. In this lesson's rule y_hat = step(z) and z = 0 is class 1, so a class-1 sample on "
                     "the line is right and nothing changes: compute y_hat first, then step by "
                     "eta * (y - y_hat)."] = (w + eta * t * x, b + eta * t)
        looped = _iterated_update(w, b, x, y, eta)
        twice = _iterated_update(w, b, x, y, eta, steps=2)
        if compare(twice, (w_new, b_new), check_dtype=False) and compare(twice, looped, check_dtype=False):
            mistakes["you applied the rule twice (or looped a fixed number of times); the exercise is one step, "
                     "whatever the sample's class after it."] = twice
        if compare(looped, (w_new, b_new), check_dtype=False):
            mistakes["you applied the rule again and again until the sample was classified correctly; the "
                     "exercise is one step, whatever the sample's class after it (training repeats the step "
                     "over many samples, in the next exercise)."] = looped
        cases.append(Case(description, (w, b, x, y, eta), (w_new, b_new), names=("w", "b", "x", "y", "eta"),
                          returns=("w_new", "b_new"), mistakes=mistakes))
    return cases


def check_perceptron_update(perceptron_update):
    """Exercise 1.5: one step of the perceptron learning rule, returning ``(w_new, b_new)``.

    ``w_new`` is a new array with the dtype rule's dtype; ``b_new`` keeps the type of ``b``.
    """
    run_cases("Exercise 1.5 perceptron_update", perceptron_update, _update_cases())


# Exercise 1.6: the epoch loop --------------------------------------------------------------------------------

def _epoch_loop(X, y, w, b, eta, epochs, rng, *, order="fresh", count="while", stop="after"):
    """The reference loop and its plausible variants, to name a learner's mistake.

    order: "fresh" (a new permutation each epoch when rng is given, else 0..N-1), "in order" (never
    shuffles), "once" (one permutation for all epochs), "choice" (``rng.choice`` instead of
    ``rng.permutation``). count: "while" (the weights met), "after" (the
    final weights of the epoch), "all" (every sample). stop: "after" (record the 0, then stop), "never",
    "before" (stop without recording the 0), "first" (return after the first epoch).
    """
    errors, N = [], len(X)
    fixed = rng.permutation(N) if order == "once" and rng is not None else np.arange(N)
    for _ in range(epochs):
        visit = rng.permutation(N) if order == "fresh" and rng is not None else fixed
        if order == "choice" and rng is not None:
            visit = rng.choice(N, size=N, replace=False)
        mistakes = 0
        for i in visit:
            mistakes += int(perceptron_predict(X[i:i + 1], w, b)[0] != y[i])
            w, b = perceptron_update(w, b, X[i], y[i], eta)
        if count == "after":
            mistakes = int(np.sum(perceptron_predict(X, w, b) != y))
        elif count == "all":
            mistakes = N
        if stop == "before" and mistakes == 0:
            break
        errors.append(mistakes)
        if stop == "first" or (stop == "after" and mistakes == 0):
            break
    return w, b, errors


_LOOP_MISTAKES = {
    ("order", "in order"): "you visited the samples in the order 0, 1, 2, ... although an rng was given: with an "
                           "rng, visit them in the order rng.permutation(N).",
    ("order", "choice"): "you drew the order with another function than rng.permutation(N) (rng.choice?): "
                         "each one draws a different order from the same rng, so use rng.permutation(N).",
    ("order", "once"): "you shuffled once, before the first epoch: draw a new order, rng.permutation(N), at the "
                       "start of every epoch.",
    ("count", "after"): "you counted the mistakes after the epoch, with its final weights; count them while "
                        "updating: a sample counts when the weights it meets misclassify it.",
    ("count", "all"): "you counted every sample; count only the mistakes (y_hat != y before the update).",
    ("stop", "never"): "you kept going after an epoch with no mistake: stop after the first epoch whose count "
                       "is 0 (its 0 stays in errors).",
    ("stop", "before"): "you stopped without recording the epoch with no mistake: append its 0 to errors, then "
                        "stop.",
    ("stop", "first"): "you stopped after the first epoch: is your `return` (or `break`) indented inside the "
                       "epoch loop?",
}


def _seeded(seed):
    return np.random.default_rng(seed) if seed is not None else None


@contextlib.contextmanager
def _unseeded_randomness(run):
    """Random numbers the learner draws without an rng differ between runs 0 and 1, but not between checks.

    A loop that shuffles although ``rng=None`` then gives two different results on every check, not
    only on the checks where the two orders happen to matter; ``np.random.default_rng()``, numpy's
    global functions and Python's ``random`` are all covered.
    """
    original = np.random.default_rng
    state, py_state = np.random.get_state(), random.getstate()
    np.random.default_rng = lambda seed=None: original(1000 + run if seed is None else seed)
    np.random.seed(run)
    random.seed(run)
    try:
        yield
    finally:
        np.random.default_rng = original
        np.random.set_state(state)
        random.setstate(py_state)


def _train_cases():
    rng = np.random.default_rng(5)
    X8 = np.vstack([rng.normal([-1.0, -1.0], 0.6, size=(4, 2)), rng.normal([1.0, 1.0], 0.6, size=(4, 2))]).round(2)
    y8 = np.array([0, 0, 0, 0, 1, 1, 1, 1])
    X_gate = GATE_INPUTS
    inputs = [("8 samples visited in the order 0..7 (rng=None)", X8, y8, np.array([-2.0, 1.0]), 1.0, 0.5, 20,
               None),
              ("the same samples in a new random order every epoch (rng=np.random.default_rng(3))", X8, y8,
               np.array([-2.0, 1.0]), 1.0, 0.5, 20, 3),
              ("XOR, never separable: all 6 epochs run", X_gate, np.array([0, 1, 1, 0]), np.array([0.0, 0.0]),
               0.0, 1.0, 6, 1),
              ("weights that already separate the data: one epoch with no mistake", X_gate,
               np.array([0, 0, 0, 1]), np.array([1.0, 1.0]), -1.5, 1.0, 5, None)]
    cases = []
    for description, X, y, w, b, eta, epochs, seed in inputs:
        run = train_perceptron(X, y, eta=eta, epochs=epochs, w=w, b=b, rng=_seeded(seed), shuffle=seed is not None)
        mistakes = {}
        for (kind, variant), hint in _LOOP_MISTAKES.items():
            wrong = _epoch_loop(X, y, w, b, eta, epochs, _seeded(seed), **{kind: variant})
            if _loop_problem(wrong, (run.w, run.b, run.errors)):
                mistakes[hint] = wrong
        text = (f"X = {show_value(X)}, y = {show_value(y)}, w = {show_value(w)}, b = {b:g}, eta = {eta:g}, "
                f"epochs = {epochs}, rng = " + ("None" if seed is None else f"np.random.default_rng({seed})"))
        cases.append(Case(description, (X, y, w, b, eta, epochs, seed), (run.w, run.b, run.errors),
                          names=("X", "y", "w", "b", "eta", "epochs", "rng"), input_text=text, mistakes=mistakes))
    return cases


def _loop_problem(got, expected):
    """None when `got` is the expected (w, b, errors), else what differs."""
    if not (isinstance(got, (tuple, list)) and len(got) == 3):
        shown = show_value(got) if isinstance(got, np.ndarray) else repr(got)[:80]
        return f"return the three values (w, b, errors), as in `return w, b, errors`; got {shown}"
    try:
        errors = [int(e) for e in got[2]]
        whole = all(e == g for e, g in zip(errors, got[2]))
    except (TypeError, ValueError):
        errors, whole = None, False
    if errors is None or not whole:
        return f"errors must be a list of whole numbers, one per epoch; got {got[2]!r}"
    if not isinstance(got[2], list):
        return (f"errors must be a Python list, one count per epoch (errors = [] before the loop, then "
                f"errors.append(count)); got {_kind(got[2])}. The lesson compares it with `==` to "
                f"another list, which works only for a list.")
    if errors != [int(e) for e in expected[2]]:
        return f"the mistakes per epoch differ: expected {list(expected[2])}, got {errors}"
    for name, g, e in (("w", got[0], expected[0]), ("b", got[1], expected[1])):
        problem = compare(g, e)
        if problem:
            return f"{name}: {problem}"
    return None


def check_train_perceptron(train_perceptron):
    """Exercise 1.6: the epoch loop, ``train_perceptron(X, y, w, b, eta, epochs, rng)`` -> ``(w, b, errors)``.

    It trains with the learner's own ``perceptron_update``; each case runs on copies of the inputs and
    a fresh generator, so the check also sees an order that does not follow ``rng``.
    """
    title = "Exercise 1.6 train_perceptron"
    require_callable(title, train_perceptron)
    cases = _train_cases()
    for number, case in enumerate(cases, start=1):
        runs = []
        for run in range(2 if case.args[-1] is None else 1):  # rng=None must give the same result every time
            call = Case(**{**vars(case), "args": case.args[:-1] + (_seeded(case.args[-1]),)})
            with _unseeded_randomness(run):
                runs.append(_call_loop(title, train_perceptron, call, number, len(cases)))
        got = runs[0]
        problem = _loop_problem(got, case.expected)
        well_formed = len(runs) == 2 and _loop_problem(runs[0], runs[0]) is None
        if well_formed and _loop_problem(runs[1], runs[0]) is not None:  # the two runs differ
            problem = ("two runs with rng=None gave different results: your loop shuffles although no rng was "
                       "given. With rng=None, visit the samples in the order 0, 1, ..., N-1.")
        if problem:
            hints = [h for h, wrong in case.mistakes.items() if _loop_problem(got, wrong) is None]
            # the hints are found here, with _loop_problem, not by failure(): one hint line, not two
            message = failure(title, replace(case, mistakes={}), number, len(cases), problem, _shown(got))
            if hints:
                joined = hints[0] if len(hints) == 1 else _more_than_one(hints)
                message += "\n  hint:     " + joined
            raise AssertionError(message)
    print(f"{title}: all {len(cases)} cases passed")


def _call_loop(title, fn, case, number, total):
    try:
        return call_learner(title, fn, case, number, total)
    except AssertionError as err:
        if "'NoneType' object has no attribute" in str(err):
            raise AssertionError(f"{err}\n  hint:     with rng=None there is nothing to shuffle with: visit "
                                 f"the samples in the order 0, 1, ..., N-1.") from None
        raise


def _more_than_one(hints):
    """Several hints in one sentence, as ``core.diagnose`` joins them."""
    text = "more than one mistake gives this result: " + "; or ".join(h.rstrip(".") for h in hints)
    return text if text.endswith(("?", "!")) else text + "."


def _kind(value):
    return "a numpy array" if isinstance(value, np.ndarray) else f"a {type(value).__name__}"


def _shown(got):
    """`got` as failure() can show it: a tuple of the three values (the errors list stays a list)."""
    if isinstance(got, (tuple, list)) and len(got) == 3:
        return tuple(got)
    return got
