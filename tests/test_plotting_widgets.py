"""Figures and explorers: the geometry they draw, and sliders that really redraw."""

import subprocess
import sys

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402

from utils import datasets, plotting  # noqa: E402
from utils.perceptron import perceptron_predict  # noqa: E402
from utils.widgets import perceptron_explorer  # noqa: E402


def polygon_area(points):
    x, y = points[:, 0], points[:, 1]
    return 0.5 * abs(np.dot(x, np.roll(y, 1)) - np.dot(y, np.roll(x, 1)))


def test_a_line_through_the_centre_halves_the_rectangle():
    polygon, crossings = plotting.half_plane(np.array([1.0, 2.0]), 0.0, (-2, 2), (-1, 1))
    assert polygon_area(polygon) == pytest.approx(4.0)  # half of the 4 x 2 rectangle
    assert len(crossings) == 2
    assert np.allclose(crossings @ np.array([1.0, 2.0]), 0.0)  # both crossings lie on the line


def test_the_two_sides_of_a_line_cover_the_rectangle():
    w, b = np.array([-0.3, 1.0]), 0.7
    side1, _ = plotting.half_plane(w, b, (-3, 3), (-3, 3))
    side0, _ = plotting.half_plane(-w, -b, (-3, 3), (-3, 3))
    assert polygon_area(side1) + polygon_area(side0) == pytest.approx(36.0)
    assert np.all(side1 @ w + b >= -1e-12)


def test_a_line_outside_the_rectangle_leaves_one_side_empty():
    inside, crossings = plotting.half_plane(np.array([1.0, 0.0]), 10.0, (-1, 1), (-1, 1))
    outside, _ = plotting.half_plane(np.array([-1.0, 0.0]), -10.0, (-1, 1), (-1, 1))
    assert polygon_area(inside) == pytest.approx(4.0) and len(outside) == 0 and len(crossings) == 0


def test_plot_linear_boundary_draws_the_line_where_z_is_zero():
    X, y = datasets.make_blobs(50, noise=0.5, centers=[[-1, -1], [1, 1]], seed=0)
    ax = plotting.plot_dataset(X, y, title="blobs")
    *regions, line = plotting.plot_linear_boundary(np.array([1.0, 1.0]), -0.5, ax)
    x_line, y_line = line.get_data()
    assert np.allclose(np.asarray(x_line) + np.asarray(y_line) - 0.5, 0.0)
    assert len(regions) == 2 and ax.get_xlabel() == "$x_1$" and ax.get_title() == "blobs"
    plt.close(ax.figure)


@pytest.fixture
def explorer():
    X, y = datasets.make_blobs(60, noise=0.6, centers=[[-1.5, -1.0], [1.5, 1.0]], seed=3)
    return X, y, perceptron_explorer(X, y, w1=1.0, w2=1.0, b=0.0)


def test_a_curve_of_counts_has_whole_number_ticks_and_a_loss_curve_keeps_fractions():
    fig, (counts, losses) = plt.subplots(1, 2)
    plotting.plot_curve([3, 1, 3, 4, 2], counts, ylabel="misclassified samples")
    plotting.plot_curve([0.9, 0.5, 0.31, 0.3], losses, ylabel="loss")
    fig.canvas.draw()
    assert all(float(t).is_integer() for t in counts.get_yticks())
    assert not all(float(t).is_integer() for t in losses.get_yticks())
    plt.close(fig)


def test_moving_a_slider_redraws_the_figure(explorer):
    X, y, e = explorer
    before = e.image.widget.value
    e.controls["b"].value = 2.5
    assert e.image.widget.value[:8] == b"\x89PNG\r\n\x1a\n"
    assert e.image.widget.value != before
    assert e.redraws == {"path": 1, "surface": 0}  # only the boundary and the title were redrawn


def test_the_explorer_counts_the_points_the_perceptron_gets_right(explorer):
    X, y, e = explorer
    e.controls["w1"].value, e.controls["w2"].value, e.controls["b"].value = -1.0, 0.5, 1.5
    correct = int(np.sum(perceptron_predict(X, np.array([-1.0, 0.5]), 1.5) == y))
    assert e.correct == correct
    assert e.figure.axes[0].get_title() == f"w = (-1.0, 0.5), b = 1.5:  {correct} / {len(y)} classified correctly"


@pytest.mark.parametrize("b, painted", [(0.0, 1), (0.7, 1), (-0.3, 0)])
def test_with_w_zero_one_class_is_painted_everywhere(explorer, b, painted):
    # z = b at every point: class 1 for b >= 0, class 0 for b < 0, never both over each other
    X, y, e = explorer
    with e.batch():
        e.controls["w1"].value, e.controls["w2"].value, e.controls["b"].value = 0.0, 0.0, b
    region1, region0, line = e.artists["boundary"]
    areas = {1: polygon_area(region1.get_xy()) if len(region1.get_xy()) > 2 else 0.0,
             0: polygon_area(region0.get_xy()) if len(region0.get_xy()) > 2 else 0.0}
    xlim, ylim = e.ax.get_xlim(), e.ax.get_ylim()
    assert areas[painted] == pytest.approx((xlim[1] - xlim[0]) * (ylim[1] - ylim[0]))
    assert areas[1 - painted] == 0.0
    assert len(line.get_xdata()) == 0
    assert f"class {painted} everywhere" in e.figure.axes[0].get_title()
    assert e.correct == int(np.sum(y == painted))


def test_the_legend_stays_in_one_place_and_names_the_shaded_regions(explorer):
    X, y, e = explorer
    legend = e.ax.get_legend()
    texts = [t.get_text() for t in legend.get_texts()]
    assert texts == ["class 0", "class 1", "predicted class 0", "predicted class 1"]
    e.figure.canvas.draw()
    where = legend.get_window_extent().bounds
    for w1, w2, b in [(-3.0, 1.0, 2.0), (2.0, -4.0, -1.0), (0.0, 0.0, 1.0)]:
        e.controls["w1"].value, e.controls["w2"].value, e.controls["b"].value = w1, w2, b
        e.figure.canvas.draw()
        assert legend.get_window_extent().bounds == where


def test_the_sliders_reach_double_the_lesson_start_values():
    e = perceptron_explorer()
    assert (e.controls["w1"].value, e.controls["w2"].value, e.controls["b"].value) == (1.0, 2.0, -1.0)
    e.controls["w1"].value, e.controls["w2"].value, e.controls["b"].value = 2.0, 4.0, -2.0
    assert (e.w.tolist(), e.b) == ([2.0, 4.0], -2.0)  # not clipped by the sliders' ends


def test_perceptron_explorer_refuses_bad_data_with_a_clear_message():
    X, y = datasets.make_blobs(20, seed=0)
    expected = r"X of shape \(N, 2\) and y of shape \(N,\), got X \(20, 2\) and y \(19,\)"
    with pytest.raises(ValueError, match=expected):
        perceptron_explorer(X, y[:-1])
    with pytest.raises(ValueError, match="labels 0 and 1"):
        perceptron_explorer(X, y + 1)
    with pytest.raises(ValueError, match="both X and y"):
        perceptron_explorer(X)
    with pytest.raises(ValueError, match=r"w2 must be in \[-5.0, 5.0\], got 7"):
        perceptron_explorer(X, y, w2=7)


def test_import_utils_loads_neither_matplotlib_nor_ipywidgets():
    code = ("import sys, utils, utils.layers, utils.models, utils.training, utils.datasets, utils.checks; "
            "print(sorted(m for m in ('matplotlib', 'ipywidgets', 'sklearn') if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"
