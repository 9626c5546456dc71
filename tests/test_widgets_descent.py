"""The loss-surface explorers of lessons 06-07: what they compute, how they fail, and their challenges."""

import matplotlib
import numpy as np
import pytest

matplotlib.use("Agg")

from utils import optimizers, surfaces  # noqa: E402
from utils.layers import Parameter  # noqa: E402
from utils.widgets import gradient_descent_explorer, minibatch_explorer, optimizer_race  # noqa: E402
from utils.widgets.descent import clip_path, is_diverging, rising, run_optimizer  # noqa: E402
from utils.widgets.minibatch import batches  # noqa: E402


def sgd_path(surface, start, lr, steps, momentum=0.0):
    """The reference: the course's SGD class stepped by hand."""
    p = Parameter(np.array(start, dtype=float))
    opt = optimizers.SGD([p], lr=lr, momentum=momentum)
    path = [p.data.copy()]
    for _ in range(steps):
        p.grad[...] = surface.grad(p.data)
        opt.step()
        path.append(p.data.copy())
    return np.array(path)


# -- gradient_descent_explorer ---------------------------------------------------------------

def test_the_explorer_holds_the_path_of_the_course_optimizer_and_its_losses():
    e = gradient_descent_explorer()  # the ravine, plain SGD, 100 steps
    assert e.path.shape == (101, 2) and e.losses.shape == (101,) and isinstance(e.status, str)
    ravine = surfaces.ravine()
    assert np.allclose(e.path, sgd_path(ravine, ravine.start, 0.03, 100))
    assert np.allclose(e.losses, ravine.value(e.path))
    e.controls["lr"].value = 0.01
    assert np.allclose(e.path, sgd_path(ravine, ravine.start, 0.01, 100))
    with e.batch():
        e.controls["optimizer"].value, e.controls["momentum"].value = "momentum", 0.8
    assert np.allclose(e.path, sgd_path(ravine, ravine.start, 0.01, 100, momentum=0.8))


def test_the_steps_slider_sets_the_length_of_the_path_and_the_play_range():
    e = gradient_descent_explorer()
    e.controls["steps"].value = 250
    assert e.path.shape == (251, 2) and e.losses.shape == (251,)
    assert e.controls["k"].max == e.play.max == 250 and e.k == 250  # showing the whole path still


def test_step_play_and_reset_move_the_current_point_without_rerunning_the_optimizer():
    e = gradient_descent_explorer()
    run = e.run
    e.buttons["reset"].click()
    assert e.k == 0 and e.current.get_xydata().tolist() == [e.path[0].tolist()]
    e.buttons["step"].click()
    e.buttons["step"].click()
    assert e.k == 2 and np.allclose(e.current.get_xydata(), e.path[2])
    assert len(e.line.get_xydata()) == 3  # the path grows step by step
    e.controls["k"].value = 50  # what the Play control moves
    assert e.run is run  # only the view moved


def test_every_control_and_the_play_button_are_shown_above_the_figure():
    e = gradient_descent_explorer()
    shown, stack = [], [e.widget.children[0]]
    while stack:
        w = stack.pop()
        shown.append(w)
        stack.extend(getattr(w, "children", ()))
    assert all(any(c is w for w in shown) for c in [*e.controls.values(), *e.buttons.values(), e.play])
    assert e.widget.children[1] is e.image.widget


def test_a_learning_rate_of_10_on_rosenbrock_diverges_as_a_status_not_an_exception():
    e = gradient_descent_explorer("rosenbrock", lr=10.0)
    assert e.last_error is None
    assert e.status == f"diverged at step {e.run.diverged_at}" and e.run.diverged_at <= 3
    assert np.all(np.isnan(e.path[e.run.diverged_at + 1:]))  # the path stops there
    shown = e.line.get_xydata()
    (x0, x1), (y0, y1) = surfaces.rosenbrock().xlim, surfaces.rosenbrock().ylim
    assert np.all(np.abs(shown[:, 0]) <= x1 - x0 + max(abs(x0), abs(x1)))  # clipped near the view
    assert "left the view" in e.end_text.get_text() and e.end_text.get_visible()


def test_status_says_converged_and_which_minimum():
    e = gradient_descent_explorer("bowl", lr=1.0)
    assert e.status == "converged at step 1 to loss 0"  # lr = 1 on the unit bowl lands on the minimum
    e = gradient_descent_explorer("two_minima", optimizer="momentum", lr=0.1, momentum=0.9, steps=400)
    assert e.status.endswith("(the global minimum)")
    e = gradient_descent_explorer("two_minima", lr=0.1, steps=400)
    assert e.status.endswith("(a local minimum, not the global one)")
    e = gradient_descent_explorer("ravine", lr=0.001, steps=10)
    assert e.status.startswith("still moving after 10 steps: loss ")


def test_a_loss_that_grows_steadily_far_above_its_start_is_diverging_before_it_passes_the_bound():
    # Ravine, lambda_max = 50: gradient descent diverges for lr > 2/50 = 0.04. At 0.042 the steep
    # direction grows by |1 - 0.042 * 50| = 1.1 per step: the loss reaches 1.9e10 in 100 steps,
    # yet no parameter passes 1e6 before step 100 (at 0.043, step 94).
    e = gradient_descent_explorer(lr=0.042)
    assert e.run.diverged_at is None and e.run.diverging
    assert e.status == f"diverging: loss {e.losses[100]:.3g} after 100 steps, rising steadily (start 132)"
    assert e.losses[100] > 1e10 and e.challenges[0].met  # the divergence challenge counts it
    e.controls["lr"].value = 0.043
    assert e.status == "diverged at step 94" and not e.run.diverging and e.challenges[0].met
    e.controls["lr"].value = 0.0401  # rising (factor 1.005 per step) but not yet ten times its start
    assert e.status == f"still moving after 100 steps: loss {e.losses[100]:.3g}, rising" and not e.run.diverging
    e.controls["lr"].value = 0.04  # exactly 2/lambda_max: the steep direction neither grows nor shrinks
    assert e.status == "still moving after 100 steps: loss 100" and not e.challenges[0].met


def test_the_diverging_rule_is_a_rising_envelope_and_ten_times_the_start():
    ravine = surfaces.ravine()  # the minimum's loss is 0, so L - L* is the loss itself
    zigzag = np.array([1.0, 0.5, 0.4, 0.3, 1, 0.6, 2, 1.2, 4, 2.4, 8, 4.8, 16, 12])  # the last ten each above
    assert rising(zigzag) and is_diverging(ravine, zigzag)  # the value two steps before; 12 times its start
    higher_start = np.concatenate([[2.0], zigzag[1:]])  # 6 times this start: still moving, rising
    assert rising(higher_start) and not is_diverging(ravine, higher_start)
    flat_end = np.concatenate([zigzag, [15.0]])  # the last value fell below the one two steps before
    assert not rising(flat_end) and not is_diverging(ravine, flat_end)
    assert not rising(zigzag[:10])  # fewer than RISING_STEPS + 2 values
    assert not is_diverging(surfaces.saddle(), -zigzag)  # no minimum: no floor to measure from


def test_the_saddle_path_leaves_the_view_and_says_there_is_no_minimum():
    e = gradient_descent_explorer("saddle", lr=0.5)
    assert e.status.startswith("left the view at step") and e.status.endswith("this loss has no minimum")


def test_changing_the_surface_moves_the_start_sliders_to_its_view():
    e = gradient_descent_explorer()
    e.controls["surface"].value = "rosenbrock"
    s = surfaces.rosenbrock()
    assert (e.controls["x0"].min, e.controls["x0"].max) == s.xlim
    assert (e.controls["x0"].value, e.controls["y0"].value) == pytest.approx(tuple(s.start), abs=0.02)
    assert np.allclose(e.path[0], [e.controls["x0"].value, e.controls["y0"].value])
    assert e.redraws["surface"] == 1 and e.ax.get_title() == s.title


def test_a_click_on_the_contours_sets_the_start():
    e = gradient_descent_explorer()
    target = (3.0, -1.5)
    x, y = e.ax.transData.transform(target)
    e.handle_click({"type": "click", "arrayX": x, "arrayY": e.canvas_size[1] - y})
    assert (e.controls["x0"].value, e.controls["y0"].value) == pytest.approx(target, abs=0.1)  # slider steps
    assert np.allclose(e.path[0], [e.controls["x0"].value, e.controls["y0"].value])
    x, y = e.ax_loss.transData.transform((50, 1.0))  # a click on the loss curve moves nothing
    e.handle_click({"type": "click", "arrayX": x, "arrayY": e.canvas_size[1] - y})
    assert (e.controls["x0"].value, e.controls["y0"].value) == pytest.approx(target, abs=0.1)


def test_only_the_chosen_optimizer_hyperparameters_are_enabled():
    e = gradient_descent_explorer()
    assert [e.controls[n].disabled for n in ("momentum", "alpha", "beta1", "beta2")] == [True] * 4
    e.controls["optimizer"].value = "Adam"
    assert [e.controls[n].disabled for n in ("momentum", "alpha", "beta1", "beta2")] == [True, True, False, False]


def test_the_ravine_challenge_is_met_with_momentum_but_not_by_plain_sgd():
    e = gradient_descent_explorer()
    ravine_target = e.challenges[1]
    for lr in np.geomspace(1e-3, 0.04, 30):  # plain SGD, every stable learning rate
        e.controls["lr"].value = lr
        assert not ravine_target.met
    with e.batch():
        e.controls["optimizer"].value = "momentum"
        e.controls["momentum"].value, e.controls["lr"].value = 0.8, 0.015
    assert ravine_target.met and e.losses[100] < 1e-6


def test_steps_are_k_as_in_lesson_06_and_the_3d_view_says_what_its_height_is():
    e = gradient_descent_explorer()
    assert e.ax_loss.get_xlabel() == "step $k$" and e.ax_loss.get_ylabel() == r"$L(\theta_k) - L^*$"
    assert e.status_text.get_text().endswith("(step k = 100 shown)")
    assert "theta_t" not in "".join(t.get_text() for t in e._legend.get_texts())
    assert e.ax3.get_zlabel() == r"$\log_{10}(1 + L - L^*)$"
    assert e.ax3.get_title() == "height: the loss above its minimum, log scale"
    e.controls["surface"].value = "bowl"  # not log-scaled: the height is the loss itself
    assert e.ax3.get_zlabel() == r"$L(\theta)$" and e.ax3.get_title() == "height: the loss"


def test_start_sliders_name_the_axis_so_they_cannot_be_read_as_the_start_theta_0():
    e = gradient_descent_explorer()
    assert (e.controls["x0"].description, e.controls["y0"].description) == ("start, θ₀ axis", "start, θ₁ axis")
    e.controls["surface"].value = "linear_regression"  # its parameters are w and b
    assert (e.controls["x0"].description, e.controls["y0"].description) == ("start, w axis", "start, b axis")
    assert (e.ax.get_xlabel(), e.ax.get_ylabel()) == ("$w$", "$b$")
    race = optimizer_race()
    assert race.controls["x0"].description == "start, θ₀ axis"


def test_the_divergence_challenge_needs_plain_sgd_on_the_ravine():
    e = gradient_descent_explorer()
    diverge = e.challenges[0]
    e.controls["lr"].value = 0.05
    assert diverge.met and e.status.startswith("diverged")
    e.controls["optimizer"].value = "Adam"
    assert not diverge.met


@pytest.mark.parametrize("kwargs, message", [
    ({"surface": "volcano"}, "surface must be one of bowl, ravine"),
    ({"optimizer": "LBFGS"}, "optimizer must be one of SGD, momentum, RMSprop, Adam, got 'LBFGS'"),
    ({"lr": 20.0}, r"lr must be a number in \[0.0001, 10\], got 20.0"),
    ({"steps": 0}, r"steps must be a number in \[1, 500\], got 0"),
    ({"start": (1.0, 2.0, 3.0)}, r"start must be a point \(theta_0, theta_1\), shape \(2,\), got shape \(3,\)"),
    ({"start": (50.0, 0.0)}, r"start\[0\] must be a number in \[-10, 10\], got 50.0"),
])
def test_bad_arguments_get_a_clear_error(kwargs, message):
    with pytest.raises(ValueError, match=message):
        gradient_descent_explorer(**kwargs)


def test_clip_path_cuts_a_diverging_path_at_the_edge_of_the_widened_view():
    path = np.array([[0.0, 0.0], [1.0, 0.5], [100.0, 50.0], [1e5, 1e5], [np.nan, np.nan]])
    shown = clip_path(path, (-2, 2), (-1, 1), margin=1.0)  # the box is [-6, 6] x [-3, 3]
    assert len(shown) == 3 and np.allclose(shown[:2], path[:2])
    assert np.allclose(shown[2], [6.0, 3.0])  # on the segment from (1, 0.5) towards (100, 50), at the box
    assert len(clip_path(np.array([[50.0, 0.0]]), (-2, 2), (-1, 1))) == 0


def test_run_optimizer_uses_the_optimizer_classes_for_every_name():
    bowl = surfaces.bowl()
    for name in ("SGD", "momentum", "RMSprop", "Adam"):
        run = run_optimizer(bowl, name, (1.0, -2.0), 5, lr=0.1)
        assert run.path.shape == (6, 2) and np.all(np.isfinite(run.path))
    p = Parameter(np.array([1.0, -2.0]))
    adam = optimizers.Adam([p], lr=0.1)
    for _ in range(5):
        p.grad[...] = bowl.grad(p.data)
        adam.step()
    assert np.allclose(run.path[-1], p.data)


# -- optimizer_race --------------------------------------------------------------------------

def test_the_race_runs_four_optimizers_from_one_start_and_counts_steps_to_the_tolerance():
    race = optimizer_race()
    s = surfaces.rosenbrock()
    assert set(race.paths) == {"SGD", "momentum", "RMSprop", "Adam"}
    for name, path in race.paths.items():
        assert path.shape == (501, 2) and np.allclose(path[0], s.start)
    for name, k in race.steps_to_tol.items():
        gap = race.losses[name] - 0.0  # the banana's lowest loss is 0
        if k is None:
            assert not np.all(gap[-1:] < 1e-2)  # not below the tolerance at the end
        else:
            assert np.all(gap[k:] < 1e-2) and gap[k - 1] >= 1e-2  # below from step k to the last
    assert race.steps_to_tol["momentum"] is not None and race.steps_to_tol["SGD"] is None
    table = race.table.get_text().splitlines()
    assert table == ["L-L* stays < 1e-02", "from step:"] + [
        f"{name:8s} " + (str(k) if k is not None else "not reached") for name, k in race.steps_to_tol.items()]
    assert race.status == (f"momentum first, within the tolerance from step {race.steps_to_tol['momentum']} on; "
                           "2 of 4 arrive")
    assert len({(line.get_color(), str(line.get_linestyle())) for line in race.lines.values()}) == 4


def test_an_optimizer_arrives_only_if_it_stays_within_the_tolerance():
    # SGD near lr 2e-3 on the banana: flung across the valley, it passes close to the minimum early.
    race = optimizer_race(tol=1.0, steps=200)
    race.controls["lr_SGD"].value = 10 ** -2.65  # through L - L* < 1 at step 3, then diverges at 13
    sgd = race.runs["SGD"]
    assert sgd.steps_to(1.0) == 3 and sgd.diverged_at == 13
    assert race.steps_to_tol["SGD"] is None and "SGD      diverged (13)" in race.table.get_text()
    race.controls["lr_SGD"].value = 10 ** -2.7  # below 1 at step 9, out again, and for good from step 42
    sgd = race.runs["SGD"]
    assert sgd.steps_to(1.0) == 9 and race.steps_to_tol["SGD"] == 42 == sgd.settled_at(1.0)
    assert np.all(sgd.losses[42:] < 1.0) and np.any(sgd.losses[9:42] >= 1.0)


def test_moving_one_learning_rate_reruns_only_that_optimizer():
    race = optimizer_race()
    before = dict(race.runs)
    race.controls["lr_Adam"].value = 0.05
    assert race.runs["Adam"] is not before["Adam"]
    assert all(race.runs[n] is before[n] for n in ("SGD", "momentum", "RMSprop"))
    race.controls["steps"].value = 200  # shared: every one reruns
    assert all(race.runs[n] is not before[n] for n in race.names)


def test_the_race_challenges_read_its_state():
    race = optimizer_race()
    half, ravine = race.challenges
    assert not half.met  # plain SGD at 1e-3 never gets there: nothing to halve
    with race.batch():  # what lesson 07 suggests: more steps, a looser tolerance, a rate at which SGD arrives
        race.controls["steps"].value, race.controls["tol"].value = 1000, 1.0
        race.controls["lr_SGD"].value = 10 ** -2.8  # a rate that works: its neighbours arrive too, a little later
    sgd, momentum = race.steps_to_tol["SGD"], race.steps_to_tol["momentum"]
    assert half.met and sgd == 582 and momentum <= sgd / 2  # reachable with the sliders
    race.controls["lr_SGD"].value = 10 ** -2.72  # a lucky rate: flung next to the minimum, there from step 7
    assert race.steps_to_tol["SGD"] == 7 and not half.met  # and nobody halves that
    with race.batch():
        race.controls["surface"].value = "ravine"
        for name, lr in (("SGD", 0.039), ("momentum", 0.02), ("RMSprop", 0.1), ("Adam", 0.3)):
            race.controls[f"lr_{name}"].value = lr
        race.controls["steps"].value = 300
    assert not ravine.met  # every one is there, but at the default tolerance of 1e-2
    race.controls["tol"].value = 1e-3
    assert ravine.met == all(k is not None and k <= 300 for k in race.steps_to_tol.values())
    assert ravine.met
    race.controls["lr_SGD"].value = 1e-3
    assert not ravine.met


def test_the_race_refuses_a_single_optimizer():
    with pytest.raises(ValueError, match="two or more different names"):
        optimizer_race(optimizers=["Adam"])


# -- minibatch_explorer ----------------------------------------------------------------------

def test_batches_cover_every_row_once_per_epoch_and_keep_the_last_partial_batch():
    rows = batches(10, 4, 6, np.random.default_rng(0))
    assert [len(r) for r in rows] == [4, 4, 2, 4, 4, 2]
    assert sorted(np.concatenate(rows[:3]).tolist()) == list(range(10))
    assert sorted(np.concatenate(rows[3:]).tolist()) == list(range(10))


def test_each_step_uses_its_own_batch_surface():
    e = minibatch_explorer()
    for t in (0, 7, 42):
        rows = e.batch_rows[t]
        expected = surfaces.linear_regression(e.X, e.y, rows=rows)
        assert np.allclose(e.batch_surfaces[t].minima, expected.minima)
    p = Parameter(np.array(e.full.start, dtype=float))  # the path is SGD on those batch surfaces
    opt = optimizers.SGD([p], lr=0.1)
    for t in range(5):
        p.grad[...] = e.batch_surfaces[t].grad(p.data)
        opt.step()
    assert np.allclose(e.path[5], p.data)


def test_the_drawn_surface_moves_with_the_step_and_settles_as_the_batch_grows():
    e = minibatch_explorer()
    e.controls["t"].value = 3
    first = e.batch_min.get_xydata().copy()
    e.controls["t"].value = 4
    assert not np.allclose(e.batch_min.get_xydata(), first)  # a new batch, a new minimum
    spread = {}
    for size in (2, 4, 16, 48, 62, 63, 64):
        e.controls["batch_size"].value = size
        spread[size] = e.batch_spread
    # Batches of 62 and 63 leave 2 and 1 rows at the end of each epoch: the mean is over the
    # batches of the full size only, so it keeps falling as the batch grows.
    assert spread[2] > spread[4] > spread[16] > spread[48] > spread[62] > spread[63] > spread[64]
    assert spread[64] == pytest.approx(0.0, abs=1e-9)  # the full batch every step


def test_the_spread_is_over_the_batches_of_the_chosen_size_and_says_so():
    e = minibatch_explorer(batch_size=30)  # 64 rows: 30, 30 and 4 in each epoch
    full_size = [t for t, rows in enumerate(e.batch_rows) if len(rows) == 30]
    assert e.spread_batches == len(full_size) < len(e.batch_rows)
    distances = np.linalg.norm(e.batch_minima[full_size] - e.full.minima[0], axis=1)
    assert e.batch_spread == pytest.approx(np.mean(distances))
    assert e.spread_text.get_text() == (f"mean distance over the {len(full_size)} batches of 30: "
                                        f"{e.batch_spread:.3f} (the last batch of each epoch, 4 rows, left out)")
    e.controls["batch_size"].value = 32  # no remainder, nothing left out
    assert e.spread_batches == 101 and "left out" not in e.spread_text.get_text()


def test_the_noise_challenge_is_met_by_a_large_enough_batch_or_less_noisy_data():
    e = minibatch_explorer()
    noise_small = e.challenges[0]
    met = {}
    for size in (24, 32, 40, 48):
        e.controls["batch_size"].value = size
        met[size] = noise_small.met
    assert met == {24: False, 32: False, 40: True, 48: True}  # at noise 0.5, a batch of 32 is not enough
    e.controls["batch_size"].value = 32
    e.controls["noise"].value = 0.3  # what lesson 07 asks: less noisy data, and 32 rows are enough
    assert noise_small.met and e.batch_spread < 0.1


def test_one_row_has_a_line_of_minima_unless_l2_makes_one():
    e = minibatch_explorer(batch_size=1)
    assert np.all(np.isnan(e.batch_minima)) and np.isnan(e.batch_spread)
    assert "its minima form a whole line" in e.status_text.get_text()
    assert not e.challenges[0].met
    e.controls["l2"].value = 0.5
    assert np.all(np.isfinite(e.batch_minima)) and e.batch_spread > 0


def test_l2_bends_the_surface_towards_the_origin():
    e = minibatch_explorer()
    norms = []
    for l2 in (0.0, 1.0, 6.0):
        e.controls["l2"].value = l2
        norms.append(np.hypot(*e.full.minima[0]))
    assert norms[0] > norms[1] > norms[2]
    assert e.challenges[2].met  # lambda = 6 halves the distance


def test_a_large_learning_rate_diverges_as_a_status():
    e = minibatch_explorer(batch_size=1, lr=1.0)
    assert e.last_error is None and e.status.startswith("diverged at step")
    assert e.final_gap == np.inf


def test_minibatch_explorer_refuses_a_batch_larger_than_the_data():
    with pytest.raises(ValueError, match=r"batch_size must be a number in \[1, 64\], got 65"):
        minibatch_explorer(batch_size=65)


# -- fitting JupyterLab's output area ---------------------------------------------------------

def redraw_region(ax, margins=(80, 50, 25, 30)):
    """The region the base blanks and redraws for one axes (``BlitImage.redraw_axes``'s default margins)."""
    from matplotlib.transforms import Bbox

    left, bottom, right, top = margins
    box = ax.bbox
    return Bbox.from_extents(box.x0 - left, box.y0 - bottom, box.x1 + right, box.y1 + top)


@pytest.mark.parametrize("make", [gradient_descent_explorer, optimizer_race, minibatch_explorer])
def test_each_explorer_fits_1000_pixels_and_redraws_no_axes_over_another(make):
    # JupyterLab in a 1300-pixel window leaves about 1000 pixels for an output beside the file browser.
    e = make()
    width, height = e.canvas_size
    assert width <= 1000 and e.image.widget.layout.width == f"{width}px"
    renderer = e.figure.canvas.get_renderer()
    redrawn = [e.ax_loss] + list(e.surface_axes or [])  # the axes redrawn on their own (stale or surface)
    for ax in redrawn:
        region = redraw_region(ax)
        assert region.x1 <= width
        for other in e.figure.axes:
            if other is not ax:
                drawn = other.get_tightbbox(renderer)  # its ticks, labels and title too
                assert not region.overlaps(drawn), f"{ax.get_title()!r} would blank part of {other.get_title()!r}"
    for ax in e.figure.axes:  # every tick label inside the picture
        box = ax.get_tightbbox(renderer)
        assert box.x0 >= 0 and box.x1 <= width, ax.get_title()


def test_a_path_that_stops_on_a_saddle_is_not_called_converged():
    explorer = gradient_descent_explorer(surface="saddle", optimizer="SGD", lr=0.1, steps=500)
    explorer.controls["y0"].value = 0.0  # on the ridge: the gradient never leads off it
    assert explorer.status.startswith("stopped at step") and "saddle point" in explorer.status
    assert "converged" not in explorer.status


def test_the_global_minimum_challenge_counts_only_from_the_default_start():
    explorer = gradient_descent_explorer(surface="two_minima", optimizer="SGD", lr=0.1, steps=300)
    challenge = next(c for c in explorer.challenges if "global" in c.description)
    with explorer.batch():
        explorer.controls["x0"].value, explorer.controls["y0"].value = -0.5, 1.5  # a start in the deep basin
    assert "the global minimum" in explorer.status
    assert not challenge.met
