"""Checks for lesson 07 (optimizers).

Every expected value comes from a reference in ``utils``: ``training.iterate_minibatches``
for the mini-batch iterator, the one-step functions ``momentum_step``, ``rmsprop_step`` and
``adam_step`` and the schedule ``cosine_annealing`` in ``utils.optimizers``, and the
linear-regression surface of ``utils.surfaces`` for the gradient noise. Each known mistake
is computed on the same input, so its hint appears only when the learner's result is
exactly that mistake. The one-step checks hold cases where taking the step twice, or t
times, gives a different answer, so a loop where one step is asked for is caught.
"""

from functools import lru_cache

import numpy as np

from ..datasets import make_regression_1d
from ..optimizers import adam_step, cosine_annealing, momentum_step, rmsprop_step
from ..surfaces import linear_regression
from ..training import iterate_minibatches
from .core import Case, call_learner, failure, require_callable, run_cases, show_value

__all__ = ["check_minibatches", "check_momentum_step", "check_rmsprop_step", "check_adam_step",
           "check_cosine_lr", "check_batch_size_for_noise"]

HINTS = {
    "7.1": ("Draw one random order of the row indices 0, ..., N-1 from `rng`, then walk through it "
            "batch_size indices at a time. Index X and y with the same indices.",
            "`rng.permutation(N)` gives the order. Slice that order, not X: the pieces starting at 0, "
            "batch_size, 2 * batch_size, ... are the batches' indices (a slice past the end simply stops "
            "early, which keeps the last, smaller batch). Indexing X and y with an index array makes new "
            "arrays, never views."),
    "7.2": ("Find where the noise curve crosses the dashed target line; every batch size to the "
            "right of the crossing meets the target.",
            "Of the batch sizes that meet the target, a larger one only costs more per step. Return "
            "the smallest plotted batch size whose noise is at or below the line, as an int."),
    "7.3": ("Two lines: first the new velocity from the old one and the gradient, then the step with "
            "the new velocity. One call is one step.",
            "The new velocity is the old one times the momentum, plus the whole gradient (no factor "
            "1 - momentum, and no learning rate inside the velocity). Then subtract the learning rate "
            "times the new velocity from theta. Build new arrays; do not use `+=` on the inputs."),
    "7.4": ("Update the running average of the squared gradient first, then divide each gradient by "
            "the square root of its own average.",
            "The new average weights the old one by alpha and the elementwise square of the gradient by "
            "1 - alpha. The step is the learning rate times the gradient divided by (square root of the "
            "new average, plus eps): eps goes outside the square root."),
    "7.5": ("Update m and v as moving averages, correct both for starting at zero (divide by "
            "1 - beta**t), step with the corrected ones, and return the uncorrected m and v.",
            "m averages the gradient with weights beta1 and 1 - beta1, v its elementwise square with beta2 "
            "and 1 - beta2. Divide m by 1 - beta1 to the power t and v by 1 - beta2 to the power t; the step "
            "is lr times corrected m over (square root of corrected v, plus eps). t counts steps from 1; "
            "no loop."),
    "7.6": ("The factor (1 + cos(angle)) / 2 goes from 1 to 0 as the angle goes from 0 to pi; scale "
            "it to go from lr0 down to eta_min.",
            "The angle is pi times the fraction t / T_max of the run (np.pi, and np.cos so that an array t "
            "works). Add eta_min to (lr0 - eta_min) times that factor."),
}

# ---------------------------------------------------------------------------------------------
# Exercise 7.1 minibatches


class _Fail(AssertionError):
    pass


def _numbered(n, d, dtype=np.float64, seed=0):
    """X (n, d) whose first column numbers the rows 0..n-1, so a row says where it came from."""
    X = np.random.default_rng(seed).normal(size=(n, d)).round(2).astype(dtype)
    X[:, 0] = np.arange(n)
    return X


_MINIBATCH_INPUTS = [
    ("10 samples in batches of 4: the last batch holds the 2 left over",
     _numbered(10, 2), np.arange(10) % 3, 4, 3),
    ("12 samples in batches of 3: four full batches", _numbered(12, 3, seed=1), np.arange(12) % 2, 3, 4),
    ("batch_size 1: stochastic gradient descent, one sample per step", _numbered(6, 2, seed=2),
     np.arange(6) * 1.5, 1, 5),
    ("batch_size larger than N: one batch with every row, still shuffled", _numbered(5, 2, seed=3),
     np.arange(5) % 2, 8, 6),
    ("float32 inputs and targets of shape (N, 1) keep their dtype and shape", _numbered(7, 3, np.float32, 4),
     (np.arange(7, dtype=np.float32) / 2)[:, None], 3, 7),
]


def _minibatch_case(description, X, y, batch_size, seed):
    sizes = [len(xb) for xb, _ in iterate_minibatches(X, y, batch_size, rng=np.random.default_rng(seed))]
    text = (f"X of shape {X.shape} ({X.dtype}, column 0 numbers the rows), y = {show_value(y)}, "
            f"batch_size = {batch_size}, rng = np.random.default_rng({seed})")
    return Case(description, (X, y, batch_size, np.random.default_rng(seed)), sizes,
                names=("X", "y", "batch_size", "rng"), input_text=text)


def _collect(fn, X, y, batch_size, rng, received):
    """Call the learner's function, keep the arrays it received, and run a generator to its end."""
    received.append((X, y))
    result = fn(X, y, batch_size, rng)
    return list(result) if result is not None and not isinstance(result, np.ndarray) else result


def _run_minibatches(title, fn, case, number, total, seed):
    received = []
    spy_case = Case(case.description, (case.args[0], case.args[1], case.args[2], np.random.default_rng(seed)),
                    case.expected, names=case.names, input_text=case.input_text)
    batches = call_learner(title, lambda *a: _collect(fn, *a, received), spy_case, number, total)
    return batches, received[0]


def _batch_shape(a):
    """``(B, 3)`` for an array of shape (N, 3): the shape of one of its batches."""
    return "(" + ", ".join(["B"] + [str(n) for n in a.shape[1:]]) + (",)" if a.ndim == 1 else ")")


def _batch_problem(batches, X, y, expected_sizes, received):
    """What is wrong with the learner's batches, as (problem, hint), or None."""
    n = len(X)
    if batches is None:
        return "got None: did you forget to `return` (or `yield`) the batches?", None
    if isinstance(batches, np.ndarray) or not all(isinstance(b, (tuple, list)) and len(b) == 2
                                                  for b in batches):
        return ("expected a sequence of pairs (X_batch, y_batch), one per batch", "`yield X_batch, y_batch` "
                "(or collect the pairs in a list); each pair is one batch")
    for k, (xb, yb) in enumerate(batches):
        if not isinstance(xb, np.ndarray) or not isinstance(yb, np.ndarray):
            return (f"batch {k + 1}: expected numpy arrays, got {type(xb).__name__} and {type(yb).__name__}",
                    None)
        if xb.shape[1:] != X.shape[1:] or yb.shape[1:] != y.shape[1:] or len(xb) != len(yb):
            return (f"batch {k + 1}: X_batch has shape {xb.shape} and y_batch {yb.shape}; expected "
                    f"{_batch_shape(X)} and {_batch_shape(y)} with the same B", None)
        if xb.dtype != X.dtype or yb.dtype != y.dtype:
            return (f"batch {k + 1}: dtypes {xb.dtype} and {yb.dtype}, expected {X.dtype} and {y.dtype} "
                    f"(the batches keep the inputs' dtypes)", None)
    sizes = [len(xb) for xb, _ in batches]
    if sizes != expected_sizes:
        if sizes == expected_sizes[:-1] and expected_sizes[-1] < expected_sizes[0]:
            return (f"batch sizes {sizes}, expected {expected_sizes}",
                    f"the last, smaller batch is missing: N = {n} is not a multiple of the batch size, and "
                    f"the {expected_sizes[-1]} rows left over must still be seen once per epoch")
        if sum(sizes) < n and sizes == expected_sizes[:len(sizes)]:
            return (f"batch sizes {sizes}, expected {expected_sizes}",
                    f"your batches stop {n - sum(sizes)} row(s) short of N = {n}: the loop over the batches' "
                    f"first indices must run to N itself, range(0, N, batch_size), not to N - 1")
        return f"batch sizes {sizes}, expected {expected_sizes}", None
    X_in, y_in = received
    for xb, yb in batches:
        if np.shares_memory(xb, X_in) or np.shares_memory(yb, y_in):
            return ("a batch shares memory with the input X or y",
                    "a slice such as X[start:stop] is a view of X, so a training loop that changes a batch "
                    "in place (X_batch -= mean, say) would change X itself: index with an array of indices, "
                    "X[idx], which makes a new array")
    rows = np.concatenate([xb[:, 0] for xb, _ in batches]).astype(np.int64)
    if sorted(rows.tolist()) != list(range(n)):
        return ("the batches do not hold every row exactly once",
                "every row must appear once per epoch: draw one permutation of all N indices and cut it "
                "into batches, instead of drawing each batch at random (which repeats some rows and "
                "skips others)")
    if any(not np.array_equal(yb, y[xb[:, 0].astype(np.int64)]) for xb, yb in batches):
        return ("a row of X_batch is paired with the wrong y",
                "X and y were shuffled differently: each row must keep its own label, so index X and y "
                "with the same array of indices")
    if np.array_equal(rows, np.arange(n)):
        return ("the rows come in their original order 0, 1, 2, ...",
                "the rows are not shuffled: draw a random order from `rng` (rng.permutation(N)) every epoch, "
                "so the batches differ from epoch to epoch")
    return None


def check_minibatches(minibatches):
    """Exercise 7.1: shuffled mini-batches that cover every row once, the last partial batch kept."""
    title = "Exercise 7.1 minibatches"
    require_callable(title, minibatches)
    total = len(_MINIBATCH_INPUTS)
    for number, (description, X, y, batch_size, seed) in enumerate(_MINIBATCH_INPUTS, start=1):
        case = _minibatch_case(description, X, y, batch_size, seed)
        batches, received = _run_minibatches(title, minibatches, case, number, total, seed)
        found = _batch_problem(batches, X, y, case.expected, received)
        if found is None:
            found = _rng_problem(title, minibatches, case, number, total, seed, batches)
        if found is not None:
            problem, hint = found
            raise AssertionError(_message(title, case, number, total, problem, hint))
    print(f"{title}: all {total} cases passed")


def _rows(batches):
    return [xb[:, 0].astype(np.int64).tolist() for xb, _ in batches]


def _rng_problem(title, fn, case, number, total, seed, batches):
    """The order must come from `rng`: the same seed gives the same batches, another seed others."""
    again, _ = _run_minibatches(title, fn, case, number, total, seed)
    other, _ = _run_minibatches(title, fn, case, number, total, seed + 100)
    if again is None or _rows(again) != _rows(batches):
        return ("two calls with rngs of the same seed gave different batches",
                "draw the order from the `rng` argument (rng.permutation), not from np.random or a new "
                "generator: the same rng state must give the same epoch")
    if len(case.args[0]) > 4 and _rows(other) == _rows(batches):
        return ("rngs with different seeds gave the same batches",
                "the order ignores the `rng` argument (a fixed seed inside the function?): draw it from "
                "`rng`, so each epoch gets a new order")
    return None


def _message(title, case, number, total, problem, hint):
    lines = [f"{title}: case {number} of {total} failed ({case.description}).",
             f"  input:    {case.input_text}",
             f"  expected: {len(case.expected)} batches of {', '.join(map(str, case.expected))} rows, every "
             f"row once, each with its own y, in an order drawn from rng",
             f"  problem:  {problem}"]
    if hint:
        lines.append(f"  hint:     {hint}")
    return "\n".join(lines)


# ---------------------------------------------------------------------------------------------
# Exercise 7.3 momentum_step

_TWICE = "you took the step twice (a loop?): one call is one step, with the one gradient it is given."


def _momentum_cases():
    f32 = np.float32
    inputs = [
        ("the first step: v = 0, so it is a plain gradient-descent step", np.array([1.0, -2.0]),
         np.zeros(2), np.array([0.5, -1.0]), 0.1, 0.9),
        ("a later step: the velocity remembers earlier gradients", np.array([0.5, 1.5, -1.0]),
         np.array([1.0, -2.0, 0.5]), np.array([0.2, 0.4, -0.1]), 0.05, 0.9),
        ("past the minimum: the gradient points back, but the velocity carries theta further",
         np.array([-0.3]), np.array([4.0]), np.array([-0.6]), 0.1, 0.9),
        ("a weight matrix of shape (2, 3), momentum 0.5", np.array([[1.0, 0.0, -1.0], [2.0, 0.5, 0.25]]),
         np.array([[0.1, 0.2, 0.3], [-0.1, 0.0, 0.4]]), np.array([[1.0, -1.0, 0.5], [0.0, 2.0, -0.5]]), 0.2, 0.5),
        ("integer inputs give float64", np.array([1, 2]), np.array([0, 1]), np.array([2, -1]), 0.5, 0.5),
        ("float32 stays float32", np.array([1.0, -1.0], dtype=f32), np.array([0.5, 0.5], dtype=f32),
         np.array([0.25, -2.0], dtype=f32), 0.1, 0.9),
    ]
    cases = []
    for description, theta, v, g, lr, mu in inputs:
        theta_new, v_new = momentum_step(theta, v, g, lr, mu)
        v_damp = mu * v + (1 - mu) * g
        v_swap = v + mu * g
        v_book = mu * v - lr * g
        v_lr = mu * v + lr * g
        cases.append(Case(description, (theta, v, g, lr, mu), (theta_new, v_new),
                          names=("theta", "v", "grad", "lr", "momentum"), mistakes={
            "the step has the wrong sign: theta moves against the velocity, theta - lr * v.":
                (theta + lr * v_new, v_new),
            "theta moved with the old velocity: update v first, then step with the new v.":
                (theta - lr * v, v_new),
            "you used the dampened average mu * v + (1 - mu) * grad; PyTorch's SGD adds the whole "
            "gradient: v = mu * v + grad.": (theta - lr * v_damp, v_damp),
            "mu multiplies the gradient instead of the old velocity: v = mu * v + grad.":
                (theta - lr * v_swap, v_swap),
            "your v holds -lr times the gradients (the textbook form v = mu * v - lr * grad); here v is "
            "PyTorch's running sum of gradients, without lr, and theta - lr * v.": (theta + v_book, v_book),
            "the learning rate is missing from the step: theta - lr * v.": (theta - v_new, v_new),
            "your v holds lr times the gradients (the form v = mu * v + lr * grad, theta - v); here v is "
            "PyTorch's running sum of gradients, without lr, and the step is theta - lr * v.": (theta - v_lr, v_lr),
            "that is Nesterov's step (PyTorch's nesterov=True, theta - lr * (grad + mu * v_new)); plain "
            "momentum steps along the new velocity itself: theta - lr * v_new.":
                (theta - lr * (g + mu * v_new), v_new),
            _TWICE: momentum_step(theta_new, v_new, g, lr, mu),
        }, returns=("theta_new", "v_new")))
    return cases


def check_momentum_step(momentum_step):
    """Exercise 7.3: one step of SGD with momentum, returning ``(theta_new, v_new)``."""
    run_cases("Exercise 7.3 momentum_step", momentum_step, _momentum_cases(), check_dtype=True)


# ---------------------------------------------------------------------------------------------
# Exercise 7.4 rmsprop_step

_RMSPROP_NAN = ("0 / 0 where a gradient and its average s are both 0: eps belongs in the denominator, "
                "sqrt(s_new) + eps, so that the division stays finite (and the step is 0).")


def _rmsprop_unsquared(theta, s, g, lr, alpha, eps):
    s_wrong = alpha * s + (1 - alpha) * g
    return theta - lr * g / (np.sqrt(s_wrong) + eps), s_wrong


def _rmsprop_cases():
    f32 = np.float32
    inputs = [
        ("the first step from s = 0: gradients 0.01 and 100 give steps of the same size",
         np.array([1.0, 1.0]), np.zeros(2), np.array([0.01, 100.0]), 0.01, 0.99, 1e-8),
        ("a later step, alpha = 0.9", np.array([0.5, -0.5, 2.0]), np.array([0.04, 1.0, 0.25]),
         np.array([0.1, -2.0, 0.5]), 0.001, 0.9, 1e-8),
        ("a zero gradient with s = 0: eps keeps 0 / 0 away", np.array([1.0, 2.0]), np.array([0.0, 0.5]),
         np.array([0.0, 1.0]), 0.01, 0.99, 1e-8),
        ("gradients of 1e6 and 1e-12: each parameter has its own scale, and eps matters for the tiny one",
         np.array([0.0, 0.0]), np.array([1e12, 1e-24]), np.array([1e6, 1e-12]), 0.01, 0.99, 1e-8),
        ("a large eps = 0.1 (the step shrinks where sqrt(s) is small)", np.array([[1.0, -1.0], [0.0, 3.0]]),
         np.array([[0.01, 0.04], [1.0, 0.0]]), np.array([[0.1, 0.2], [-1.0, 0.3]]), 0.1, 0.9, 0.1),
        ("integer inputs give float64", np.array([3, -2]), np.array([1, 4]), np.array([2, -2]), 0.5, 0.5, 1e-8),
        ("float32 stays float32", np.array([1.0, -1.0], dtype=f32), np.array([0.25, 1.0], dtype=f32),
         np.array([0.5, -3.0], dtype=f32), 0.01, 0.99, 1e-8),
    ]
    cases = []
    for description, theta, s, g, lr, alpha, eps in inputs:
        theta_new, s_new = rmsprop_step(theta, s, g, lr, alpha, eps)
        s_swap = (1 - alpha) * s + alpha * g * g
        s_full = alpha * s + g * g  # the new squared gradient without its weight 1 - alpha
        s_pooled = alpha * s + (1 - alpha) * np.sum(g * g)  # one average for all parameters
        old = np.sqrt(s) + eps
        no_eps = ("eps is missing: eps belongs in the denominator, sqrt(s_new) + eps, as PyTorch adds it."
                  if eps == 1e-8 else
                  f"eps is missing, or fixed at 1e-8 instead of the `eps` argument (eps = {eps:g} here): eps "
                  f"belongs in the denominator, sqrt(s_new) + eps, with the eps the caller gives.")
        cases.append(Case(description, (theta, s, g, lr, alpha, eps), (theta_new, s_new),
                          names=("theta", "s", "grad", "lr", "alpha", "eps"), mistakes={
            "the step has the wrong sign: theta - lr * grad / (sqrt(s) + eps).":
                (2 * theta - theta_new, s_new),
            "eps is inside the square root; PyTorch adds it outside: sqrt(s) + eps.":
                (theta - lr * g / np.sqrt(s_new + eps), s_new),
            "the square root is missing: divide by sqrt(s) + eps, not by s + eps.":
                (theta - lr * g / (s_new + eps), s_new),
            "alpha and 1 - alpha are swapped: alpha weights the old average, s = alpha * s + (1 - alpha) * "
            "grad**2.": (theta - lr * g / (np.sqrt(s_swap) + eps), s_swap),
            "the step used the old average: update s first, then divide by sqrt(s_new) + eps.":
                (theta - lr * g / old, s_new),
            _TWICE: rmsprop_step(theta_new, s_new, g, lr, alpha, eps),
            "the new squared gradient enters s with the weight 1 - alpha: s = alpha * s + (1 - alpha) * "
            "grad**2, so that s stays an average.": (theta - lr * g / (np.sqrt(s_full) + eps), s_full),
            "you summed the squared gradients of all parameters into one number: RMSprop keeps one average "
            "per parameter, the elementwise grad**2, so that each parameter gets its own scale.":
                (theta - lr * g / (np.sqrt(s_pooled) + eps), s_pooled),
            **({"s averages the *squared* gradient: (1 - alpha) * grad**2, not (1 - alpha) * grad.":
                _rmsprop_unsquared(theta, s, g, lr, alpha, eps)} if np.all(alpha * s + (1 - alpha) * g >= 0) else {}),
            **({no_eps: (theta - lr * g / np.sqrt(s_new), s_new)} if np.all(s_new > 0) else {}),
        }, returns=("theta_new", "s_new"), invalid_hint=_RMSPROP_NAN, divide_hint=_RMSPROP_NAN))
    return cases


def check_rmsprop_step(rmsprop_step):
    """Exercise 7.4: one step of RMSprop, returning ``(theta_new, s_new)``."""
    run_cases("Exercise 7.4 rmsprop_step", rmsprop_step, _rmsprop_cases(), check_dtype=True)


# ---------------------------------------------------------------------------------------------
# Exercise 7.5 adam_step

_ADAM_ZERO = ("numpy divided by zero at t = 1: is your bias correction 1 - beta**(t - 1)? Steps count "
              "from t = 1, so the first step divides by 1 - beta1 = 0.1, not by 0.")
_ADAM_NEGATIVE = ("numpy took the square root of a negative number: v and v_hat are averages of squares and "
                  "never negative. Is the gradient squared in v (grad**2), and is the bias correction a power, "
                  "1 - beta2**t, not 1 - beta2 * t (which is negative from t = 2 on)?")


def _adam_cases():
    f32 = np.float32
    inputs = [
        ("the first step, t = 1: bias correction makes every parameter move by about lr",
         np.array([1.0, -1.0, 0.5]), np.zeros(3), np.zeros(3), np.array([0.5, -2.0, 1e-3]), 1, 0.1, 0.9, 0.999,
         1e-8),
        ("step t = 3, with averages from the steps before", np.array([0.2, -0.4]), np.array([0.05, -0.1]),
         np.array([1e-3, 4e-3]), np.array([0.3, 0.1]), 3, 0.01, 0.9, 0.999, 1e-8),
        ("the gradient changed sign, but m still points the old way", np.array([0.1]), np.array([0.5]),
         np.array([0.3]), np.array([-0.2]), 10, 0.05, 0.9, 0.999, 1e-8),
        ("late in training, t = 1000: the correction has almost vanished", np.array([[1.0, 2.0], [3.0, 4.0]]),
         np.array([[0.1, -0.1], [0.0, 0.2]]), np.array([[0.01, 0.01], [0.0, 0.04]]),
         np.array([[0.5, -0.5], [0.0, 1.0]]), 1000, 0.001, 0.9, 0.999, 1e-8),
        ("t = 2 with beta1 = 0.5, beta2 = 0.9", np.array([1.0, 1.0]), np.array([1.0, -1.0]),
         np.array([1.0, 1.0]), np.array([3.0, -0.5]), 2, 0.1, 0.5, 0.9, 1e-8),
        ("eps = 1e-3, about the size of sqrt(v_hat): eps damps the steps of small gradients",
         np.array([0.5, -0.5]), np.array([0.01, 0.0]), np.array([1e-4, 1e-6]), np.array([0.02, -1e-3]), 5,
         0.01, 0.9, 0.999, 1e-3),
        ("integer inputs give float64", np.array([1, -1]), np.array([0, 0]), np.array([0, 0]),
         np.array([2, -4]), 1, 0.5, 0.9, 0.999, 1e-8),
        ("float32 stays float32", np.array([1.0, -1.0], dtype=f32), np.array([0.1, 0.0], dtype=f32),
         np.array([0.01, 0.0], dtype=f32), np.array([0.5, 0.25], dtype=f32), 2, 0.01, 0.9, 0.999, 1e-8),
    ]
    cases = []
    for description, theta, m, v, g, t, lr, b1, b2, eps in inputs:
        theta_new, m_new, v_new = adam_step(theta, m, v, g, t, lr, b1, b2, eps)
        m_hat, v_hat = m_new / (1 - b1 ** t), v_new / (1 - b2 ** t)
        looped = (theta, m, v)
        for k in range(1, t + 1):
            looped = adam_step(*looped, g, k, lr, b1, b2, eps)
        m_full, v_full = b1 * m + g, b2 * v + g * g  # without the weights 1 - beta
        old_hat = (m / (1 - b1 ** t), v / (1 - b2 ** t))
        mistakes = {
            "no bias correction: at small t, m and v are too small because they start at zero; divide "
            "them by 1 - beta1**t and 1 - beta2**t before the step.":
                (theta - lr * m_new / (np.sqrt(v_new) + eps), m_new, v_new),
            "only m is corrected: v needs its own correction, v / (1 - beta2**t).":
                (theta - lr * m_hat / (np.sqrt(v_new) + eps), m_new, v_new),
            "only v is corrected: m needs its own correction, m / (1 - beta1**t).":
                (theta - lr * m_new / (np.sqrt(v_hat) + eps), m_new, v_new),
            "the corrections are swapped: m, the average of the gradient, is divided by 1 - beta1**t, and v, "
            "the average of its square, by 1 - beta2**t.":
                (theta - lr * (m_new / (1 - b2 ** t)) / (np.sqrt(v_new / (1 - b1 ** t)) + eps), m_new, v_new),
            "the new gradient enters m with the weight 1 - beta1, and its square enters v with 1 - beta2: "
            "m = beta1 * m + (1 - beta1) * grad, so that m and v stay averages.":
                (theta - lr * (m_full / (1 - b1 ** t)) / (np.sqrt(v_full / (1 - b2 ** t)) + eps), m_full, v_full),
            "the step used the old averages: update m and v first, then correct the new ones and step.":
                (theta - lr * old_hat[0] / (np.sqrt(old_hat[1]) + eps), m_new, v_new),
            "the values are in the wrong order: return (theta_new, m_new, v_new), in that order.":
                (theta_new, v_new, m_new),
            "you returned the corrected m_hat and v_hat; return the plain averages m and v, which the "
            "next step continues from (it corrects them afresh with its own t).": (theta_new, m_hat, v_hat),
            "the step has the wrong sign: theta - lr * m_hat / (sqrt(v_hat) + eps).":
                (2 * theta - theta_new, m_new, v_new),
            "eps is inside the square root; Adam adds it outside: sqrt(v_hat) + eps.":
                (theta - lr * m_hat / np.sqrt(v_hat + eps), m_new, v_new),
            "eps was added to sqrt(v) before the bias correction (the 'efficient' form of Kingma and Ba's "
            "section 2, whose epsilon-hat is another number): add it after, sqrt(v_hat) + eps, as their "
            "Algorithm 1 and PyTorch do.":
                (theta - lr * np.sqrt(1 - b2 ** t) / (1 - b1 ** t) * m_new / (np.sqrt(v_new) + eps), m_new, v_new),
            "you repeated the update t times; t only numbers this step for the bias correction: one call "
            "is one step.": looped,
            "the bias correction uses t + 1; this is step t, so divide by 1 - beta**t.":
                adam_step(theta, m, v, g, t + 1, lr, b1, b2, eps),
        }
        if t > 1:
            mistakes["the bias correction uses t - 1; this is step t, so divide by 1 - beta**t."] = \
                adam_step(theta, m, v, g, t - 1, lr, b1, b2, eps)
        if np.all(v_hat > 0):
            mistakes["eps is missing: the step is lr * m_hat / (sqrt(v_hat) + eps)" +
                     ("." if eps == 1e-8 else f", with the eps the caller gives (eps = {eps:g} here, not 1e-8).")] = \
                (theta - lr * m_hat / np.sqrt(v_hat), m_new, v_new)
        cases.append(Case(description, (theta, m, v, g, t, lr, b1, b2, eps), (theta_new, m_new, v_new),
                          names=("theta", "m", "v", "grad", "t", "lr", "beta1", "beta2", "eps"), mistakes=mistakes,
                          divide_hint=_ADAM_ZERO if t == 1 else None, invalid_hint=_ADAM_NEGATIVE,
                          returns=("theta_new", "m_new", "v_new")))
    return cases


def check_adam_step(adam_step):
    """Exercise 7.5: step t of Adam with bias correction, returning ``(theta_new, m_new, v_new)``."""
    run_cases("Exercise 7.5 adam_step", adam_step, _adam_cases(), check_dtype=True)


# ---------------------------------------------------------------------------------------------
# Exercise 7.6 cosine_lr

def _cosine_cases():
    inputs = [
        ("t = 0: the schedule starts at lr0", 0, 0.1, 100, 0.001),
        ("halfway, t = T_max / 2: midway between lr0 and eta_min", 50, 0.1, 100, 0.001),
        ("t = T_max: the schedule ends at eta_min", 100, 0.1, 100, 0.001),
        ("a whole run as an integer array t = 0, 1, ..., 10", np.arange(11), 0.5, 10, 0.05),
        ("eta_min = 0, steps at a quarter and three quarters", np.array([5, 15]), 1.0, 20, 0.0),
        ("fractional steps t = 0.0, 2.5, 7.5 (a schedule updated within an epoch)", np.array([0.0, 2.5, 7.5]),
         0.01, 10, 0.001),
    ]
    cases = []
    for description, t, lr0, T_max, eta_min in inputs:
        t_float = np.asarray(t, dtype=np.float64)
        cosine = np.cos(np.pi * t_float / T_max)
        mistakes = {
            "the factor (1 + cos) / 2 lost its / 2: it must go from 1 down to 0.":
                eta_min + (lr0 - eta_min) * (1 + cosine),
            "the angle needs pi: cos(pi * t / T_max) turns half a circle over the run.":
                eta_min + (lr0 - eta_min) * (1 + np.cos(t_float / T_max)) / 2,
            "the schedule runs backwards: it must start at lr0 (1 + cos 0 = 2), not at eta_min.":
                eta_min + (lr0 - eta_min) * (1 - cosine) / 2,
            "eta_min is missing: the rate is eta_min plus the cosine part, which scales lr0 - eta_min.":
                lr0 * (1 + cosine) / 2,
            "that is a straight line from lr0 to eta_min; the schedule follows half a cosine.":
                lr0 - (lr0 - eta_min) * t_float / T_max,
            "t // T_max is integer division (0 before the end): use t / T_max.":
                eta_min + (lr0 - eta_min) * (1 + np.cos(np.pi * (t_float // T_max))) / 2,
            "the cosine part scales lr0 - eta_min, not lr0: with lr0 alone the schedule starts at lr0 + eta_min.":
                eta_min + lr0 * (1 + cosine) / 2,
            "the angle is pi * t / T_max, half a circle over the run; with 2 * pi the rate comes back up to lr0 "
            "at the end.": eta_min + (lr0 - eta_min) * (1 + np.cos(2 * np.pi * t_float / T_max)) / 2,
        }
        if not np.any(t_float == 0):
            # A lost / 2 fails at t = 0 (case 1: 2 * lr0 - eta_min), so at t > 0 it is no longer a suspect
            # where it gives the same values as another mistake (t // T_max halfway, say).
            lost_half = mistakes["the factor (1 + cos) / 2 lost its / 2: it must go from 1 down to 0."]
            if any(np.allclose(lost_half, other) for hint, other in mistakes.items() if not hint.startswith("the factor")):
                del mistakes["the factor (1 + cos) / 2 lost its / 2: it must go from 1 down to 0."]
        cases.append(Case(description, (t, lr0, T_max, eta_min), cosine_annealing(t, lr0, T_max, eta_min),
                          names=("t", "lr0", "T_max", "eta_min"), mistakes=mistakes))
    return cases


def check_cosine_lr(cosine_lr):
    """Exercise 7.6: the cosine learning-rate schedule at step(s) t."""
    run_cases("Exercise 7.6 cosine_lr", cosine_lr, _cosine_cases(), check_dtype=True)


# ---------------------------------------------------------------------------------------------
# Exercise 7.2 batch_size_for_noise

#: The noise figure of lesson 07, section 3: its data, the point theta0, the target and the batch sizes.
_NOISE_TARGET = 0.25
_NOISE_BATCH_SIZES = (1, 2, 4, 8, 16, 32, 64, 128, 256, 512)


def _gradient_noise(per_sample_grads, batch_size):
    r"""Relative noise of a mini-batch gradient: its RMS distance from the full gradient over the latter's length.

    For the mean of B of the N per-sample gradients :math:`g_i`, drawn without replacement,
    with :math:`\bar g` their mean and :math:`\sigma^2 = \frac1N \sum_i \lVert g_i - \bar g \rVert^2`:
    :math:`\sqrt{\mathbb E \lVert g_B - \bar g \rVert^2} / \lVert \bar g \rVert
    = \frac{\sigma}{\lVert \bar g \rVert} \sqrt{\frac{N - B}{B (N - 1)}}`.
    """
    n = len(per_sample_grads)
    g_bar = per_sample_grads.mean(axis=0)
    sigma2 = np.mean(np.sum((per_sample_grads - g_bar) ** 2, axis=1))
    return float(np.sqrt(sigma2 * (n - batch_size) / (batch_size * (n - 1))) / np.linalg.norm(g_bar))


@lru_cache(maxsize=1)
def _noise_curve():
    """{B: relative noise} for the figure's data, from the per-sample gradients of ``utils.surfaces``."""
    X, y = make_regression_1d(1000, noise=0.3, seed=0)
    theta0 = np.array(linear_regression(X, y).start)
    per_sample = np.array([linear_regression(X, y, rows=[i]).grad(theta0) for i in range(len(X))])
    return {B: _gradient_noise(per_sample, B) for B in _NOISE_BATCH_SIZES}


def _fail(title, case, number, total, problem, got, hint):
    message = failure(title, case, number, total, problem, got)
    return AssertionError(message + (f"\n  hint:     {hint}" if hint else ""))


def check_batch_size_for_noise(batch_size_for_noise):
    """Exercise 7.2: the smallest plotted batch size whose gradient noise is at most the target."""
    title = "Exercise 7.2 batch_size_for_noise"
    noise = _noise_curve()
    best = min(B for B in _NOISE_BATCH_SIZES if noise[B] <= _NOISE_TARGET)
    figure = (f"the figure of section 3: relative gradient noise against batch size B = 1, 2, 4, ..., 512, "
              f"with the target {_NOISE_TARGET} dashed")
    meets = Case(f"the noise at your batch size is at most the target {_NOISE_TARGET}", (), best,
                 input_text=figure)
    cheapest = Case("no smaller plotted batch size meets the target", (), best, input_text=figure)
    got = call_learner(title, batch_size_for_noise, meets, 1, 2)
    if isinstance(got, (float, np.floating)) and 0 < got < 1:
        raise _fail(title, meets, 1, 2, f"expected a batch size, got {got}", got,
                    "that looks like a noise level read off the vertical axis; return the batch size B, from "
                    "the horizontal axis, as an int")
    if isinstance(got, bool) or not isinstance(got, (int, np.integer)):
        raise _fail(title, meets, 1, 2, f"expected an int, got {type(got).__name__}", got,
                    "return one batch size as a whole number, e.g. `return 8`")
    if got not in noise:
        raise _fail(title, meets, 1, 2, f"B = {got} is not one of the plotted batch sizes", got,
                    "the figure plots B = 1, 2, 4, ..., 512 (powers of two); return one of them")
    if noise[got] > _NOISE_TARGET:
        raise _fail(title, meets, 1, 2, f"at B = {got} the noise is {noise[got]:.2f}, above the target "
                    f"{_NOISE_TARGET}", got,
                    "the noise falls as B grows: move right along the curve until it is on or below the dashed "
                    "line")
    if got > best:
        raise _fail(title, cheapest, 2, 2, f"B = {got} meets the target, but a smaller plotted batch size "
                    f"does too", got,
                    "each step costs B samples' gradients: of the batch sizes that meet the target, the "
                    "smallest gives the cheapest steps")
    print(f"{title}: all 2 cases passed (B = {got}: noise {noise[got]:.2f}, at most {_NOISE_TARGET}; "
          f"B = {got // 2} gives {noise[got // 2]:.2f})")
