"""Tests for `utils.gradient_check`, the tools every other gradient test relies on.

A checker that always says "fine" would make all those tests worthless, so
besides known derivatives we feed it broken backward passes and make sure it
reports them.
"""

import numpy as np
import pytest

from utils.activations import sigmoid, sigmoid_grad
from utils.gradient_check import (
    check_layer_gradients, numerical_gradient, numerical_gradient_array, rel_error,
)
from utils.layers import Dense, ReLU
from utils.models import Sequential


def test_numerical_gradient_of_a_cubic():
    x = np.array([[-1.5, 0.5], [2.0, 3.0]])
    # d/dx sum(x^3) = 3 x^2
    err = rel_error(numerical_gradient(lambda x_: np.sum(x_ ** 3), x), 3 * x ** 2)
    assert err < 1e-7, f"relative error {err:.1e}, expected < 1e-7"


def test_numerical_gradient_puts_x_back_as_it_was():
    x = np.random.default_rng(0).standard_normal((3, 4))
    before = x.copy()
    numerical_gradient(lambda x_: np.sum(np.sin(x_)), x)
    np.testing.assert_array_equal(x, before)


def test_numerical_gradient_refuses_integer_arrays():
    # x + 1e-5 cannot be stored in an integer array
    with pytest.raises(ValueError, match="float"):
        numerical_gradient(lambda x_: float(np.sum(x_)), np.arange(3))


def test_numerical_gradient_array_of_a_matrix_product():
    rng = np.random.default_rng(0)
    x, A, dout = rng.standard_normal((2, 3)), rng.standard_normal((3, 4)), rng.standard_normal((2, 4))
    # f(x) = x A, so the gradient that flows back to x is dout A^T
    err = rel_error(numerical_gradient_array(lambda x_: x_ @ A, x, dout), dout @ A.T)
    assert err < 1e-7, f"relative error {err:.1e}, expected < 1e-7"


def test_float32_is_too_coarse_for_gradient_checks():
    z = np.linspace(-2, 2, 9)
    exact = sigmoid_grad(z)
    num64 = numerical_gradient_array(sigmoid, z, np.ones(9))
    num32 = numerical_gradient_array(sigmoid, z.astype(np.float32), np.ones(9, dtype=np.float32))
    # float64 meets the 1e-7 bar; float32 rounding alone misses it by orders of magnitude
    assert rel_error(num64, exact) < 1e-7
    assert rel_error(num32, exact) > 1e-4


def test_rel_error_values():
    assert rel_error(np.array([1.0, 2.0]), np.array([1.0, 2.0])) == 0.0
    # |1 - 3| / (1 + 3) = 0.5
    assert rel_error(np.array([1.0]), np.array([3.0])) == pytest.approx(0.5, rel=1e-15)
    # the largest of the elementwise errors: |2 - 3| / 5 = 0.2 beats 0
    assert rel_error(np.array([1.0, 2.0]), np.array([1.0, 3.0])) == pytest.approx(0.2, rel=1e-15)


def test_rel_error_does_not_blow_up_near_zero():
    # the denominator is at least 1e-8: 1e-10 / 1e-8 = 0.01
    assert rel_error(np.array([0.0]), np.array([1e-10])) == pytest.approx(0.01, rel=1e-12)


def test_rel_error_rejects_different_shapes():
    with pytest.raises(ValueError, match="same shape"):
        rel_error(np.zeros(3), np.zeros((3, 1)))


# --- check_layer_gradients catches mistakes --------------------------------------------------

class DenseForgetsTheTranspose(Dense):
    """A square Dense whose dx uses W instead of W^T: shapes fit, numbers don't."""

    def backward(self, dout, *, input_grad=True):
        super().backward(dout)
        return dout @ self.W.data


class DenseForgetsToSumTheBiasGradient(Dense):
    """Adds only the first sample's dout to b.grad: the sum over the batch is missing."""

    def backward(self, dout, *, input_grad=True):
        dx = super().backward(dout)
        self.b.grad += dout[0] - dout.sum(axis=0)
        return dx


def test_check_layer_gradients_passes_a_correct_layer():
    errors = check_layer_gradients(Dense(4, 3, rng=np.random.default_rng(0), dtype=np.float64),
                                   np.random.default_rng(1).standard_normal((5, 4)))
    assert set(errors) == {"x", "W", "b"}
    assert max(errors.values()) < 1e-7, f"relative errors {errors}, expected all < 1e-7"


def test_check_layer_gradients_catches_a_missing_transpose():
    layer = DenseForgetsTheTranspose(4, 4, rng=np.random.default_rng(0), dtype=np.float64)
    errors = check_layer_gradients(layer, np.random.default_rng(1).standard_normal((5, 4)))
    assert errors["x"] > 1e-4, errors  # the broken input gradient stands out ...
    assert errors["W"] < 1e-7 and errors["b"] < 1e-7, errors  # ... and only that one


def test_check_layer_gradients_catches_a_wrong_bias_gradient():
    layer = DenseForgetsToSumTheBiasGradient(4, 3, rng=np.random.default_rng(0), dtype=np.float64)
    errors = check_layer_gradients(layer, np.random.default_rng(1).standard_normal((5, 4)))
    assert errors["b"] > 1e-4, errors
    assert errors["x"] < 1e-7 and errors["W"] < 1e-7, errors


def test_check_layer_gradients_names_repeated_parameters_by_position():
    rng = np.random.default_rng(0)
    model = Sequential(Dense(3, 4, rng=rng, dtype=np.float64), ReLU(),
                       Dense(4, 2, rng=rng, dtype=np.float64))
    errors = check_layer_gradients(model, np.random.default_rng(1).uniform(0.5, 1.5, (2, 3)))
    # positions in model.parameters(): W, b of the first Dense are 0, 1; of the second, 2, 3
    assert set(errors) == {"x", "W", "b", "W[2]", "b[3]"}


def test_check_layer_gradients_does_not_change_the_input():
    x = np.random.default_rng(1).standard_normal((5, 4))
    before = x.copy()
    check_layer_gradients(Dense(4, 3, dtype=np.float64), x)
    np.testing.assert_array_equal(x, before)


# --- float32 layers are checked in float64 --------------------------------------------------

def test_check_layer_gradients_of_a_default_float32_dense_runs_in_float64():
    # the bug report: Dense(3, 4) in float32 gave 4e-3 to 6e-3 without a word
    layer = Dense(3, 4, rng=np.random.default_rng(0))
    W, b = layer.W.data.copy(), layer.b.data.copy()
    errors = check_layer_gradients(layer, np.random.default_rng(1).standard_normal((5, 3)).astype(np.float32))
    assert max(errors.values()) < 1e-7, errors
    # the layer itself is left as it was: float32, same weights, no gradient
    assert layer.dtype == np.float32 and layer.W.data.dtype == np.float32
    np.testing.assert_array_equal(layer.W.data, W)
    np.testing.assert_array_equal(layer.b.data, b)
    assert not layer.W.grad.any() and layer.W.grad.dtype == np.float32


def test_check_layer_gradients_of_a_float32_network():
    rng = np.random.default_rng(0)
    model = Sequential(Dense(3, 4, rng=rng), ReLU(), Dense(4, 2, rng=rng))
    errors = check_layer_gradients(model, np.random.default_rng(1).uniform(0.5, 1.5, (2, 3)))
    assert max(errors.values()) < 1e-7, errors


def test_check_layer_gradients_still_catches_a_bug_in_a_float32_layer():
    layer = DenseForgetsToSumTheBiasGradient(4, 3, rng=np.random.default_rng(0))
    errors = check_layer_gradients(layer, np.random.default_rng(1).standard_normal((5, 4)))
    assert errors["b"] > 1e-4 and errors["W"] < 1e-7, errors


class AlwaysFloat32(Dense):
    """A layer that casts its output to float32 whatever its parameters: it cannot be checked in float64."""

    def forward(self, x):
        return super().forward(x).astype(np.float32)

    def backward(self, dout, *, input_grad=True):
        return super().backward(dout, input_grad=input_grad).astype(np.float32)


def test_check_layer_gradients_warns_when_the_layer_stays_in_float32():
    with pytest.warns(UserWarning, match="computes in float32 even with float64 parameters"):
        check_layer_gradients(AlwaysFloat32(3, 4, rng=np.random.default_rng(0)),
                              np.random.default_rng(1).standard_normal((5, 3)))


# --- numerical_gradient needs a scalar function ---------------------------------------------

def test_numerical_gradient_of_an_array_valued_function_says_what_to_do():
    with pytest.raises(ValueError, match=r"f must return a single number \(a scalar loss\), got an "
                                         r"array of shape \(3,\).*numerical_gradient_array"):
        numerical_gradient(lambda x_: x_ ** 2, np.ones(3))


def test_numerical_gradient_of_a_function_that_returns_nothing():
    with pytest.raises(ValueError, match="got None of type NoneType"):
        numerical_gradient(lambda x_: None, np.ones(3))


def test_numerical_gradient_accepts_a_one_element_array():
    # d/dx sum(x^2) = 2x, whether f returns 4.0 or array([4.0])
    grad = numerical_gradient(lambda x_: np.array([np.sum(x_ ** 2)]), np.array([1.0, -2.0]))
    np.testing.assert_allclose(grad, [2.0, -4.0], rtol=1e-8)


def test_numerical_gradient_refuses_lists_and_read_only_arrays():
    with pytest.raises(ValueError, match="writable float array.*got a list"):
        numerical_gradient(lambda x_: float(np.sum(x_)), [1.0, 2.0])
    frozen = np.ones(2)
    frozen.flags.writeable = False
    with pytest.raises(ValueError, match="read-only"):
        numerical_gradient(lambda x_: float(np.sum(x_)), frozen)
