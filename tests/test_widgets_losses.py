"""Lesson 04's explorers, driven headless through their controls as a learner would move them."""

import numpy as np
import pytest

from utils.activations import sigmoid, softmax
from utils.widgets import EXPLORERS
from utils.widgets.losses import loss_curves, loss_explorer, softmax_explorer, two_losses


def test_both_explorers_are_registered():
    assert {"loss_explorer", "softmax_explorer"} <= set(EXPLORERS)


def test_loss_explorer_confidently_wrong_shows_the_vanishing_mse_gradient():
    explorer = loss_explorer()
    explorer.controls["y"].value = 1.0
    explorer.controls["z"].value = -6.0
    p = sigmoid(np.array([-6.0]))[0]
    assert explorer.p == pytest.approx(p)
    # d/dz (p - 1)^2 = 2 (p - 1) p (1 - p); d/dz BCE = p - 1
    assert explorer.mse_grad == pytest.approx(2 * (p - 1) * p * (1 - p))
    assert explorer.bce_grad == pytest.approx(p - 1)
    assert abs(explorer.bce_grad) > 100 * abs(explorer.mse_grad)
    assert explorer.challenges[0].met
    assert explorer.redraws == {"path": 1, "surface": 0}  # y was already 1.0: no redraw for it


def test_loss_explorer_target_redraws_the_curves_and_moves_the_minimum():
    explorer = loss_explorer()
    explorer.controls["y"].value = 0.3
    assert explorer.redraws["surface"] == 1
    z_best = np.log(0.3 / 0.7)
    explorer.controls["z"].value = round(z_best, 1)
    assert explorer.challenges[1].met and explorer.last_error is None
    ydata = explorer.curves["bce"].get_ydata()
    assert np.argmin(ydata) == np.argmin(np.abs(loss_curves(0.3)["z"] - z_best))


def test_loss_curves_agree_with_two_losses_at_every_point():
    curves = loss_curves(1.0, np.array([-3.0, 0.0, 2.5]))
    for k, z in enumerate(curves["z"]):
        point = two_losses(z, 1.0)
        for key in ("mse", "bce", "mse_grad", "bce_grad"):
            assert curves[key][k] == pytest.approx(point[key], rel=1e-12)


def test_softmax_explorer_computes_softmax_loss_and_gradient():
    explorer = softmax_explorer()
    explorer.controls["z0"].value = 0.0
    explorer.controls["z1"].value = 3.0
    explorer.controls["y"].value = 2
    z = np.array([0.0, 3.0, -1.0])
    p = softmax(z[None])[0]
    np.testing.assert_allclose(explorer.probabilities, p)
    assert explorer.loss == pytest.approx(-np.log(p[2]))
    np.testing.assert_allclose(explorer.grad, p - np.eye(3)[2])
    heights = [bar.get_height() for bar in explorer.bars[1]]
    np.testing.assert_allclose(heights, p)
    assert explorer.bars[1][2].get_hatch() == "//" and explorer.bars[1][0].get_hatch() == ""


def test_softmax_explorer_shift_invariance_and_equal_logits_challenge():
    explorer = softmax_explorer(logits=(1.0, 1.0, 1.0))
    assert explorer.challenges[1].met and explorer.loss == pytest.approx(np.log(3))
    before = explorer.probabilities.copy()
    for name in ("z0", "z1", "z2"):
        explorer.controls[name].value = 5.0
    np.testing.assert_allclose(explorer.probabilities, before)


def test_extreme_logits_raise_no_warning_and_show_no_error():
    explorer = softmax_explorer()
    explorer.controls["z0"].value = -10.0
    explorer.controls["z1"].value = 10.0
    explorer.controls["z2"].value = 10.0
    assert explorer.last_error is None and np.isfinite(explorer.loss)
    explorer = loss_explorer()
    explorer.controls["z"].value = 8.0
    explorer.controls["y"].value = 0.0
    assert explorer.last_error is None and explorer.bce == pytest.approx(8.0 + np.log1p(np.exp(-8.0)))


def test_the_picture_changes_when_a_slider_moves():
    explorer = softmax_explorer()
    before = explorer.png()
    explorer.controls["z2"].value = 4.0
    assert explorer.png() != before


@pytest.mark.parametrize("factory, kwargs, message", [
    (loss_explorer, {"z": 20.0}, r"z must be a number in \[-8, 8\], got 20.0"),
    (loss_explorer, {"y": -1.0}, r"y must be a number in \[0, 1\], got -1.0"),
    (softmax_explorer, {"logits": (1.0, 2.0)}, "takes 3 logits, got 2"),
    (softmax_explorer, {"label": 3}, "label must be 0, 1 or 2, got 3"),
])
def test_bad_starting_values_get_a_clear_error(factory, kwargs, message):
    with pytest.raises(ValueError, match=message):
        factory(**kwargs)
