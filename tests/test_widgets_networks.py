"""Lesson 03's explorer and figures, driven headless: width and depth of a small network on two moons."""

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402

from utils import datasets  # noqa: E402
from utils.widgets import EXPLORERS, network_explorer, plot_layers, plot_network_diagram  # noqa: E402
from utils.widgets.networks import layer_outputs, make_network, train_network  # noqa: E402


@pytest.fixture(scope="module")
def explorer():
    e = network_explorer()
    yield e
    e.close()


def test_it_is_registered_and_trains_one_network_per_setting(explorer):
    assert "network_explorer" in EXPLORERS
    assert set(explorer.models) == {(u, d) for u in range(1, 7) for d in range(1, 4)}
    assert explorer.models[3, 2].num_parameters() == 2 * 3 + 3 + 3 * 3 + 3 + 3 + 1


def test_the_sliders_swap_in_that_settings_network(explorer):
    X, y = explorer.X, explorer.y
    for units, depth in [(1, 1), (4, 2), (6, 3)]:
        explorer.controls["units"].value, explorer.controls["depth"].value = units, depth
        assert explorer.last_error is None
        model = explorer.models[units, depth]
        assert explorer.accuracy == pytest.approx(np.mean((model.predict(X)[:, 0] >= 0.5) == y))
        assert f"2 -> {' -> '.join([str(units)] * depth)} -> 1" in explorer.status
        assert explorer.hidden.shape == (len(X), 2) and np.abs(explorer.hidden).max() == pytest.approx(1.0)


def test_one_unit_is_a_bottleneck_and_wider_networks_separate_the_moons(explorer):
    one_unit = [explorer._pictures[1, d][0] for d in (1, 2, 3)]
    assert max(one_unit) < 0.9
    assert explorer._pictures[6, 2][0] == 1.0
    explorer.controls["units"].value, explorer.controls["depth"].value = 3, 2
    assert explorer.challenges[0].met


def test_the_width_challenge_needs_one_layer_and_95_percent_and_is_not_met_at_the_start():
    e = network_explorer()
    assert e.values == {"units": 2, "depth": 1} and e.accuracy < 0.95 and not e.challenges[1].ever_met
    e.controls["depth"].value = 3  # deeper is not the answer to this one
    e.controls["units"].value = 6
    assert e.accuracy >= 0.95 and not e.challenges[1].met
    e.controls["depth"].value = 1
    assert e.accuracy >= 0.95 and e.challenges[1].met
    e.close()


def test_a_slider_move_redraws_the_picture(explorer):
    explorer.controls["units"].value = 1
    before = explorer.image.widget.value
    explorer.controls["units"].value = 5
    assert explorer.image.widget.value != before


def test_layer_outputs_are_the_activation_layers_outputs():
    model = make_network(3, 2, rng=np.random.default_rng(0))
    X = np.random.default_rng(1).normal(size=(7, 2))
    outputs = layer_outputs(model, X)
    assert [o.shape for o in outputs] == [(7, 3), (7, 3), (7, 1)]
    assert np.allclose(outputs[-1], model.forward(X))
    assert np.allclose(outputs[0], np.tanh(X @ model[0].W.data + model[0].b.data))


def test_plot_layers_draws_one_panel_per_hidden_layer_and_refuses_wide_layers():
    X, y = datasets.make_moons(200, noise=0.1, seed=1)  # the lesson's moons and network
    model = make_network(2, 2, rng=np.random.default_rng(0))
    assert train_network(model, X, y, steps=400) == 1.0
    axes = plot_layers(model, X, y)
    assert len(axes) == 3 and axes[2].get_title() == "hidden layer 2"
    plt.close(axes[0].figure)
    with pytest.raises(ValueError, match="hidden layers of 2 units"):
        plot_layers(make_network(3, 1, rng=np.random.default_rng(0)), X, y)


def test_the_diagram_draws_every_connection_and_refuses_a_single_layer():
    ax = plot_network_diagram([2, 4, 3, 1])
    assert len(ax.lines) == 2 * 4 + 4 * 3 + 3 * 1
    plt.close(ax.figure)
    with pytest.raises(ValueError, match="at least two sizes"):
        plot_network_diagram([3])
