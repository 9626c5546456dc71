"""Lesson 02's explorer, driven headless through its controls: a neuron, its derivative, a chain of them."""

import matplotlib

matplotlib.use("Agg")
import numpy as np  # noqa: E402
import pytest  # noqa: E402

from utils import activations  # noqa: E402
from utils.widgets import EXPLORERS, activation_explorer, chain_gradients  # noqa: E402


@pytest.fixture
def explorer():
    e = activation_explorer()
    yield e
    e.close()


def set_values(e, **values):
    for name, value in values.items():
        e.controls[name].value = value
    assert e.last_error is None, e.last_error


def test_it_is_registered_and_starts_with_a_vanishing_sigmoid_chain(explorer):
    assert "activation_explorer" in EXPLORERS
    assert set(explorer.controls) == {"activation", "w", "b", "x", "depth"}
    assert explorer.chain_grad.shape == (10,)
    assert "vanished" in explorer.status  # ten sigmoids with w = 1: below 0.25 ** 10 ~ 1e-6


def test_the_chain_gradient_is_the_chain_rule_product_along_the_forward_pass():
    w, b, x = 1.5, -0.5, 0.3
    z, grads = chain_gradients("tanh", w, b, x, 4)
    a = x
    for l in range(4):  # the forward pass by hand: z_l = w a_{l-1} + b, a_l = tanh(z_l)
        assert z[l] == pytest.approx(w * a + b)
        a = np.tanh(z[l])
    assert np.allclose(grads, np.cumprod(w * (1 - np.tanh(z) ** 2)))


def test_the_chain_gradient_matches_a_central_difference_through_the_whole_chain():
    def chain_output(x, name="sigmoid", w=2.0, b=-1.0, depth=6):
        a = x
        for _ in range(depth):
            a = float(activations.ACTIVATIONS[name](np.array(w * a + b)))
        return a
    h = 1e-6
    numeric = (chain_output(0.4 + h) - chain_output(0.4 - h)) / (2 * h)
    assert chain_gradients("sigmoid", 2.0, -1.0, 0.4, 6)[1][-1] == pytest.approx(numeric, rel=1e-6)


def test_the_drawn_derivative_is_the_slope_of_the_drawn_neuron(explorer):
    set_values(explorer, activation="tanh", w=-1.5, b=0.5)
    slope = np.gradient(explorer.a, explorer.x_grid)
    assert np.allclose(explorer.da[5:-5], slope[5:-5], atol=2e-3)


def test_relu_passes_exactly_one_for_positive_inputs_and_nothing_for_negative_ones(explorer):
    set_values(explorer, activation="relu", w=1.0, b=0.0, x=0.5, depth=20)
    assert np.all(explorer.chain_grad == 1.0)
    assert explorer.challenges[0].met
    set_values(explorer, x=-0.5)
    assert np.all(explorer.chain_grad == 0.0) and "vanished" in explorer.status
    assert not explorer.challenges[0].met and explorer.challenges[0].ever_met


def test_a_sigmoid_chain_survives_only_where_w_sigma_prime_is_one(explorer):
    set_values(explorer, activation="sigmoid", depth=20, w=1.0, b=0.0)
    assert not explorer.challenges[1].met
    set_values(explorer, w=4.0, b=-2.0)  # z = 0 at every layer, 4 * 0.25 = 1
    assert abs(explorer.chain_grad[-1]) == pytest.approx(1.0) and explorer.challenges[1].met
    assert "survives" in explorer.status


def test_a_saturated_tanh_chain_vanishes_within_five_layers(explorer):
    set_values(explorer, activation="tanh", w=3.0, b=3.0, depth=5)
    assert abs(explorer.chain_grad[-1]) < 1e-6 and explorer.challenges[2].met


def test_extreme_settings_redraw_without_an_error_or_a_warning(explorer):
    before = explorer.png()
    for name in ("sigmoid", "tanh", "relu", "leaky_relu"):
        set_values(explorer, activation=name, w=4.0, b=4.0, x=4.0, depth=30)
        assert np.all(np.isfinite(explorer.chain_grad))
        set_values(explorer, w=-4.0, b=-4.0, x=-4.0)
        set_values(explorer, w=0.0)
        assert np.all(explorer.chain_grad == 0.0)
    assert explorer.png() != before
    assert explorer.redraws["path"] >= 12


def test_a_control_change_redraws_the_picture(explorer):
    before = explorer.image.widget.value
    set_values(explorer, b=1.0)
    assert explorer.image.widget.value != before


def test_an_unknown_activation_is_refused_with_the_choices():
    with pytest.raises(ValueError, match="activation must be one of"):
        activation_explorer(activation="gelu")
