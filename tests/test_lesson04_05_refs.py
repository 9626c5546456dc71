"""Tests for the references that lessons 04 and 05 add to `utils`: `utils.logit_losses`.

The gradient against central differences in float64, the loss against the
probability form it replaces and against a case worked by hand, stability at
logits far beyond any float's exponent range, dtypes, and the error messages.
"""

import math

import numpy as np
import pytest

from utils.activations import sigmoid
from utils.gradient_check import numerical_gradient, rel_error
from utils.logit_losses import binary_cross_entropy_with_logits, binary_cross_entropy_with_logits_grad
from utils.losses import binary_cross_entropy

STRICT = dict(over="raise", invalid="raise", divide="raise", under="ignore")


def test_grad_matches_central_differences():
    rng = np.random.default_rng(0)
    z, y = rng.standard_normal((5, 1)) * 3, rng.integers(0, 2, (5, 1)).astype(float)
    numeric = numerical_gradient(lambda z_: binary_cross_entropy_with_logits(z_, y), z)
    err = rel_error(binary_cross_entropy_with_logits_grad(z, y), numeric)
    assert err < 1e-7, f"relative error {err:.1e}, expected < 1e-7"


def test_equals_binary_cross_entropy_of_the_sigmoid_where_that_is_exact():
    z = np.linspace(-8, 8, 17)
    y = (np.arange(17) % 2).astype(float)
    assert binary_cross_entropy_with_logits(z, y) == pytest.approx(binary_cross_entropy(sigmoid(z), y), rel=1e-12)


def test_a_small_case_worked_by_hand():
    # z = 0: sigma = 1/2, loss log 2 whatever the target; z = log 3: sigma = 3/4, loss -log(3/4) for y = 1
    z, y = np.array([0.0, 0.0, math.log(3)]), np.array([1.0, 0.0, 1.0])
    expected = (2 * math.log(2) - math.log(0.75)) / 3
    assert binary_cross_entropy_with_logits(z, y) == pytest.approx(expected, rel=1e-14)
    # gradient (sigma(z) - y) / M: (1/2 - 1, 1/2 - 0, 3/4 - 1) / 3
    np.testing.assert_allclose(binary_cross_entropy_with_logits_grad(z, y), np.array([-0.5, 0.5, -0.25]) / 3,
                               rtol=1e-14)


def test_confidently_wrong_logits_give_the_exact_large_loss_without_a_warning():
    # a logit of +-1000 on the wrong side costs 1000 (log(1 + e^-1000) is 0 in float64); the
    # probability form can only clamp at 100
    z, y = np.array([-1000.0, 1000.0, 1e6]), np.array([1.0, 0.0, 1.0])
    with np.errstate(**STRICT):
        loss = binary_cross_entropy_with_logits(z, y)
        grad = binary_cross_entropy_with_logits_grad(z, y)
    assert loss == pytest.approx(2000 / 3, rel=1e-15)
    np.testing.assert_allclose(grad, np.array([-1.0, 1.0, 0.0]) / 3, atol=0)


def test_soft_targets_are_legal_and_the_minimum_is_at_sigma_z_equal_y():
    y = np.array([0.3])
    z_best = np.array([math.log(0.3 / 0.7)])
    assert abs(binary_cross_entropy_with_logits_grad(z_best, y)[0]) < 1e-15
    assert binary_cross_entropy_with_logits(z_best, y) < binary_cross_entropy_with_logits(z_best + 0.1, y)


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_the_gradient_keeps_a_float_dtype(dtype):
    z = np.array([-2.0, 0.5, 30.0], dtype=dtype)
    assert binary_cross_entropy_with_logits_grad(z, np.array([0, 1, 1])).dtype == dtype


def test_integer_logits_give_float64():
    assert binary_cross_entropy_with_logits_grad(np.array([-1, 0, 2]), np.array([0, 1, 1])).dtype == np.float64
    assert isinstance(binary_cross_entropy_with_logits(np.array([-1, 0, 2]), np.array([0, 1, 1])), float)


@pytest.mark.parametrize("z, y, message", [
    (np.array([0.5, 1.0]), np.array([1.0, -1.0]), r"y must hold targets in \[0, 1\].*got values in \[-1, 1\]"),
    (np.array([0.5, 1.0]), np.array([1.0]), r"z and y must have the same shape, got \(2,\) and \(1,\)"),
    (np.array([]), np.array([]), "z is empty"),
    (np.array([np.nan, 1.0]), np.array([0.0, 1.0]), "z contains NaN at index 0"),
    (np.array([np.inf, 1.0]), np.array([0.0, 1.0]), "z must be finite logits, got inf"),
    (np.array(["a", "b"]), np.array([0.0, 1.0]), "z must be a numeric array"),
])
def test_bad_input_gets_a_clear_error(z, y, message):
    with pytest.raises(ValueError, match=message):
        binary_cross_entropy_with_logits(z, y)
    with pytest.raises(ValueError, match=message):
        binary_cross_entropy_with_logits_grad(z, y)
