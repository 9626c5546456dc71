"""Checks for lesson 03 (neural networks).

Every expected value comes from the reference layers of ``utils.layers`` and
``utils.models``: a ``Dense`` layer's forward pass and its He and Xavier
initialisation, ``Sequential.num_parameters`` and a ``Sequential``'s forward
pass. Each known mistake is computed on the same input, so its hint appears
only when the learner's result is exactly that mistake.
"""

import numpy as np

from ..activations import relu, sigmoid
from ..layers import Dense, ReLU, Sigmoid, Tanh
from ..models import Sequential
from .core import Case, call_learner, compare, failure, require_callable, run_cases

__all__ = ["check_dense_forward", "check_two_layer_forward", "check_layer_shapes", "check_count_parameters",
           "check_init_weights", "check_hidden_representations"]  # in the lesson's order

HINTS = {
    "3.1": ("Every sample (row of A_prev) goes through the same weights: one matrix product gives all N "
            "rows at once, and the bias is added to each row.",
            "A_prev has shape (N, D_in) and W has shape (D_in, D_out): their product has shape (N, D_out), "
            "and b, of shape (D_out,), broadcasts over the rows. Multiply by 1.0 for the dtype rule."),
    "3.2": ("Two dense layers, one after the other: the first followed by ReLU, the second by the sigmoid. "
            "The hidden layer's output is the second layer's input.",
            "Compute Z1 from X, A1 = relu(Z1), Z2 from A1, then sigmoid(Z2). Use `relu` and `sigmoid` from "
            "utils.activations: they keep the dtype and never overflow."),
    "3.4": ("Each dense layer from D_in to D_out units holds a weight for every pair of an input and an output, "
            "and one bias per output. The input layer itself has no parameters.",
            "A network with sizes [a, b, c] has two dense layers, a -> b and b -> c. Visit each pair of "
            "neighbouring sizes (zip can pair a list with itself shifted by one) and add that layer's weights "
            "and biases."),
    "3.5": ("Draw standard normal numbers of the weight matrix's shape with rng, then scale them by the "
            "standard deviation of the chosen initialisation.",
            "He: std = sqrt(2 / D_in). Xavier: std = sqrt(2 / (D_in + D_out)). Draw with "
            "rng.standard_normal((D_in, D_out)), one call, so the numbers match the reference."),
    "3.3": ("A batch keeps its N rows through every layer; only the number of columns changes, to the number "
            "of units of that layer.",
            "Return one tuple (N, size) per layer after the input layer, so len(result) == len(layer_sizes) - 1."),
    "3.6": ("Run the input through the model's layers one at a time, as Sequential.forward does, and keep "
            "what comes out of every activation layer except the last one.",
            "Loop over model.layers, calling layer.forward(A). After each layer that is not a Dense, append A; "
            "drop the last appended array: it is the network's output, not a hidden layer."),
}

_DTYPE_RULE = "float inputs keep their dtype, integer inputs give float64"


def _dense(W, b):
    """A ``utils`` Dense layer holding ``W`` and ``b``, computing in their dtype (integers in float64)."""
    dtype = np.result_type(np.asarray(W).dtype, np.float16)
    layer = Dense(*W.shape, dtype=dtype)
    layer.W.data[...], layer.b.data[...] = W, b
    return layer


def _dense_cases():
    rng = np.random.default_rng(5)
    halves = lambda shape: rng.integers(-4, 5, size=shape) / 2  # noqa: E731
    inputs = [("N = 2 samples, D_in = 2, D_out = 2 (square W: transposing it matters)",
               np.array([[1.0, 2.0], [3.0, -1.0]]), np.array([[1.0, 0.5], [-1.0, 2.0]]), np.array([0.5, -1.0])),
              ("a batch of 5 samples, 3 inputs, 4 units", halves((5, 3)), halves((3, 4)), halves(4)),
              ("one sample (N = 1)", halves((1, 4)), halves((4, 2)), halves(2)),
              ("one unit (D_out = 1)", halves((3, 2)), halves((2, 1)), halves(1)),
              ("integer inputs give float64 (" + _DTYPE_RULE + ")", np.array([[1, 2], [0, -1], [3, 1]]),
               np.array([[2, 0, 1], [1, -1, 0]]), np.array([1, 0, -2])),
              ("float32 inputs stay float32", *(a.astype(np.float32) for a in (halves((4, 3)), halves((3, 3)),
                                                                               halves(3))))]
    cases = []
    for description, A_prev, W, b in inputs:
        mistakes = {"the bias is missing: Z = A_prev W + b.": A_prev @ W * 1.0,
                    "the bias has the wrong sign: Z = A_prev W + b adds it.": A_prev @ W - b}
        if W.shape[0] == W.shape[1]:
            mistakes["W is transposed: with W of shape (D_in, D_out), Z = A_prev W, not A_prev W^T."] = \
                A_prev @ W.T + b
        cases.append(Case(description, (A_prev, W, b), _dense(W, b).forward(A_prev), names=("A_prev", "W", "b"),
                          mistakes=mistakes))
    return cases


def check_dense_forward(dense_forward):
    """Exercise 3.1: a dense layer's forward pass for a batch, ``Z = A_prev W + b``."""
    run_cases("Exercise 3.1 dense_forward", dense_forward, _dense_cases())


def _two_layer_cases():
    rng = np.random.default_rng(6)
    halves = lambda shape: rng.integers(-4, 5, size=shape) / 2  # noqa: E731
    inputs = [("2 samples, 2 inputs, 3 hidden units, 1 output", np.array([[1.0, -1.0], [0.5, 2.0]]),
               np.array([[1.0, -1.0, 0.5], [0.5, 1.0, -2.0]]), np.array([0.0, 0.5, -0.5]),
               np.array([[1.0], [-2.0], [1.5]]), np.array([0.25])),
              ("a batch of 6 samples, 3 inputs, 4 hidden units, 2 outputs", halves((6, 3)), halves((3, 4)),
               halves(4), halves((4, 2)), halves(2)),
              ("one sample", halves((1, 2)), halves((2, 5)), halves(5), halves((5, 1)), halves(1)),
              ("integer inputs give float64 (" + _DTYPE_RULE + ")", np.array([[1, 0], [-1, 2]]),
               np.array([[1, -1], [2, 1]]), np.array([0, 1]), np.array([[1], [-1]]), np.array([0])),
              ("float32 inputs stay float32", *(a.astype(np.float32) for a in (halves((3, 2)), halves((2, 3)),
                                                                               halves(3), halves((3, 1)), halves(1)))),
              ("large scores, where a naive sigmoid overflows", np.array([[100.0, -100.0], [-100.0, 100.0]]),
               np.array([[10.0, -10.0], [-10.0, 10.0]]), np.zeros(2), np.array([[1.0], [-1.0]]), np.zeros(1))]
    cases = []
    for description, X, W1, b1, W2, b2 in inputs:
        model = Sequential(_dense(W1, b1), ReLU(), _dense(W2, b2), Sigmoid())
        Xf = X * 1.0
        Z1 = Xf @ W1 + b1
        mistakes = {
            "the hidden layer's ReLU is missing: A1 = relu(X W1 + b1).": sigmoid(Z1 @ W2 + b2),
            "the output's sigmoid is missing: y_hat = sigmoid(A1 W2 + b2).": relu(Z1) @ W2 + b2,
            "the hidden layer uses the sigmoid and the output ReLU: swap them.": relu(sigmoid(Z1) @ W2 + b2),
            "the hidden layer got the sigmoid instead of ReLU.": sigmoid(sigmoid(Z1) @ W2 + b2),
            "the first layer's bias b1 is missing: Z1 = X W1 + b1.": sigmoid(relu(Xf @ W1) @ W2 + b2),
        }
        cases.append(Case(description, (X, W1, b1, W2, b2), model.forward(X), names=("X", "W1", "b1", "W2", "b2"),
                          mistakes=mistakes,
                          overflow_hint="e^-z overflows for a large negative score: use `sigmoid` from "
                                        "utils.activations, which never overflows, rather than writing e^-z."))
    return cases


def check_two_layer_forward(two_layer_forward):
    """Exercise 3.2: the forward pass of ``sigmoid(relu(X W1 + b1) W2 + b2)``."""
    run_cases("Exercise 3.2 two_layer_forward", two_layer_forward, _two_layer_cases())


_ARCHITECTURES = [("a 2-3-1 network", [2, 3, 1]),
                  ("a single layer from 4 inputs to 1 output", [4, 1]),
                  ("the MLP of the course's benchmark, 784-256-128-10", [784, 256, 128, 10]),
                  ("four layers, 3-5-5-5-2", [3, 5, 5, 5, 2])]


def _reference_model(sizes):
    """A ``Sequential`` of ReLU-separated ``Dense`` layers with these sizes (input size first)."""
    layers = []
    for k, (d_in, d_out) in enumerate(zip(sizes[:-1], sizes[1:])):
        layers += [Dense(d_in, d_out, init="zeros")] + ([ReLU()] if k < len(sizes) - 2 else [])
    return Sequential(*layers)


def _shape_cases():
    cases = []
    for (description, sizes), N in zip(_ARCHITECTURES, (5, 1, 32, 7)):
        model = _reference_model(sizes)
        A, shapes = np.zeros((N, sizes[0])), []
        for layer in model.layers:
            A = layer.forward(A)
            if isinstance(layer, Dense):
                shapes.append(A.shape)
        cases.append(Case(f"{description}, N = {N}", (N, list(sizes)), shapes, names=("N", "layer_sizes"),
                          mistakes={
            "the input layer is not a layer of the network's outputs: start after it.":
                [(N, s) for s in sizes],
            "the batch axis comes first: shape (N, units), not (units, N).": [(s, N) for s in sizes[1:]],
            "each shape needs the batch size N too: (N, units).": [(s,) for s in sizes[1:]],
        }))
    return cases


def _compare_shapes(got, expected):
    """None when `got` is the list of shape tuples `expected` (lists allowed for the tuples), else why not."""
    if not isinstance(got, (list, tuple)):
        return f"expected a list of {len(expected)} shapes, got {type(got).__name__}"
    whole = lambda n: isinstance(n, (int, np.integer)) and not isinstance(n, bool)  # noqa: E731
    if not all(isinstance(shape, (tuple, list)) and all(whole(n) for n in shape) for shape in got):
        return ("each entry must be a shape, a tuple of whole numbers such as (32, 256) (numpy refuses "
                "a shape of floats such as (32.0, 256.0))")
    got = [tuple(int(n) for n in shape) for shape in got]
    if len(got) != len(expected):
        return f"expected {len(expected)} shapes, one per layer after the input layer, got {len(got)}"
    return None if got == expected else "the shapes differ"


def _call_keeping_list(title, fn, case, number, total):
    """``call_learner``, and a failure when the learner changed its list argument in place.

    ``call_learner`` copies array arguments only; a list of layer sizes reaches the learner as
    it is, so a ``pop`` or ``append`` on it would change the caller's list unseen.
    """
    before = [list(a) if isinstance(a, list) else None for a in case.args]
    got = call_learner(title, fn, case, number, total)
    for k, (arg, copy) in enumerate(zip(case.args, before)):
        if copy is not None and arg != copy:
            name = case.names[k] if k < len(case.names) else f"argument {k + 1}"
            problem = (f"your function changed its input `{name}` in place (it was {copy}, it is now {arg}); "
                       f"the caller still needs it. Read it without `pop`, `append`, `reverse` or `del`, or "
                       f"work on a copy (`list({name})`).")
            case.args[k][:] = copy
            raise AssertionError(failure(title, case, number, total, problem))
    return got


def check_layer_shapes(layer_shapes):
    """Exercise 3.3: the shape of each layer's output for a batch of N samples."""
    title = "Exercise 3.3 layer_shapes"
    cases = _shape_cases()
    for number, case in enumerate(cases, start=1):
        got = _call_keeping_list(title, layer_shapes, case, number, len(cases))
        problem = _compare_shapes(got, case.expected)
        if problem:
            hint = next((h for h, wrong in case.mistakes.items() if _compare_shapes(got, wrong) is None), None)
            message = failure(title, case, number, len(cases), problem)
            message = message.replace("\n  problem:", f"\n  got:      {got!r}\n  problem:")
            raise AssertionError(message + (f"\n  hint:     {hint}" if hint else ""))
    print(f"{title}: all {len(cases)} cases passed")


def _count_cases():
    cases = []
    for description, sizes in _ARCHITECTURES:
        pairs = list(zip(sizes[:-1], sizes[1:]))
        cases.append(Case(description, (list(sizes),), _reference_model(sizes).num_parameters(),
                          names=("layer_sizes",), mistakes={
            "the biases are missing: each layer also has one bias per output unit.":
                sum(a * b for a, b in pairs),
            "you counted a bias for every layer's inputs; a layer has one bias per *output* unit.":
                sum(a * b + a for a, b in pairs),
            "you multiplied all the sizes together; add up the parameters layer by layer.": int(np.prod(sizes)),
            "the input layer has no weights of its own: count one dense layer per pair of consecutive sizes.":
                sum(a * b + b for a, b in pairs) + sizes[0],
        }))
    return cases


def check_count_parameters(count_parameters):
    """Exercise 3.4: the number of weights and biases of a network of dense layers."""
    title, cases = "Exercise 3.4 count_parameters", _count_cases()
    require_callable(title, count_parameters)
    for number, case in enumerate(cases, start=1):
        got = _call_keeping_list(title, count_parameters, case, number, len(cases))
        if isinstance(got, (float, np.floating)) or (isinstance(got, np.ndarray) and got.dtype.kind == "f"):
            problem = (f"a number of parameters is a whole number: return an int, not the float {got!r} "
                       f"(a product or sum of ints is an int; `/`, `* 1.0` or a float array make floats)")
        else:
            problem = compare(got, case.expected)
        if problem:
            raise AssertionError(failure(title, case, number, len(cases), problem, got))
    print(f"{title}: all {len(cases)} cases passed")


_INIT_INPUTS = [("He, 3 inputs, 2 units", 3, 2, "he", 0), ("Xavier, 3 inputs, 2 units", 3, 2, "xavier", 1),
                ("He, 64 inputs, 32 units", 64, 32, "he", 2), ("Xavier, 4 inputs, 100 units", 4, 100, "xavier", 3),
                ("He, one input (D_in = 1)", 1, 5, "he", 4), ("Xavier, square, 6 by 6", 6, 6, "xavier", 5)]


def _init_cases():
    cases = []
    for description, d_in, d_out, init, seed in _INIT_INPUTS:
        z = np.random.default_rng(seed).standard_normal((d_in, d_out))
        he, xavier = np.sqrt(2 / d_in), np.sqrt(2 / (d_in + d_out))
        mistakes = {
            "He's scale divides by the number of inputs D_in: std = sqrt(2 / D_in).": z * np.sqrt(2 / d_out),
            "the 2 is missing: std = sqrt(2 / D_in) for He, sqrt(2 / (D_in + D_out)) for Xavier.":
                z * (np.sqrt(1 / d_in) if init == "he" else np.sqrt(1 / (d_in + d_out))),
            "you scaled by the variance; multiply by the standard deviation, its square root.":
                z * (2 / d_in if init == "he" else 2 / (d_in + d_out)),
            "you used the other initialisation: He is sqrt(2 / D_in), Xavier sqrt(2 / (D_in + D_out)).":
                z * (xavier if init == "he" else he),
        }
        expected = Dense(d_in, d_out, rng=np.random.default_rng(seed), init=init, dtype=np.float64).W.data
        cases.append(Case(description, (d_in, d_out, init, seed), expected, mistakes=mistakes,
                          input_text=f"D_in = {d_in}, D_out = {d_out}, init = {init!r}, "
                                     f"rng = np.random.default_rng({seed})"))
    return cases


def check_init_weights(init_weights):
    """Exercise 3.5: He or Xavier initial weights of shape ``(D_in, D_out)``, drawn from ``rng``."""
    def with_fresh_rng(d_in, d_out, init, seed):  # each case hands the learner a new, seeded rng
        return init_weights(d_in, d_out, init, np.random.default_rng(seed))
    run_cases("Exercise 3.5 init_weights", with_fresh_rng if callable(init_weights) else init_weights,
              _init_cases())


def _representation_cases():
    cases = []
    for description, seed, sizes, act, N, dtype in [
            ("a 2-3-3-1 tanh network, 4 samples", 7, [2, 3, 3, 1], Tanh, 4, np.float64),
            ("a 2-4-1 ReLU network, one sample", 8, [2, 4, 1], ReLU, 1, np.float64),
            ("a 3-5-4-2-1 ReLU network, 6 samples", 9, [3, 5, 4, 2, 1], ReLU, 6, np.float64),
            ("a float32 2-3-2-1 tanh network and a float32 batch, which stay float32", 10, [2, 3, 2, 1], Tanh, 3,
             np.float32)]:
        rng = np.random.default_rng(seed)
        layers = []
        for d_in, d_out in zip(sizes[:-1], sizes[1:]):
            layers += [Dense(d_in, d_out, rng=rng, dtype=dtype), act()]
        layers[-1] = Sigmoid()
        for layer in layers:
            if isinstance(layer, Dense):
                layer.b.data[:] = rng.normal(0, 0.5, size=layer.b.shape)
        model, X = Sequential(*layers), rng.normal(size=(N, sizes[0])).round(2).astype(dtype)
        A, after_activation, after_dense = X, [], []
        for layer in model.layers:
            A = layer.forward(A)
            (after_dense if isinstance(layer, Dense) else after_activation).append(A)
        expected = tuple(after_activation[:-1])
        mistakes = {"the network's output is not a hidden layer: leave out the last activation's output.":
                    tuple(after_activation),
                    "you kept the pre-activations Z (after each Dense); a hidden layer's output is A = g(Z).":
                    tuple(after_dense[:-1])}
        if len(expected) > 1:
            mistakes["return every hidden layer, not only the last one."] = (expected[-1],)
        cases.append(Case(description, (model, X), expected, names=("model", "X"), mistakes=mistakes,
                          input_text=f"model = {sizes}, {act.__name__} hidden layers, X of shape {X.shape} "
                                     f"({X.dtype})"))
    return cases


def check_hidden_representations(hidden_representations):
    """Exercise 3.6: the output of every hidden layer of a ``Sequential``, for a batch.

    Besides the values and dtypes, the model must come out unchanged: the same layers, in the
    same order, with the same weights (``call_learner`` copies arrays, not models).
    """
    title, cases = "Exercise 3.6 hidden_representations", _representation_cases()
    require_callable(title, hidden_representations)
    for number, case in enumerate(cases, start=1):
        model = case.args[0]
        layers, weights = list(model.layers), [p.data.copy() for p in model.parameters()]
        got = call_learner(title, hidden_representations, case, number, len(cases))
        if list(model.layers) != layers or not all(
                np.array_equal(p.data, w) for p, w in zip(model.parameters(), weights)):
            raise AssertionError(failure(title, case, number, len(cases),
                                         "your function changed the model (its list of layers or their weights): "
                                         "read `model.layers` without `pop`, `append` or assignment, and only "
                                         "call each layer on A."))
        n = len(case.expected)
        if not isinstance(got, (list, tuple)) or len(got) != n:
            size = (f"a {type(got).__name__} of length {len(got)}" if isinstance(got, (list, tuple))
                    else type(got).__name__)
            problem = f"expected a list of {n} arrays, one per hidden layer, got {size}"
        else:
            problem = compare(tuple(got), case.expected)
            problem = problem and problem.replace("of the tuple", "of the list")
        if problem:
            raise AssertionError(failure(title, case, number, len(cases), problem, got))
    print(f"{title}: all {len(cases)} cases passed")
