"""Checks for lesson 10 (regularization).

Every expected value comes from a reference in ``utils``: ``regularization.dropout_forward`` and
``dropout_backward`` (the same mask as ``layers.Dropout``), ``l2_penalty`` and ``l2_penalty_grad``,
``early_stopping_epoch`` and ``train_early_stopping`` (the rule of ``training.EarlyStopping``), and
for the choice of a dropout rate the lesson's own experiment, ``regularization.train_big_network``,
the very function the lesson's figures call (one piece of code, so the two cannot drift apart).
Each known mistake is computed on the same input (the early-stopping ones by variants of the
reference loop), so its hint appears only when the learner's result is exactly that mistake.
"""

import math
from functools import lru_cache

import numpy as np

from ..layers import Dense, ReLU
from ..models import Sequential
from ..regularization import (FINISHED_RUNS, dropout_backward, dropout_forward, early_stopping_epoch, l2_penalty,
                              l2_penalty_grad, train_big_network, train_early_stopping)
from .core import Case, call_learner, compare, failure, require_callable, run_cases, show_value

__all__ = ["check_dropout_forward", "check_dropout_backward", "check_l2_penalty", "check_l2_penalty_grad",
           "check_early_stopping_epoch", "check_train_early_stopping", "check_choose_dropout_rate"]

HINTS = {
    "10.1": ("In training, draw one uniform number per element from rng, keep the elements whose number is at "
             "least p, and scale the kept ones so that the expected value of each output equals its input. In "
             "evaluation mode nothing is dropped and nothing is scaled.",
             "One call rng.random(x.shape) gives the numbers; the comparison with p gives the kept elements. The "
             "mask holds 1 / (1 - p) where kept and 0 elsewhere, in x's float dtype (an integer x gives "
             "float64); out is x times the mask. With training=False return a copy of x and a mask of ones, and "
             "do not touch rng."),
    "10.2": ("The forward pass multiplied x by a fixed mask. What is the derivative of m * x with respect to x, "
             "element by element?",
             "Multiply the upstream gradient by the same mask the forward pass used, already scaled by "
             "1 / (1 - p): a dropped unit passes no gradient. Build a new array, do not multiply dout in "
             "place, and keep dout's float dtype."),
    "10.3": ("Square every entry of every weight matrix, add them all up, and multiply by lambda / 2. The "
             "biases are not part of the penalty.",
             "Loop over the (W, b) pairs and use only W: the sum of W * W over all its entries (not its norm, "
             "not its mean). Mind the 1/2 in front: it is there so that the gradient comes out as lambda * W. "
             "Computed with numpy, the result keeps the weights' float dtype."),
    "10.4": ("Differentiate (lambda / 2) * (sum of the squared weights) with respect to one weight: the 2 of the "
             "square meets the 1/2. The penalty does not contain the biases.",
             "Return one pair per layer, in the same order: lambda * W for the weights, and zeros of b's shape "
             "for the bias. The zeros must be floats even for integer b (np.zeros(b.shape) gives float64); "
             "never change W or b in place."),
    "10.5": ("Walk through the losses with the best loss so far and a counter of epochs without improvement. "
             "Only a strictly lower loss is an improvement; it resets the counter.",
             "Epochs count from 1: the loss at index k belongs to epoch k + 1. When the counter reaches "
             "patience, stop and return (the best epoch, this epoch). If the losses run out first, the stop "
             "epoch is the last one. Never look at losses after the stop when you pick the best epoch."),
    "10.6": ("Your rule from exercise 10.5, run live: after each epoch's training, compute the validation loss "
             "once, and remember the weights whenever it improves. At the end, put the remembered weights back.",
             "Remember copies (p.data.copy() for each parameter): training changes the arrays in place, so a "
             "list of the arrays themselves ends up holding the last weights. To restore, write the saved values "
             "into the existing arrays with an index assignment ([...]), not a new name. Return (best_epoch, stop_epoch) "
             "as in 10.5."),
    "10.7": ("Look at the right-hand panel of the dropout figure: the validation loss of each rate at the end of "
             "training. Lower is better; the training loss does not count.",
             "Of the six rates, return the one whose validation loss after the last epoch is lowest, as a float "
             "such as 0.3. Not the lowest point of a curve along the way: the networks train for all 300 "
             "epochs here."),
}


def _fail(title, case, number, total, problem, got, hint=None):
    message = failure(title, case, number, total, problem, got)
    return AssertionError(message + (f"\n  hint:     {hint}" if hint else ""))


# ---------------------------------------------------------------------------------------------
# Exercise 10.1 dropout_forward

def _uniform(x, seed):
    return np.random.default_rng(seed).random(np.shape(x))


def _forward_cases():
    rng = np.random.default_rng(10)
    inputs = [("4 values, p = 0.5, rng seed 0: u = [0.64, 0.27, 0.04, 0.02], so only the first is kept",
               np.array([3.0, 2.0, 1.0, 4.0]), 0.5, 0, True),
              ("a batch of 5 samples with 4 units, p = 0.3", rng.normal(size=(5, 4)).round(2), 0.3, 1, True),
              ("one sample with 6 units, p = 0.2", rng.normal(size=(1, 6)).round(2), 0.2, 2, True),
              ("p = 0.9: almost everything dropped, the rest scaled by 10", rng.normal(size=(3, 5)).round(2), 0.9,
               4, True),
              ("p = 0: nothing dropped, nothing scaled", rng.normal(size=(2, 3)).round(2), 0.0, 9, True),
              ("float32 activations stay float32", rng.normal(size=(3, 3)).astype(np.float32), 0.25, 5, True),
              ("integer activations give float64", np.array([[1, -2, 3], [4, 0, -6]]), 0.5, 6, True),
              ("evaluation mode (training=False): the identity, on a new array, and a mask of ones",
               rng.normal(size=(2, 4)).round(2), 0.5, 7, False),
              ("evaluation mode with float32 activations", rng.normal(size=(2, 2)).astype(np.float32), 0.4, 8,
               False),
              ("evaluation mode with integer activations: float64 out and mask", np.array([[2, -1], [0, 3]]), 0.3,
               11, False)]
    cases = []
    for description, x, p, seed, training in inputs:
        xf = np.asarray(x, dtype=np.float64) if x.dtype.kind != "f" else x
        expected = dropout_forward(x, p, np.random.default_rng(seed), training)
        u = _uniform(x, seed)
        mistakes = {}
        if training:
            keep, flipped = (u >= p).astype(xf.dtype), (u < p).astype(xf.dtype)
            scale = xf.dtype.type(1 - p)
            mistakes.update({
                "the kept units are not scaled: inverted dropout divides them by 1 - p, so that each output keeps "
                "its input's expected value.": (xf * keep, keep),
                "you kept the units whose number is below p: that keeps each unit with probability p. Keep a unit "
                "where rng.random(...) >= p.": (xf * flipped / scale, flipped / scale),
                "your out is right, but the mask holds 0 and 1: the mask is 1 / (1 - p) where kept, the scale is "
                "part of it (the backward pass multiplies by the mask alone).": (xf * keep / scale, keep),
                "you multiplied the kept units by 1 - p; inverted dropout divides by it (the old, non-inverted "
                "dropout scaled at evaluation time instead).": (xf * keep * scale, keep * scale),
            })
            if p > 0:
                mistakes["you divided by p; the scale is 1 / (1 - p), the probability of keeping a unit."] = \
                    (xf * keep / xf.dtype.type(p), keep / xf.dtype.type(p))
            binomial = np.random.default_rng(seed).binomial(1, 1 - p, size=x.shape).astype(xf.dtype) / scale
            mistakes["the mask differs: draw it with one call rng.random(x.shape) and keep a unit where that "
                     "number is >= p (another draw, such as rng.binomial, gives other numbers)."] = \
                (xf * binomial, binomial)
        else:
            train_out = dropout_forward(x, p, np.random.default_rng(seed), True)
            mistakes.update({
                "you dropped units in evaluation mode: with training=False dropout is the identity.": train_out,
                "you scaled the activations in evaluation mode: inverted dropout scales in training, so evaluation "
                "passes x through unchanged.": (xf * xf.dtype.type(1 - p), np.full_like(xf, 1 - p)),
            })
        cases.append(Case(description, (x, p, np.random.default_rng(seed), training), expected, mistakes=mistakes,
                          names=("x", "p", "rng", "training"), returns=("out", "mask"),
                          input_text=f"x = {show_value(x)}, p = {p:g}, rng = np.random.default_rng({seed}), "
                                     f"training = {training}"))
    return cases


def _eval_mode_draws(title, dropout_forward, cases):
    """Evaluation mode must leave the rng as it was: no number drawn, so later masks stay the same."""
    evaluation = [(k, c) for k, c in enumerate(cases, start=1) if c.args[3] is False]
    for number, case in evaluation:
        x, p, _, training = case.args
        seed = int(case.input_text.split("default_rng(")[1].split(")")[0])
        rng = np.random.default_rng(seed)
        got = call_learner(title, dropout_forward, Case(**{**vars(case), "args": (x.copy(), p, rng, training)}),
                           number, len(cases))
        if compare(got, case.expected) is not None:
            continue                     # a wrong value: run_cases names that mistake first
        if rng.random() != np.random.default_rng(seed).random():
            raise _fail(title, case, number, len(cases), "your function drew numbers from rng in evaluation mode; "
                        "with training=False nothing is dropped, so nothing may be drawn (a draw there would "
                        "change every later mask of the same rng).", None,
                        "draw u = rng.random(x.shape) inside the training branch only.")


def check_dropout_forward(dropout_forward):
    """Exercise 10.1: inverted dropout, ``dropout_forward(x, p, rng, training)`` -> ``(out, mask)``."""
    title, cases = "Exercise 10.1 dropout_forward", _forward_cases()
    _eval_mode_draws(title, dropout_forward, cases)
    run_cases(title, dropout_forward, cases)


# ---------------------------------------------------------------------------------------------
# Exercise 10.2 dropout_backward

def _backward_cases():
    rng = np.random.default_rng(20)
    inputs = [("4 gradients through the mask [2, 0, 0, 0] of p = 0.5", np.array([1.0, -2.0, 0.5, 3.0]),
               np.array([1.0, 2.0, 3.0, 4.0]), 0.5, 0, True),
              ("a batch of 5 samples with 4 units, p = 0.3", rng.normal(size=(5, 4)).round(2),
               rng.normal(size=(5, 4)), 0.3, 1, True),
              ("p = 0.9: most gradients stop, the rest are scaled by 10", rng.normal(size=(2, 6)).round(2),
               rng.normal(size=(2, 6)), 0.9, 2, True),
              ("float32 gradients stay float32", rng.normal(size=(3, 3)).astype(np.float32),
               rng.normal(size=(3, 3)).astype(np.float32), 0.25, 3, True),
              ("integer gradients give float64", np.array([[2, -1, 3], [0, 5, -4]]), rng.normal(size=(2, 3)),
               0.5, 4, True),
              ("the mask of evaluation mode (all ones): the gradient passes unchanged, in a new array",
               rng.normal(size=(2, 3)).round(2), rng.normal(size=(2, 3)), 0.5, 5, False)]
    cases = []
    for description, dout, x, p, seed, training in inputs:
        _, mask = dropout_forward(x, p, np.random.default_rng(seed), training)
        if dout.dtype == np.float32:
            mask = mask.astype(np.float32)
        df = np.asarray(dout, dtype=np.float64) if dout.dtype.kind != "f" else dout
        kept = (mask > 0).astype(df.dtype)
        mistakes = {"you returned the mask; the gradient is dout times the mask.": mask}
        if training:
            mistakes["you passed the gradient through unchanged: a dropped unit contributed nothing to the output, "
                     "so it passes no gradient back. Multiply by the mask."] = df.copy()
            mistakes["you multiplied by a 0/1 mask without the scale 1 / (1 - p): the forward pass scaled the kept "
                     "units, so their gradients are scaled too."] = df * kept
        cases.append(Case(description, (dout, mask), dropout_backward(dout, mask), names=("dout", "mask"),
                          mistakes=mistakes,
                          divide_hint="you divided by the mask, which is 0 for every dropped unit: multiply by it."))
    return cases


def check_dropout_backward(dropout_backward):
    """Exercise 10.2: the gradient through dropout, ``dropout_backward(dout, mask)`` -> ``dx``."""
    run_cases("Exercise 10.2 dropout_backward", dropout_backward, _backward_cases())


# ---------------------------------------------------------------------------------------------
# Exercises 10.3 and 10.4: the L2 penalty and its gradient

def _l2_inputs():
    rng = np.random.default_rng(30)
    two = [(rng.normal(size=(3, 4)).round(2), rng.normal(size=4).round(2) * 10),
           (rng.normal(size=(4, 2)).round(2), rng.normal(size=2).round(2) * 10)]
    return [
        ("one layer by hand: W = [[1, 2], [3, -1]] (squares sum to 15), b = [100, 100], lambda = 0.1",
         [(np.array([[1.0, 2.0], [3.0, -1.0]]), np.array([100.0, 100.0]))], 0.1),
        ("two layers, lambda = 0.01: every weight matrix counts, no bias does", two, 0.01),
        ("three layers, the last with one output, lambda = 0.5",
         [(rng.normal(size=(2, 5)).round(2), rng.normal(size=5).round(2)),
          (rng.normal(size=(5, 5)).round(2), rng.normal(size=5).round(2)),
          (rng.normal(size=(5, 1)).round(2), np.array([3.0]))], 0.5),
        ("lambda = 0: no penalty", two, 0.0),
        ("lambda = 1: the gradient has the values of W, in new arrays", two[:1], 1.0),
        ("float32 weights give a float32 result",
         [(rng.normal(size=(2, 3)).astype(np.float32), np.ones(3, dtype=np.float32)),
          (rng.normal(size=(3, 2)).astype(np.float32), np.ones(2, dtype=np.float32))], 0.1),
        ("integer weights and biases give float64", [(np.array([[1, -2], [0, 3]]), np.array([4, 5]))], 0.2),
    ]


def _copy_layers(layers):
    return [(W.copy(), b.copy()) for W, b in layers]


def _call_on_layers(title, fn, case, number, total):
    """Call ``fn(layers, lam)`` on a copy of the layers; refuse changes in place and results sharing memory."""
    layers, lam = case.args
    mine = _copy_layers(layers)
    learner_case = Case(**{**vars(case), "args": (mine, lam)})
    got = call_learner(title, fn, learner_case, number, total)
    for k, ((W, b), (W0, b0)) in enumerate(zip(mine, layers)):
        for name, now, before in ((f"W of layer {k}", W, W0), (f"b of layer {k}", b, b0)):
            if not np.array_equal(now, before):
                raise _fail(title, case, number, total, f"your function changed {name} in place; compute new "
                            f"arrays instead (`lam * W`, not `W *= lam`).", None)
    results = got if isinstance(got, (list, tuple)) else [got]
    for r in results:
        for part in (r if isinstance(r, (list, tuple)) else [r]):
            if isinstance(part, np.ndarray) and any(np.shares_memory(part, a) for pair in mine for a in pair):
                raise _fail(title, case, number, total, "a value of your result shares memory with an input "
                            "array (it is that array, or a view of it); the exercise promises new arrays.", None)
    return got


def _pairs_problem(got, expected):
    """Compare a list of (dW, db) pairs layer by layer, naming the layer and the array that differ."""
    if not isinstance(got, (tuple, list)):
        return (f"expected a list of {len(expected)} (dW, db) pairs, one per layer, got "
                f"{type(got).__name__}" + (": did you forget to `return` the list?" if got is None else ""))
    if len(got) != len(expected):
        return f"expected a list of {len(expected)} (dW, db) pairs, one per layer, got {len(got)}"
    for k, (pair, (dW, db)) in enumerate(zip(got, expected), start=1):
        if not isinstance(pair, (tuple, list)) or len(pair) != 2:
            return f"layer {k}: expected a pair (dW, db), got {type(pair).__name__}"
        for name, g, e in (("dW", pair[0], dW), ("db", pair[1], db)):
            problem = compare(g, e)
            if problem:
                return f"layer {k}, {name}: {problem}"
    return None


def _run_layer_cases(title, fn, cases):
    require_callable(title, fn)
    for number, case in enumerate(cases, start=1):
        got = _call_on_layers(title, fn, case, number, len(cases))
        if isinstance(case.expected, tuple) and isinstance(got, list):
            got = tuple(tuple(pair) if isinstance(pair, list) else pair for pair in got)
        problem = _pairs_problem(got, case.expected) if isinstance(case.expected, tuple) else compare(got, case.expected)
        if problem:
            raise AssertionError(failure(title, case, number, len(cases), problem, got))
    print(f"{title}: all {len(cases)} cases passed")


def _layers_text(layers, lam):
    parts = [f"(W{k + 1} = {show_value(W)}, b{k + 1} = {show_value(b)})" for k, (W, b) in enumerate(layers)]
    return f"layers = [{', '.join(parts)}], lam = {lam:g}"


def _penalty_cases():
    cases = []
    for description, layers, lam in _l2_inputs():
        f = [(np.asarray(W, dtype=np.result_type(W, np.float32 if W.dtype == np.float32 else np.float64)),
              np.asarray(b, dtype=np.result_type(W, np.float32 if W.dtype == np.float32 else np.float64)))
             for W, b in layers]
        squares = sum(np.sum(W * W) for W, _ in f)
        mistakes = {
            "the 1/2 is missing: the penalty is (lambda / 2) times the sum of the squared weights.": lam * squares,
            "you penalized the biases too; this lesson leaves them out (the penalty covers the weight matrices "
            "only).": lam / 2 * (squares + sum(np.sum(b * b) for _, b in f)),
            "you added up the norms ||W||; the penalty uses their squares, the sum of W * W.":
                lam / 2 * sum(np.sqrt(np.sum(W * W)) for W, _ in f),
            "you took the mean of the squares; the penalty is their sum over every entry.":
                lam / 2 * sum(np.mean(W * W) for W, _ in f),
            "you added up |W|, the L1 penalty; L2 adds up the squares, W * W.":
                lam / 2 * sum(np.sum(np.abs(W)) for W, _ in f),
            "you squared the sum of the weights; square each weight first, then add: np.sum(W * W).":
                lam / 2 * sum(np.sum(W) ** 2 for W, _ in f),
        }
        if len(f) > 1:
            mistakes["only one layer's weights are in your sum: add every layer's."] = lam / 2 * np.sum(f[0][0] ** 2)
            mistakes["only the last layer's weights are in your sum (a `return` or an `=` instead of `+=` inside "
                     "the loop?): add every layer's."] = lam / 2 * np.sum(f[-1][0] ** 2)
        cases.append(Case(description, (layers, lam), l2_penalty(layers, lam), mistakes=mistakes,
                          input_text=_layers_text(layers, lam)))
    return cases


def check_l2_penalty(l2_penalty):
    """Exercise 10.3: ``l2_penalty(layers, lam)``, (lambda / 2) times the sum of the squared weights, no biases."""
    title = "Exercise 10.3 l2_penalty"
    cases = _penalty_cases()
    require_callable(title, l2_penalty)
    for number, case in enumerate(cases, start=1):
        got = _call_on_layers(title, l2_penalty, case, number, len(cases))
        problem = compare(got, case.expected, rtol=1e-5 if case.expected.dtype == np.float32 else 1e-6)
        if problem:
            raise AssertionError(failure(title, case, number, len(cases), problem, got))
    print(f"{title}: all {len(cases)} cases passed")


def _grad_cases():
    cases = []
    for description, layers, lam in _l2_inputs():
        expected = tuple(tuple(pair) for pair in l2_penalty_grad(layers, lam))
        f = [tuple(np.asarray(a, dtype=e.dtype) for a, e in zip(pair, exp)) for pair, exp in zip(layers, expected)]
        mistakes = {
            "the 1/2 convention: the penalty (lambda / 2) ||W||^2 has the gradient lambda * W, not 2 * lambda * W.":
                tuple((2 * lam * W, np.zeros_like(b)) for W, b in f),
            "you differentiated lambda * ||W||^2 / 2 as (lambda / 2) * W: the square's 2 cancels the 1/2, giving "
            "lambda * W.": tuple((lam / 2 * W, np.zeros_like(b)) for W, b in f),
            "the bias gradient is lambda * b: the penalty leaves the biases out, so their gradient is 0.":
                tuple((lam * W, lam * b) for W, b in f),
            "the gradient has the wrong sign: the penalty grows with |W|, so its gradient is +lambda * W (the step "
            "subtracts it).": tuple((-lam * W, np.zeros_like(b)) for W, b in f),
            "you returned the weights after a decay step, W - lambda * W; the exercise asks for the gradient, "
            "lambda * W.": tuple((W - lam * W, np.zeros_like(b)) for W, b in f),
            "dW is transposed: it has the shape of W, (D_in, D_out), entry by entry lambda * W.":
                tuple((lam * W.T, np.zeros_like(b)) for W, b in f),
        }
        cases.append(Case(description, (layers, lam), expected, mistakes=mistakes,
                          input_text=_layers_text(layers, lam)))
    return cases


def check_l2_penalty_grad(l2_penalty_grad):
    """Exercise 10.4: ``l2_penalty_grad(layers, lam)`` -> ``[(dW, db), ...]``: lambda * W and zeros."""
    _run_layer_cases("Exercise 10.4 l2_penalty_grad", l2_penalty_grad, _grad_cases())


# ---------------------------------------------------------------------------------------------
# Exercise 10.5 early_stopping_epoch

def _stopping_rule(losses, patience, *, ties="no", late=False, reset=True, best_from="seen", base=1,
                   against="best"):
    """The reference rule and its plausible variants, to name a learner's mistake."""
    best_loss, best_epoch, wait, stop = math.inf, 0, 0, len(losses)
    if against == "largest":
        losses, best_loss = [-v for v in losses], math.inf
    for epoch, loss in enumerate(losses, start=1):
        if against == "previous" and epoch > 1:
            if loss < losses[epoch - 2]:
                wait = 0
                if loss < best_loss:
                    best_loss, best_epoch = loss, epoch
                continue
        elif loss < best_loss or (ties == "yes" and loss == best_loss):
            best_loss, best_epoch = loss, epoch
            wait = 0 if reset else wait
            continue
        wait += 1
        if (wait > patience) if late else (wait >= patience):
            stop = epoch
            break
    if best_from == "all":
        best_epoch = int(np.argmin(losses)) + 1
    return best_epoch - 1 + base, stop - 1 + base


_RULE_MISTAKES = {
    "base": (dict(base=0), "you returned indices counted from 0; epochs count from 1 (the loss at index k is "
                           "epoch k + 1)."),
    "ties": (dict(ties="yes"), "you counted a tie as an improvement: only a loss strictly below the best so far "
                               "improves (a tie keeps the earlier epoch, and the counter goes on)."),
    "late": (dict(late=True), "you stopped one epoch late: stop at the epoch where the count of epochs without "
                              "improvement reaches patience, not when it passes it."),
    "reset": (dict(reset=False), "your counter does not restart at an improvement: it must count the epochs "
                                 "without improvement since the last best one."),
    "previous": (dict(against="previous"), "you compared each loss with the previous epoch's; compare it with the "
                                           "best loss so far."),
    "largest": (dict(against="largest"), "you kept the largest loss as the best; the best validation loss is the "
                                         "lowest (use <, and start from infinity)."),
    "all": (dict(best_from="all"), "you chose the best epoch among all the losses, also those after the stop: "
                                   "training never ran those epochs. Pick the best among the epochs up to the "
                                   "stop."),
}


def _rule_cases():
    rng = np.random.default_rng(50)
    noisy = (1.0 / np.arange(1, 31) + 0.04 * np.arange(30) / 30 + rng.normal(0, 0.02, 30)).round(3)
    inputs = [("by hand: improves at epochs 1, 2; epochs 3, 4 do not; patience 2", [1.0, 0.8, 0.9, 0.95, 0.7], 2),
              ("the same losses, patience 3: epoch 5 improves in time", [1.0, 0.8, 0.9, 0.95, 0.7], 3),
              ("ties are no improvement", [0.5, 0.4, 0.4, 0.4, 0.3], 2),
              ("improving to the last epoch: never stops", [0.9, 0.8, 0.7, 0.6], 1),
              ("one epoch only", [0.3], 4),
              ("the counter restarts at each improvement", [1.0, 1.1, 0.9, 1.2, 0.8, 1.3, 1.4, 0.1], 2),
              ("a lower loss after the stop is never seen", [0.2, 0.4, 0.6, 0.8, 0.1], 1),
              ("30 noisy validation losses as a numpy array, patience 5", noisy, 5),
              ("integer losses", [5, 3, 4, 4, 4, 2], 3)]
    cases = []
    for description, losses, patience in inputs:
        expected = early_stopping_epoch(losses, patience)
        mistakes = {}
        for variant, hint in _RULE_MISTAKES.values():
            wrong = _stopping_rule(list(np.asarray(losses, dtype=float)), patience, **variant)
            if wrong != expected:
                mistakes[hint] = wrong
        cases.append(Case(description, (losses, patience), expected, names=("val_losses", "patience"),
                          mistakes=mistakes, returns=("best_epoch", "stop_epoch"), new_array=False))
    return cases


def _consistent_mistakes(fn, cases, failed):
    """The mistakes of `failed` that the learner's function makes on *every* case, not by chance on one."""
    answers = []
    for case in cases:
        losses = case.args[0]
        try:
            got = fn(list(losses) if isinstance(losses, list) else losses.copy(), case.args[1])
            answers.append(tuple(int(v) for v in got))
        except Exception:  # the failing case is reported as it is; here we only look for a pattern
            return {}
    keep = {}
    for hint, result in failed.mistakes.items():
        if all(got == tuple(c.mistakes.get(hint, c.expected)) for got, c in zip(answers, cases)):
            keep[hint] = result
    return keep


def check_early_stopping_epoch(early_stopping_epoch):
    """Exercise 10.5: ``early_stopping_epoch(val_losses, patience)`` -> ``(best_epoch, stop_epoch)``, from 1."""
    title = "Exercise 10.5 early_stopping_epoch"
    require_callable(title, early_stopping_epoch)
    cases = _rule_cases()
    for number, case in enumerate(cases, start=1):
        losses = case.args[0]
        args = (list(losses) if isinstance(losses, list) else losses.copy(), case.args[1])
        got = call_learner(title, early_stopping_epoch, Case(**{**vars(case), "args": args}), number, len(cases))
        if isinstance(losses, list) and args[0] != losses:
            raise _fail(title, case, number, len(cases), "your function changed the list val_losses in place "
                        "(a sort, or an append?); read it without changing it.", None)
        problem = compare(got, case.expected)  # not run_cases: (5, 5) reversed is itself, not a wrong order
        if problem is None:
            continue
        if isinstance(got, (tuple, list)) and len(got) == 2 and compare(tuple(reversed(got)), case.expected) is None:
            problem = "the values are in the wrong order: return (best_epoch, stop_epoch), in that order."
        case = Case(**{**vars(case), "mistakes": _consistent_mistakes(early_stopping_epoch, cases, case)})
        raise AssertionError(failure(title, case, number, len(cases), problem, got))
    print(f"{title}: all {len(cases)} cases passed")


# ---------------------------------------------------------------------------------------------
# Exercise 10.6 train_early_stopping

def _stand_in_model(seed):
    rng = np.random.default_rng(seed)
    return Sequential(Dense(2, 3, rng=rng), ReLU(), Dense(3, 1, rng=rng))


class _Script:
    """A stand-in for training: each epoch moves every weight in place; the validation losses are scripted.

    The loss is the scripted loss *of the weights the model holds*: after epoch t's training it is
    ``losses[t - 1]``. Weights that no epoch of training produced (asked before the first
    ``train_epoch``, say) are recorded in ``stale`` and get a loss above every scripted one.
    """

    def __init__(self, losses, seed):
        self.losses, self.rng = list(losses), np.random.default_rng(seed + 100)
        self.trained = self.validated = 0
        self.snapshots, self.stale = [], False

    def train_epoch(self, model):
        self.trained += 1
        for p in model.parameters():
            p.data -= 0.1 * self.rng.normal(size=p.data.shape)   # in place, as an optimizer's step
        self.snapshots.append([p.data.copy() for p in model.parameters()])

    def validation_loss(self, model):
        self.validated += 1
        if self.validated > len(self.losses):
            raise RuntimeError("validation_loss was called more often than once per epoch")
        now = [p.data for p in model.parameters()]
        if self.snapshots and all(np.array_equal(a, b) for a, b in zip(now, self.snapshots[-1])):
            return self.losses[len(self.snapshots) - 1]
        self.stale = True
        return max(self.losses) + 1.0


def _loop_variant(model, script, epochs, patience, *, copies=True, restore=True, ties=False, late=False,
                  stop=True):
    best_loss, best_epoch, wait, best, stop_epoch = math.inf, 0, 0, None, epochs
    for epoch in range(1, epochs + 1):
        script.train_epoch(model)
        loss = script.validation_loss(model)
        if loss < best_loss or (ties and loss == best_loss):
            best_loss, best_epoch, wait = loss, epoch, 0
            best = [p.data.copy() if copies else p.data for p in model.parameters()]
            continue
        wait += 1
        if stop and ((wait > patience) if late else (wait >= patience)):
            stop_epoch = epoch
            break
    if restore:
        for p, data in zip(model.parameters(), best):
            p.data[...] = data
    return best_epoch, stop_epoch


_LOOP_MISTAKES = [
    (dict(copies=False), "the model ends with the weights of the last epoch, not the best: you kept references "
                         "to the weight arrays (p.data), which training goes on changing in place. Keep copies, "
                         "p.data.copy()."),
    (dict(restore=False), "the model ends with the weights of the last epoch: put the best weights back into "
                          "the model before you return."),
    (dict(ties=True), "you counted a tie as an improvement: only a strictly lower validation loss is."),
    (dict(late=True), "you stopped one epoch late: stop when the count of epochs without improvement reaches "
                      "patience."),
    (dict(stop=False), "you trained every epoch: stop once patience epochs in a row have not improved."),
]


def _restore_inputs():
    return [("improves at epochs 1 and 2, then not for 3 epochs: stop after epoch 5, keep epoch 2",
             [1.0, 0.6, 0.7, 0.8, 0.9, 0.2, 0.1], 7, 3, 0),
            ("never improves after epoch 1, patience 2", [0.5, 0.6, 0.7, 0.3], 4, 2, 1),
            ("improves every epoch: no stop, keep the last", [0.9, 0.8, 0.7], 3, 2, 2),
            ("a tie with the best is no improvement", [0.9, 0.5, 0.5, 0.5, 0.4], 5, 2, 3),
            ("a noisy curve of 12 epochs, patience 3",
             [0.9, 0.7, 0.72, 0.6, 0.65, 0.61, 0.58, 0.62, 0.6, 0.59, 0.57, 0.5], 12, 3, 4)]


def check_train_early_stopping(train_early_stopping_fn):
    """Exercise 10.6: training with early stopping that restores *copies* of the best weights."""
    title = "Exercise 10.6 train_early_stopping"
    require_callable(title, train_early_stopping_fn)
    cases = _restore_inputs()
    for number, (description, losses, epochs, patience, seed) in enumerate(cases, start=1):
        ref_model, ref_script = _stand_in_model(seed), _Script(losses, seed)
        expected = train_early_stopping(ref_model, ref_script.train_epoch, ref_script.validation_loss, epochs,
                                        patience)
        expected_weights = [p.data.copy() for p in ref_model.parameters()]
        model, script = _stand_in_model(seed), _Script(losses, seed)
        case = Case(description, (), expected, returns=("best_epoch", "stop_epoch"), new_array=False,
                    input_text=f"validation losses {losses} (one per epoch, in order), epochs = {epochs}, "
                               f"patience = {patience}; a 2-3-1 model whose train_epoch moves every weight in place")
        arrays = [p.data for p in model.parameters()]
        got = call_learner(title, lambda: train_early_stopping_fn(model, script.train_epoch, script.validation_loss,
                                                                  epochs, patience), case, number, len(cases))
        weights = [p.data for p in model.parameters()]
        if script.stale:
            raise _fail(title, case, number, len(cases), "validation_loss was called on weights that the epoch's "
                        "training had not produced yet: in each epoch, call train_epoch first and validation_loss "
                        "after it, so that the loss you record belongs to the weights you save.", got)
        if any(w is not a for w, a in zip(weights, arrays)):
            raise _fail(title, case, number, len(cases), "the model's parameters now hold new arrays (p.data = ...): "
                        "write the best weights into the arrays the model already has, p.data[...] = best, so that "
                        "an optimizer holding those arrays still updates the model.", got)
        weights_ok = all(w.shape == e.shape and np.allclose(w, e) for w, e in zip(weights, expected_weights))
        problem = compare(got, expected)
        if script.validated != script.trained:
            problem = (f"validation_loss ran {script.validated} times in {script.trained} epochs: call it once per "
                       f"epoch, after training, and keep its value (each call may cost a pass over the data, and "
                       f"here it was called more often than once per epoch)")
        elif not problem and script.trained != expected[1]:
            problem = f"train_epoch ran {script.trained} times; it should run once per epoch up to the stop"
        if not problem and not weights_ok:
            problem = f"the returned epochs are right, but the model does not hold the weights of epoch {expected[0]}"
        if problem:
            hints = []
            for variant, hint in _LOOP_MISTAKES:
                wrong_model, wrong_script = _stand_in_model(seed), _Script(losses, seed)
                wrong = _loop_variant(wrong_model, wrong_script, epochs, patience, **variant)
                wrong_weights = [p.data for p in wrong_model.parameters()]
                same_epochs = compare(got, wrong, check_dtype=False) is None
                same_weights = all(np.allclose(w, v) for w, v in zip(weights, wrong_weights))
                differs = wrong != expected or not all(np.allclose(w, e) for w, e in zip(wrong_weights,
                                                                                         expected_weights))
                if same_epochs and same_weights and differs and wrong_script.trained == script.trained:
                    hints.append(hint)
            if not hints and isinstance(got, (tuple, list)) and len(got) == 2 and \
                    compare(tuple(got), (expected[0] - 1, expected[1] - 1), check_dtype=False) is None:
                hints.append("you counted the epochs from 0; they count from 1, as in exercise 10.5.")
            if not hints and script.trained > expected[1]:
                hints.append(f"leave the loop (break) at the stop epoch, {expected[1]}: the epochs after it are "
                             f"never trained.")
            raise _fail(title, case, number, len(cases), problem, got, "; or ".join(hints) or None)
    print(f"{title}: all {len(cases)} cases passed")


# ---------------------------------------------------------------------------------------------
# Exercise 10.7 choose_dropout_rate: the lesson's experiment, re-run

#: The dropout rates of the lesson's figure.
DROPOUT_RATES = (0.0, 0.1, 0.3, 0.5, 0.7, 0.9)
DROPOUT_SWEEP_EPOCHS = 300  # train_big_network's default, as the lesson's sweep runs it


@lru_cache(maxsize=1)
def _dropout_sweep():
    """{p: (final training loss, final validation loss, lowest validation loss)} for the lesson's rates."""
    result = {}
    for p in DROPOUT_RATES:
        key = (p, 0.0, DROPOUT_SWEEP_EPOCHS)
        if key not in FINISHED_RUNS:  # the lesson's sweep (section 5) has usually trained it already
            train_big_network(p, epochs=DROPOUT_SWEEP_EPOCHS)
        result[p] = FINISHED_RUNS[key]
    return result


def check_choose_dropout_rate(choose_dropout_rate):
    """Exercise 10.7: the dropout rate with the lowest validation loss at the end of training."""
    title = "Exercise 10.7 choose_dropout_rate"
    sweep = _dropout_sweep()
    best = min(DROPOUT_RATES, key=lambda p: sweep[p][1])
    figure = ("the dropout figure of section 5: training and validation loss of the network for p = "
              + ", ".join(f"{p:g}" for p in DROPOUT_RATES))
    case = Case("the lowest validation loss after the last epoch", (), best, input_text=figure)
    got = call_learner(title, choose_dropout_rate, case, 1, 1)
    if isinstance(got, bool) or not isinstance(got, (int, float, np.integer, np.floating)):
        raise _fail(title, case, 1, 1, f"expected a number such as 0.3, got {type(got).__name__}", got,
                    "return one dropout rate, e.g. `return 0.3`")
    match = [p for p in DROPOUT_RATES if math.isclose(float(got), p, abs_tol=1e-9)]
    if not match:
        raise _fail(title, case, 1, 1, f"p = {got} is not one of the rates in the figure", got,
                    "the figure trains p = " + ", ".join(f"{p:g}" for p in DROPOUT_RATES) + "; return one of them")
    p = match[0]
    if p != best:
        hint = None
        if p == min(DROPOUT_RATES, key=lambda q: sweep[q][0]):
            hint = ("that rate has the lowest *training* loss: memorising the 32 training points is what "
                    "overfitting is. Judge by the validation loss.")
        elif p == min(DROPOUT_RATES, key=lambda q: sweep[q][2]):
            hint = ("that rate has the lowest point of a validation curve along the way, but the networks train "
                    "all 300 epochs here: compare the validation losses at the end.")
        elif math.isclose(p, 1 - best):
            hint = (f"{p:g} is 1 - {best:g}, the probability of *keeping* a unit at the best rate; p is the "
                    f"probability of dropping one.")
        elif sweep[p][1] > sweep[best][1]:
            hint = "read the right-hand panel again: the lowest bar is the one to pick."
        raise _fail(title, case, 1, 1, f"at p = {p:g} the final validation loss is {sweep[p][1]:.3f}; another rate "
                    f"ends lower", got, hint)
    print(f"{title}: all 1 cases passed (p = {p:g}: final validation loss {sweep[p][1]:.3f}, against "
          f"{sweep[0.0][1]:.3f} without dropout)")
