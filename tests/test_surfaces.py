"""Tests for `utils.surfaces`.

Gradients and Hessians are checked against central differences in float64; data
surfaces against a direct computation with `utils.losses`; every surface far
outside its view, where a diverging optimizer goes.
"""

import re
import subprocess
import sys

import numpy as np
import pytest

from utils.activations import sigmoid
from utils.losses import binary_cross_entropy, mse
from utils.surfaces import (DIVERGENCE_BOUND, SURFACES, Surface, bowl, linear_regression,
                            logistic_regression, ravine, rosenbrock, saddle, two_minima)

# Every factory with its defaults, and a few variants that change the surface.
VARIANTS = {name: make for name, make in SURFACES.items()}
VARIANTS.update({
    "ravine(10)": lambda: ravine(10.0),
    "rosenbrock(-0.5, 10)": lambda: rosenbrock(a=-0.5, b=10.0),
    "linear_regression(batch 8, l2 0.3)": lambda: linear_regression(rows=np.arange(8), l2=0.3),
    "linear_regression(one row)": lambda: linear_regression(rows=[5]),
    "logistic_regression(batch 20, l2 0.1)": lambda: logistic_regression(rows=np.arange(20), l2=0.1),
    "logistic_regression(batch 3)": lambda: logistic_regression(rows=[0, 1, 2]),
})
ALL = pytest.mark.parametrize("make", VARIANTS.values(), ids=VARIANTS.keys())


def points_in_view(surface, k=20, seed=0):
    """`k` random points, shape (k, 2), spread over the surface's view."""
    rng = np.random.default_rng(seed)
    return np.column_stack([rng.uniform(*surface.xlim, k), rng.uniform(*surface.ylim, k)])


def central_differences(f, theta, h):
    """Central differences of `f` (shape (...) -> (..., *out)) along both coordinates: (..., *out, 2)."""
    columns = []
    for i in range(2):
        e = np.zeros(2)
        e[i] = h
        columns.append((f(theta + e) - f(theta - e)) / (2 * h))
    return np.stack(columns, axis=-1)


# --- Gradients and Hessians against central differences ---------------------------------------

@ALL
def test_grad_matches_central_differences(make):
    s = make()
    theta = points_in_view(s)
    numeric = central_differences(s.value, theta, h=1e-6)
    analytic = s.grad(theta)
    # The error of central differences is about h^2 |L'''| + eps |L| / h: relative 1e-7 here.
    scale = np.abs(analytic).max() + 1
    np.testing.assert_allclose(analytic, numeric, rtol=1e-6, atol=1e-7 * scale)


@ALL
def test_grad_at_one_point_is_grad_without_the_checks(make):
    s = make()
    far = [(1e6, -1e6), (-1e50, 1e50), (1e300, -1e300)]  # a diverging path's points: no warning
    for theta in [*points_in_view(s, k=5, seed=2), *map(np.array, far)]:
        g = s.grad_at(*theta)
        assert type(g) is tuple and all(type(v) is float for v in g)
        np.testing.assert_array_equal(g, s.grad(theta))  # the same formula, the same numbers


@ALL
def test_hessian_matches_central_differences_of_the_gradient(make):
    s = make()
    theta = points_in_view(s, seed=1)
    numeric = central_differences(s.grad, theta, h=1e-6)  # numeric[..., i, j] = d g_i / d theta_j
    analytic = s.hessian(theta)
    scale = np.abs(analytic).max() + 1
    np.testing.assert_allclose(analytic, numeric, rtol=1e-6, atol=1e-7 * scale)
    np.testing.assert_array_equal(analytic, np.swapaxes(analytic, -1, -2))  # symmetric


@ALL
def test_shapes_follow_theta(make):
    s = make()
    assert s.value(s.start).shape == ()
    assert s.grad(s.start).shape == (2,)
    assert s.hessian(s.start).shape == (2, 2)
    grid = np.zeros((3, 4, 2))
    assert s.value(grid).shape == (3, 4)
    assert s.grad(grid).shape == (3, 4, 2)
    assert s.hessian(grid).shape == (3, 4, 2, 2)
    assert s.value(grid).dtype == s.grad(grid).dtype == s.hessian(grid).dtype == np.float64


# --- Minima, saddle points and the view --------------------------------------------------------

@ALL
def test_minima_have_zero_gradient_and_a_positive_definite_hessian(make):
    s = make()
    assert s.minima.shape[1:] == (2,) and s.minima.dtype == np.float64
    for m in s.minima:
        scale = np.abs(s.hessian(m)).max() * (1 + np.abs(m).max())
        np.testing.assert_allclose(s.grad(m), [0.0, 0.0], atol=1e-12 * scale)
        if s.name == "linear_regression" and s.rows is not None and len(s.rows) == 1:
            assert np.linalg.eigvalsh(s.hessian(m)).min() == pytest.approx(0, abs=1e-12)  # a line of minima
        else:
            assert np.linalg.eigvalsh(s.hessian(m)).min() > 0


@ALL
def test_the_first_minimum_is_global_over_the_view(make):
    s = make()
    if not len(s.minima):
        pytest.skip("this surface has no minimum")
    _, _, L = s.grid(201)
    assert s.value(s.minima[0]) <= L.min()
    assert np.all(s.value(s.minima[0]) <= s.value(s.minima))


@ALL
def test_view_contains_the_start_and_every_minimum(make):
    s = make()
    (x0, x1), (y0, y1) = s.xlim, s.ylim
    assert x0 < x1 and y0 < y1
    for point in [s.start, *s.minima, *s.saddle_points]:
        assert x0 <= point[0] <= x1 and y0 <= point[1] <= y1, point
    assert s.value(s.start) > s.value(s.minima).max(initial=-np.inf)  # something to descend
    assert isinstance(s.title, str) and s.title and isinstance(s.log_levels, bool)
    assert len(s.axis_labels) == 2 and all(isinstance(label, str) and label for label in s.axis_labels)


def test_known_points_are_read_only_so_an_optimizer_cannot_move_them():
    from utils.layers import Parameter
    from utils.optimizers import SGD
    s = two_minima()
    p = Parameter(s.start)  # forgot .copy()
    p.grad[...] = 1.0
    with pytest.raises(ValueError, match="read-only"):
        SGD([p], lr=0.1).step()
    np.testing.assert_array_equal(s.start, [0.6, 1.5])
    assert not (s.minima.flags.writeable or s.saddle_points.flags.writeable)


def test_saddle_has_no_minimum_and_a_saddle_point_at_the_origin():
    s = saddle()
    assert s.minima.shape == (0, 2)
    np.testing.assert_array_equal(s.saddle_points, [[0.0, 0.0]])
    np.testing.assert_array_equal(s.grad([0.0, 0.0]), [0.0, 0.0])
    np.testing.assert_array_equal(np.linalg.eigvalsh(s.hessian([0.0, 0.0])), [-1.0, 1.0])


def test_two_minima_saddle_point_lies_between_them():
    s = two_minima()
    (saddle_point,) = s.saddle_points
    np.testing.assert_allclose(s.grad(saddle_point), [0.0, 0.0], atol=1e-14)
    assert np.linalg.eigvalsh(s.hessian(saddle_point)).min() < 0
    assert s.minima[0, 0] < saddle_point[0] < s.minima[1, 0]
    assert s.value(s.minima[0]) < s.value(s.minima[1])  # the first is the global one


@pytest.mark.parametrize("start, which", [(None, 1), ((-0.5, 1.5), 0)], ids=["default", "left"])
def test_two_minima_the_start_decides_which_minimum_gradient_descent_reaches(start, which):
    s = two_minima()
    theta = s.start if start is None else np.array(start)
    for _ in range(2000):
        theta = theta - 0.05 * s.grad(theta)
    np.testing.assert_allclose(theta, s.minima[which], atol=1e-8)


@pytest.mark.parametrize("condition", [1.0, 10.0, 50.0, 1000.0])
def test_ravine_condition_number(condition):
    H = ravine(condition).hessian(np.array([[0.3, -1.2], [5.0, 2.0]]))
    eig = np.linalg.eigvalsh(H)
    np.testing.assert_allclose(eig[..., 1] / eig[..., 0], condition, rtol=1e-14)


def test_ravine_gradient_descent_diverges_just_above_two_over_lambda_max():
    s = ravine(50.0)
    for lr, converges in [(0.039, True), (0.041, False)]:  # 2 / lambda_max = 0.04
        theta = s.start
        for _ in range(300):
            theta = theta - lr * s.grad(theta)
        assert (s.value(theta) < 1e-6) == converges, lr


def test_rosenbrock_minimum_is_at_a_a_squared():
    s = rosenbrock(a=-0.5, b=10.0)
    np.testing.assert_array_equal(s.minima, [[-0.5, 0.25]])
    assert s.value(s.minima[0]) == 0.0


# --- grid ----------------------------------------------------------------------------------------

@ALL
def test_grid_equals_the_pointwise_value(make):
    s = make()
    T0, T1, L = s.grid(7)
    assert T0.shape == T1.shape == L.shape == (7, 7)
    np.testing.assert_array_equal(T0[0], np.linspace(*s.xlim, 7))  # theta_0 along the columns
    np.testing.assert_array_equal(T1[:, 0], np.linspace(*s.ylim, 7))  # theta_1 down the rows
    pointwise = [[float(s.value(np.array([T0[i, j], T1[i, j]]))) for j in range(7)] for i in range(7)]
    np.testing.assert_allclose(L, pointwise, rtol=1e-13, atol=1e-13)


def test_logistic_grid_evaluated_in_chunks_equals_the_pointwise_value():
    s = logistic_regression()
    T0, T1, L = s.grid(41)  # 1,681 points: three chunks of 655 points for 100 rows
    pointwise = [float(s.value(point)) for point in np.stack([T0, T1], axis=-1).reshape(-1, 2)]
    np.testing.assert_allclose(L.ravel(), pointwise, rtol=1e-13)


def test_grid_takes_its_own_view_and_size():
    T0, T1, L = bowl().grid(n=3, xlim=(0, 2), ylim=(-1, 1))
    np.testing.assert_array_equal(T0, [[0, 1, 2]] * 3)
    np.testing.assert_array_equal(T1, [[-1] * 3, [0] * 3, [1] * 3])
    np.testing.assert_array_equal(L, 0.5 * (T0**2 + T1**2))


# --- Data surfaces against utils.losses ----------------------------------------------------------

def test_linear_regression_is_the_mse_of_a_line_plus_weight_decay():
    rows, l2 = np.array([3, 14, 15, 92, 65, 3]), 0.25  # repeats allowed, as when sampling with replacement
    s = linear_regression(rows=rows, l2=l2)
    x, y = s.X[rows, 0], s.y[rows]
    for w, b in points_in_view(s, k=5):
        direct = mse(w * x + b, y) + 0.5 * l2 * (w * w + b * b)
        assert s.value([w, b]) == pytest.approx(direct, rel=1e-12)


def test_data_surfaces_name_their_parameters():
    assert linear_regression().axis_labels == ("w", "b")
    assert logistic_regression().axis_labels == ("w₀", "w₁")
    assert bowl().axis_labels == ("θ₀", "θ₁")


def test_linear_regression_default_data_is_make_regression_1d():
    from utils.datasets import make_regression_1d
    X, y = make_regression_1d(50, 0.3, seed=4)
    s = linear_regression(n=50, noise=0.3, seed=4)
    np.testing.assert_array_equal(s.X, X)
    np.testing.assert_array_equal(s.y, y[:, 0])
    assert s.value([0.5, 0.1]) == pytest.approx(linear_regression(X, y).value([0.5, 0.1]), rel=1e-15)


def test_linear_regression_minimum_is_the_least_squares_line():
    s = linear_regression(rows=np.arange(30), l2=0.0)
    slope, intercept = np.polyfit(s.X[:30, 0], s.y[:30], 1)
    np.testing.assert_allclose(s.minima, [[slope, intercept]], rtol=1e-10)


def test_linear_regression_minimum_with_weight_decay_solves_the_ridge_equations():
    x, y, l2 = np.array([1.0, 2.0, 4.0]), np.array([1.0, 3.0, 3.0]), 0.5
    s = linear_regression(x, y, l2=l2)
    # Gradient zero: (2/N) A^T (A theta - y) + l2 theta = 0, with A = [x, 1]
    A = np.column_stack([x, np.ones(3)])
    expected = np.linalg.solve(2 / 3 * A.T @ A + l2 * np.eye(2), 2 / 3 * A.T @ y)
    np.testing.assert_allclose(s.minima[0], expected, rtol=1e-13)


def test_logistic_regression_is_the_cross_entropy_of_a_sigmoid_plus_weight_decay():
    rows, l2 = np.arange(10, 40), 0.2
    s = logistic_regression(rows=rows, l2=l2)
    X, y = s.X[rows], s.y[rows]
    for theta in points_in_view(s, k=5):
        direct = binary_cross_entropy(sigmoid(X @ theta), y) + 0.5 * l2 * theta @ theta
        assert s.value(theta) == pytest.approx(direct, rel=1e-12)


def test_logistic_regression_is_stable_far_out():
    s = logistic_regression()
    theta = np.array([[1e3, -1e3], [-1e5, 3e4], [1e50, 1e50]])
    value, grad = s.value(theta), s.grad(theta)  # no overflow warning
    assert np.all(np.isfinite(value)) and np.all(np.isfinite(grad))
    # -log sigmoid(z) = max(-z, 0) + log(1 + e^{-|z|}): a wrong sample costs about |z|, a right one 0
    z = s.X @ theta[0]
    u = np.where(s.y == 1, -z, z)
    assert value[0] == pytest.approx(np.mean(np.maximum(u, 0) + np.log1p(np.exp(-np.abs(u)))), rel=1e-12)
    assert value[2] > 1e49  # it grows like |theta|


def test_logistic_regression_on_separable_data_has_no_minimum():
    X = np.array([[1.0, 0.0], [2.0, 1.0], [-1.0, 0.5], [-2.0, -1.0]])
    y = np.array([1.0, 1.0, 0.0, 0.0])  # theta = (1, 0) classifies all four correctly
    s = logistic_regression(X, y)
    assert s.minima.shape == (0, 2)
    assert s.value([1e3, 0.0]) < s.value([10.0, 0.0]) < s.value([1.0, 0.0])  # the loss keeps falling
    assert logistic_regression(X, y, l2=0.1).minima.shape == (1, 2)  # weight decay gives it one


def test_logistic_regression_minimum_with_a_single_line_of_inputs():
    # All inputs on one line through the origin, both labels on both sides: the loss is flat
    # across the line, and bounded along it. The minimum exists (a whole line of them).
    X = np.array([[1.0, 1.0], [2.0, 2.0], [-1.0, -1.0], [-2.0, -2.0]])
    y = np.array([1.0, 0.0, 0.0, 1.0])
    s = logistic_regression(X, y)
    assert s.minima.shape == (1, 2)
    np.testing.assert_allclose(s.grad(s.minima[0]), [0.0, 0.0], atol=1e-12)


@pytest.mark.parametrize("make", [linear_regression, logistic_regression])
def test_data_surfaces_change_with_rows_and_l2_but_keep_their_view(make):
    full, batch, decayed = make(), make(rows=np.arange(0, 100, 7)), make(l2=0.5)
    theta = np.array([0.7, -0.4])
    values = {float(full.value(theta)), float(batch.value(theta)), float(decayed.value(theta))}
    assert len(values) == 3
    assert not np.allclose(full.minima, batch.minima) and not np.allclose(full.minima, decayed.minima)
    assert np.linalg.norm(decayed.minima) < np.linalg.norm(full.minima)  # l2 pulls towards 0
    for s in (batch, decayed):
        assert (s.xlim, s.ylim) == (full.xlim, full.ylim)
        np.testing.assert_array_equal(s.start, full.start)


def test_a_given_view_makes_the_same_surface_without_building_the_full_one():
    full = linear_regression()
    for rows, l2 in ((np.arange(8), 0.0), (np.arange(3, 40, 3), 0.7), (None, 2.0)):
        given, built = linear_regression(rows=rows, l2=l2, view=full), linear_regression(rows=rows, l2=l2)
        assert (given.xlim, given.ylim, given.title) == (built.xlim, built.ylim, built.title)
        np.testing.assert_array_equal(given.start, built.start)
        np.testing.assert_array_equal(given.minima, built.minima)
        assert given.value(np.array([0.3, -0.2])) == built.value(np.array([0.3, -0.2]))


@pytest.mark.parametrize("view, message", [
    (bowl(), "view must be the LinearRegression surface of the same 100 rows, all of them, without L2, "
             "got <Surface bowl"),
    (linear_regression(rows=[1, 2]), "got one of 100 rows, a batch of 2"),
    (linear_regression(l2=0.5), "got one of 100 rows, L2 0.5"),
    (linear_regression(n=30), "got one of 30 rows of other data"),
    (linear_regression(seed=1), "got one of 100 rows of other data"),
])
def test_a_view_of_other_data_is_refused(view, message):
    with pytest.raises(ValueError, match=re.escape(message)):
        linear_regression(rows=[0, 1, 2], view=view)


def test_linear_regression_changes_with_noise_and_batch_size():
    theta = np.array([0.2, 0.3])
    assert linear_regression(noise=0.1).value(theta) != linear_regression(noise=1.0).value(theta)
    assert (linear_regression(rows=np.arange(10)).value(theta)
            != linear_regression(rows=np.arange(20)).value(theta))


# --- Far outside the view: where diverging optimizers go -------------------------------------------

MAGNITUDES = [10.0**k for k in range(0, 301, 10)]


@ALL
def test_finite_and_silent_up_to_1e50(make):
    s = make()
    up_to_1e50 = np.array([m for m in MAGNITUDES if m <= 1e50])[:, None, None]
    theta = np.random.default_rng(0).choice([-1.0, 1.0], size=(len(up_to_1e50), 4, 2)) * up_to_1e50
    assert np.abs(theta).max() == 1e50 and DIVERGENCE_BOUND < 1e50
    for f in (s.value, s.grad, s.hessian):
        assert np.all(np.isfinite(f(theta))), f.__name__


@ALL
def test_no_floating_point_warning_anywhere(make):
    # pytest turns RuntimeWarning into an error; beyond 1e50 the result may overflow
    s = make()
    signs = np.random.default_rng(1).choice([-1.0, 1.0], size=(len(MAGNITUDES), 4, 2))
    theta = signs * np.array(MAGNITUDES)[:, None, None]
    for f in (s.value, s.grad, s.hessian):
        f(theta)
    s.grid(5, xlim=(-1e300, 1e300), ylim=(-1e300, 1e300))


# --- Bad input -----------------------------------------------------------------------------------

@pytest.mark.parametrize("theta", [[1.0, 2.0, 3.0], 1.0, np.zeros((4, 3)), np.zeros((2, 1))],
                         ids=["three", "scalar", "(4, 3)", "(2, 1)"])
@pytest.mark.parametrize("method", ["value", "grad", "hessian"])
def test_theta_must_end_in_two_coordinates(theta, method):
    with pytest.raises(ValueError, match=r"theta must have shape \(\.\.\., 2\).*got shape"):
        getattr(rosenbrock(), method)(theta)


@pytest.mark.parametrize("theta, message", [([np.nan, 0.0], "NaN"), ([np.inf, 0.0], "finite"),
                                            (["a", "b"], "numeric")])
def test_theta_must_be_finite_numbers(theta, message):
    with pytest.raises(ValueError, match=message):
        bowl().value(np.array(theta))


@pytest.mark.parametrize("kwargs, message", [
    ({"n": 1}, "n must be an integer >= 2"), ({"n": 2.5}, "n must be an integer"),
    ({"xlim": (1, -1)}, "xlim must be a finite pair with low < high"),
    ({"ylim": (0, np.inf)}, "ylim must be a finite pair"), ({"xlim": 3}, "xlim must be a pair"),
])
def test_grid_checks_its_arguments(kwargs, message):
    with pytest.raises(ValueError, match=message):
        bowl().grid(**kwargs)


@pytest.mark.parametrize("make, message", [
    (lambda: ravine(0.5), "condition must be a finite number >= 1, got 0.5"),
    (lambda: rosenbrock(b=0.0), "b must be > 0"),
    (lambda: rosenbrock(a=np.nan), "a must be a finite number"),
    (lambda: linear_regression(l2=-1.0), "l2 must be >= 0, got -1.0"),
    (lambda: linear_regression(rows=[0, 100]), r"rows must be in \[0, 100\)"),
    (lambda: linear_regression(rows=[]), "rows must be a non-empty 1-D array"),
    (lambda: linear_regression(rows=[0.5, 1.0]), "integer row indices"),
    (lambda: linear_regression(np.zeros(3)), "give both X and y"),
    (lambda: linear_regression(np.zeros((3, 2)), np.zeros(3)), r"X must have shape \(N, 1\)"),
    (lambda: linear_regression(np.zeros(3), np.zeros(4)), r"y must have shape \(3,\)"),
    (lambda: logistic_regression(np.zeros((3, 1)), np.zeros(3)), r"X must have shape \(N, 2\)"),
    (lambda: logistic_regression(np.zeros((3, 2)), np.array([0.0, 1.0, 2.0])), "labels 0 or 1"),
    (lambda: logistic_regression(np.zeros((0, 2)), np.zeros(0)), "at least one row"),
    # a string or None gets the same clear message, not numpy's TypeError from isfinite
    (lambda: ravine("50"), r"condition must be a number >= 1, got '50' of type str \(write the number"),
    (lambda: ravine(None), "condition must be a number >= 1, got None"),
    (lambda: rosenbrock(a="1"), "a must be a real number, got '1'"),
    (lambda: linear_regression(l2="0.1"), "l2 must be a number >= 0, got '0.1'"),
    (lambda: logistic_regression(l2=None), "l2 must be a number >= 0, got None"),
])
def test_factories_check_their_arguments(make, message):
    with pytest.raises(ValueError, match=message):
        make()


# --- The module as a whole ---------------------------------------------------------------------------

def test_registry_names_every_surface_by_its_own_name():
    assert list(SURFACES) == ["bowl", "ravine", "rosenbrock", "saddle", "two_minima",
                              "linear_regression", "logistic_regression"]
    for name, make in SURFACES.items():
        s = make()
        assert isinstance(s, Surface) and s.name == name and name in repr(s)


def test_surfaces_import_neither_matplotlib_nor_ipywidgets():
    code = ("import sys, utils.surfaces; "
            "print(sorted(m for m in ('matplotlib', 'ipywidgets') if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
