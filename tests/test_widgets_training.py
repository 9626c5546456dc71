"""Lesson 08's training explorer, driven headless through every control."""

import numpy as np
import pytest

from utils.datasets import make_blobs
from utils.widgets.training import (BATCH_SIZES, HIDDEN_UNITS, LiveLossCurve, plot_digits, plot_training_loop,
                                    training_explorer, training_run)


@pytest.fixture(scope="module")
def data():
    X, y = make_blobs(240, centers=[[-2.0, 0.0], [2.0, 0.0], [0.0, 2.5]], noise=0.8, rng=np.random.default_rng(0))
    return X[:180], y[:180], X[180:], y[180:]


@pytest.fixture
def explorer(data):
    e = training_explorer(*data, lr=0.03, batch_size=16, hidden=8, epochs=6)
    yield e
    e.close()


def test_training_run_records_every_epoch_and_is_reproducible(data):
    a = training_run(*data, lr=0.03, batch_size=16, hidden=8, epochs=4)
    b = training_run(*data, lr=0.03, batch_size=16, hidden=8, epochs=4)
    assert a["train_loss"].shape == (4,) and a["confusion"].shape == (4, 3, 3)
    np.testing.assert_array_equal(a["val_loss"], b["val_loss"])
    assert (a["confusion"].sum(axis=(1, 2)) == len(data[3])).all()
    assert a["val_accuracy"][-1] > 0.8 and a["train_loss"][-1] < a["train_loss"][0]


def test_the_epoch_slider_replays_without_training_again(explorer):
    run = explorer.run
    explorer.controls["epoch"].value = 2
    assert explorer.run is run and explorer.epoch == 2
    assert explorer.val_loss == pytest.approx(run["val_loss"][1])
    np.testing.assert_array_equal(explorer.confusion, run["confusion"][1])
    assert explorer.status.startswith("epoch 2:") and explorer.redraws["path"] == 1


@pytest.mark.parametrize("name, value", [("lr", 1e-4), ("batch_size", BATCH_SIZES[-1]), ("hidden", HIDDEN_UNITS[0])])
def test_every_run_control_trains_again(explorer, name, value):
    before = explorer.run["train_loss"].copy()
    explorer.controls[name].value = value
    assert explorer.last_error is None and explorer.redraws["surface"] == 1
    assert not np.array_equal(explorer.run["train_loss"], before)
    assert explorer.values[name] == value


def test_a_tiny_learning_rate_meets_the_second_challenge_and_fails_the_first(explorer):
    explorer.controls["lr"].value = 1e-4
    assert [c.met for c in explorer.challenges] == [False, True]


def test_bad_arguments_are_refused_clearly(data):
    with pytest.raises(ValueError, match="all four of X, y, X_val, y_val"):
        training_explorer(data[0], data[1])
    with pytest.raises(ValueError, match="batch_size must be one of"):
        training_explorer(*data, batch_size=33)
    with pytest.raises(ValueError, match="epochs must be an integer >= 2"):
        training_explorer(*data, epochs=1)


def test_static_figures_draw(data):
    import matplotlib.pyplot as plt
    ax = plot_training_loop()
    words = " ".join(t.get_text() for t in ax.texts)
    assert all(w in words for w in ("mini-batch", "forward pass", "loss", "backward pass", "optimizer step", "epoch"))
    fig = plot_digits(np.zeros((3, 8, 8)), ["a", "b", "c"], columns=2)
    assert len(fig.axes) == 4 and fig.axes[0].get_title() == "a"
    plt.close("all")


def test_live_loss_curve_follows_the_history():
    curve = LiveLossCurve(epochs=5)
    curve.update({"train_loss": [1.0, 0.5], "val_loss": [1.2, 0.7]})
    np.testing.assert_array_equal(curve.lines["val_loss"].get_ydata(), [1.2, 0.7])
    assert curve.ax.get_ylim()[1] >= 1.2
