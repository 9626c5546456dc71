"""Checks for lesson 05 (backpropagation).

Every expected gradient comes from the layers of ``utils.layers`` (``Dense``,
``ReLU``, ``Sigmoid``) run in float64 or in the case's dtype, their ``backward``
passes and the losses of ``utils.losses``; ``numerical_gradient`` of
``utils.gradient_check`` is the reference for the gradient-check exercise. Each
known mistake is computed on the same input, so its hint appears only when the
learner's result is exactly that mistake.
"""

import numpy as np

from ..activations import relu, sigmoid, sigmoid_grad
from ..gradient_check import numerical_gradient
from ..layers import Dense, ReLU, Sigmoid
from ..losses import cross_entropy_grad, mse_grad
from .core import Case, call_learner, failure, run_cases

__all__ = ["check_neuron_grads", "check_dense_backward", "check_relu_backward", "check_central_difference",
           "check_two_layer_backward", "check_sgd_step"]

HINTS = {
    "5.1": ("Walk the graph backwards: dL/da, then dL/dz = dL/da * sigma'(z), then dz/dw = x and dz/db = 1.",
            "Compute z and a in a forward pass first; dL/da = 2 (a - y) for L = (a - y)^2; multiply by "
            "sigma(z) (1 - sigma(z)); dw is that number times x, db is that number."),
    "5.2": ("Each gradient has the shape of what it is the gradient of: dW like W (D_in, D_out), db like b "
            "(D_out,), dA_prev like A_prev (N, D_in).",
            "Match the shapes with transposes: dW = A_prev.T @ dZ, db = dZ summed over the batch axis 0, "
            "dA_prev = dZ @ W.T."),
    "5.3": ("ReLU passes the gradient through where its input was positive and blocks it elsewhere.",
            "Multiply dA elementwise by (Z > 0), as floats in dA's dtype; at Z = 0 exactly the gradient is 0."),
    "5.4": ("Nudge one entry of x up by h and down by h, evaluate f both times, and divide the difference "
            "by 2h. Do it for every entry.",
            "Loop over np.ndindex(x.shape) on a copy of x; set the entry to old + h, then old - h, put it back, "
            "and store (f_plus - f_minus) / (2 * h) in an array of x's shape."),
    "5.5": ("Forward pass first (Z1, A1, Z2), keeping what the backward pass needs; then start from "
            "dZ2 = (softmax(Z2) - one_hot(y)) / N and go back layer by layer.",
            "dW2 = A1.T @ dZ2, db2 = dZ2.sum(axis=0), dA1 = dZ2 @ W2.T, dZ1 = dA1 * (Z1 > 0), "
            "dW1 = X.T @ dZ1, db1 = dZ1.sum(axis=0)."),
    "5.6": ("Gradient descent moves every parameter a small step against its gradient.",
            "Return a new list [p - eta * g for each pair]; one step only, and never change the arrays you "
            "were given."),
}

_rng = np.random.default_rng(5)


def _dense(W, b):
    layer = Dense(*W.shape, dtype=W.dtype)
    layer.W.data[...] = W
    layer.b.data[...] = b
    return layer


# Exercise 5.1 neuron_grads -------------------------------------------------------------------------
def _neuron_reference(x, w, b, y):
    """(dw, db) of L = (sigmoid(w . x + b) - y)^2 through the utils layers, in float64."""
    dense = _dense(np.asarray(w, dtype=np.float64)[:, None], np.array([float(b)]))
    act = Sigmoid()
    a = act.forward(dense.forward(np.asarray(x, dtype=np.float64)[None, :]))
    dense.backward(act.backward(mse_grad(a, np.array([[float(y)]]))))
    return dense.W.grad[:, 0].copy(), float(dense.b.grad[0])


def _neuron_cases():
    inputs = [("w = (0, 0), b = 0: z = 0, a = 1/2, y = 1", np.array([1.0, 2.0]), np.array([0.0, 0.0]), 0.0, 1.0),
              ("three inputs, target 0", np.array([0.5, -1.0, 2.0]), np.array([0.3, 0.8, -0.5]), 0.1, 0.0),
              ("one input", np.array([3.0]), np.array([-0.7]), 0.5, 1.0),
              ("a saturated neuron (z = 8): the gradient is tiny but not 0", np.array([2.0, 2.0]),
               np.array([2.0, 2.0]), 0.0, 0.0)]
    cases = []
    for description, x, w, b, y in inputs:
        z = float(x @ w + b)
        a, s = float(sigmoid(np.array(z))), float(sigmoid_grad(np.array(z)))
        dz = 2 * (a - y) * s
        cases.append(Case(description, (x, w, b, y), _neuron_reference(x, w, b, y), names=("x", "w", "b", "y"),
                          returns=("dw", "db"), mistakes={
            "the sigmoid's derivative sigma'(z) = sigma(z)(1 - sigma(z)) is missing from the chain.":
                (2 * (a - y) * x, 2 * (a - y)),
            "the factor 2 of d/da (a - y)^2 = 2 (a - y) is missing.": (dz / 2 * x, dz / 2),
            "the sign is flipped: dL/da = 2 (a - y), prediction minus target.": (-dz * x, -dz),
            "you used sigma'(a) instead of sigma'(z): the derivative is evaluated at the pre-activation z.":
                (2 * (a - y) * float(sigmoid_grad(np.array(a))) * x, 2 * (a - y) * float(sigmoid_grad(np.array(a)))),
            "dz/dw is x, not w: the weight's gradient is dL/dz times the input it multiplies.": (dz * w, dz),
        }))
    return cases


def check_neuron_grads(neuron_grads):
    """Exercise 5.1: the gradients (dw, db) of one sigmoid neuron's squared error, by the chain rule."""
    run_cases("Exercise 5.1 neuron_grads", neuron_grads, _neuron_cases(), check_dtype=False)


# Exercise 5.2 dense_backward ----------------------------------------------------------------------
def _dense_cases():
    inputs = [("one sample, 2 inputs, 1 output", np.array([[1.0, 2.0]]), np.array([[0.5], [-1.0]]),
               np.array([[3.0]])),
              ("a batch of 4, 3 inputs, 2 outputs", _rng.normal(size=(4, 3)).round(2),
               _rng.normal(size=(3, 2)).round(2), _rng.normal(size=(4, 2)).round(2)),
              ("a square case, 3 samples, 3 inputs, 3 outputs (a transpose slips through the shapes)",
               _rng.normal(size=(3, 3)).round(2), _rng.normal(size=(3, 3)).round(2), _rng.normal(size=(3, 3)).round(2)),
              ("float32 arrays stay float32", _rng.normal(size=(2, 3)).astype(np.float32),
               _rng.normal(size=(3, 2)).astype(np.float32), _rng.normal(size=(2, 2)).astype(np.float32))]
    cases = []
    for description, A_prev, W, dZ in inputs:
        layer = _dense(W, np.zeros(W.shape[1], dtype=W.dtype))
        layer.forward(A_prev)
        dA_prev = layer.backward(dZ)
        expected = (dA_prev, layer.W.grad.copy(), layer.b.grad.copy())
        cases.append(Case(description, (dZ, A_prev, W), expected, names=("dZ", "A_prev", "W"),
                          returns=("dA_prev", "dW", "db"), mistakes={
            "dW is transposed or multiplied in the wrong order: dW = A_prev.T @ dZ has the shape of W.":
                (dA_prev, dZ.T @ A_prev, layer.b.grad),
            "db sums over the wrong axis: sum dZ over the batch (axis=0), one number per output.":
                (dA_prev, layer.W.grad, dZ.sum(axis=1)) if dZ.shape[0] == dZ.shape[1] else (None,),
            "db is the mean over the batch, not the sum: the loss already divided by N.":
                (dA_prev, layer.W.grad, dZ.mean(axis=0)),
            "dA_prev uses W instead of W.T: dA_prev = dZ @ W.T.":
                (dZ @ W, layer.W.grad, layer.b.grad) if W.shape[0] == W.shape[1] else (None,),
        }))
    return cases


def check_dense_backward(dense_backward):
    """Exercise 5.2: a dense layer's backward pass, ``(dA_prev, dW, db)`` from ``dZ``, ``A_prev`` and ``W``."""
    run_cases("Exercise 5.2 dense_backward", dense_backward, _dense_cases())


# Exercise 5.3 relu_backward -----------------------------------------------------------------------
def _relu_cases():
    inputs = [("a few values, including Z = 0 exactly (gradient 0 there)", np.array([[1.0, -2.0, 3.0]]),
               np.array([[0.5, 1.0, 0.0]])),
              ("a batch of 3 with 4 units", _rng.normal(size=(3, 4)).round(2), _rng.normal(size=(3, 4)).round(2)),
              ("float32 stays float32", np.array([[2.0, -1.0], [0.5, 4.0]], dtype=np.float32),
               np.array([[-1.0, 1.0], [2.0, -0.5]], dtype=np.float32))]
    cases = []
    for description, dA, Z in inputs:
        layer = ReLU()
        layer.forward(Z)
        expected = layer.backward(dA)
        cases.append(Case(description, (dA, Z), expected, names=("dA", "Z"), mistakes={
            "you returned ReLU's derivative alone; multiply it by the upstream gradient dA.":
                (Z > 0).astype(Z.dtype),
            "you applied ReLU to dA; the mask comes from the forward input Z: dA * (Z > 0).": relu(dA),
            "at Z = 0 the gradient is 0 (the convention of this course and PyTorch): use Z > 0, not Z >= 0.":
                dA * (Z >= 0),
            "you multiplied by Z itself; the derivative of ReLU is 1 where Z > 0, else 0.": dA * relu(Z),
        }))
    return cases


def check_relu_backward(relu_backward):
    """Exercise 5.3: ReLU's backward pass, ``dZ = dA * (Z > 0)``."""
    run_cases("Exercise 5.3 relu_backward", relu_backward, _relu_cases())


# Exercise 5.4 central_difference ------------------------------------------------------------------
def _quadratic(x):
    return float(np.sum(x ** 2) + 3 * x.ravel()[0])


def _cubic(x):
    return float(np.sum(x ** 3))


_A = np.array([[2.0, -1.0], [0.5, 3.0]])


def _matrix_form(x):
    return float(np.sum((x @ _A) ** 2))


def _numerical_cases():
    inputs = [("f(x) = sum(x^2) + 3 x_0 on a vector", _quadratic, np.array([1.0, -2.0, 0.5]), "sum(x**2) + 3 * x[0]"),
              ("f(x) = sum(x^3): the central difference is exact to about h^2", _cubic, np.array([2.0, -1.0]),
               "sum(x**3)"),
              ("f(X) = sum((X @ A)^2) on a 2 x 2 matrix", _matrix_form, np.array([[1.0, 0.0], [-1.0, 2.0]]),
               "sum((X @ A)**2), A = [[2, -1], [0.5, 3]]")]
    cases = []
    for description, f, x, text in inputs:
        expected = numerical_gradient(f, x.copy())
        h = 1e-5
        forward = np.array([(f(x + h * e) - f(x)) / h for e in np.eye(x.size).reshape(x.size, *x.shape)]).reshape(x.shape)
        no_two = expected * 2
        cases.append(Case(description, (f, x), expected, names=("f", "x"),
                          input_text=f"f(x) = {text}, x = {x.tolist()}, h = 1e-5 (the default)", mistakes={
            "you divided by h instead of 2h: the central difference spans from x - h to x + h.": no_two,
            "a one-sided (forward) difference (f(x + h) - f(x)) / h; use the central one, "
            "(f(x + h) - f(x - h)) / 2h, whose error is far smaller.": forward,
        }))
    return cases


def check_central_difference(central_difference):
    """Exercise 5.4: central differences, ``(f(x + h e_i) - f(x - h e_i)) / 2h`` for every entry."""
    # rtol 1e-6: a one-sided difference is off by about h = 1e-5 relative; a correct one by about 1e-10
    run_cases("Exercise 5.4 central_difference", central_difference, _numerical_cases(), rtol=1e-7, atol=1e-7)


# Exercise 5.5 two_layer_backward ------------------------------------------------------------------
def two_layer_reference(X, y, W1, b1, W2, b2):
    """(dW1, db1, dW2, db2) of the mean cross-entropy of ``relu(X W1 + b1) W2 + b2``, via the utils layers."""
    dense1, act, dense2 = _dense(W1, b1), ReLU(), _dense(W2, b2)
    Z2 = dense2.forward(act.forward(dense1.forward(X)))
    dense1.backward(act.backward(dense2.backward(cross_entropy_grad(Z2, y))))
    return dense1.W.grad.copy(), dense1.b.grad.copy(), dense2.W.grad.copy(), dense2.b.grad.copy()


def _two_layer_cases():
    rng = np.random.default_rng(55)
    inputs = [("one sample, 2 features, 3 hidden units, 2 classes", 1, 2, 3, 2, np.float64),
              ("a batch of 5, 4 features, 6 hidden units, 3 classes", 5, 4, 6, 3, np.float64),
              ("a batch of 4, 3 features, 5 hidden units, 4 classes, float32", 4, 3, 5, 4, np.float32)]
    cases = []
    for description, N, D, H, C, dtype in inputs:
        X = rng.normal(size=(N, D)).astype(dtype)
        y = rng.integers(0, C, size=N)
        W1, b1 = rng.normal(size=(D, H)).astype(dtype), (rng.normal(size=H) * 0.5).astype(dtype)
        W2, b2 = rng.normal(size=(H, C)).astype(dtype), (rng.normal(size=C) * 0.5).astype(dtype)
        expected = two_layer_reference(X, y, W1, b1, W2, b2)
        dW1, db1, dW2, db2 = expected
        Z1 = X @ W1 + b1
        A1 = relu(Z1)
        P = cross_entropy_grad(A1 @ W2 + b2, y) * N + np.eye(C)[y]  # softmax(Z2)
        dZ2_noN = P - np.eye(C)[y]
        dZ1_noN = (dZ2_noN @ W2.T) * (Z1 > 0)
        dZ1_nomask = (dZ2_noN / N) @ W2.T
        cases.append(Case(description, (X, y, W1, b1, W2, b2), expected, names=("X", "y", "W1", "b1", "W2", "b2"),
                          returns=("dW1", "db1", "dW2", "db2"), mistakes={
            "every gradient is N times too large: the loss is a mean, so dZ2 = (softmax(Z2) - one_hot(y)) / N.":
                (X.T @ dZ1_noN, dZ1_noN.sum(axis=0), A1.T @ dZ2_noN, dZ2_noN.sum(axis=0)),
            "the ReLU mask is missing: dZ1 = dA1 * (Z1 > 0).":
                (X.T @ dZ1_nomask, dZ1_nomask.sum(axis=0), dW2, db2),
            "dW2 uses the pre-activation Z1; the second layer's input is A1 = relu(Z1): dW2 = A1.T @ dZ2.":
                (dW1, db1, Z1.T @ (dZ2_noN / N), db2),
        }))
    return cases


def check_two_layer_backward(two_layer_backward):
    """Exercise 5.5: the whole backward pass of a two-layer ReLU network with softmax cross-entropy."""
    run_cases("Exercise 5.5 two_layer_backward", two_layer_backward, _two_layer_cases(), rtol=1e-5, atol=1e-7)


# Exercise 5.6 sgd_step ---------------------------------------------------------------------------
def _sgd_cases():
    inputs = [("one weight matrix, eta = 0.1", [np.array([[1.0, -2.0], [0.5, 0.0]])],
               [np.array([[0.5, 0.5], [-1.0, 2.0]])], 0.1),
              ("a weight matrix and a bias, eta = 0.5", [np.array([[1.0], [2.0]]), np.array([0.5])],
               [np.array([[2.0], [-2.0]]), np.array([1.0])], 0.5),
              ("one step is not enough to reach the minimum of (w - 3)^2 from w = 0 (gradient -6), eta = 0.1",
               [np.array([0.0])], [np.array([-6.0])], 0.1),
              ("one step overshoots the minimum of (w - 3)^2 from w = 0 (gradient -6), eta = 0.9",
               [np.array([0.0])], [np.array([-6.0])], 0.9),
              ("float32 parameters stay float32", [np.array([1.0, 2.0], dtype=np.float32)],
               [np.array([0.5, -0.5], dtype=np.float32)], 0.2)]
    cases = []
    for description, params, grads, eta in inputs:
        expected = tuple(p - np.asarray(eta, dtype=p.dtype) * g for p, g in zip(params, grads))
        cases.append(Case(description, (params, grads, eta), expected, names=("params", "grads", "eta"), mistakes={
            "the step goes uphill: subtract eta * grad, p - eta * g.":
                tuple(p + eta * g for p, g in zip(params, grads)),
            "the learning rate eta is missing: p - eta * g.": tuple(p - g for p, g in zip(params, grads)),
            "you stepped to the minimum (w = 3) instead of taking one step: gradient descent takes one step of "
            "size eta * grad and recomputes the gradient before the next.":
                tuple(np.full_like(p, 3.0) for p in params) if params[0].shape == (1,) else (None,),
        }))
    return cases


def check_sgd_step(sgd_step):
    """Exercise 5.6: one gradient-descent step on every parameter, returning new arrays."""
    title = "Exercise 5.6 sgd_step"
    cases = _sgd_cases()

    def as_tuple(params, grads, eta):
        result = sgd_step(params, grads, eta)
        return tuple(result) if isinstance(result, list) else result
    as_tuple.__wrapped__ = sgd_step
    for number, case in enumerate(cases, start=1):
        originals = [p.copy() for p in case.args[0]]
        got = call_learner(title, as_tuple, case, number, len(cases))
        run_cases_problem = _compare_step(got, case)
        if run_cases_problem:
            raise AssertionError(failure(title, case, number, len(cases), run_cases_problem, got))
        if any(np.shares_memory(g, p) for g, p in zip(got, case.args[0]) if isinstance(g, np.ndarray)) or \
                any(not np.array_equal(o, p) for o, p in zip(originals, case.args[0])):
            raise AssertionError(failure(title, case, number, len(cases),
                                         "your function changed a parameter in place or returned it: return new "
                                         "arrays, p - eta * g (not p -= ...)."))
    print(f"{title}: all {len(cases)} cases passed")


def _compare_step(got, case):
    from .core import compare
    if not isinstance(got, tuple):
        return f"expected a list of {len(case.expected)} arrays, one per parameter, got {type(got).__name__}"
    return compare(got, case.expected)
