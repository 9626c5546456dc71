"""The Playground, driven headless through every control: set values, press buttons, advance Play, read the state.

Every test builds its own Playground (they are cheap: no training until asked), drives it as a
learner would (``controls[...].value = ...``, ``buttons[...].click()``, the ``Play`` control's
value) and asserts on what it computed, never on pixels or on time. pytest turns a
RuntimeWarning (a floating-point warning) into an error, so divergence must come without one.
"""

import importlib

import matplotlib

matplotlib.use("Agg")
import numpy as np  # noqa: E402
import pytest  # noqa: E402

from utils import datasets  # noqa: E402
from utils.layers import Dense, Dropout  # noqa: E402
from utils.optimizers import SGD, Adam, RMSprop, cosine_annealing  # noqa: E402
from utils.widgets import EXPLORERS, playground, region_colors  # noqa: E402
from utils.widgets.base import OKABE_ITO, PATH, SURFACE  # noqa: E402
from utils.widgets.playground_run import DATASETS, OWN_DATA  # noqa: E402

pg_module = importlib.import_module("utils.widgets.playground")  # the module (the package exports the function)


def tick(pg, ticks=1):
    """Advance the Play control by `ticks`, one tick at a time, as the browser does."""
    for _ in range(ticks):
        pg.controls["play"].value += 1
        assert pg.last_error is None, pg.last_error


def weights(pg):
    return [p.data.copy() for p in pg.model.parameters()]


# -- the contract ------------------------------------------------------------------------------

def test_called_with_no_arguments_it_shows_an_untrained_network_on_the_spirals():
    pg = playground()
    assert "playground" in EXPLORERS
    assert pg.dataset == "spirals" and pg.epoch == 0 and pg.hidden == (8, 8)
    assert {"dataset", "noise", "n", "test_size", "seed", "layers", "units1", "units2", "units3", "units4",
            "activation", "dropout", "optimizer", "lr", "batch_size", "l2", "schedule", "schedule_epochs",
            "epochs_per_tick", "play"} == set(pg.controls)
    assert set(pg.buttons) == {"pause", "step", "reset"}
    assert pg.status.startswith("epoch 0:") and "test loss" in pg.status and "accuracy" in pg.status
    assert pg.probabilities.shape == (pg_module.GRID, pg_module.GRID, 2)
    assert np.allclose(pg.probabilities.sum(axis=-1), 1.0, atol=1e-5)
    assert len(pg.X_train) + len(pg.X_test) == 200 and len(pg.X_test) == 100
    assert [type(layer).__name__ for layer in pg.model.layers] == [
        "Dense", "Tanh", "Dropout", "Dense", "Tanh", "Dropout", "Dense"]
    assert pg.model.layers[-1].out_features == 2


def test_the_static_picture_carries_the_status_line_and_the_live_view_shows_it_above():
    pg = playground(dataset="XOR", epochs=3)
    bundle = pg._repr_mimebundle_()
    assert "image/png" in bundle and "application/vnd.jupyter.widget-view+json" in bundle
    assert "epoch 3" in pg.status_line.value and "train loss" in pg.status_line.value
    assert not pg.status_text.get_visible()  # drawn only into png(), not every frame


# -- training ----------------------------------------------------------------------------------

def test_the_loss_falls_on_xor_with_a_sensible_setting():
    pg = playground(dataset="XOR", hidden=(4,), lr=0.03, epochs_per_tick=4)
    tick(pg, 25)
    h = pg.history
    assert pg.epoch == 100 and h.epoch == list(range(101))
    assert h.train_loss[-1] < h.train_loss[0] / 10 and h.test_loss[-1] < h.test_loss[0] / 10
    assert pg.test_accuracy == 1.0
    assert len(h.train_loss) == len(h.test_loss) == len(h.train_accuracy) == len(h.test_accuracy) == len(h.lr)


def test_each_tick_of_play_trains_its_epochs_and_a_play_value_going_back_trains_nothing():
    pg = playground(dataset="moons", epochs_per_tick=3)
    pg.controls["play"].value = 1
    assert pg.epoch == 3
    pg.controls["play"].value = 4  # three ticks at once (code, not a browser)
    assert pg.epoch == 12
    pg.controls["play"].value = 0
    assert pg.epoch == 12
    pg.controls["epochs_per_tick"].value = 1
    pg.controls["play"].value = 1
    assert pg.epoch == 13


def test_step_trains_one_epoch_and_pause_stops_play():
    pg = playground(dataset="circles")
    pg.play.playing = True
    pg.buttons["step"].click()
    assert pg.epoch == 1 and not pg.play.playing
    pg.play.playing = True
    pg.buttons["pause"].click()
    assert not pg.play.playing and pg.epoch == 1
    pg.step()
    assert pg.epoch == 2


def test_reset_starts_the_same_network_again():
    pg = playground(dataset="moons", dropout=0.2, epochs_per_tick=2)
    start = weights(pg)
    tick(pg, 5)
    assert pg.epoch == 10 and not all(np.array_equal(a, b) for a, b in zip(start, weights(pg)))
    pg.play.playing = True
    pg.buttons["reset"].click()
    assert pg.epoch == 0 and pg.controls["play"].value == 0 and not pg.play.playing
    assert all(np.array_equal(a, b) for a, b in zip(start, weights(pg)))
    assert len(pg.history) == 1
    tick(pg)
    assert pg.epoch == 2


def test_a_changed_data_set_resets_the_model_and_takes_the_classes_of_the_new_data():
    pg = playground(dataset="moons")
    tick(pg, 3)
    model = pg.model
    pg.controls["dataset"].value = "spirals, 3 classes"
    assert pg.epoch == 0 and pg.model is not model and len(pg.history) == 1
    assert pg.classes == 3 and pg.model.layers[-1].out_features == 3
    assert pg.probabilities.shape[-1] == 3 and set(np.unique(pg.y_train)) == {0, 1, 2}
    assert pg.redraws[SURFACE] == 1


@pytest.mark.parametrize("control, value", [("noise", 0.3), ("n", 300), ("test_size", 0.3), ("seed", 7),
                                            ("layers", 3), ("units1", 16), ("activation", "ReLU")])
def test_the_data_and_the_architecture_build_a_new_network(control, value):
    pg = playground(dataset="moons")
    tick(pg, 2)
    pg.controls[control].value = value
    assert pg.last_error is None and pg.epoch == 0 and len(pg.history) == 1


def test_the_training_settings_apply_to_the_network_as_it_is():
    pg = playground(dataset="moons", dropout=0.1, epochs_per_tick=2)
    tick(pg, 2)
    before = weights(pg)
    c = pg.controls
    c["lr"].value = 0.005
    c["l2"].value = 1e-3
    c["batch_size"].value = 40
    c["dropout"].value = 0.4
    c["optimizer"].value = "RMSprop"
    assert pg.epoch == 4 and len(pg.history) == 5
    assert all(np.array_equal(a, b) for a, b in zip(before, weights(pg)))
    assert isinstance(pg.run.optimizer, RMSprop) and pg.run.optimizer.lr == 0.005
    assert pg.run.optimizer.weight_decay == 1e-3
    assert [layer.p for layer in pg.model.layers if isinstance(layer, Dropout)] == [0.4, 0.4]
    tick(pg)
    assert pg.history.lr[-1] == 0.005 and pg.epoch == 6
    c["optimizer"].value = "momentum"
    assert isinstance(pg.run.optimizer, SGD) and pg.run.optimizer.momentum == 0.9
    c["optimizer"].value = "Adam"
    assert isinstance(pg.run.optimizer, Adam)


def test_batch_size_sets_the_steps_per_epoch(monkeypatch):
    pg = playground(dataset="moons", n=200, test_size=0.5, batch_size=25)
    calls = []
    original = pg.run.optimizer.step
    monkeypatch.setattr(pg.run.optimizer, "step", lambda: calls.append(1) or original())
    pg.step()
    assert len(calls) == 100 // 25
    pg.controls["batch_size"].value = 256  # more than the training points: one full batch
    monkeypatch.setattr(pg.run.optimizer, "step", lambda: calls.append(1) or original())
    pg.step()
    assert len(calls) == 100 // 25 + 1


def test_hidden_layers_and_units_build_that_architecture_and_grey_out_the_unused_sliders():
    pg = playground(dataset="XOR")
    c = pg.controls
    with pg.batch():
        c["layers"].value, c["units1"].value, c["units2"].value, c["units3"].value = 3, 5, 6, 7
    dense = [layer for layer in pg.model.layers if isinstance(layer, Dense)]
    assert pg.hidden == (5, 6, 7) and [d.out_features for d in dense] == [5, 6, 7, 2]
    assert [c[f"units{k}"].disabled for k in (1, 2, 3, 4)] == [False, False, False, True]
    c["layers"].value = 0  # softmax regression
    assert [type(layer).__name__ for layer in pg.model.layers] == ["Dense"] and pg.hidden == ()
    assert all(c[f"units{k}"].disabled for k in (1, 2, 3, 4))


@pytest.mark.parametrize("activation, layer", [("ReLU", "ReLU"), ("tanh", "Tanh"), ("sigmoid", "Sigmoid"),
                                               ("leaky ReLU", "LeakyReLU")])
def test_each_activation_is_the_course_layer(activation, layer):
    pg = playground(dataset="XOR", activation=activation)
    assert type(pg.model.layers[1]).__name__ == layer
    tick(pg)
    assert pg.last_error is None and pg.epoch == 4


def test_dropout_is_active_in_training_and_off_for_the_drawn_regions(monkeypatch):
    pg = playground(dataset="moons", dropout=0.5)
    modes = []
    for layer in pg.model.layers:
        if isinstance(layer, Dropout):
            forward = layer.forward
            monkeypatch.setattr(layer, "forward", lambda x, f=forward, l=layer: modes.append(l.training) or f(x))
    pg.step()
    assert True in modes and False in modes  # training batches with dropout; scores and regions without
    assert pg.model.training  # predict puts the mode back
    from utils.activations import softmax
    shown = softmax(pg.model.predict(pg.grid.astype(np.float32))).reshape(pg.probabilities.shape)
    assert np.array_equal(shown, pg.probabilities)
    again = pg.probabilities.copy()
    pg.controls["lr"].value = 0.01  # a redraw without training: the same regions, no random masks
    assert np.array_equal(again, pg.probabilities)


def test_the_seed_makes_runs_repeatable():
    settings = dict(dataset="spirals", dropout=0.2, seed=3, epochs_per_tick=2)
    a, b, c = playground(**settings), playground(**settings), playground(**{**settings, "seed": 4})
    for pg in (a, b, c):
        tick(pg, 5)
    assert a.history == b.history
    assert all(np.array_equal(x, y) for x, y in zip(weights(a), weights(b)))
    assert np.array_equal(a.X_train, b.X_train)
    assert not np.array_equal(a.X_train, c.X_train) and a.history != c.history


# -- learning-rate schedules -------------------------------------------------------------------

def test_a_step_schedule_divides_the_rate_by_ten_every_t_epochs():
    pg = playground(dataset="XOR", lr=0.02, schedule="step", schedule_epochs=10)
    pg.train(25)
    assert pg.history.lr[1] == 0.02 and pg.history.lr[10] == 0.02
    assert pg.history.lr[11] == pytest.approx(0.002) and pg.history.lr[21] == pytest.approx(0.0002)
    assert "step schedule, T = 10" in pg.setup_text.get_text()


def test_a_cosine_schedule_chosen_mid_run_starts_where_the_run_is():
    pg = playground(dataset="XOR", lr=0.02)
    pg.train(5)
    assert pg.controls["schedule_epochs"].disabled
    with pg.batch():
        pg.controls["schedule"].value, pg.controls["schedule_epochs"].value = "cosine", 10
    assert not pg.controls["schedule_epochs"].disabled
    assert pg.run.lr == pytest.approx(cosine_annealing(5, 0.02, 10, 0.0002))
    pg.train(5)
    assert pg.run.lr == pytest.approx(0.0002)  # a hundredth of the start after T epochs
    pg.controls["lr"].value = 0.04  # a new start rate moves the whole schedule
    assert pg.run.lr == pytest.approx(0.0004)
    pg.controls["schedule"].value = "none"
    assert pg.run.lr == 0.04


# -- divergence --------------------------------------------------------------------------------

@pytest.mark.parametrize("optimizer", ["SGD", "momentum", "RMSprop", "Adam"])
def test_a_huge_learning_rate_diverges_with_a_status_and_no_exception_or_warning(optimizer):
    pg = playground(dataset="moons", optimizer=optimizer, lr=10.0, activation="ReLU")
    pg.play.playing = True
    tick(pg, 10)
    assert pg.diverged_at is not None and 1 <= pg.diverged_at <= pg.epoch + 1
    assert pg.status.startswith(f"diverged at epoch {pg.diverged_at}:") and "lr 10" in pg.status
    assert not pg.play.playing  # Play stops by itself
    assert np.all(np.isnan(pg.probabilities)) and np.isnan(pg.test_loss)
    epoch = pg.epoch
    tick(pg, 2)
    pg.buttons["step"].click()
    assert pg.epoch == epoch  # nothing more trains
    assert pg.challenges[3].met  # "find a learning rate at which training diverges"
    pg.controls["lr"].value = 0.01
    pg.buttons["reset"].click()
    assert pg.diverged_at is None and pg.epoch == 0 and pg.status.startswith("epoch 0")


def test_divergence_is_recorded_with_its_epoch_in_the_history():
    pg = playground(dataset="spirals", optimizer="SGD", lr=10.0)
    pg.train(5)
    assert pg.diverged_at == 1 and "rose from" in pg.run.divergence
    assert pg.history.train_loss[-1] > 10 * pg.history.train_loss[0]


def test_play_stops_at_the_last_epoch(monkeypatch):
    monkeypatch.setattr(pg_module, "MAX_EPOCHS", 7)
    pg = playground(dataset="XOR", epochs_per_tick=2)
    pg.play.playing = True
    tick(pg, 5)
    assert pg.epoch == 7 and not pg.play.playing


# -- challenges --------------------------------------------------------------------------------

def test_the_xor_challenge_is_met_when_the_test_loss_falls_below_a_tenth():
    pg = playground(dataset="XOR", hidden=(4,))
    assert not pg.challenges[0].met
    pg.train(60)
    assert pg.test_loss < 0.1 and pg.challenges[0].met and pg.challenges[0].ever_met
    pg.controls["dataset"].value = "moons"
    assert not pg.challenges[0].met and pg.challenges[0].ever_met


def test_the_spirals_challenge_counts_the_hidden_units():
    small = playground(dataset="spirals", hidden=(10, 10), activation="ReLU", epochs=300)
    assert small.test_accuracy >= 0.95 and small.challenges[1].met
    with small.batch():  # the same accuracy with more units does not count
        small.controls["layers"].value = 3
    assert not small.challenges[1].met


def test_closing_it_closes_every_widget_it_made():
    pg = playground(dataset="XOR")
    pg.close()
    assert pg.closed and pg.status_line.comm is None and all(b.comm is None for b in pg._boxes)
    assert all(c.comm is None for c in pg.controls.values())


def test_the_challenges_can_be_replaced():
    assert playground(challenges=[]).challenges == []


# -- the learner's own data --------------------------------------------------------------------

def test_your_own_points_are_offered_as_a_data_set_and_noise_does_not_apply():
    X, y = datasets.make_blobs(90, noise=0.4, centers=[[-1, 0], [1, 0], [0, 1.5]], seed=1)
    pg = playground(X, y)
    assert pg.dataset == OWN_DATA and pg.classes == 3
    assert pg.controls["noise"].disabled and pg.controls["n"].disabled
    assert len(pg.X_train) + len(pg.X_test) == 90
    pg.train(30)
    assert pg.train_accuracy > 0.9
    pg.controls["dataset"].value = "XOR"
    assert pg.classes == 2 and not pg.controls["noise"].disabled
    pg.controls["dataset"].value = OWN_DATA
    assert pg.classes == 3 and np.array_equal(np.sort(np.r_[pg.X_train, pg.X_test], axis=0), np.sort(X, axis=0))


@pytest.mark.parametrize("X, y, message", [
    (np.zeros((10, 3)), np.arange(10) % 2, r"X must have shape \(N, 2\)"),
    (np.zeros((10, 2)), np.zeros(10, dtype=int), "each at least twice"),
    (np.zeros((10, 2)), np.arange(9) % 2, "X has 10 rows but y has 9"),
    (np.zeros((10, 2)), np.arange(10) % 7, r"y must be in \[0, 6\)"),
    (np.full((10, 2), np.nan), np.arange(10) % 2, "NaN"),
    (np.zeros((10, 2)), None, "pass both X and y"),
])
def test_bad_data_gets_a_clear_error(X, y, message):
    with pytest.raises(ValueError, match=message):
        playground(X, y)


@pytest.mark.parametrize("kwargs, message", [
    (dict(dataset="spiral"), "dataset must be one of"),
    (dict(dataset=OWN_DATA), "dataset must be one of"),
    (dict(lr=100.0), r"lr must be a number in \[0.0001, 10\], got 100.0"),
    (dict(lr="0.1"), "lr must be a number"),
    (dict(hidden=(0,)), "hidden must be a tuple of at most 4 layer sizes"),
    (dict(hidden=(8,) * 5), "hidden must be a tuple"),
    (dict(hidden=8), "hidden must be a tuple"),
    (dict(optimizer="adam"), "optimizer must be one of 'SGD'"),
    (dict(activation="relu"), "activation must be one of"),
    (dict(schedule="exponential"), "schedule must be one of"),
    (dict(dropout=1.0), r"dropout must be a number in \[0, 0.9\]"),
    (dict(batch_size=0), "batch_size must be an integer"),
    (dict(seed=1.5), "seed must be an integer"),
    (dict(epochs=-1), "epochs must be an integer"),
    (dict(l2=-1e-3), "l2 must be a number"),
])
def test_bad_settings_get_a_clear_error(kwargs, message):
    with pytest.raises(ValueError, match=message):
        playground(**kwargs)


def test_an_l2_strength_off_the_list_is_added_to_it():
    pg = playground(dataset="XOR", l2=2e-3)
    assert pg.controls["l2"].value == 2e-3 and pg.run.optimizer.weight_decay == 2e-3
    assert (f"{2e-3:g}", 2e-3) in pg.controls["l2"].options


# -- starting from code, and reading the history (lessons 09 and 10) ---------------------------

def test_it_can_start_overfitting_and_l2_then_narrows_the_gap():
    settings = dict(dataset="moons", noise=0.3, n=100, hidden=(64, 64), activation="ReLU", epochs=200)
    overfit, regular = playground(l2=0.0, **settings), playground(l2=3e-3, **settings)
    h = overfit.history
    assert h.train_loss[-1] < 0.01 and h.test_loss[-1] > 3 * min(h.test_loss)  # memorised; test loss rose
    gap = [pg.history.test_loss[-1] - pg.history.train_loss[-1] for pg in (overfit, regular)]
    assert gap[1] < gap[0] / 2


def test_train_from_code_refuses_a_bad_count():
    pg = playground(dataset="XOR")
    with pytest.raises(ValueError, match="epochs must be an integer >= 0"):
        pg.train(2.5)
    assert pg.train(3) == 3 and pg.epoch == 3


# -- redraws -----------------------------------------------------------------------------------

def test_a_tick_redraws_only_the_dynamic_artists_and_the_data_set_the_background():
    pg = playground(dataset="XOR")
    tick(pg, 3)
    pg.controls["lr"].value = 0.01
    assert pg.redraws == {PATH: 4, SURFACE: 0}
    pg.controls["noise"].value = 0.2
    assert pg.redraws[SURFACE] == 1


def test_a_new_data_set_redraws_the_regions_axes_and_the_legend_never_the_whole_figure(monkeypatch):
    pg = playground(dataset="XOR")
    redrawn = []
    monkeypatch.setattr(pg.image, "redraw_background", lambda: redrawn.append("everything"))
    redraw_axes = pg.image.redraw_axes
    monkeypatch.setattr(pg.image, "redraw_axes", lambda axes, **kw: (redrawn.append(list(axes)),
                                                                      redraw_axes(axes, **kw)))
    pg.controls["noise"].value = 0.3
    assert redrawn == [[pg.ax]] and pg.last_error is None  # same classes: the legend stays
    redrawn.clear()
    limits = pg.ax_loss.get_ylim()
    pg.controls["dataset"].value = "spirals, 3 classes"  # a loss near log 3 > 1: the loss axis stays all the same
    assert pg.ax_loss.get_ylim() == limits and pg.test_loss > 1
    assert redrawn == [[pg.legend_ax], [pg.setup_ax], [pg.ax]]  # (the setup line: 2-8-8-3)
    assert [t.get_text() for t in pg._legend.get_texts()] == ["class 0", "class 1", "class 2", "filled: training",
                                                             "hollow: test"]


def test_the_legend_stays_inside_its_own_box_clear_of_what_the_other_redraws_blank():
    import inspect

    from utils.widgets.base import BlitImage

    left, bottom, right, top = inspect.signature(BlitImage.redraw_axes).parameters["margins"].default
    X = np.random.default_rng(0).normal(size=(60, 2))
    pg = playground(X, np.arange(60) % pg_module.MAX_CLASSES)  # the longest legend: six classes
    renderer = pg.figure.canvas.get_renderer()
    box, legend = pg.legend_ax.bbox, pg._legend.get_window_extent(renderer)
    assert box.x0 <= legend.x0 and legend.x1 <= box.x1 and box.y0 <= legend.y0 and legend.y1 <= box.y1
    assert box.x0 > pg.ax.bbox.x1 + right  # a redraw of the regions blanks up to here
    assert box.x1 < pg.ax_loss.bbox.x0 - left  # ... and one of the loss panel from here


def test_the_loss_axis_follows_the_curves_in_whole_decades_and_the_epoch_axis_in_few_steps():
    pg = playground(dataset="XOR", hidden=(4,))
    assert pg.ax_loss.get_xlim() == (0, 50) and pg.ax_loss.get_ylim() == pytest.approx((1e-2, 10.0))
    pg.train(120)
    low, high = pg.ax_loss.get_ylim()
    assert pg.ax_loss.get_xlim() == (0, 200)
    assert low <= min(pg.history.train_loss) and np.log10(low) == round(np.log10(low))


# -- the heatmap -------------------------------------------------------------------------------

def test_region_colors_take_the_winning_class_and_grow_pale_where_the_network_is_unsure():
    p = np.array([[1.0, 0.0, 0.0], [0.0, 0.0, 1.0], [1 / 3, 1 / 3, 1 / 3], [0.6, 0.3, 0.1], [np.nan] * 3])
    rgb = region_colors(p, OKABE_ITO, weakest=0.1, strongest=0.6)
    blue, green = np.array([0x00, 0x72, 0xB2]) / 255, np.array([0x00, 0x9E, 0x73]) / 255
    assert rgb.shape == (5, 3)
    assert np.allclose(rgb[0], 1 - 0.6 * (1 - blue)) and np.allclose(rgb[1], 1 - 0.6 * (1 - green))
    assert np.allclose(rgb[2], 1 - 0.1 * (1 - blue))  # a tie: the weakest tint (of the first class)
    confidence = (0.6 - 1 / 3) / (2 / 3)
    assert np.allclose(rgb[3], 1 - (0.1 + 0.5 * confidence) * (1 - blue))
    assert np.allclose(rgb[4], pg_module.DIVERGED_GREY)
    assert rgb.min() >= 0 and rgb.max() <= 1


def test_every_data_set_is_drawn_in_one_square_view_around_its_points():
    pg = playground()
    for name in DATASETS:
        pg.controls["dataset"].value = name
        x0, x1, y0, y1 = pg.extent
        points = np.r_[pg.X_train, pg.X_test]
        assert x1 - x0 == pytest.approx(y1 - y0)
        assert points[:, 0].min() > x0 and points[:, 0].max() < x1
        assert points[:, 1].min() > y0 and points[:, 1].max() < y1
