"""Lesson 08's training explorer, driven headless through every control."""

import numpy as np
import pytest

from utils.datasets import make_blobs
from utils.widgets import training as training_module
from utils.widgets.training import (BATCH_SIZES, HIDDEN_UNITS, LOSS_TOPS, LiveLossCurve, loss_axis_top, plot_digits,
                                    plot_training_loop, training_explorer, training_run)


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


def test_a_huge_learning_rate_is_not_a_small_one():
    e = training_explorer(lr=10 ** -0.5, epochs=3)  # the digits: a rate this large does not learn either
    assert e.run["val_accuracy"][-1] < 0.8 and not e.challenges[1].met
    e.close()


def test_the_first_challenge_asks_for_eight_units_and_is_met_by_tuning_lr_and_batch_size():
    e = training_explorer()  # the digits, as lesson 08 starts it
    assert e.values["hidden"] == 16 and e.run["val_accuracy"][-1] >= 0.93 and not e.challenges[0].met
    e.controls["hidden"].value = 8
    assert not e.challenges[0].met  # the same rate and batches with half the units fall short
    with e.batch():
        e.controls["lr"].value, e.controls["batch_size"].value = 10 ** -1.75, 16
    assert e.run["val_accuracy"][-1] >= 0.93 and e.challenges[0].met
    e.close()


def test_a_run_control_redraws_no_axes_only_the_settings_line(explorer, monkeypatch):
    full, parts = [], []
    monkeypatch.setattr(explorer.image, "redraw_background", lambda: full.append(1))
    redraw_axes = explorer.image.redraw_axes
    monkeypatch.setattr(explorer.image, "redraw_axes",
                        lambda axes, **kw: (parts.append(list(axes)), redraw_axes(axes, **kw)))
    before = explorer.image.widget.value
    explorer.controls["hidden"].value = HIDDEN_UNITS[-1]
    assert explorer.last_error is None and full == []
    assert [explorer.setup_ax] in parts and "64 ReLU units" in explorer.setup_text.get_text()
    assert all(ax in (explorer.setup_ax, explorer.ax_loss, explorer.ax_acc) for axes in parts for ax in axes)
    assert explorer.train_line.get_animated() and explorer.acc_line.get_animated()  # the curves are blitted
    np.testing.assert_array_equal(explorer.train_line.get_ydata(), explorer.run["train_loss"])
    assert explorer.image.widget.value != before


def test_a_setting_seen_before_is_replayed_without_training(explorer, monkeypatch):
    first = explorer.run
    explorer.controls["batch_size"].value = 64
    calls = []
    monkeypatch.setattr(training_module, "training_run", lambda *a, **k: calls.append(1))
    explorer.controls["batch_size"].value = 16
    assert explorer.run is first and calls == [] and explorer.last_error is None


def test_the_loss_axis_steps_through_few_tops_and_the_accuracy_axis_drops_to_zero_for_a_failed_run(explorer):
    assert loss_axis_top([0.5, 0.8]) == 1.0 and loss_axis_top([1.0, 2.2]) == 2.5
    assert loss_axis_top([np.nan, 3.0]) == 5.0 and loss_axis_top([1e4]) == LOSS_TOPS[-1]
    assert explorer.ax_loss.get_ylim() == (0.0, loss_axis_top(np.r_[explorer.run["train_loss"],
                                                                     explorer.run["val_loss"]]))
    explorer.controls["lr"].value = 1e-4  # barely learns: accuracy far below 0.5
    assert explorer.run["val_accuracy"].min() < 0.55 and explorer.ax_acc.get_ylim() == (0.0, 1.005)


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
