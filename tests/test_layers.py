"""Tests for `utils.layers` and `utils.models.Sequential`.

Every ``backward`` is checked against central differences with
``check_layer_gradients``: in float64 a correct backward pass agrees to a
relative error below 1e-7, for the input and for every parameter. Then the
API a learner relies on: shapes, initialisation, error messages, gradient
accumulation, dropout's modes, and what ``Sequential`` adds on top.
"""

import numpy as np
import pytest

from utils.gradient_check import check_layer_gradients
from utils.layers import Dense, Dropout, LeakyReLU, Parameter, ReLU, Sigmoid, Tanh
from utils.models import Sequential


def assert_gradients_match(layer, x):
    errors = check_layer_gradients(layer, x)
    assert max(errors.values()) < 1e-7, f"relative errors {errors}, expected all < 1e-7"


def away_from_zero(shape, seed=0):
    """Float64 inputs with 0.1 <= |x| <= 2: a step of 1e-5 never crosses ReLU's kink at 0."""
    rng = np.random.default_rng(seed)
    return rng.uniform(0.1, 2.0, shape) * rng.choice([-1.0, 1.0], shape)


class FixedMaskDropout(Dropout):
    """Dropout that re-seeds its generator before every forward pass, so every call draws
    the same mask: the function the gradient check differentiates stays the same."""

    def __init__(self, p, seed):
        super().__init__(p)
        self.seed = seed

    def forward(self, x):
        self.rng = np.random.default_rng(self.seed)
        return super().forward(x)


# --- Backward passes against central differences -------------------------------------------

def test_dense_backward():
    assert_gradients_match(Dense(5, 3, rng=np.random.default_rng(0), dtype=np.float64),
                           away_from_zero((4, 5)))


@pytest.mark.parametrize("layer", [ReLU(), Sigmoid(), Tanh(), LeakyReLU(), LeakyReLU(0.3)],
                         ids=repr)
def test_activation_layer_backward(layer):
    assert_gradients_match(layer, away_from_zero((4, 5)))


def test_dropout_backward_in_eval_mode():
    drop = Dropout(0.5, rng=np.random.default_rng(0))
    drop.training = False
    assert_gradients_match(drop, away_from_zero((4, 5)))


def test_dropout_backward_with_a_fixed_mask():
    drop = FixedMaskDropout(0.5, seed=0)
    assert_gradients_match(drop, away_from_zero((4, 5)))
    assert np.any(drop.forward(np.ones((4, 5))) == 0)  # the mask really drops units


def test_sequential_backward_through_several_layers():
    rng = np.random.default_rng(0)
    model = Sequential(
        Dense(5, 6, rng=rng, dtype=np.float64), Tanh(),
        Dense(6, 6, rng=rng, dtype=np.float64), FixedMaskDropout(0.3, seed=1), LeakyReLU(),
        Dense(6, 4, rng=rng, dtype=np.float64), Sigmoid(),
        Dense(4, 2, rng=rng, dtype=np.float64),
    )
    assert_gradients_match(model, away_from_zero((3, 5)))


# --- Dense --------------------------------------------------------------------------------

def test_dense_parameter_shapes():
    dense = Dense(4, 3)
    assert dense.W.shape == (4, 3)  # (D_in, D_out): PyTorch stores the transpose
    assert dense.b.shape == (3,)
    assert dense.parameters() == [dense.W, dense.b]
    np.testing.assert_array_equal(dense.b.data, np.zeros(3))


def test_dense_forward_is_x_times_w_plus_b():
    dense = Dense(3, 2, dtype=np.float64)
    dense.W.data[...] = [[1, 2], [3, 4], [5, 6]]
    dense.b.data[...] = [10, 20]
    x = np.array([[1.0, 0.0, -1.0],
                  [0.0, 1.0, 0.0]])
    # row 1: (1 - 5 + 10, 2 - 6 + 20);  row 2: picks row 2 of W, (3 + 10, 4 + 20)
    np.testing.assert_array_equal(dense.forward(x), [[6, 16], [13, 24]])


def test_dense_he_init_has_std_sqrt_2_over_fan_in():
    dense = Dense(1000, 1000, rng=np.random.default_rng(0))
    # 10^6 weights: the sample std is within about 0.1% of sqrt(2/1000); we allow 1%.
    assert dense.W.data.std() == pytest.approx(np.sqrt(2 / 1000), rel=0.01)
    assert abs(dense.W.data.mean()) < 1e-3


def test_dense_xavier_init_has_std_sqrt_2_over_fan_in_plus_fan_out():
    dense = Dense(1000, 500, rng=np.random.default_rng(0), init="xavier")
    assert dense.W.data.std() == pytest.approx(np.sqrt(2 / 1500), rel=0.01)


def test_dense_zeros_init():
    np.testing.assert_array_equal(Dense(4, 3, init="zeros").W.data, np.zeros((4, 3)))


def test_dense_same_seed_gives_same_weights():
    a = Dense(4, 3, rng=np.random.default_rng(7))
    b = Dense(4, 3, rng=np.random.default_rng(7))
    c = Dense(4, 3, rng=np.random.default_rng(8))
    np.testing.assert_array_equal(a.W.data, b.W.data)
    assert not np.array_equal(a.W.data, c.W.data)


def test_dense_explains_a_wrong_input_shape():
    dense = Dense(784, 256)
    with pytest.raises(ValueError) as info:
        dense.forward(np.zeros((32, 28, 28)))  # images not flattened
    message = str(info.value)
    assert "(N, 784)" in message and "(32, 28, 28)" in message, message


def test_dense_rejects_nan_input():
    x = np.ones((2, 3))
    x[1, 2] = np.nan
    with pytest.raises(ValueError, match="NaN"):
        Dense(3, 2).forward(x)


@pytest.mark.parametrize("layer", [Dense(3, 2), ReLU(), Sigmoid(), Tanh(), LeakyReLU(),
                                   Dropout(0.5)], ids=repr)
def test_backward_before_forward_raises(layer):
    with pytest.raises(ValueError, match="before forward"):
        layer.backward(np.ones((1, 2)))


def test_dense_rejects_a_dout_of_the_wrong_shape():
    dense = Dense(3, 2)
    dense.forward(np.ones((4, 3)))
    with pytest.raises(ValueError, match=r"\(4, 2\)"):
        dense.backward(np.ones((4, 3)))


@pytest.mark.parametrize("size", [0, -1, 2.5, True])
def test_dense_rejects_sizes_that_are_not_positive_integers(size):
    with pytest.raises(ValueError, match="in_features"):
        Dense(size, 3)


def test_dense_rejects_an_unknown_init():
    with pytest.raises(ValueError, match="init"):
        Dense(3, 2, init="gaussian")


def test_gradients_accumulate_until_zero_grad():
    dense = Dense(3, 2, dtype=np.float64)
    x, dout = np.array([[1.0, 0.0, -1.0]]), np.array([[1.0, 2.0]])
    dense.forward(x)
    dense.backward(dout)
    dense.backward(dout)
    # each call adds x^T dout = [[1, 2], [0, 0], [-1, -2]] to W.grad and dout = [1, 2] to b.grad
    np.testing.assert_array_equal(dense.W.grad, [[2, 4], [0, 0], [-2, -4]])
    np.testing.assert_array_equal(dense.b.grad, [2, 4])
    dense.zero_grad()
    np.testing.assert_array_equal(dense.W.grad, np.zeros((3, 2)))
    np.testing.assert_array_equal(dense.b.grad, np.zeros(2))


def test_parameter_grad_starts_at_zero_with_the_shape_and_dtype_of_data():
    p = Parameter(np.ones((2, 3), dtype=np.float32), "W")
    assert p.grad.shape == (2, 3) and p.grad.dtype == np.float32
    assert not p.grad.any()


# --- float32 by default -----------------------------------------------------------------

LAYER_FACTORIES = {
    "Dense": lambda: Dense(4, 4, rng=np.random.default_rng(0)),
    "ReLU": ReLU, "Sigmoid": Sigmoid, "Tanh": Tanh, "LeakyReLU": LeakyReLU,
    "Dropout": lambda: Dropout(0.5, rng=np.random.default_rng(0)),
}


@pytest.mark.parametrize("make_layer", LAYER_FACTORIES.values(), ids=LAYER_FACTORIES.keys())
def test_default_layers_keep_float32_forward_and_backward(make_layer):
    layer = make_layer()
    x = away_from_zero((3, 4)).astype(np.float32)
    out = layer.forward(x)
    dx = layer.backward(np.ones_like(out))
    assert out.dtype == np.float32 and dx.dtype == np.float32
    assert all(p.data.dtype == p.grad.dtype == np.float32 for p in layer.parameters())


def test_dense_casts_float64_input_to_its_own_dtype():
    dense = Dense(4, 2, rng=np.random.default_rng(0))  # float32, like PyTorch
    assert dense.forward(np.ones((3, 4))).dtype == np.float32


# --- Dropout ------------------------------------------------------------------------------

@pytest.mark.parametrize("p", [-0.1, 1.0, 1.5])
def test_dropout_p_must_be_in_0_1(p):
    with pytest.raises(ValueError, match=r"\[0, 1\)"):
        Dropout(p)


def test_dropout_in_eval_mode_is_the_identity():
    drop = Dropout(0.5, rng=np.random.default_rng(0))
    drop.training = False
    x = away_from_zero((4, 5))
    np.testing.assert_array_equal(drop.forward(x), x)
    np.testing.assert_array_equal(drop.backward(x), x)


def test_dropout_drops_about_p_of_the_units_and_keeps_the_mean():
    drop = Dropout(0.3, rng=np.random.default_rng(0))
    out = drop.forward(np.ones((1000, 100)))
    # 10^5 units: the standard error of either fraction is about 0.002; we allow 0.01.
    assert np.mean(out == 0) == pytest.approx(0.3, abs=0.01)
    assert out.mean() == pytest.approx(1.0, abs=0.01)
    # inverted dropout: the units it keeps are scaled by 1 / (1 - p)
    np.testing.assert_allclose(out[out != 0], 1 / 0.7, rtol=1e-15)


def test_dropout_backward_lets_gradient_through_only_the_kept_units():
    drop = Dropout(0.5, rng=np.random.default_rng(0))
    out = drop.forward(np.ones((4, 5)))
    # with x = 1, out is the scaled mask itself, and so is dx for dout = 1
    np.testing.assert_array_equal(drop.backward(np.ones((4, 5))), out)


def test_dropout_same_seed_gives_the_same_mask_and_each_call_a_new_one():
    x = np.ones((8, 8))
    a = Dropout(0.5, rng=np.random.default_rng(3))
    b = Dropout(0.5, rng=np.random.default_rng(3))
    first = a.forward(x)
    np.testing.assert_array_equal(first, b.forward(x))
    assert not np.array_equal(first, a.forward(x))


def test_dropout_with_p_zero_is_the_identity_in_training():
    x = away_from_zero((4, 5))
    np.testing.assert_array_equal(Dropout(0.0).forward(x), x)


# --- Sequential ---------------------------------------------------------------------------

def small_model(dtype=np.float64, p=0.5):
    rng = np.random.default_rng(0)
    return Sequential(Dense(4, 5, rng=rng, dtype=dtype), ReLU(), Dropout(p, rng=rng),
                      Dense(5, 2, rng=rng, dtype=dtype))


def test_sequential_parameters_come_in_layer_order():
    model = small_model()
    first, last = model.layers[0], model.layers[3]
    params = model.parameters()
    assert len(params) == 4
    assert all(p is q for p, q in zip(params, [first.W, first.b, last.W, last.b]))


def test_sequential_forward_chains_the_layers():
    model = small_model()
    model.eval()
    x = away_from_zero((3, 4))
    by_hand = x
    for layer in model.layers:
        by_hand = layer.forward(by_hand)
    np.testing.assert_array_equal(model.forward(x), by_hand)


def test_train_and_eval_reach_the_dropout_layer():
    model = small_model()
    drop = model.layers[2]
    assert model.eval() is model
    assert not model.training and not drop.training
    assert model.train() is model
    assert model.training and drop.training


def test_train_and_eval_reach_into_a_nested_sequential():
    inner_drop = Dropout(0.5)
    model = Sequential(Dense(2, 2), Sequential(ReLU(), inner_drop))
    model.eval()
    assert not inner_drop.training


def test_predict_runs_in_eval_mode_and_restores_training_mode():
    model = Sequential(Dropout(0.5, rng=np.random.default_rng(0)))
    x = np.ones((4, 100))
    np.testing.assert_array_equal(model.predict(x), x)  # nothing dropped
    assert model.training and model.layers[0].training


def test_predict_leaves_an_eval_model_in_eval_mode():
    model = small_model().eval()
    model.predict(np.ones((3, 4)))
    assert not model.training and not model.layers[2].training


def test_predict_in_batches_matches_one_forward_pass():
    model = small_model().eval()
    x = away_from_zero((10, 4))
    expected = model.forward(x)
    out = model.predict(x, batch_size=3)  # batches of 3, 3, 3 and 1
    assert out.shape == (10, 2)
    np.testing.assert_allclose(out, expected, rtol=1e-12)


def test_sequential_repr_lists_layers_and_parameter_counts():
    model = Sequential(Dense(784, 256), ReLU(), Dropout(0.2), Dense(256, 10))
    text = repr(model)
    # 784 * 256 + 256 = 200,960;  256 * 10 + 10 = 2,570;  total 203,530
    for line in ["Dense(784 -> 256)", "200,960", "ReLU()", "Dropout(p=0.2)",
                 "Dense(256 -> 10)", "2,570", "203,530"]:
        assert line in text, text
    assert model.num_parameters() == 203_530


def test_sequential_needs_at_least_one_layer():
    with pytest.raises(ValueError, match="at least one layer"):
        Sequential()


def test_sequential_rejects_something_that_is_not_a_layer():
    with pytest.raises(ValueError, match="position 1"):
        Sequential(Dense(2, 2), np.tanh)


def test_sequential_accepts_a_list_of_layers():
    layers = [Dense(2, 3), ReLU()]
    assert Sequential(layers).layers == layers


def test_sequential_zero_grad_clears_every_parameter():
    model = small_model()
    model.forward(away_from_zero((3, 4)))
    model.backward(np.ones((3, 2)))
    assert any(p.grad.any() for p in model.parameters())
    model.zero_grad()
    assert not any(p.grad.any() for p in model.parameters())


def test_backward_without_input_grad_returns_none_and_the_same_parameter_grads():
    model = small_model(p=0.0)
    x, dout = away_from_zero((3, 4)), away_from_zero((3, 2), seed=1)
    model.forward(x)
    assert model.backward(dout).shape == (3, 4)
    expected = [p.grad.copy() for p in model.parameters()]
    model.zero_grad()
    model.forward(x)
    assert model.backward(dout, input_grad=False) is None
    for p, g in zip(model.parameters(), expected):
        np.testing.assert_array_equal(p.grad, g)


def test_a_dropout_layer_on_its_own_switches_to_eval_mode():
    drop = Dropout(0.5, rng=np.random.default_rng(0))
    x = np.ones((4, 6), dtype=np.float32)
    assert drop.eval() is drop and not drop.training
    np.testing.assert_array_equal(drop(x), x)
    assert drop.train().training and np.any(drop(x) == 0)


def test_predict_rejects_a_batch_size_below_one():
    model = Sequential(Dense(2, 1, rng=np.random.default_rng(0)))
    with pytest.raises(ValueError, match="batch_size must be an integer >= 1, got 0"):
        model.predict(np.zeros((3, 2)), batch_size=0)
