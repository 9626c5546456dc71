"""Checks for lesson 05 (backpropagation).

Every expected gradient comes from the layers of ``utils.layers`` (``Dense``,
``ReLU``, ``Sigmoid``) run in the case's float dtype (float64 for integer
inputs), their ``backward`` passes and the losses of ``utils.losses``;
``rel_error`` of ``utils.gradient_check`` is the reference for the
gradient-check exercise. Each known mistake is computed on the same input, so
its hint appears only when the learner's result is exactly that mistake. Every
case follows the course's dtype rule.
"""

import numpy as np

from ..activations import relu, sigmoid, sigmoid_grad, softmax
from ..gradient_check import rel_error
from ..layers import Dense, ReLU, Sigmoid
from ..losses import cross_entropy_grad, mse_grad
from .core import Case, call_learner, compare, failure, require_callable, run_cases, show_value

__all__ = ["check_neuron_grads", "check_dense_backward", "check_relu_backward", "check_rel_error",
           "check_two_layer_backward", "check_sgd_step"]

HINTS = {
    "5.1": ("Walk the graph backwards: dL/da first, then dL/dz = dL/da * sigma'(z), then dz/dw and dz/db.",
            "Compute z and a in a forward pass first; dL/da = 2 (a - y) for L = (a - y)^2; multiply by "
            "sigma(z) (1 - sigma(z)) (the utils sigmoid is safe for any z); dw is that number times x, db is "
            "that number."),
    "5.2": ("Each gradient has the shape of what it is the gradient of: dW like W (D_in, D_out), db like b "
            "(D_out,), dA_prev like A_prev (N, D_in).",
            "Match the shapes with transposes: dW needs A_prev transposed on the left of dZ, db sums dZ over "
            "the batch axis 0, dA_prev needs W transposed on the right of dZ. Integers: multiply by 1.0 first."),
    "5.3": ("ReLU passes the gradient through where its input was positive and blocks it elsewhere.",
            "Multiply dA elementwise by the mask (Z > 0); at Z = 0 exactly the gradient is 0. Multiply by 1.0 "
            "so that integer inputs give floats."),
    "5.4": ("Compare the two gradients entry by entry: the absolute difference, relative to the size of the "
            "two entries together, and report the worst entry.",
            "For each entry |a - b| / max(1e-8, |a| + |b|), then the maximum over all entries, as a float. The "
            "1e-8 floor keeps entries where both are 0 from dividing 0 by 0."),
    "5.5": ("Forward pass first (Z1, A1, Z2), keeping what the backward pass needs; then start from "
            "dZ2 = (softmax(Z2) - one_hot(y)) / N (utils' cross_entropy_grad) and go back layer by layer.",
            "Second layer: dW2 from A1 and dZ2, db2 by summing dZ2 over the batch; then dA1 through W2 "
            "transposed, dZ1 = dA1 times ReLU's mask (Z1 > 0); first layer: dW1 from X and dZ1, db1 by summing."),
    "5.6": ("Gradient descent moves every parameter a small step against its gradient.",
            "Return a new list with one new array per parameter, each p minus eta times its gradient; one step "
            "only, and never change the arrays you were given."),
}

_rng = np.random.default_rng(5)


def _float(x):
    """`x` as an array of its own float dtype, or float64 for integers (the dtype rule)."""
    x = np.asarray(x)
    return x if x.dtype.kind == "f" else x.astype(np.float64)


def _dense(W, b):
    layer = Dense(*W.shape, dtype=W.dtype)
    layer.W.data[...] = W
    layer.b.data[...] = b
    return layer


# Exercise 5.1 neuron_grads -------------------------------------------------------------------------
_NAIVE_SIGMOID = ("1 / (1 + e^(-z)) overflows for z = -1000 (e^1000 is beyond every float). Use the stable "
                  "sigmoid of lesson 01 (activations.sigmoid), and sigma'(z) = sigma(z) (1 - sigma(z)) from it.")


def _neuron_reference(x, w, b, y):
    """(dw, db) of L = (sigmoid(w . x + b) - y)^2 through the utils layers, in the case's float dtype."""
    x, w = _float(x), _float(w)
    dtype = np.result_type(x, w)
    dense = _dense(w.astype(dtype)[:, None], np.array([b], dtype=dtype))
    act = Sigmoid()
    a = act.forward(dense.forward(x.astype(dtype)[None, :]))
    dense.backward(act.backward(mse_grad(a, np.array([[y]], dtype=dtype))))
    return dense.W.grad[:, 0].copy(), dense.b.grad[0]


def _neuron_cases():
    f32 = np.float32
    inputs = [("w = (0, 0), b = 0: z = 0, a = 1/2, y = 1", np.array([1.0, 2.0]), np.array([0.0, 0.0]), 0.0, 1.0),
              ("three inputs, target 0", np.array([0.5, -1.0, 2.0]), np.array([0.3, 0.8, -0.5]), 0.1, 0.0),
              ("one input", np.array([3.0]), np.array([-0.7]), 0.5, 1.0),
              ("a saturated neuron (z = 8): the gradient is tiny but not 0", np.array([2.0, 2.0]),
               np.array([2.0, 2.0]), 0.0, 0.0),
              ("integer inputs give float64 gradients", np.array([1, -2]), np.array([2, 1]), 1, 1),
              ("float32 inputs give float32 gradients", np.array([0.5, 1.5], dtype=f32),
               np.array([-1.0, 0.25], dtype=f32), f32(0.2), f32(1.0)),
              ("z = -1000: the neuron is saturated, its gradient is 0 (and nothing may overflow)",
               np.array([1000.0]), np.array([-1.0]), 0.0, 1.0)]
    cases = []
    for description, x, w, b, y in inputs:
        x64, w64 = x.astype(np.float64), w.astype(np.float64)
        z = float(x64 @ w64 + b)
        a, s = float(sigmoid(np.array(z))), float(sigmoid_grad(np.array(z)))
        dz = 2 * (a - y) * s
        s_of_a = float(sigmoid_grad(np.array(a)))
        mistakes = {
            "the sigmoid's derivative sigma'(z) = sigma(z)(1 - sigma(z)) is missing from the chain.":
                (2 * (a - y) * x64, 2 * (a - y)),
            "the factor 2 of d/da (a - y)^2 = 2 (a - y) is missing.": (dz / 2 * x64, dz / 2),
            "the sign is flipped: dL/da = 2 (a - y), prediction minus target.": (-dz * x64, -dz),
            "you used sigma'(a) instead of sigma'(z): the derivative is evaluated at the pre-activation z.":
                (2 * (a - y) * s_of_a * x64, 2 * (a - y) * s_of_a),
            "dz/dw is x, not w: the weight's gradient is dL/dz times the input it multiplies.": (dz * w64, dz),
            "you used cross-entropy's gradient a - y; this neuron's loss is the squared error (a - y)^2, whose "
            "chain keeps 2 (a - y) and sigma'(z).": ((a - y) * x64, a - y),
            "you multiplied by sigma(z) instead of its derivative sigma(z)(1 - sigma(z)).":
                (2 * (a - y) * a * x64, 2 * (a - y) * a),
        }
        cases.append(Case(description, (x, w, b, y), _neuron_reference(x, w, b, y), names=("x", "w", "b", "y"),
                          returns=("dw", "db"), mistakes=mistakes, overflow_hint=_NAIVE_SIGMOID))
    return cases


def check_neuron_grads(neuron_grads):
    """Exercise 5.1: the gradients (dw, db) of one sigmoid neuron's squared error, by the chain rule."""
    # rtol 1e-5: a float32 answer computed in another order differs from the reference by a few float32 steps
    run_cases("Exercise 5.1 neuron_grads", neuron_grads, _neuron_cases(), rtol=1e-5, atol=1e-9)


# Exercise 5.2 dense_backward ----------------------------------------------------------------------
def _dense_cases():
    inputs = [("one sample, 2 inputs, 1 output", np.array([[1.0, 2.0]]), np.array([[0.5], [-1.0]]),
               np.array([[3.0]])),
              ("a batch of 4, 3 inputs, 2 outputs", _rng.normal(size=(4, 3)).round(2),
               _rng.normal(size=(3, 2)).round(2), _rng.normal(size=(4, 2)).round(2)),
              ("a square case, 3 samples, 3 inputs, 3 outputs (a transpose slips through the shapes)",
               _rng.normal(size=(3, 3)).round(2), _rng.normal(size=(3, 3)).round(2), _rng.normal(size=(3, 3)).round(2)),
              ("integer inputs give float64 gradients", np.array([[1, 0], [2, -1]]), np.array([[1, -2, 0], [3, 1, 1]]),
               np.array([[1, 0, -1], [2, 1, 0]])),
              ("float32 arrays stay float32", _rng.normal(size=(2, 3)).astype(np.float32),
               _rng.normal(size=(3, 2)).astype(np.float32), _rng.normal(size=(2, 2)).astype(np.float32))]
    cases = []
    for description, A_prev, W, dZ in inputs:
        A_f, W_f, dZ_f = _float(A_prev), _float(W), _float(dZ)
        layer = _dense(W_f, np.zeros(W.shape[1], dtype=W_f.dtype))
        layer.forward(A_f)
        dA_prev = layer.backward(dZ_f)
        dW, db = layer.W.grad.copy(), layer.b.grad.copy()
        mistakes = {
            "dW is transposed or multiplied in the wrong order: dW = A_prev^T dZ has the shape of W.":
                (dA_prev, dZ_f.T @ A_f, db),
            "db sums over the wrong axis: sum dZ over the batch (axis=0), one number per output.":
                (dA_prev, dW, dZ_f.sum(axis=1)),
            "db is the mean over the batch, not the sum: the loss already divided by N.":
                (dA_prev, dW, dZ_f.mean(axis=0)),
            "dA_prev uses W instead of its transpose: dA_prev = dZ W^T.":
                (dZ_f @ W_f, dW, db) if W.shape[0] == W.shape[1] else (None,),
            "the values are in another order: return (dA_prev, dW, db), in that order.": (dW, db, dA_prev),
        }
        cases.append(Case(description, (dZ, A_prev, W), (dA_prev, dW, db), names=("dZ", "A_prev", "W"),
                          returns=("dA_prev", "dW", "db"), mistakes=mistakes))
    return cases


def check_dense_backward(dense_backward):
    """Exercise 5.2: a dense layer's backward pass, ``(dA_prev, dW, db)`` from ``dZ``, ``A_prev`` and ``W``."""
    run_cases("Exercise 5.2 dense_backward", dense_backward, _dense_cases(), rtol=1e-5, atol=1e-7)


# Exercise 5.3 relu_backward -----------------------------------------------------------------------
def _relu_cases():
    inputs = [("a few values, including Z = 0 exactly (gradient 0 there)", np.array([[1.0, -2.0, 3.0]]),
               np.array([[0.5, 1.0, 0.0]])),
              ("a batch of 3 with 4 units", _rng.normal(size=(3, 4)).round(2), _rng.normal(size=(3, 4)).round(2)),
              ("one unit, one sample", np.array([[-1.5]]), np.array([[2.0]])),
              ("integer inputs give float64", np.array([[3, -1], [2, 5]]), np.array([[1, 0], [-2, 4]])),
              ("float32 stays float32", np.array([[2.0, -1.0], [0.5, 4.0]], dtype=np.float32),
               np.array([[-1.0, 1.0], [2.0, -0.5]], dtype=np.float32))]
    cases = []
    for description, dA, Z in inputs:
        dA_f, Z_f = _float(dA), _float(Z)
        layer = ReLU()
        layer.forward(Z_f)
        expected = layer.backward(dA_f)
        cases.append(Case(description, (dA, Z), expected, names=("dA", "Z"), mistakes={
            "you returned ReLU's derivative alone; multiply it by the upstream gradient dA.":
                (Z_f > 0).astype(dA_f.dtype),
            "you applied ReLU to dA; the mask comes from the forward input Z: dA * (Z > 0).": relu(dA_f),
            "at Z = 0 the gradient is 0 (the convention of this course and PyTorch): use Z > 0, not Z >= 0.":
                dA_f * (Z_f >= 0),
            "you multiplied by Z itself (or ReLU(Z)); the derivative of ReLU is 1 where Z > 0, else 0.":
                dA_f * relu(Z_f),
        }))
    return cases


def check_relu_backward(relu_backward):
    """Exercise 5.3: ReLU's backward pass, ``dZ = dA * (Z > 0)``."""
    run_cases("Exercise 5.3 relu_backward", relu_backward, _relu_cases())


# Exercise 5.4 rel_error ---------------------------------------------------------------------------
_ZERO_OVER_ZERO = ("at an entry where both gradients are 0 (a dead ReLU unit, an unused weight) |a| + |b| is 0: "
                   "divide by max(1e-8, |a| + |b|) so that the floor keeps that entry at 0 / 1e-8 = 0.")


def _rel_error_cases():
    inputs = [("two entries worked by hand: errors 0 and 0.2 / 4.2", np.array([1.0, 2.0]), np.array([1.0, 2.2])),
              ("identical gradients: the error is 0", np.array([[0.5, -1.5], [2.0, 3.0]]),
               np.array([[0.5, -1.5], [2.0, 3.0]])),
              ("negative entries: 0.1 / 2.1 at the first", np.array([-1.0, 2.0]), np.array([-1.1, 2.0])),
              ("the numerical gradient is below the analytic one at the worst entry: 0.5 / 2.5",
               np.array([1.5, 3.0]), np.array([1.0, 3.0])),
              ("an entry where both are 0, as at a dead ReLU unit", np.array([0.0, 0.5]), np.array([0.0, 0.5000001])),
              ("an analytic 0 against a numerical 1e-12: rounding noise, relative to the floor 1e-8",
               np.array([0.0, 1.0]), np.array([1e-12, 1.0])),
              ("a correct backward pass in float64: about 1e-10", np.array([[0.3, -0.2, 1.1]]),
               np.array([[0.3 + 3e-11, -0.2, 1.1 - 1e-10]])),
              ("a float32 gradient against a float64 numerical one",
               np.array([0.1, -0.7, 2.5], dtype=np.float32), np.array([0.1, -0.7, 2.5])),
              ("opposite signs at the second entry: 0.5 / 0.5 = 1, the largest error there is",
               np.array([0.5, -0.3]), np.array([0.5, 0.2]))]
    cases = []
    for description, a, b in inputs:
        a64, b64 = a.astype(np.float64), b.astype(np.float64)
        diff, size = np.abs(a64 - b64), np.abs(a64) + np.abs(b64)
        floor = np.maximum(1e-8, size)
        mistakes = {
            "you took the mean over the entries; the check reports the worst entry, the maximum.":
                float(np.mean(diff / floor)),
            "you divided by max(|a|, |b|); this relative error divides by |a| + |b| (so it is at most 1).":
                float(np.max(diff / np.maximum(1e-8, np.maximum(np.abs(a64), np.abs(b64))))),
            "you compared norms of the whole arrays, ||a - b|| / (||a|| + ||b||); compare entry by entry and "
            "take the worst.": float(np.linalg.norm(a64 - b64) / max(1e-8, np.linalg.norm(a64) + np.linalg.norm(b64))),
            "the difference needs its absolute value |a - b|: a negative difference would hide the worst entry.":
                float(np.max((a64 - b64) / floor)),
            "the sizes need absolute values, |a| + |b|: negative entries make a + b small or negative.":
                float(np.max(diff / np.maximum(1e-8, a64 + b64))),
            "you returned the absolute error |a - b|; divide each entry by max(1e-8, |a| + |b|).":
                float(np.max(diff)),
            "you divided by |a + b|; where a and b have opposite signs it is smaller than |a| + |b| (even 0): "
            "divide by max(1e-8, |a| + |b|), so that the error is at most 1.":
                float(np.max(diff / np.maximum(1e-8, np.abs(a64 + b64)))),
        }
        if np.any(size == 0) or np.any(a64 == 0):
            mistakes.pop("the sizes need absolute values, |a| + |b|: negative entries make a + b small or negative.")
        cases.append(Case(description, (a, b), rel_error(a, b64), names=("a", "b"), mistakes=mistakes,
                          divide_hint=_ZERO_OVER_ZERO, invalid_hint=_ZERO_OVER_ZERO))
    return cases


def check_rel_error(rel_error):
    """Exercise 5.4: the relative error ``max_i |a_i - b_i| / max(1e-8, |a_i| + |b_i|)`` of two gradients."""
    # a measure, returned as a Python float whatever the inputs' dtype: no dtype rule on it
    run_cases("Exercise 5.4 rel_error", rel_error, _rel_error_cases(), rtol=1e-5, atol=0, check_dtype=False)


# Exercise 5.5 two_layer_backward ------------------------------------------------------------------
def two_layer_reference(X, y, W1, b1, W2, b2):
    """(dW1, db1, dW2, db2) of the mean cross-entropy of ``relu(X W1 + b1) W2 + b2``, via the utils layers."""
    dtype = np.result_type(_float(X), W1)
    dense1, act, dense2 = _dense(W1.astype(dtype), b1.astype(dtype)), ReLU(), _dense(W2.astype(dtype), b2.astype(dtype))
    Z2 = dense2.forward(act.forward(dense1.forward(X)))
    dense1.backward(act.backward(dense2.backward(cross_entropy_grad(Z2, y))))
    return dense1.W.grad.copy(), dense1.b.grad.copy(), dense2.W.grad.copy(), dense2.b.grad.copy()


_SOFTMAX_OVERFLOW = ("e^z overflowed: the logits Z2 of this case are near 1000. Start from utils' "
                     "losses.cross_entropy_grad(Z2, y), or subtract each row's maximum before np.exp (lesson 04).")


def _two_layer_cases():
    rng = np.random.default_rng(55)
    inputs = [("one sample, 2 features, 3 hidden units, 2 classes", 1, 2, 3, 2, np.float64, 1.0),
              ("a batch of 5, 4 features, 6 hidden units, 3 classes", 5, 4, 6, 3, np.float64, 1.0),
              ("integer features (pixel values) with float64 weights", 4, 3, 4, 3, np.int64, 1.0),
              ("a batch of 4, 3 features, 5 hidden units, 4 classes, float32", 4, 3, 5, 4, np.float32, 1.0),
              ("large weights: logits near 1000, where a naive softmax overflows", 3, 2, 4, 3, np.float64, 300.0),
              ("a hidden unit exactly at ReLU's kink (sample 0 is all zeros and b1[0] = 0, so Z1[0, 0] = 0)",
               3, 2, 4, 3, np.float64, 1.0)]
    cases = []
    for description, N, D, H, C, dtype, scale in inputs:
        if dtype == np.int64:
            X = rng.integers(0, 5, size=(N, D))
        else:
            X = rng.normal(size=(N, D)).astype(dtype)
        wdtype = np.float64 if dtype == np.int64 else dtype
        y = rng.integers(0, C, size=N)
        W1, b1 = rng.normal(size=(D, H)).astype(wdtype), (rng.normal(size=H) * 0.5).astype(wdtype)
        W2, b2 = (scale * rng.normal(size=(H, C))).astype(wdtype), (rng.normal(size=C) * 0.5).astype(wdtype)
        if "kink" in description:
            X[0], b1[0] = 0, 0
        expected = two_layer_reference(X, y, W1, b1, W2, b2)
        dW1, db1, dW2, db2 = expected
        X64 = X.astype(np.float64)
        Z1 = X64 @ W1 + b1
        A1 = relu(Z1)
        P = softmax(A1 @ W2 + b2)
        one_hot = np.eye(C)[y]
        dZ2 = (P - one_hot) / N

        def grads(dZ2_, mask=(Z1 > 0), W2_=W2):
            dZ1_ = (dZ2_ @ W2_.T) * mask
            return (X64.T @ dZ1_, dZ1_.sum(axis=0), A1.T @ dZ2_, dZ2_.sum(axis=0))
        mistakes = {
            "every gradient is N times too large: the loss is a mean, so dZ2 = (softmax(Z2) - one_hot(y)) / N.":
                grads(dZ2 * N),
            "the ReLU mask is missing: dZ1 = dA1 * (Z1 > 0).": grads(dZ2, mask=1.0),
            "at Z1 = 0 the gradient is 0 (the convention of this course and PyTorch, as in Exercise 5.3): "
            "mask with Z1 > 0, not Z1 >= 0.": grads(dZ2, mask=(Z1 >= 0)),
            "dZ1 multiplies by ReLU(Z1) (or Z1); ReLU's derivative is the mask (Z1 > 0), 1 or 0.":
                grads(dZ2, mask=A1),
            "dW2 uses the pre-activation Z1; the second layer's input is A1 = relu(Z1): dW2 = A1^T dZ2.":
                (dW1, db1, Z1.T @ dZ2, db2),
            "the sign is flipped: dZ2 = softmax(Z2) - one_hot(y), prediction minus target.": grads(-dZ2),
            "the biases' gradients are means over the batch; sum them (the 1/N is already in dZ2).":
                (dW1, grads(dZ2)[1] / N, dW2, dZ2.sum(axis=0) / N),
            "the layers are in the wrong order: return (dW1, db1, dW2, db2), the first layer's first.":
                (dW2, db2, dW1, db1),
        }
        cases.append(Case(description, (X, y, W1, b1, W2, b2), expected, names=("X", "y", "W1", "b1", "W2", "b2"),
                          returns=("dW1", "db1", "dW2", "db2"), mistakes=mistakes, overflow_hint=_SOFTMAX_OVERFLOW))
    return cases


def check_two_layer_backward(two_layer_backward):
    """Exercise 5.5: the whole backward pass of a two-layer ReLU network with softmax cross-entropy."""
    run_cases("Exercise 5.5 two_layer_backward", two_layer_backward, _two_layer_cases(), rtol=1e-5, atol=1e-7)


# Exercise 5.6 sgd_step ---------------------------------------------------------------------------
def _sgd_cases():
    inputs = [("one weight matrix, eta = 0.3", [np.array([[1.0, -2.0], [0.5, 0.0]])],
               [np.array([[0.5, 0.5], [-1.0, 2.0]])], 0.3),
              ("a weight matrix and a bias, eta = 0.5", [np.array([[1.0], [2.0]]), np.array([0.5])],
               [np.array([[2.0], [-2.0]]), np.array([1.0])], 0.5),
              ("one step is not enough to reach the minimum of (w - 3)^2 from w = 0 (gradient -6), eta = 0.1",
               [np.array([0.0])], [np.array([-6.0])], 0.1),
              ("one step overshoots the minimum of (w - 3)^2 from w = 0 (gradient -6), eta = 0.9",
               [np.array([0.0])], [np.array([-6.0])], 0.9),
              ("four parameters of a two-layer network (W1, b1, W2, b2)",
               [_rng.normal(size=(2, 3)).round(2), np.zeros(3), _rng.normal(size=(3, 2)).round(2), np.zeros(2)],
               [_rng.normal(size=(2, 3)).round(2), _rng.normal(size=3).round(2), _rng.normal(size=(3, 2)).round(2),
                _rng.normal(size=2).round(2)], 0.05),
              ("integer parameters give float64", [np.array([1, 2])], [np.array([0.5, -0.5])], 0.2),
              ("float32 parameters stay float32", [np.array([1.0, 2.0], dtype=np.float32)],
               [np.array([0.5, -0.5], dtype=np.float32)], 0.2),
              ("a dead unit: the bias's gradient is all zeros, so the step leaves it where it is, as a new array",
               [np.array([[1.0, -1.0]]), np.array([0.5, 0.25])], [np.array([[0.2, 0.0]]), np.zeros(2)], 0.5)]
    cases = []
    for description, params, grads, eta in inputs:
        expected = tuple(_float(p) - _float(p).dtype.type(eta) * g.astype(_float(p).dtype) for p, g in zip(params, grads))
        one_weight = params[0].shape == (1,)
        cases.append(Case(description, (params, grads, eta), expected, names=("params", "grads", "eta"), mistakes={
            "the step goes uphill: subtract eta times the gradient.":
                tuple(p + eta * g for p, g in zip(params, grads)),
            "the learning rate eta is missing: p - eta * g.": tuple(p - g for p, g in zip(params, grads)),
            "you stepped to the minimum (w = 3) instead of taking one step: gradient descent takes one step of "
            "size eta * grad and recomputes the gradient before the next.":
                tuple(np.full(p.shape, 3.0) for p in params) if one_weight else (None,),
            "the gradients are paired with the wrong parameters: params[k] moves along grads[k].":
                _paired_wrongly(params, grads, eta),
        }, input_text=f"params = {_show_list(params)}, grads = {_show_list(grads)}, eta = {eta}"))
    return cases


def _paired_wrongly(params, grads, eta):
    """The step with the gradients in reverse order, where numpy can broadcast them (else no result)."""
    if len(params) < 2:
        return (None,)
    try:
        return tuple(p - eta * g for p, g in zip(params, grads[::-1]))
    except ValueError:
        return (None,)


def _show_list(arrays):
    return "[" + ", ".join(show_value(a) for a in arrays) + "]"


class _NotAList:
    """What the learner's sgd_step returned when it is not a list (a tuple or a generator, say)."""

    def __init__(self, value):
        self.value = value


def check_sgd_step(sgd_step):
    """Exercise 5.6: one gradient-descent step on every parameter, returning a list of new arrays."""
    title = "Exercise 5.6 sgd_step"
    require_callable(title, sgd_step)
    cases = _sgd_cases()

    def as_tuple(params, grads, eta):
        result = sgd_step(params, grads, eta)
        return tuple(result) if isinstance(result, list) else _NotAList(result)
    for number, case in enumerate(cases, start=1):
        params, grads, _ = case.args
        originals = [p.copy() for p in params + grads]
        got = call_learner(title, as_tuple, case, number, len(cases))
        if isinstance(got, _NotAList):
            got = got.value
            problem = f"expected a list of {len(case.expected)} arrays, one per parameter, got {type(got).__name__}"
        else:
            problem = compare(got, case.expected, rtol=1e-6, atol=1e-8)
            problem = problem and problem.replace("of the tuple", "of your list")
        if problem:
            raise AssertionError(failure(title, case, number, len(cases), problem, got))
        if any(not np.array_equal(o, p) for o, p in zip(originals, params + grads)):
            raise AssertionError(failure(title, case, number, len(cases),
                                         "your function changed a parameter or a gradient in place: return new "
                                         "arrays, p - eta * g (not p -= ...)."))
        if any(isinstance(g, np.ndarray) and np.shares_memory(g, p) for g, p in zip(got, params)):
            raise AssertionError(failure(title, case, number, len(cases),
                                         "your list holds a parameter array itself (or a view of it): return new "
                                         "arrays, so that the caller's parameters stay as they were."))
    print(f"{title}: all {len(cases)} cases passed")
