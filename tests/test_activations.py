"""Tests for `utils.activations`.

Each derivative is checked against central differences in float64, where a
correct derivative agrees to a relative error well below 1e-7. Then come values
we can work out by hand, numerical stability at extreme inputs (property-based,
with hypothesis), dtype, bad input and the ``ACTIVATIONS`` registry.
"""

from functools import partial

import numpy as np
import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from utils.activations import (
    ACTIVATIONS, leaky_relu, leaky_relu_grad, log_softmax, relu, relu_grad, sigmoid,
    sigmoid_grad, softmax, step, tanh, tanh_grad,
)
from utils.gradient_check import numerical_gradient_array, rel_error

#: Turn every floating-point warning that matters into an error.
STRICT = dict(over="raise", invalid="raise", divide="raise")


def away_from_zero(shape, seed=0):
    """Float64 inputs with 0.1 <= |z| <= 3: a step of 1e-5 never crosses ReLU's kink at 0."""
    rng = np.random.default_rng(seed)
    return rng.uniform(0.1, 3.0, shape) * rng.choice([-1.0, 1.0], shape)


# --- Derivatives against central differences --------------------------------------------

PAIRS = {
    "sigmoid": (sigmoid, sigmoid_grad),
    "tanh": (tanh, tanh_grad),
    "relu": (relu, relu_grad),
    "leaky_relu": (leaky_relu, leaky_relu_grad),
    "leaky_relu(0.2)": (partial(leaky_relu, negative_slope=0.2),
                        partial(leaky_relu_grad, negative_slope=0.2)),
}


@pytest.mark.parametrize("fn, grad", PAIRS.values(), ids=PAIRS.keys())
def test_grad_matches_central_differences(fn, grad):
    z = away_from_zero((4, 5))
    # g acts elementwise, so with dout = 1 the vector-Jacobian product is just g'(z).
    numeric = numerical_gradient_array(fn, z, np.ones_like(z))
    err = rel_error(grad(z), numeric)
    assert err < 1e-7, f"relative error {err:.1e}, expected < 1e-7"


# --- Values worked out by hand --------------------------------------------------------------

def test_sigmoid_of_zero_is_one_half_and_its_slope_there_is_one_quarter():
    assert sigmoid(0.0) == 0.5
    assert sigmoid_grad(0.0) == 0.25  # sigma(0) * (1 - sigma(0)) = 0.5 * 0.5


def test_sigmoid_matches_its_formula():
    z = np.array([-3.0, -0.5, 0.0, 2.0])
    np.testing.assert_allclose(sigmoid(z), 1 / (1 + np.exp(-z)), rtol=1e-15)


def test_sigmoid_is_symmetric_about_one_half():
    z = np.linspace(-20, 20, 81)
    # sigma(-z) = 1 - sigma(z)
    np.testing.assert_allclose(sigmoid(-z), 1 - sigmoid(z), rtol=0, atol=1e-15)


def test_relu_keeps_positives_and_zeroes_the_rest():
    z = np.array([-2.0, -0.5, 0.0, 0.5, 2.0])
    np.testing.assert_array_equal(relu(z), [0.0, 0.0, 0.0, 0.5, 2.0])
    # Slope 1 where z > 0; at the kink z = 0 we use 0, like PyTorch.
    np.testing.assert_array_equal(relu_grad(z), [0.0, 0.0, 0.0, 1.0, 1.0])


def test_leaky_relu_scales_negatives_by_the_slope():
    z = np.array([-2.0, 0.0, 3.0])
    np.testing.assert_allclose(leaky_relu(z, negative_slope=0.1), [-0.2, 0.0, 3.0], rtol=1e-15)
    np.testing.assert_array_equal(leaky_relu_grad(z, negative_slope=0.1), [0.1, 0.1, 1.0])


def test_leaky_relu_default_slope_is_pytorchs_0_01():
    np.testing.assert_allclose(leaky_relu(np.array([-1.0])), [-0.01], rtol=1e-15)


def test_leaky_relu_rejects_a_negative_slope():
    with pytest.raises(ValueError, match="negative_slope"):
        leaky_relu(np.ones(3), negative_slope=-0.1)


def test_tanh_is_odd_and_zero_centred():
    z = np.linspace(-5, 5, 41)
    np.testing.assert_allclose(tanh(-z), -tanh(z), rtol=1e-15)
    assert tanh(0.0) == 0.0
    assert tanh_grad(0.0) == 1.0  # 1 - tanh(0)^2


def test_tanh_is_a_rescaled_sigmoid():
    z = np.linspace(-5, 5, 41)
    # tanh(z) = 2 sigma(2z) - 1
    np.testing.assert_allclose(tanh(z), 2 * sigmoid(2 * z) - 1, rtol=0, atol=1e-15)


def test_step_is_one_from_zero_on():
    np.testing.assert_array_equal(step(np.array([-1.0, -1e-9, 0.0, 2.0])), [0.0, 0.0, 1.0, 1.0])


def test_softmax_of_log_1_2_3_is_1_2_3_over_6():
    z = np.log([[1.0, 2.0, 3.0]])
    # e^z = (1, 2, 3), which sum to 6
    np.testing.assert_allclose(softmax(z), [[1 / 6, 2 / 6, 3 / 6]], rtol=1e-14)


def test_softmax_rows_sum_to_one():
    z = np.random.default_rng(0).standard_normal((5, 7))
    np.testing.assert_allclose(softmax(z).sum(axis=1), np.ones(5), rtol=1e-14)


def test_softmax_ignores_a_constant_added_to_a_row():
    z = np.random.default_rng(0).standard_normal((5, 7))
    shift = np.array([[-100.0], [-1.0], [0.0], [3.0], [100.0]])  # one constant per row
    np.testing.assert_allclose(softmax(z + shift), softmax(z), rtol=1e-12)


def test_log_softmax_is_the_log_of_softmax():
    z = np.random.default_rng(0).standard_normal((5, 7))
    np.testing.assert_allclose(log_softmax(z), np.log(softmax(z)), rtol=1e-14)


# --- Stability at extreme inputs ----------------------------------------------------------

@settings(max_examples=100, deadline=None)
@given(hnp.arrays(np.float64, hnp.array_shapes(max_dims=2, max_side=8),
                  elements=st.floats(allow_nan=False)))
@example(np.array([-1000.0, 1000.0]))
@example(np.array([-np.finfo(np.float64).max, np.finfo(np.float64).max]))
def test_sigmoid_stays_in_0_1_without_warnings_over_the_whole_float64_range(z):
    with np.errstate(**STRICT):
        s = sigmoid(z)
        ds = sigmoid_grad(z)
    assert np.all((s >= 0) & (s <= 1))
    assert np.all((ds >= 0) & (ds <= 0.25))


def test_sigmoid_saturates_at_plus_minus_1000():
    with np.errstate(**STRICT):
        np.testing.assert_array_equal(sigmoid(np.array([-1000.0, 1000.0])), [0.0, 1.0])


LARGE_LOGITS = hnp.arrays(np.float64, hnp.array_shapes(min_dims=2, max_dims=2, max_side=10),
                          elements=st.floats(-1e4, 1e4))


@settings(max_examples=100, deadline=None)
@given(LARGE_LOGITS)
@example(np.array([[1e4, -1e4, 0.0], [1e4, 1e4, 1e4], [-1e4, -1e4, -1e4]]))
def test_softmax_of_logits_up_to_1e4_is_finite_and_sums_to_one(z):
    with np.errstate(**STRICT):
        p = softmax(z)
    assert np.all(np.isfinite(p)) and np.all(p >= 0)
    np.testing.assert_allclose(p.sum(axis=1), 1.0, rtol=1e-12)


@settings(max_examples=100, deadline=None)
@given(LARGE_LOGITS)
@example(np.array([[1e4, -1e4, 0.0]]))
def test_log_softmax_of_logits_up_to_1e4_is_finite_and_at_most_zero(z):
    with np.errstate(**STRICT):
        log_p = log_softmax(z)
    assert np.all(np.isfinite(log_p)) and np.all(log_p <= 0)


def test_log_softmax_keeps_tiny_probabilities_that_softmax_rounds_to_zero():
    z = np.array([[1e4, 0.0]])
    # log softmax = z - logsumexp(z) = z - 1e4 (e^-1e4 is far below float64's resolution)
    np.testing.assert_allclose(log_softmax(z), [[0.0, -1e4]], rtol=1e-15)


# --- dtype and shape --------------------------------------------------------------------

ALL_FUNCTIONS = {
    "step": step, "sigmoid": sigmoid, "sigmoid_grad": sigmoid_grad, "tanh": tanh,
    "tanh_grad": tanh_grad, "relu": relu, "relu_grad": relu_grad, "leaky_relu": leaky_relu,
    "leaky_relu_grad": leaky_relu_grad, "softmax": softmax, "log_softmax": log_softmax,
}


@pytest.mark.parametrize("fn", ALL_FUNCTIONS.values(), ids=ALL_FUNCTIONS.keys())
def test_float32_in_float32_out(fn):
    z = away_from_zero((3, 4)).astype(np.float32)
    out = fn(z)
    assert out.dtype == np.float32
    assert out.shape == (3, 4)


@pytest.mark.parametrize("fn", ALL_FUNCTIONS.values(), ids=ALL_FUNCTIONS.keys())
def test_integer_input_becomes_float64(fn):
    assert fn(np.array([[-2, 0, 3]])).dtype == np.float64


# --- Bad input --------------------------------------------------------------------------

@pytest.mark.parametrize("fn", ALL_FUNCTIONS.values(), ids=ALL_FUNCTIONS.keys())
def test_nan_input_is_reported(fn):
    with pytest.raises(ValueError, match="NaN"):
        fn(np.array([[0.5, np.nan, -1.0]]))


def test_non_numeric_input_is_reported():
    with pytest.raises(ValueError, match="numeric"):
        sigmoid(np.array(["a", "b"]))


# --- Registry -----------------------------------------------------------------------------

EXPECTED_REGISTRY = {
    "sigmoid": (sigmoid, sigmoid_grad),
    "tanh": (tanh, tanh_grad),
    "relu": (relu, relu_grad),
    "leaky_relu": (leaky_relu, leaky_relu_grad),
}


def test_registry_names():
    assert set(ACTIVATIONS) == set(EXPECTED_REGISTRY)


@pytest.mark.parametrize("name", EXPECTED_REGISTRY)
def test_registry_entry_is_the_function_and_its_derivative(name):
    fn, grad = EXPECTED_REGISTRY[name]
    z = away_from_zero((3, 4))
    np.testing.assert_array_equal(ACTIVATIONS[name](z), fn(z))
    np.testing.assert_array_equal(ACTIVATIONS[name].grad(z), grad(z))


def test_leaky_relu_keeps_float32_even_with_a_numpy_float64_slope():
    z = np.array([-2.0, 3.0], dtype=np.float32)
    assert leaky_relu(z, np.float64(0.1)).dtype == np.float32
    assert leaky_relu_grad(z, np.float64(0.1)).dtype == np.float32


def test_nan_in_a_scalar_is_reported_without_an_index():
    with pytest.raises(ValueError, match=r"^z contains NaN$"):
        sigmoid(float("nan"))


# --- softmax over an empty class axis -------------------------------------------------------

@pytest.mark.parametrize("fn", [softmax, log_softmax])
@pytest.mark.parametrize("shape, axis", [((2, 0), -1), ((0,), -1), ((0, 3), 0)])
def test_softmax_over_an_axis_of_length_zero_is_refused(fn, shape, axis):
    # numpy used to say "zero-size array to reduction operation maximum which has no identity"
    with pytest.raises(ValueError, match=rf"at least one class: z has shape \({shape[0]},"
                                         rf".*no scores along axis {axis}"):
        fn(np.zeros(shape), axis=axis)


@pytest.mark.parametrize("fn", [softmax, log_softmax])
def test_softmax_of_an_empty_batch_is_empty(fn):
    out = fn(np.zeros((0, 3)))
    assert out.shape == (0, 3) and out.dtype == np.float64


@pytest.mark.parametrize("fn", [softmax, log_softmax])
def test_softmax_names_an_axis_that_does_not_exist_and_refuses_a_scalar(fn):
    with pytest.raises(ValueError, match=r"axis 2 does not exist in z of shape \(2, 3\)"):
        fn(np.zeros((2, 3)), axis=2)
    with pytest.raises(ValueError, match="scalar"):
        fn(1.0)
