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
    X, y, box = explorer
    image = box.children[1]
    before = image.value
    box.children[0].children[2].value = 2.5   # the b slider
    assert image.value[:8] == b"\x89PNG\r\n\x1a\n"
    assert image.value != before


def test_the_explorer_counts_the_points_the_perceptron_gets_right(explorer):
    X, y, box = explorer
    w1, w2, b = box.children[0].children
    w1.value, w2.value, b.value = -1.0, 0.5, 1.5
    correct = int(np.sum(perceptron_predict(X, np.array([-1.0, 0.5]), 1.5) == y))
    title = box.figure.axes[0].get_title()
    assert title == f"w = (-1.0, 0.5), b = 1.5:  {correct} / {len(y)} classified correctly"


def test_import_utils_loads_neither_matplotlib_nor_ipywidgets():
    code = ("import sys, utils, utils.layers, utils.models, utils.training, utils.datasets, utils.checks; "
            "print(sorted(m for m in ('matplotlib', 'ipywidgets', 'sklearn') if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"
