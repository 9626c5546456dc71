"""Checks for lesson 02 (activation functions).

Every expected value comes from the reference implementations in
``utils.activations`` and ``utils.layers``; each known mistake is computed on
the same input, so its hint appears only when the learner's result is exactly
that mistake. Results follow the course's dtype rule (float inputs keep their
dtype, integer inputs give float64), checked on every case.
"""

import numpy as np

from ..activations import leaky_relu, leaky_relu_grad, relu, relu_grad, sigmoid, sigmoid_grad, softmax, tanh
from ..layers import Dense
from ..models import Sequential
from .core import Case, call_learner, failure, run_cases, show_value

__all__ = ["check_tanh_from_sigmoid", "check_relu_grad", "check_leaky_relu_grad", "check_collapse_linear",
           "check_chain_gradient", "check_output_activations"]

HINTS = {
    "2.2": ("Start from the identity in the lesson: tanh is a sigmoid stretched to twice the height, moved "
            "down by one, and squeezed to half the width. Which of those acts on z, and which on the output?",
            "Evaluate the sigmoid at 2z (the squeeze), then scale its result by 2 and subtract 1. Call "
            "`sigmoid`, the stable one from `utils.activations`: writing e^z yourself overflows at z = 1000."),
    "2.3": ("ReLU has slope 1 where it is the line z and slope 0 where it is flat. At z = 0 the lesson "
            "chooses 0, as PyTorch does.",
            "Compare z with 0 to get booleans, then turn them into numbers of z's dtype. Multiply z by 1.0 "
            "first so that integer input becomes float64."),
    "2.4": ("Leaky ReLU is the line z for z > 0 and the line negative_slope * z elsewhere: the derivative is "
            "the slope of whichever line applies. At z = 0 use negative_slope.",
            "np.where(z > 0, 1, negative_slope) picks the slope element by element; make sure the result has "
            "z's dtype (a float32 z gives float32), not float64."),
    "2.1": ("Write the two layers as one expression, (X W1 + b1) W2 + b2, and multiply it out. Which part "
            "multiplies X, and which part is the same for every sample?",
            "The part multiplying X is the new W, of shape (D, K); everything that does not depend on X is "
            "the new b, of shape (K,). Keep the factors in the order X meets them."),
    "2.6": ("By the chain rule, each link of the chain contributes a factor: the slope of its sigmoid at "
            "its own z, times the weight that feeds it. The derivative of the whole chain multiplies them.",
            "Compute sigmoid_grad(Z) (shape (N, L)), multiply each column by its weight, then take the "
            "product along the layer axis, axis=1, to get one number per sample."),
    "2.5": ("Ask of each task: what values must the output take? A probability in (0, 1), a set of "
            "probabilities that sum to 1, or any real number?",
            "One unit with a probability: the function from lesson 01. Several classes: the one that "
            "normalises a row. A real number of any sign and size: no squashing at all."),
}

_DTYPE_RULE = "float inputs keep their dtype, integer inputs give float64"


def _elementwise_inputs():
    """Inputs shared by the elementwise exercises: every kind the dtype rule and stability care about."""
    return [("z = 0 (a 0-d array)", np.array(0.0)),
            ("a few values either side of 0, and 0 itself", np.array([-2.0, -0.5, 0.0, 0.5, 2.0])),
            ("tiny values either side of 0 (the switch is at 0 exactly)", np.array([-1e-3, -1e-8, 1e-8, 1e-2])),
            ("a 2-D array keeps its shape", np.array([[-1.0, 0.25], [1.5, -3.0]])),
            ("integer input gives float64 (" + _DTYPE_RULE + ")", np.array([-2, 0, 3])),
            ("float32 input stays float32", np.array([-3.0, 0.0, 0.5, 3.0], dtype=np.float32)),
            ("extreme inputs, beyond any float's exponent range", np.array([-1e5, -1000.0, -30.0, 30.0, 1000.0, 1e5]))]


def _tanh_cases():
    cases = []
    for description, z in _elementwise_inputs():
        cases.append(Case(description, (z,), tanh(z), names=("z",),
                          overflow_hint="e^z overflows for z = 1000 (and e^-z for z = -1000): build tanh from "
                                        "`sigmoid`, which never overflows, as the identity says.",
                          mistakes={
            "the sigmoid's argument is 2z, not z: tanh(z) = 2 sigmoid(2z) - 1.": 2 * sigmoid(z) - 1,
            "the result is off by 1: after doubling the sigmoid, subtract 1.": 2 * sigmoid(2 * z),
            "scale the sigmoid by 2 before subtracting 1: tanh(z) = 2 sigmoid(2z) - 1.": sigmoid(2 * z) - 1,
            "the sign is flipped: tanh(z) = 2 sigmoid(2z) - 1, not 1 - 2 sigmoid(2z).": -tanh(z),
            "you returned the sigmoid itself; tanh's outputs lie in (-1, 1).": sigmoid(z),
        }))
    return cases


def _names_used(fn):
    """The global and attribute names that `fn`'s code (and any function defined inside it) looks up."""
    names, codes = set(), [getattr(fn, "__code__", None)]
    while codes:
        code = codes.pop()
        if code is not None:
            names.update(code.co_names)
            codes.extend(c for c in code.co_consts if hasattr(c, "co_names"))
    return names


def check_tanh_from_sigmoid(tanh_from_sigmoid):
    """Exercise 2.2: ``tanh(z) = 2 sigmoid(2z) - 1`` for an array of any shape, without overflow.

    The values alone cannot tell the identity from ``np.tanh``, so the learner's code is also
    read for a call to any function named ``tanh``, which the exercise rules out.
    """
    title, cases = "Exercise 2.2 tanh_from_sigmoid", _tanh_cases()
    if "tanh" in _names_used(tanh_from_sigmoid):
        raise AssertionError(failure(title, cases[1], 2, len(cases),
                                     "your code calls a function named `tanh` (np.tanh, math.tanh or "
                                     "activations.tanh): the exercise builds tanh from `sigmoid` with the "
                                     "identity tanh(z) = 2 sigmoid(2z) - 1, so write it with `sigmoid` only."))
    run_cases(title, tanh_from_sigmoid, cases, check_dtype=True)


def _relu_grad_cases():
    cases = []
    for description, z in _elementwise_inputs():
        zf = np.asarray(z, dtype=np.result_type(z.dtype, np.float16))  # the dtype rule
        cases.append(Case(description, (z,), relu_grad(z), names=("z",), mistakes={
            "at z = 0 the derivative is taken as 0 (as in PyTorch): use z > 0, not z >= 0.":
                (zf >= 0).astype(zf.dtype),
            "you returned ReLU itself, max(0, z); its derivative is 1 or 0.": relu(z),
            "you returned the sign of z, -1 for negative z; ReLU is flat there, so its slope is 0.":
                np.sign(zf),
            "the slope switches from 0 to 1 at z = 0 exactly: compare z with 0, not with a small number.":
                (zf > 1e-6).astype(zf.dtype),
        }))
    return cases


def check_relu_grad(relu_grad):
    """Exercise 2.3: ReLU's derivative, 1 where ``z > 0`` and 0 elsewhere (0 at ``z = 0``)."""
    run_cases("Exercise 2.3 relu_grad", relu_grad, _relu_grad_cases(), check_dtype=True)


def _leaky_grad_cases():
    slopes = [0.01, 0.2, 0.15, 0.1, 0.05, 0.3, 0.25]
    cases = []
    for (description, z), alpha in zip(_elementwise_inputs(), slopes):
        zf = np.asarray(z, dtype=np.result_type(z.dtype, np.float16))
        mistakes = {
            "for z <= 0 the slope is negative_slope, not 0 (that is ReLU's derivative).": relu_grad(z),
            "the two slopes are swapped: 1 for z > 0, negative_slope elsewhere.":
                np.where(zf > 0, alpha, 1.0),
            "you returned leaky ReLU itself; its derivative is 1 or negative_slope.": leaky_relu(z, alpha),
            "at z = 0 use negative_slope (z > 0 gives 1), the same choice as for ReLU.":
                np.where(zf >= 0, 1.0, alpha),
            "the slope switches from negative_slope to 1 at z = 0 exactly: compare z with 0, not with a "
            "small number.": np.where(zf > 1e-6, 1.0, alpha),
        }
        if alpha != 0.01:
            mistakes["you used the default slope 0.01 instead of the argument negative_slope."] = \
                leaky_relu_grad(z, 0.01)
        cases.append(Case(f"{description}, negative_slope = {alpha}", (z, alpha), leaky_relu_grad(z, alpha),
                          names=("z", "negative_slope"), mistakes=mistakes))
    return cases


def check_leaky_relu_grad(leaky_relu_grad):
    """Exercise 2.4: leaky ReLU's derivative, 1 where ``z > 0`` and ``negative_slope`` elsewhere."""
    run_cases("Exercise 2.4 leaky_relu_grad", leaky_relu_grad, _leaky_grad_cases(), check_dtype=True)


def _two_layers(W1, b1, W2, b2):
    """The reference: two ``utils`` Dense layers without activation, run on the identity and on 0.

    A linear map is fixed by what it does to 0 (that is ``b``) and to each unit vector
    (the rows of ``W``, plus ``b``), so these two forward passes recover the single layer.
    """
    dtype = np.result_type(W1.dtype, np.float16)
    first, second = Dense(*W1.shape, dtype=dtype), Dense(*W2.shape, dtype=dtype)
    for layer, W, b in ((first, W1, b1), (second, W2, b2)):
        layer.W.data[...], layer.b.data[...] = W, b
    model = Sequential(first, second)
    D = W1.shape[0]
    b = model.forward(np.zeros((1, D), dtype=dtype))[0]
    return model.forward(np.eye(D, dtype=dtype)) - b, b


def _collapse_cases():
    rng = np.random.default_rng(2)
    halves = lambda shape: rng.integers(-4, 5, size=shape) / 2  # exact in float32 too  # noqa: E731
    inputs = [("2 inputs, 2 hidden units, 2 outputs (square: the order of the product matters)",
               np.array([[1.0, 2.0], [0.0, 1.0]]), np.array([1.0, -1.0]),
               np.array([[2.0, 0.0], [1.0, 3.0]]), np.array([0.5, 0.0])),
              ("D = 3 inputs, H = 4 hidden units, K = 2 outputs", halves((3, 4)), halves(4), halves((4, 2)),
               halves(2)),
              ("one output (K = 1)", halves((2, 3)), halves(3), halves((3, 1)), halves(1)),
              ("a bottleneck of one hidden unit (H = 1)", halves((3, 1)), halves(1), halves((1, 3)), halves(3)),
              ("integer weights give float64 (" + _DTYPE_RULE + ")", np.array([[1, -2], [3, 0]]),
               np.array([2, 1]), np.array([[1, 1, 0], [0, 2, -1]]), np.array([0, -1, 4])),
              ("float32 weights give a float32 layer", *(a.astype(np.float32) for a in
               (halves((3, 3)), halves(3), halves((3, 2)), halves(2))))]
    cases = []
    for description, W1, b1, W2, b2 in inputs:
        mistakes = {"the first layer's bias passes through W2 as well: b = b1 W2 + b2, not b2 alone.":
                    (W1 @ W2, b2 * 1.0)}
        if W1.shape[0] == W1.shape[1] == W2.shape[1]:
            mistakes["the factors are in the wrong order: X meets W1 first, so W = W1 W2, not W2 W1."] = \
                (W2 @ W1, b1 @ W2 + b2)
            mistakes["the weights multiply as matrices (@), not element by element (*)."] = \
                (W1 * W2, b1 @ W2 + b2)
        if b1.shape == b2.shape:
            mistakes["the first layer's bias is multiplied by W2 on its way: b = b1 W2 + b2, not b1 + b2."] = \
                (W1 @ W2, b1 + b2 * 1.0)
        cases.append(Case(description, (W1, b1, W2, b2), _two_layers(W1, b1, W2, b2),
                          names=("W1", "b1", "W2", "b2"), mistakes=mistakes, returns=("W", "b")))
    return cases


def check_collapse_linear(collapse_linear):
    """Exercise 2.1: the one linear layer ``(W, b)`` that equals two stacked linear layers."""
    run_cases("Exercise 2.1 collapse_linear", collapse_linear, _collapse_cases(), check_dtype=True)


def _chain_cases():
    rng = np.random.default_rng(3)
    inputs = [("3 samples through 3 layers (N = L: the axis matters)", rng.normal(size=(3, 3)).round(2),
               np.array([1.5, -0.5, 2.0])),
              ("one sample through a chain of 2 neurons", np.array([[0.0, 1.0]]), np.array([2.0, -1.0])),
              ("4 samples through a chain of 10 sigmoids", rng.normal(size=(4, 10)).round(2),
               rng.normal(1.0, 0.5, size=10).round(2)),
              ("a single layer (L = 1)", np.array([[-1.0], [0.0], [2.0]]), np.array([4.0])),
              ("integer pre-activations give float64 (" + _DTYPE_RULE + ")", np.array([[0, 1, -1], [2, 0, 0]]),
               np.array([1.0, 2.0, 3.0])),
              ("float32 input stays float32", rng.normal(size=(2, 5)).round(2).astype(np.float32),
               np.ones(5, dtype=np.float32)),
              ("saturated neurons, z = -1e5 and z = 1000", np.array([[1000.0, 0.0], [0.0, -1e5], [0.5, 0.5]]),
               np.array([1.0, 1.0]))]
    cases = []
    for description, Z, w in inputs:
        Zf = np.asarray(Z, dtype=np.result_type(Z.dtype, np.float16))
        mistakes = {
            "the weights are missing: each link multiplies the slope sigma'(z) by its weight w.":
                np.prod(sigmoid_grad(Z), axis=1),
            "you added the factors; the chain rule multiplies them (np.prod).":
                np.sum(w * sigmoid_grad(Z), axis=1),
            "you used sigma(z) where the chain rule needs its derivative sigma'(z) = sigma(z) (1 - sigma(z)).":
                np.prod(w * sigmoid(Z), axis=1),
            "sigma'(z) = sigma(z) (1 - sigma(z)) is applied to sigma(z), not to z itself.":
                np.prod(w * Zf * (1 - Zf), axis=1),
        }
        if Z.shape[0] == Z.shape[1]:
            mistakes["you multiplied down the samples (axis=0); the chain runs along the layers, axis=1."] = \
                np.prod(w * sigmoid_grad(Z), axis=0)
        cases.append(Case(description, (Z, w), np.prod(w * sigmoid_grad(Z), axis=1), names=("Z", "w"),
                          mistakes=mistakes,
                          overflow_hint="e^-z overflows for z = -1000: use `sigmoid_grad` (or the stable "
                                        "`sigmoid`) from utils.activations rather than writing e^-z yourself."))
    return cases


def check_chain_gradient(chain_gradient):
    """Exercise 2.6: the derivative of a chain of sigmoid neurons, ``prod_l w_l sigma'(z_l)``, per sample."""
    run_cases("Exercise 2.6 chain_gradient", chain_gradient, _chain_cases(), check_dtype=True, atol=1e-12)


#: Output activations a learner may name, each mapped to the utils function it stands for.
OUTPUT_ACTIVATIONS = {"identity": lambda z: z * 1.0, "sigmoid": sigmoid, "tanh": tanh, "relu": relu,
                      "leaky_relu": leaky_relu, "softmax": softmax}
_SYNONYMS = {"linear": "identity", "none": "identity"}

#: The three tasks of exercise 2.5: what each output must do, and how to test a choice by its outputs.
_TASKS = [
    ("task 1: one output unit, the probability that an e-mail is spam",
     "an activation whose output is a probability in (0, 1) for any score", np.linspace(-6, 6, 13)[:, None]),
    ("task 2: ten output units, the probability of each digit 0-9 for a picture",
     "an activation whose ten outputs are probabilities that add up to 1",
     np.random.default_rng(4).normal(0, 3, size=(5, 10)).round(1)),
    ("task 3: one output unit, tomorrow's change of temperature in degrees C (any real number, e.g. -3.5)",
     "an output that can be any real number", np.array([[-40.0], [-3.5], [0.0], [2.0], [12.5]])),
]


def _task_problem(task, name, logits):
    """None when activation `name` does what task `task` needs of its outputs, else why it does not."""
    out = OUTPUT_ACTIVATIONS[name](logits)
    if task == 0:
        if name == "softmax":
            return "softmax over a single unit always gives 1.0: it normalises a row, and a row of one is 1"
        if np.any(out < 0) or np.any(out > 1):
            return (f"{name} gives outputs outside [0, 1] (from {out.min():.3g} to {out.max():.3g}), "
                    f"and a probability lies in (0, 1)")
        if name != "sigmoid":
            return f"{name} is not the squashing function that turns one score into a probability"
        return None
    if task == 1:
        sums = out.sum(axis=1)
        if np.any(out < 0) or not np.allclose(sums, 1.0):
            return (f"the ten outputs of {name} do not form a probability distribution (row sums "
                    f"{show_value(sums.round(3))}); the probabilities of the ten digits must add up to 1")
        return None
    if name == "leaky_relu":
        return ("leaky ReLU reaches -3.5 only from z = -350: its slope for z < 0 is 0.01, so negative "
                "targets are squeezed; a regression output applies no activation at all")
    if not np.allclose(out, logits):
        return (f"{name} cannot produce every target: on z = {show_value(logits.ravel())} it gives "
                f"{show_value(np.asarray(out).ravel().round(3))}; a real number of any sign needs the output z itself")
    return None


def check_output_activations(output_activations):
    """Exercise 2.5: the output activation for each of three described tasks, tested by its outputs."""
    title = "Exercise 2.5 output_activations"
    names = ", ".join(f'"{n}"' for n in OUTPUT_ACTIVATIONS)
    case = Case("the three tasks of the exercise", (), "three names, one per task", input_text="no arguments")
    result = call_learner(title, output_activations, case, 1, 1)
    if not (isinstance(result, (tuple, list)) and len(result) == 3 and all(isinstance(r, str) for r in result)):
        raise AssertionError(failure(title, case, 1, 1, f"return three names, one per task, as a tuple of "
                                                         f"strings such as (\"tanh\", \"relu\", \"tanh\"); "
                                                         f"got {result!r}"))
    for task, ((description, needed, logits), name) in enumerate(zip(_TASKS, result)):
        key = _SYNONYMS.get(name.strip().lower(), name.strip().lower())
        task_case = Case(description, (), needed, input_text=f"your choice {name!r}")
        if key not in OUTPUT_ACTIVATIONS:
            raise AssertionError(failure(title, task_case, task + 1, 3,
                                         f"{name!r} is not one of the names {names}"))
        problem = _task_problem(task, key, logits)
        if problem:
            raise AssertionError(failure(title, task_case, task + 1, 3, problem))
    print(f"{title}: all 3 cases passed ({', '.join(result)})")
