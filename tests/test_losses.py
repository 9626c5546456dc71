"""Tests for `utils.losses`.

Each gradient is checked against central differences in float64 (relative
error below 1e-7), each loss against a small case worked out by hand. Then:
stability at certain predictions, dtype, the error messages a learner sees,
and the ``LOSSES`` registry.
"""

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from utils.gradient_check import numerical_gradient, rel_error
from utils.losses import (
    LOSSES, binary_cross_entropy, binary_cross_entropy_grad, cross_entropy, cross_entropy_grad,
    mse, mse_grad,
)

#: Turn every floating-point warning that matters into an error.
STRICT = dict(over="raise", invalid="raise", divide="raise")


# --- Gradients against central differences ----------------------------------------------

def test_mse_grad_matches_central_differences():
    rng = np.random.default_rng(0)
    y_pred, y_true = rng.standard_normal((4, 3)), rng.standard_normal((4, 3))
    numeric = numerical_gradient(lambda y: mse(y, y_true), y_pred)
    err = rel_error(mse_grad(y_pred, y_true), numeric)
    assert err < 1e-7, f"relative error {err:.1e}, expected < 1e-7"


def test_binary_cross_entropy_grad_matches_central_differences():
    rng = np.random.default_rng(0)
    p = rng.uniform(0.1, 0.9, 6)  # away from 0 and 1, where the loss is clamped
    y = rng.integers(0, 2, 6).astype(np.float64)
    numeric = numerical_gradient(lambda p_: binary_cross_entropy(p_, y), p)
    err = rel_error(binary_cross_entropy_grad(p, y), numeric)
    assert err < 1e-7, f"relative error {err:.1e}, expected < 1e-7"


def test_cross_entropy_grad_matches_central_differences():
    rng = np.random.default_rng(0)
    logits, labels = rng.standard_normal((4, 5)), np.array([0, 3, 4, 3])
    numeric = numerical_gradient(lambda z: cross_entropy(z, labels), logits)
    err = rel_error(cross_entropy_grad(logits, labels), numeric)
    assert err < 1e-7, f"relative error {err:.1e}, expected < 1e-7"


# --- Values worked out by hand --------------------------------------------------------------

def test_mse_of_a_small_pair():
    # differences (0, 2, -2), squares (0, 4, 4), mean 8/3
    assert mse([1.0, 2.0, 3.0], [1.0, 0.0, 5.0]) == pytest.approx(8 / 3, rel=1e-15)
    # 2/M (y_hat - y) with M = 3
    np.testing.assert_allclose(mse_grad([1.0, 2.0, 3.0], [1.0, 0.0, 5.0]),
                               [0.0, 4 / 3, -4 / 3], rtol=1e-15)


def test_mse_averages_over_every_element_not_only_the_batch():
    # (1 + 4 + 9 + 16) / 4 elements; no factor 1/2, like PyTorch's MSELoss
    assert mse([[1.0, 2.0], [3.0, 4.0]], np.zeros((2, 2))) == pytest.approx(7.5, rel=1e-15)


def test_binary_cross_entropy_of_a_small_pair():
    p, y = np.array([0.9, 0.2]), np.array([1.0, 0.0])
    # L = -(log 0.9 + log(1 - 0.2)) / 2
    expected = -(math.log(0.9) + math.log(0.8)) / 2
    assert binary_cross_entropy(p, y) == pytest.approx(expected, rel=1e-14)


def test_binary_cross_entropy_grad_of_a_small_pair():
    p, y = np.array([0.9, 0.2]), np.array([1.0, 0.0])
    # (p - y) / (p (1 - p)) / M:  y = 1 gives -1 / (M p),  y = 0 gives 1 / (M (1 - p))
    np.testing.assert_allclose(binary_cross_entropy_grad(p, y),
                               [-1 / (2 * 0.9), 1 / (2 * 0.8)], rtol=1e-14)


def test_cross_entropy_of_uniform_logits_is_log_of_the_number_of_classes():
    # Equal scores give every class probability 1/C, so L = -log(1/C) = log C.
    logits = np.zeros((4, 10))
    assert cross_entropy(logits, [0, 3, 9, 5]) == pytest.approx(math.log(10), rel=1e-15)


def test_cross_entropy_of_a_two_class_example():
    logits, labels = np.array([[0.0, math.log(3)]]), [1]
    # softmax = (1, 3) / 4, so L = -log(3/4)
    assert cross_entropy(logits, labels) == pytest.approx(math.log(4 / 3), rel=1e-14)
    # probabilities minus the one-hot target: (1/4 - 0, 3/4 - 1)
    np.testing.assert_allclose(cross_entropy_grad(logits, labels), [[0.25, -0.25]], rtol=1e-14)


def test_cross_entropy_grad_is_divided_by_the_batch_size():
    logits = np.zeros((2, 2))
    # each row: (1/2, 1/2) minus its one-hot target, divided by N = 2
    np.testing.assert_allclose(cross_entropy_grad(logits, [0, 1]),
                               [[-0.25, 0.25], [0.25, -0.25]], rtol=1e-15)


def test_cross_entropy_accepts_whole_number_float_labels():
    logits = np.random.default_rng(0).standard_normal((3, 4))
    assert cross_entropy(logits, np.array([0.0, 2.0, 3.0])) == cross_entropy(logits, [0, 2, 3])


# --- Stability at certain predictions ------------------------------------------------------

@settings(max_examples=100, deadline=None)
@given(big=st.floats(100, 1e4), num_classes=st.integers(2, 10), data=st.data())
def test_cross_entropy_of_a_confident_wrong_prediction_is_large_and_finite(big, num_classes, data):
    wrong = data.draw(st.integers(0, num_classes - 1))
    logits = np.zeros((1, num_classes))
    logits[0, wrong] = big
    label = (wrong + 1) % num_classes
    with np.errstate(**STRICT):
        loss = cross_entropy(logits, [label])
        grad = cross_entropy_grad(logits, [label])
    # L = log(e^big + (C - 1)) - 0 = big + log(1 + (C - 1) e^-big), which is big in float64
    assert loss == pytest.approx(big, rel=1e-12)
    assert np.all(np.isfinite(grad))


def test_binary_cross_entropy_of_a_certain_wrong_prediction_is_clamped_at_100():
    p, y = np.array([0.0, 1.0]), np.array([1.0, 0.0])
    # Both are certain and wrong. Each log is clamped at -100, as in PyTorch: L = 100, not inf.
    with np.errstate(**STRICT):
        loss = binary_cross_entropy(p, y)
        grad = binary_cross_entropy_grad(p, y)
    assert loss == pytest.approx(100.0, rel=1e-12)
    assert np.all(np.isfinite(grad))
    assert grad[0] < 0 < grad[1]  # the gradient still points the right way


def test_binary_cross_entropy_of_a_certain_right_prediction_is_zero():
    p = np.array([0.0, 1.0])
    with np.errstate(**STRICT):
        assert binary_cross_entropy(p, p) == 0.0
        np.testing.assert_array_equal(binary_cross_entropy_grad(p, p), [0.0, 0.0])


def test_binary_cross_entropy_clamp_is_100_in_float32_too():
    # PyTorch clamps log p at -100 exactly; flooring p at e^-100 would not (a float32 subnormal).
    p, y = np.array([0.0], dtype=np.float32), np.array([1.0], dtype=np.float32)
    assert binary_cross_entropy(p, y) == pytest.approx(100.0, rel=1e-6)


@settings(max_examples=100, deadline=None)
@given(hnp.arrays(np.float64, st.integers(1, 8), elements=st.floats(0, 1)), st.data())
def test_binary_cross_entropy_is_finite_for_any_probability(p, data):
    y = data.draw(hnp.arrays(np.float64, p.shape, elements=st.sampled_from([0.0, 1.0])))
    with np.errstate(**STRICT):
        loss = binary_cross_entropy(p, y)
        grad = binary_cross_entropy_grad(p, y)
    assert 0 <= loss <= 100  # every log is clamped at -100
    assert np.all(np.isfinite(grad))


# --- dtype ------------------------------------------------------------------------------

def test_loss_gradients_keep_float32():
    rng = np.random.default_rng(0)
    y_pred = rng.standard_normal((4, 3)).astype(np.float32)
    p = rng.uniform(0.1, 0.9, 4).astype(np.float32)
    y = np.array([1, 0, 0, 1], dtype=np.float32)
    assert mse_grad(y_pred, np.zeros((4, 3), dtype=np.float32)).dtype == np.float32
    assert binary_cross_entropy_grad(p, y).dtype == np.float32
    assert cross_entropy_grad(y_pred, [0, 1, 2, 0]).dtype == np.float32


def test_float64_targets_do_not_promote_float32_predictions():
    y_pred = np.ones(3, dtype=np.float32)
    assert mse_grad(y_pred, np.zeros(3)).dtype == np.float32


def test_losses_return_python_floats():
    assert isinstance(mse(np.ones(3, dtype=np.float32), np.zeros(3, dtype=np.float32)), float)
    assert isinstance(cross_entropy(np.zeros((2, 3)), [0, 1]), float)


# --- Error messages ---------------------------------------------------------------------

def test_mse_rejects_shapes_that_would_silently_broadcast():
    # (3,) against (3, 1) would broadcast to (3, 3): a classic silent bug
    with pytest.raises(ValueError, match=r"same shape.*\(3,\).*\(3, 1\)"):
        mse(np.zeros(3), np.zeros((3, 1)))


def test_binary_cross_entropy_rejects_mismatched_shapes():
    with pytest.raises(ValueError, match="same shape"):
        binary_cross_entropy(np.full(4, 0.5), np.ones((4, 1)))


@pytest.mark.parametrize("bad", [4, -1])
def test_cross_entropy_names_the_label_range_and_the_bad_label(bad):
    with pytest.raises(ValueError) as info:
        cross_entropy(np.zeros((3, 4)), [0, bad, 1])
    message = str(info.value)
    assert "[0, 4)" in message and f"got {bad}" in message, message


def test_cross_entropy_rejects_fractional_labels():
    with pytest.raises(ValueError, match="integer"):
        cross_entropy(np.zeros((3, 4)), [0.0, 1.5, 2.0])


def test_cross_entropy_rejects_one_hot_labels():
    with pytest.raises(ValueError, match=r"\(N,\)"):
        cross_entropy(np.zeros((2, 3)), np.eye(3)[[0, 2]])


def test_cross_entropy_rejects_a_label_count_that_differs_from_the_batch():
    with pytest.raises(ValueError, match="3 rows"):
        cross_entropy(np.zeros((3, 4)), [0, 1])


def test_cross_entropy_wants_logits_of_shape_n_by_c():
    with pytest.raises(ValueError, match=r"\(N, C\)"):
        cross_entropy(np.zeros(4), [0])


@pytest.mark.parametrize("p", [[0.5, 1.7], [-0.2, 0.5]])
def test_binary_cross_entropy_suggests_sigmoid_for_values_outside_0_1(p):
    with pytest.raises(ValueError, match="sigmoid"):
        binary_cross_entropy(np.array(p), np.array([1.0, 0.0]))


def test_losses_reject_nan_predictions():
    with pytest.raises(ValueError, match="NaN"):
        mse(np.array([0.0, np.nan]), np.zeros(2))
    with pytest.raises(ValueError, match="NaN"):
        cross_entropy(np.array([[0.0, np.nan]]), [0])


def test_losses_reject_an_empty_batch():
    with pytest.raises(ValueError, match="empty"):
        mse(np.zeros(0), np.zeros(0))
    with pytest.raises(ValueError, match="empty"):
        cross_entropy(np.zeros((0, 3)), np.zeros(0, dtype=int))


# --- Registry -----------------------------------------------------------------------------

def registry_inputs(name):
    """A (prediction, target) pair suited to each loss."""
    rng = np.random.default_rng(0)
    if name == "mse":
        return rng.standard_normal((4, 2)), rng.standard_normal((4, 2))
    if name == "binary_cross_entropy":
        return rng.uniform(0.1, 0.9, 4), np.array([1.0, 0.0, 0.0, 1.0])
    return rng.standard_normal((4, 3)), np.array([2, 0, 1, 1])


EXPECTED_REGISTRY = {
    "mse": (mse, mse_grad),
    "binary_cross_entropy": (binary_cross_entropy, binary_cross_entropy_grad),
    "cross_entropy": (cross_entropy, cross_entropy_grad),
}


def test_registry_names():
    assert set(LOSSES) == set(EXPECTED_REGISTRY)


@pytest.mark.parametrize("name", EXPECTED_REGISTRY)
def test_registry_entry_is_the_loss_and_its_gradient(name):
    fn, grad = EXPECTED_REGISTRY[name]
    prediction, target = registry_inputs(name)
    assert LOSSES[name](prediction, target) == fn(prediction, target)
    np.testing.assert_array_equal(LOSSES[name].grad(prediction, target), grad(prediction, target))


def test_fused_cross_entropy_used_by_fit_gives_the_same_numbers():
    # utils.training.fit computes the loss and its gradient in one pass; they must not drift apart
    from utils.losses import _cross_entropy_and_grad
    logits = np.random.default_rng(0).standard_normal((5, 4))
    logits[0, 2] = 1e4  # and a confident wrong prediction
    labels = np.array([1, 0, 3, 3, 2])
    loss, grad = _cross_entropy_and_grad(logits, labels)
    assert loss == pytest.approx(cross_entropy(logits, labels), rel=1e-12)
    np.testing.assert_allclose(grad, cross_entropy_grad(logits, labels), rtol=1e-12, atol=1e-300)


@pytest.mark.parametrize("labels", [[np.inf], [np.nan], [0.5]])
def test_labels_that_are_not_whole_numbers_raise_a_value_error(labels):
    with pytest.raises(ValueError, match="integer class indices"):
        cross_entropy(np.zeros((1, 3)), labels)


# --- Binary cross-entropy targets must lie in [0, 1] --------------------------------------

def test_binary_cross_entropy_refuses_minus_one_labels_with_the_conversion():
    # the bug report: binary_cross_entropy([0.9, 0.2], [1, -1]) returned -0.529, a negative loss
    with pytest.raises(ValueError, match=r"targets in \[0, 1\].*got y\[1\] = -1; for labels in "
                                         r"\{-1, \+1\} use \(y \+ 1\) / 2"):
        binary_cross_entropy([0.9, 0.2], [1, -1])
    with pytest.raises(ValueError, match=r"got y\[1\] = -1"):
        binary_cross_entropy_grad([0.9, 0.2], [1, -1])


@pytest.mark.parametrize("y, where", [([0.0, 1.5], r"y\[1\] = 1\.5"), ([[2.0], [0.0]], r"y\[0, 0\] = 2"),
                                      ([0.0, -1e-3], r"y\[1\] = -0\.001")])
def test_binary_cross_entropy_refuses_any_target_outside_0_1(y, where):
    p = np.full(np.shape(y), 0.5)
    with pytest.raises(ValueError, match=where):
        binary_cross_entropy(p, y)


def test_binary_cross_entropy_takes_soft_targets():
    # y = 0.8, p = 0.5: -(0.8 log 0.5 + 0.2 log 0.5) = log 2, whatever the target
    assert binary_cross_entropy([0.5], [0.8]) == pytest.approx(math.log(2), rel=1e-15)
    # y = 0.9, p = 0.9: the entropy of 0.9, -(0.9 log 0.9 + 0.1 log 0.1) = 0.325083
    assert binary_cross_entropy([0.9], [0.9]) == pytest.approx(0.3250829733914482, rel=1e-12)
    # its gradient vanishes where p = y: the loss is smallest there
    assert binary_cross_entropy_grad(np.array([0.9]), np.array([0.9]))[0] == pytest.approx(0, abs=1e-12)


@pytest.mark.parametrize("loss, prediction, target", [
    (mse, np.array([1.0, np.inf]), np.zeros(2)),
    (mse, np.zeros(2), np.array([-np.inf, 0.0])),
    (cross_entropy, np.array([[np.inf, 0.0]]), [0]),
])
def test_losses_reject_infinities_instead_of_returning_inf_or_nan(loss, prediction, target):
    with pytest.raises(ValueError, match="contains an infinity at index"):
        loss(prediction, target)


@pytest.mark.parametrize("fn", [binary_cross_entropy, binary_cross_entropy_grad])
@pytest.mark.parametrize("p, y, message", [
    ([0.9, np.nan], [1.0, 0.0], "p contains NaN at index 1"),
    ([0.9, 0.2], [1.0, np.nan], "y contains NaN at index 1"),
    ([0.9, 0.2], [np.inf, 0.0], "y contains an infinity at index 0"),
    ([], [], "p is empty"),
    ([0.9, 0.2], [1.0, 0.0, 1.0], r"p .*y"),
])
def test_binary_cross_entropy_errors_name_its_own_parameters_p_and_y(fn, p, y, message):
    # not y_pred and y_true, the names of a helper the learner never called
    with pytest.raises(ValueError, match=message) as info:
        fn(np.array(p), np.array(y))
    assert "y_pred" not in str(info.value) and "y_true" not in str(info.value)
