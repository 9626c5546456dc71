"""The loss-surface explorers of lessons 06-07: what they compute, how they fail, and their challenges."""

import matplotlib
import numpy as np
import pytest

matplotlib.use("Agg")

from utils import optimizers, surfaces  # noqa: E402
from utils.layers import Parameter  # noqa: E402
from utils.widgets import gradient_descent_explorer, minibatch_explorer, optimizer_race  # noqa: E402
from utils.widgets.descent import clip_path, run_optimizer  # noqa: E402
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
    assert e.controls["t"].max == e.play.max == 250 and e.t == 250  # showing the whole path still


def test_step_play_and_reset_move_the_current_point_without_rerunning_the_optimizer():
    e = gradient_descent_explorer()
    run = e.run
    e.buttons["reset"].click()
    assert e.t == 0 and e.current.get_xydata().tolist() == [e.path[0].tolist()]
    e.buttons["step"].click()
    e.buttons["step"].click()
    assert e.t == 2 and np.allclose(e.current.get_xydata(), e.path[2])
    assert len(e.line.get_xydata()) == 3  # the path grows step by step
    e.controls["t"].value = 50  # what the Play control moves
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
            assert not np.any(gap[:race.runs[name].end + 1] < 1e-2)
        else:
            assert gap[k] < 1e-2 and np.all(gap[:k] >= 1e-2)
    assert race.steps_to_tol["momentum"] is not None and race.steps_to_tol["SGD"] is None
    table = race.table.get_text().splitlines()
    assert table == ["steps to L-L* < 1e-02"] + [f"{name:8s} " + (str(k) if k is not None else "not reached")
                                                 for name, k in race.steps_to_tol.items()]
    assert race.status == f"momentum first, at step {race.steps_to_tol['momentum']}; 2 of 4 arrive"
    assert len({(line.get_color(), str(line.get_linestyle())) for line in race.lines.values()}) == 4


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
    with race.batch():
        race.controls["lr_SGD"].value, race.controls["lr_RMSprop"].value = 10 ** -2.7, 10 ** -0.75
    sgd, rmsprop = race.steps_to_tol["SGD"], race.steps_to_tol["RMSprop"]
    assert half.met and sgd is not None and rmsprop <= sgd / 2  # reachable with the sliders
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
    for size in (2, 4, 16, 64):
        e.controls["batch_size"].value = size
        spread[size] = e.batch_spread
    assert spread[2] > spread[4] > spread[16] > spread[64]
    assert spread[64] == pytest.approx(0.0, abs=1e-9)  # the full batch every step


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
