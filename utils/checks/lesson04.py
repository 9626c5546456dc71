"""Checks for lesson 04 (loss functions).

Every expected value comes from the references in ``utils.losses``,
``utils.logit_losses`` and ``utils.activations``; each known mistake is
computed on the same input, so its hint appears only when the learner's
result is exactly that mistake. Losses are single numbers that follow the
course's dtype rule: float32 inputs give a float32 loss, float64 and integer
inputs a float64 one.
"""

import numpy as np

from ..activations import log_softmax, sigmoid, softmax
from ..logit_losses import binary_cross_entropy_with_logits
from ..losses import LOSSES, binary_cross_entropy, cross_entropy, cross_entropy_grad, mse
from .core import Case, call_learner, exp_overflow_raises, failure, run_cases, silenced_warnings

__all__ = ["check_mse", "check_binary_cross_entropy_with_logits", "check_softmax", "check_cross_entropy",
           "check_cross_entropy_grad", "check_choose_losses"]

HINTS = {
    "4.1": ("MSE is the average of the squared differences between prediction and target, over every "
            "element of the arrays (not only over the rows).",
            "Compute the differences, square them elementwise, and take their mean with one numpy call; "
            "keep the result a numpy number so a float32 input stays float32."),
    "4.2": ("Never form sigma(z) and take its log: for a large |z| it is exactly 0 or 1 and the log is "
            "-inf. Write log(sigma(z)) and log(1 - sigma(z)) in terms of z itself.",
            "log sigma(z) = -log(1 + e^(-z)) and log(1 - sigma(z)) = -z - log(1 + e^(-z)). Combine them into "
            "max(z, 0) - z*y + log(1 + e^(-|z|)), whose exponent is never positive (np.log1p helps), "
            "then average."),
    "4.3": ("Softmax does not change when you subtract the same number from every logit of a row. Choose "
            "that number so that no exponent is positive.",
            "Subtract each row's maximum (axis=1, keepdims=True), exponentiate, and divide by the row sums "
            "(again keepdims=True, so the shapes broadcast)."),
    "4.4": ("Cross-entropy is the average over the batch of -log of the probability of the correct class. "
            "Taking the log of a softmax that rounded to 0 gives -inf: work with log-softmax instead.",
            "log softmax(z)_k = z_k - m - log(sum_j e^(z_j - m)) with m the row's maximum. Pick one entry per "
            "row with fancy indexing, log_p[np.arange(N), y], then take minus the mean."),
    "4.5": ("The gradient of the mean cross-entropy with respect to the logits is (softmax - one_hot) / N.",
            "Start from a new array of probabilities, subtract 1 at each row's correct class "
            "(p[np.arange(N), y] -= 1; not p[:, y]), and divide by the batch size N."),
    "4.6": ("A number on a continuous scale, one class out of several, or several yes/no answers per "
            "sample: each has its own loss.",
            "Regression takes MSE; exactly one class out of C takes softmax with cross-entropy; independent "
            "yes/no outputs, even several per sample, each take a sigmoid with binary cross-entropy."),
}

_rng = np.random.default_rng(4)


def _scalar(value, like):
    """A loss value in the dtype the course's rule gives for input `like`."""
    dtype = np.asarray(like).dtype
    return np.asarray(value, dtype=dtype if dtype.kind == "f" else np.float64)[()]


# Exercise 4.1 mse ---------------------------------------------------------------------------------
def _mse_cases():
    inputs = [("three predictions worked by hand: differences (0, 2, -2)", np.array([1.0, 2.0, 3.0]),
               np.array([1.0, 0.0, 5.0])),
              ("a batch of 6 predictions", _rng.normal(size=6).round(2), _rng.normal(size=6).round(2)),
              ("4 samples with 3 outputs each: the mean runs over all 12 elements",
               _rng.normal(size=(4, 3)).round(2), _rng.normal(size=(4, 3)).round(2)),
              ("one sample", np.array([2.5]), np.array([-0.5])),
              ("integer predictions and targets give a float64 loss", np.array([3, 5, 0]), np.array([1, 1, 0])),
              ("float32 predictions give a float32 loss", np.array([0.5, -1.5, 2.0], dtype=np.float32),
               np.array([0.0, -1.0, 1.0], dtype=np.float32))]
    cases = []
    for description, y_hat, y in inputs:
        diff = y_hat.astype(np.float64) - y
        n_rows = len(y_hat)
        cases.append(Case(description, (y_hat, y), _scalar(mse(y_hat, y), y_hat), names=("y_hat", "y"), mistakes={
            "the differences are not squared: MSE averages (y_hat - y)**2.": np.mean(diff),
            "you averaged the absolute differences: that is the mean absolute error; square them instead.":
                np.mean(np.abs(diff)),
            "you summed the squared errors; MSE takes their mean.": np.sum(diff ** 2),
            "you took the square root of the mean: that is the RMSE; MSE stops before the root.":
                np.sqrt(np.mean(diff ** 2)),
            "there is an extra factor 1/2: some textbooks use it, but this course's MSE (and PyTorch's) "
            "has none.": np.mean(diff ** 2) / 2,
            "you divided by the number of rows N only; the mean runs over every element (N times the "
            "number of outputs).": np.sum(diff ** 2) / n_rows,
        }))
    return cases


def check_mse(mse):
    """Exercise 4.1: the mean squared error of predictions ``y_hat`` against targets ``y``."""
    _run("Exercise 4.1 mse", mse, _mse_cases())


# Exercise 4.2 binary_cross_entropy_with_logits --------------------------------------------------------
_LOG_OF_ZERO = ("Your code took the log of a probability that rounded to exactly 0 or 1. Do not form sigma(z) "
                "at all: write log sigma(z) and log(1 - sigma(z)) in terms of z (the lesson's stable form).")
_EXP_OVERFLOW = ("e^(-z) or e^z overflowed: for z = -1000, e^(-z) = e^1000 is far beyond the largest float (about "
                 "e^709), whether inside sigma(z) or in log(1 + e^(-z)). Use the lesson's stable form "
                 "max(z, 0) - z*y + log(1 + e^(-|z|)), whose only exponent, -|z|, is never positive. np.where does "
                 "not avoid it: numpy computes both of its branches for every element.")


def _without_abs(z, y):
    """The stable form with e^(-z) for e^(-|z|): a known mistake (inf where e^(-z) overflows)."""
    with np.errstate(over="ignore"):
        return np.mean(np.maximum(z, 0) - z * y + np.log1p(np.exp(-z)))


def _bce_cases():
    z_big = np.array([-1000.0, 1000.0, 50.0])
    inputs = [("z = 0 gives p = 1/2 for both targets: the loss is log 2", np.array([0.0, 0.0]),
               np.array([1.0, 0.0])),
              ("a batch of 6 moderate logits", _rng.normal(size=6).round(2) * 3,
               np.array([1.0, 0.0, 0.0, 1.0, 1.0, 0.0])),
              ("a column of 4 logits, shape (4, 1)", np.array([[2.0], [-1.0], [0.5], [-3.0]]),
               np.array([[1.0], [1.0], [0.0], [0.0]])),
              ("one sample, soft target 0.3", np.array([0.4]), np.array([0.3])),
              ("integer logits give a float64 loss", np.array([-2, 0, 3]), np.array([0, 1, 1])),
              ("float32 logits give a float32 loss; sigma(20) rounds to 1 in float32",
               np.array([20.0, -1.0, 0.5], dtype=np.float32), np.array([0.0, 0.0, 1.0], dtype=np.float32)),
              ("confidently wrong logits of -1000 and 1000, and a right one of 50: loss (1000 + 1000 + 0) / 3",
               z_big, np.array([1.0, 0.0, 1.0]))]
    cases = []
    for description, z, y in inputs:
        z64 = _as_float(z)  # the mistakes are computed in the case's own float dtype, as the learner would
        y64 = y.astype(z64.dtype)
        p = sigmoid(z64)
        clipped = np.clip(p, z64.dtype.type(1e-7), z64.dtype.type(1 - 1e-7))
        per_element = np.maximum(z64, 0) - z64 * y64 + np.log1p(np.exp(-np.abs(z64)))
        cases.append(_hints(Case(description, (z, y), _scalar(binary_cross_entropy_with_logits(z, y), z),
                                 names=("z", "y"), mistakes={
            "you clamped the log-probabilities (at -100, as PyTorch's probability form does): for a logit "
            "of -1000 the true loss is 1000, not 100. Compute from z, with no clamp.":
                binary_cross_entropy(p, y64),
            "you clipped the probabilities (to [1e-7, 1 - 1e-7], say): that caps each loss at about 16. "
            "Compute from z, with no clip.":
                -np.mean(y64 * np.log(clipped) + (1 - y64) * np.log(1 - clipped)),
            "the sign is flipped: the loss is minus the log-likelihood, never negative.": -np.mean(per_element),
            "you summed over the samples; the loss is their mean.": np.sum(per_element),
            "the targets are swapped: y = 1 should pay -log sigma(z), y = 0 should pay -log(1 - sigma(z)).":
                np.mean(np.maximum(z64, 0) - z64 * (1 - y64) + np.log1p(np.exp(-np.abs(z64)))),
            "the term max(z, 0) is missing: it is what is left of log(1 + e^(-z)) after taking e^(-|z|) out.":
                np.mean(-z64 * y64 + np.log1p(np.exp(-np.abs(z64)))),
            "the sign of z*y is flipped: the loss of one element is max(z, 0) - z*y + log(1 + e^(-|z|)).":
                np.mean(np.maximum(z64, 0) + z64 * y64 + np.log1p(np.exp(-np.abs(z64)))),
            "the first term is max(z, 0), not max(-z, 0): z + max(-z, 0) = max(z, 0) is where it comes from.":
                np.mean(np.maximum(-z64, 0) - z64 * y64 + np.log1p(np.exp(-np.abs(z64)))),
            "the absolute value is missing: the last term is log(1 + e^(-|z|)), not log(1 + e^(-z)). Without "
            "it the loss is wrong for every negative z, and for z = -1000, e^(-z) = e^1000 overflows, whether "
            "inside sigma(z) or in log(1 + e^(-z)).":
                _without_abs(z64, y64),
        }), overflow=_EXP_OVERFLOW, divide=_LOG_OF_ZERO, invalid=_LOG_OF_ZERO))
    return cases


def check_binary_cross_entropy_with_logits(binary_cross_entropy_with_logits):
    """Exercise 4.2: binary cross-entropy computed from logits, exact and without a warning for any z."""
    title = "Exercise 4.2 binary_cross_entropy_with_logits"
    _run(title, binary_cross_entropy_with_logits, _bce_cases())


def _as_float(x):
    return x if x.dtype.kind == "f" else x.astype(np.float64)


def _hints(case, *, overflow, divide=None, invalid=None):
    """Set the case's hint for each kind of floating-point error (attributes, so any ``Case`` takes them)."""
    case.overflow_hint = overflow
    case.divide_hint = divide or overflow
    case.invalid_hint = invalid or overflow
    return case


def _run(title, fn, cases):
    """Run the cases with the dtype rule, under strict floating-point errors, with a float32-fair tolerance.

    rtol 1e-5 and atol 1e-7: a correct float32 answer computed in another order than the reference
    differs by a few float32 steps (about 1e-7 each); every known mistake differs by far more.
    """
    if callable(fn) and silenced_warnings(fn):
        raise AssertionError(f"{title}: your function silences numpy's warnings ({silenced_warnings(fn)}). That "
                             f"hides an overflow or a log of 0, it does not prevent one: remove it and make the "
                             f"formula itself safe.")
    with exp_overflow_raises():
        run_cases(title, fn, cases, check_dtype=True, rtol=1e-5, atol=1e-7)


# Exercise 4.3 softmax -------------------------------------------------------------------------------
_SOFTMAX_OVERFLOW = ("e^z overflows for z = 1e4 (the largest float64 is about e^709). Subtract each row's "
                     "maximum before np.exp, so every exponent is at most 0; a row with all its logits "
                     "far below the largest logit of the whole batch needs its own maximum.")
_SOFTMAX_ZERO_ROW = ("0 / 0: every e^z of a row underflowed to 0. A row with all its logits far below the largest "
                     "logit of the whole batch needs its own maximum: subtract Z.max(axis=1, keepdims=True), so "
                     "every row has one term e^0 = 1.")


def _softmax_cases():
    inputs = [("two rows worked by hand: e^z is (1, 1, 1) and (1, 2, 5)",
               np.array([[0.0, 0.0, 0.0], [0.0, np.log(2.0), np.log(5.0)]])),
              ("a batch of 4 samples, 5 classes", _rng.normal(size=(4, 5)).round(2) * 2),
              ("one sample, 3 classes", np.array([[1.0, -1.0, 0.5]])),
              ("integer logits give float64 probabilities", np.array([[1, 2, 3], [0, 0, 4]])),
              ("float32 logits stay float32", np.array([[0.5, 1.5, -1.0], [3.0, 0.0, 0.0]], dtype=np.float32)),
              ("logits near 1e4 (e^z overflows) and a row near -1e4 (e^z underflows)",
               np.array([[1e4, 1e4 - 1.0, -1e4], [-1e4, -1e4 + 2.0, -1e4 + 1.0]]))]
    cases = []
    for description, Z in inputs:
        Z64 = _as_float(Z)
        e = np.exp(Z64 - Z64.max(axis=1, keepdims=True))
        cases.append(_hints(Case(description, (Z,), softmax(Z), names=("Z",), mistakes={
            "each column sums to 1 instead of each row: the classes are along axis=1, one row per sample.":
                softmax(Z64, axis=0),
            "the whole batch sums to 1; each row (sample) must sum to 1 on its own: sum over axis=1.":
                e / e.sum(),
            "the exponentials are not normalised: divide by each row's sum.": e,
            "you returned log-probabilities (log-softmax); softmax is their exponential.": log_softmax(Z64),
        }), overflow=_SOFTMAX_OVERFLOW, invalid=_SOFTMAX_ZERO_ROW, divide=_SOFTMAX_ZERO_ROW))
    return cases


def check_softmax(softmax):
    """Exercise 4.3: a row-wise softmax that never overflows."""
    title = "Exercise 4.3 softmax"
    _run(title, softmax, _softmax_cases())


# Exercises 4.4 cross_entropy and 4.5 cross_entropy_grad --------------------------------------------
_LABEL_OFF_BY_ONE = ("you used the column before the label's (y - 1): labels count from 0, as numpy's columns do, "
                     "so class y is column y.")
_LOG_SOFTMAX_HINT = ("A probability rounded to exactly 0, and its log is -inf. Do not take the log of a "
                     "softmax: compute log-softmax directly, z - m - log(sum_j e^(z_j - m)) with m each row's "
                     "maximum.")


def _cross_entropy_inputs():
    return [("one sample, two equal logits: the loss is log 2", np.array([[0.0, 0.0]]), np.array([1])),
            ("two samples worked by hand: p = 3/4 and 1/4 for the correct class",
             np.array([[0.0, np.log(3.0)], [np.log(3.0), 0.0]]), np.array([1, 1])),
            ("a batch of 5 samples, 4 classes", _rng.normal(size=(5, 4)).round(2) * 2, np.array([0, 3, 1, 3, 2])),
            ("integer logits give a float64 result", np.array([[2, 0, -1], [0, 1, 3]]), np.array([0, 2])),
            ("float32 logits give a float32 result", np.array([[1.0, 2.0, 0.5], [-1.0, 0.0, 4.0]], dtype=np.float32),
             np.array([2, 2])),
            ("a confidently wrong logit of 1e4 (loss 2e4 for that sample) and a confidently right one",
             np.array([[1e4, 0.0, -1e4], [0.0, 1e4, 0.0]]), np.array([2, 1]))]


def _cross_entropy_cases():
    cases = []
    for description, Z, y in _cross_entropy_inputs():
        N = len(y)
        log_p = log_softmax(_as_float(Z))
        picked = log_p[np.arange(N), y]
        cases.append(_hints(Case(description, (Z, y), _scalar(cross_entropy(Z, y), Z), names=("Z", "y"), mistakes={
            "the sign is flipped: the loss is MINUS the mean log-probability, so it is never negative.":
                np.mean(picked),
            "you summed over the batch; the loss is the mean over the N samples.": -np.sum(picked),
            "log_p[:, y] picks every label's column for every sample (an (N, N) array); pick one entry per "
            "row with log_p[np.arange(N), y].": -np.mean(log_p[:, y]),
            "you averaged -log p over every class, not only the correct one: pick the label's entry in each "
            "row.": -np.mean(log_p),
            "you divided by N * C (the mean of the one-hot products over every element); divide by N.":
                -np.sum(picked) / log_p.size,
            _LABEL_OFF_BY_ONE: -np.mean(log_p[np.arange(N), y - 1]),
        }), overflow=_SOFTMAX_OVERFLOW, divide=_LOG_SOFTMAX_HINT, invalid=_LOG_SOFTMAX_HINT))
    return cases


def check_cross_entropy(cross_entropy):
    """Exercise 4.4: softmax cross-entropy from logits ``Z`` (N, C) and integer labels ``y`` (N,)."""
    title = "Exercise 4.4 cross_entropy"
    _run(title, cross_entropy, _cross_entropy_cases())


def _cross_entropy_grad_cases():
    cases = []
    for description, Z, y in _cross_entropy_inputs():
        N, C = Z.shape
        p = softmax(_as_float(Z))
        one_hot = np.eye(C, dtype=p.dtype)[y]
        columns = p.copy()
        columns[:, y] -= 1
        off_by_one = p.copy()
        off_by_one[np.arange(N), y - 1] -= 1
        cases.append(_hints(Case(description, (Z, y), cross_entropy_grad(Z, y), names=("Z", "y"), mistakes={
            "you did not divide by the batch size N: the loss is a mean, so is its gradient.": p - one_hot,
            "the sign is flipped: the gradient is softmax MINUS the one-hot target.": (one_hot - p) / N,
            "the one-hot target is missing: subtract 1 at each row's correct class.": p / N,
            "you divided by N * C; the loss averages over the N samples only.": (p - one_hot) / (N * C),
            "p[:, y] -= 1 subtracts 1 in every row, at every label's column; use p[np.arange(N), y] -= 1.":
                columns / N,
            _LABEL_OFF_BY_ONE: off_by_one / N,
        }), overflow=_SOFTMAX_OVERFLOW, invalid=_SOFTMAX_ZERO_ROW, divide=_SOFTMAX_ZERO_ROW))
    return cases


def check_cross_entropy_grad(cross_entropy_grad):
    """Exercise 4.5: the gradient ``(softmax(Z) - one_hot(y)) / N`` of the mean cross-entropy."""
    title = "Exercise 4.5 cross_entropy_grad"
    _run(title, cross_entropy_grad, _cross_entropy_grad_cases())


# Exercise 4.6 choose_losses -----------------------------------------------------------------------
#: The three tasks of exercise 4.6 and the loss each needs (a key of utils.losses.LOSSES).
TASKS = (("tomorrow's temperature in degrees Celsius", "mse"),
         ("which of the ten digits a handwritten image shows", "cross_entropy"),
         ("which of five tags (cat, dog, indoor, outdoor, night) apply to a photo, any number of them",
          "binary_cross_entropy"))


def check_choose_losses(choose_losses):
    """Exercise 4.6: the loss for each of three described tasks, as names of ``utils.losses.LOSSES``."""
    title = "Exercise 4.6 choose_losses"
    expected = tuple(loss for _, loss in TASKS)
    case = Case("the three tasks of the exercise", (), expected,
                input_text="; ".join(f"({k + 1}) {task}" for k, (task, _) in enumerate(TASKS)))
    got = call_learner(title, choose_losses, case, 1, 1)

    def fail(problem):
        return AssertionError(failure(title, case, 1, 1, problem))
    if not isinstance(got, (tuple, list)) or len(got) != 3:
        raise fail(f"choose_losses() must return three names, one per task, as in "
                   f"`return \"...\", \"...\", \"...\"`; got {got!r}")
    if not all(isinstance(name, str) for name in got):
        raise fail(f"each answer must be a loss's name, a string such as \"mse\"; got {got!r}")
    unknown = [name for name in got if name.strip().lower() not in LOSSES]
    if unknown:
        raise fail(f"{unknown[0]!r} is not one of the course's losses; choose from {sorted(LOSSES)}")
    misspelt = [name for name in got if name not in LOSSES]
    if misspelt:
        raise fail(f"{misspelt[0]!r} is not written exactly as a key of losses.LOSSES: write "
                   f"{misspelt[0].strip().lower()!r} (fit(loss=...) looks the name up exactly)")
    names = tuple(got)
    wrong = [k for k in range(3) if names[k] != expected[k]]
    if wrong:
        advice = {0: "task 1 predicts a number on a continuous scale: that is regression.",
                  1: "task 2 picks exactly one class out of ten: softmax over the ten logits, with cross-entropy.",
                  2: "task 3 can switch on several tags at once, so the tags are not one softmax over five "
                     "classes: each tag is its own yes/no question with a sigmoid output."}
        raise fail("wrong loss for task " + " and ".join(str(k + 1) for k in wrong) + ": "
                   + " ".join(advice[k] for k in wrong))
    print(f"{title}: all 3 cases passed (one per task)")
