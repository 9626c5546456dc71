"""Lesson 05's explorer and figures, driven headless through their controls as a learner would move them."""

import numpy as np
import pytest

from utils.activations import sigmoid
from utils.gradient_check import numerical_gradient
from utils.widgets import EXPLORERS
from utils.widgets.backprop import (backprop_explorer, loss_over_w1, neuron_graph, plot_neuron_graph,
                                    tiny_network)


def test_the_explorer_is_registered():
    assert "backprop_explorer" in EXPLORERS


def test_the_neuron_of_the_lesson_gives_the_numbers_worked_by_hand():
    # z = 0.5 - 1 + 0.5 = 0, a = 1/2, L = 1/4; dL/da = 2 (a - y) = -1, dL/dz = -1 * sigma'(0) = -1/4
    values, grads = neuron_graph((1.0, 2.0), (0.5, -0.5), 0.5, 1.0)
    assert (values["z"], values["a"], values["L"]) == (0.0, 0.5, 0.25)
    assert grads["a"] == -1.0 and grads["z"] == -0.25 and grads["b"] == -0.25
    assert (grads["w1"], grads["w2"]) == (-0.25, -0.5)       # dL/dz times x
    assert (grads["x1"], grads["x2"]) == (-0.125, 0.125)     # dL/dz times w


def test_tiny_network_gradients_match_central_differences():
    start = np.array([0.7, -1.3, 0.4, 2.1, -0.5, 1.2])        # x, w1, b1, w2, b2, y

    def loss(p):
        return tiny_network(*p)[0]["L"]
    numeric = numerical_gradient(loss, start.copy())
    _, grads = tiny_network(*start)
    analytic = np.array([grads[k] for k in ("x", "w1", "b1", "w2", "b2", "y")])
    np.testing.assert_allclose(analytic, numeric, rtol=1e-7, atol=1e-10)


def test_every_edge_carries_the_chain_rule_product():
    values, grads = tiny_network(1.5, -0.8, 0.3, 2.0, 0.1, -1.0)
    assert grads["y_hat"] == pytest.approx(2 * (values["y_hat"] - values["y"]))
    assert grads["a1"] == pytest.approx(grads["p2"] * values["w2"])
    assert grads["z1"] == pytest.approx(grads["a1"] * values["a1"] * (1 - values["a1"]))
    assert grads["w1"] == pytest.approx(grads["z1"] * values["x"])
    assert grads["x"] == pytest.approx(grads["z1"] * values["w1"])
    assert grads["b1"] == grads["z1"] and grads["b2"] == grads["y_hat"]


def test_moving_a_slider_recomputes_values_gradients_and_the_labels_on_the_graph():
    explorer = backprop_explorer()
    explorer.controls["w2"].value = 2.0
    explorer.controls["y"].value = -1.0
    values, grads = tiny_network(1.0, 0.5, 0.0, 2.0, 0.0, -1.0)
    assert explorer.loss == pytest.approx(values["L"])
    assert explorer.grads["w1"] == pytest.approx(grads["w1"])
    value_text, grad_text = explorer.texts["w2"]
    assert value_text.get_text() == "2.000" and grad_text.get_text() == f"{grads['w2']:.3f}"
    assert explorer.redraws["path"] == 2 and explorer.last_error is None


def test_the_tangent_has_the_slope_of_the_loss_curve():
    explorer = backprop_explorer()
    explorer.controls["w1"].value = -1.0
    (w_left, w_right), (L_left, L_right) = explorer.tangent.get_data()
    slope = (L_right - L_left) / (w_right - w_left)
    assert slope == pytest.approx(explorer.grads["w1"])
    w1_grid, L_grid = loss_over_w1(1.0, 0.0, 0.5, 0.0, 1.0, np.array([-1.0 - 1e-6, -1.0 + 1e-6]))
    assert slope == pytest.approx((L_grid[1] - L_grid[0]) / 2e-6, rel=1e-6)


def test_input_zero_stops_the_first_weights_gradient():
    explorer = backprop_explorer()
    explorer.controls["x"].value = 0.0
    assert explorer.grads["w1"] == 0.0 and explorer.grads["b1"] != 0.0


def test_the_challenges_can_be_met_through_the_controls():
    explorer = backprop_explorer()
    assert not any(c.met for c in explorer.challenges)
    with explorer.batch():  # y_hat = 2 sigma(0) + 0.0 = 1 = y: the loss is exactly 0
        explorer.controls["w1"].value, explorer.controls["w2"].value = 0.0, 2.0
    assert explorer.challenges[0].met
    with explorer.batch():  # a saturated hidden unit: sigma(4 * 2 + 3) is flat, the output stuck far from y
        explorer.controls["x"].value, explorer.controls["w1"].value, explorer.controls["b1"].value = 2.0, 4.0, 3.0
        explorer.controls["w2"].value, explorer.controls["y"].value = -1.0, 1.0
    assert explorer.loss > 1.0 and abs(explorer.grads["w1"]) < 1e-3
    assert explorer.challenges[1].met and explorer.challenges[0].ever_met
    explorer.controls["w1"].value = -1.0
    explorer.controls["b1"].value = 0.0
    assert explorer.grads["w1"] * explorer.grads["w2"] < 0 and explorer.challenges[2].met


def test_extreme_sliders_raise_no_warning_and_show_no_error():
    explorer = backprop_explorer()
    for name, value in (("w1", 4.0), ("x", -3.0), ("b1", -3.0), ("w2", 3.0), ("b2", 3.0), ("y", -2.0)):
        explorer.controls[name].value = value
    assert explorer.last_error is None and np.isfinite(explorer.loss)
    assert explorer.state["a1"] == pytest.approx(sigmoid(np.array([-15.0]))[0])


def test_a_slider_move_redraws_only_the_numbers_the_curve_and_at_most_the_column_of_loss_tick_labels(monkeypatch):
    explorer = backprop_explorer()
    redrawn = []
    monkeypatch.setattr(explorer.image, "redraw_background", lambda: redrawn.append("everything"))
    redraw_axes = explorer.image.redraw_axes
    monkeypatch.setattr(explorer.image, "redraw_axes",
                        lambda axes, **kw: (redrawn.extend(axes), redraw_axes(axes, **kw)))
    pixels_of_ticks = explorer.ax_loss.transData.transform([[0, t] for t in explorer.ax_loss.get_yticks()])
    for name in ("b2", "y", "w2"):
        for value in np.linspace(explorer.controls[name].min, explorer.controls[name].max, 7):
            explorer.controls[name].value = float(value)
            low, top = explorer.ax_loss.get_ylim()
            assert explorer.curve[1].max() <= top and low == -0.04 * top
            labels = [float(t.get_text()) for t in explorer.ytick_labels]
            np.testing.assert_allclose(labels, np.linspace(0, top, 6), rtol=1e-9)
            np.testing.assert_allclose(explorer.ax_loss.get_yticks(), labels)
    assert "everything" not in redrawn and set(redrawn) == {explorer.ax_yticks}  # the axis's end did change
    # the ticks (and the grid) land on the same pixels whatever the axis's end: the background stays right
    np.testing.assert_allclose(explorer.ax_loss.transData.transform([[0, t] for t in explorer.ax_loss.get_yticks()]),
                               pixels_of_ticks)
    animated = {t for pair in explorer.texts.values() for t in pair if t.get_animated()}
    assert len(animated) == 25 and explorer.texts["L"][1].get_text() == "1.000"  # dL/dL = 1: drawn once


def test_the_status_is_a_line_above_the_live_picture_and_a_title_in_the_static_one():
    explorer = backprop_explorer()
    explorer.controls["w1"].value = -1.0
    assert f"loss L = {explorer.loss:.4f}" in explorer.status_line.value
    assert f"{explorer.grads['w1']:+.4f}" in explorer.status_line.value
    assert not explorer.title.get_visible()  # not drawn on every move
    explorer.png()
    assert explorer.title.get_text() == explorer.status and not explorer.title.get_visible()
    assert explorer.status_line in explorer.widget.children[0].children
    explorer.close()
    assert explorer.status_line.comm is None


def test_the_picture_changes_when_a_slider_moves():
    explorer = backprop_explorer()
    before = explorer.png()
    explorer.controls["b2"].value = 1.0
    assert explorer.png() != before


def test_the_neuron_figure_writes_every_value_and_gradient():
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    ax = plot_neuron_graph()
    texts = {t.get_text() for t in ax.texts}
    assert {"0.25", "-0.25", "-0.5", "0.125", "-0.125", "-1"} <= texts
    plt.close(ax.figure)


@pytest.mark.parametrize("kwargs, message", [
    ({"w1": 5.0}, r"w1 must be a number in \[-4, 4\], got 5.0"),
    ({"y": "1"}, r"y must be a number in \[-2, 2\], got '1'"),
    ({"x": True}, r"x must be a number in \[-3, 3\], got True"),
])
def test_bad_starting_values_get_a_clear_error(kwargs, message):
    with pytest.raises(ValueError, match=message):
        backprop_explorer(**kwargs)


def test_neuron_graph_refuses_the_wrong_number_of_inputs():
    with pytest.raises(ValueError, match=r"two inputs and two weights, got shapes \(3,\) and \(2,\)"):
        neuron_graph((1.0, 2.0, 3.0), (0.5, 0.5), 0.0, 1.0)
