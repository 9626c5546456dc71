"""Tests for utils.datasets: shapes, balance, reproducibility, geometry, splitting."""

import subprocess
import sys

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from utils.datasets import (load_digits, make_blobs, make_circles, make_moons,
                            make_regression_1d, make_spirals, make_xor, one_hot,
                            train_test_split)

# Each 2-D classification set, with the number of classes it makes by default.
MAKERS_2D = [(make_xor, 2), (make_moons, 2), (make_circles, 2), (make_spirals, 2), (make_blobs, 2)]
MAKER_IDS = [maker.__name__ for maker, _ in MAKERS_2D]


def least_squares_accuracy(X, y):
    """Fit a line w.x + b to targets -1/+1 by least squares; return its training accuracy."""
    A = np.column_stack([X, np.ones(len(X))])
    w, *_ = np.linalg.lstsq(A, 2.0 * y - 1, rcond=None)
    return np.mean((A @ w > 0) == y)


# --- the 2-D classification sets ---------------------------------------------

@pytest.mark.parametrize("maker, _", MAKERS_2D, ids=MAKER_IDS)
def test_2d_set_has_float64_points_and_int64_labels(maker, _):
    X, y = maker(50, seed=0)
    assert X.shape == (50, 2) and X.dtype == np.float64
    assert y.shape == (50,) and y.dtype == np.int64


@pytest.mark.parametrize("maker, kwargs, counts", [
    (make_xor, {}, [51, 50]),
    (make_moons, {}, [51, 50]),
    (make_circles, {}, [51, 50]),
    (make_spirals, {"classes": 3}, [34, 34, 33]),
    (make_blobs, {"centers": 4}, [26, 25, 25, 25]),
    (make_blobs, {"centers": [[0, 0], [5, 5], [0, 5]]}, [34, 34, 33]),
])
def test_classes_are_balanced_and_the_first_get_the_extra_samples(maker, kwargs, counts):
    _, y = maker(101, seed=0, **kwargs)
    assert np.bincount(y).tolist() == counts  # labels are exactly 0 .. K-1


@pytest.mark.parametrize("maker, _", MAKERS_2D, ids=MAKER_IDS)
def test_rows_are_shuffled_so_classes_interleave(maker, _):
    _, y = maker(100, seed=0)
    assert np.any(np.diff(y) < 0)  # not sorted: some 1 comes before a 0


@pytest.mark.parametrize("maker, _", MAKERS_2D, ids=MAKER_IDS)
def test_same_seed_gives_the_same_data(maker, _):
    X1, y1 = maker(60, seed=7)
    X2, y2 = maker(60, seed=7)
    X3, y3 = maker(60, rng=np.random.default_rng(7))  # seed=7 means default_rng(7)
    np.testing.assert_array_equal(X1, X2)
    np.testing.assert_array_equal(y1, y2)
    np.testing.assert_array_equal(X1, X3)
    np.testing.assert_array_equal(y1, y3)


@pytest.mark.parametrize("maker, _", MAKERS_2D, ids=MAKER_IDS)
def test_different_seeds_or_a_used_generator_give_different_data(maker, _):
    assert not np.array_equal(maker(60, seed=0)[0], maker(60, seed=1)[0])
    rng = np.random.default_rng(0)
    assert not np.array_equal(maker(60, rng=rng)[0], maker(60, rng=rng)[0])


@pytest.mark.parametrize("seed", range(20))
def test_two_blobs_with_small_noise_are_linearly_separable(seed):
    X, y = make_blobs(200, noise=0.3, centers=2, seed=seed)
    # A line that classifies every point correctly proves the classes are separable.
    assert least_squares_accuracy(X, y) == 1.0


def test_two_blobs_are_separable_with_a_perceptron():
    X, y = make_blobs(200, noise=0.5, seed=0)
    w, b, signs = np.zeros(2), 0.0, 2 * y - 1
    for _ in range(100):  # epochs; the perceptron stops making mistakes iff the data is separable
        mistakes = 0
        for x_i, s_i in zip(X, signs):
            if s_i * (x_i @ w + b) <= 0:
                w, b, mistakes = w + s_i * x_i, b + s_i, mistakes + 1
        if mistakes == 0:
            break
    assert mistakes == 0
    assert np.all(signs * (X @ w + b) > 0)


def test_blobs_sit_around_the_given_centres():
    centers = np.array([[-4.0, 0.0], [4.0, 0.0], [0.0, 6.0]])
    X, y = make_blobs(3000, noise=0.5, centers=centers, seed=0)
    means = np.array([X[y == k].mean(axis=0) for k in range(3)])
    np.testing.assert_allclose(means, centers, atol=0.05)  # std of a mean: 0.5 / sqrt(1000) = 0.016
    np.testing.assert_allclose(X[y == 0].std(axis=0), [0.5, 0.5], rtol=0.1)


def test_random_blob_centres_are_in_the_box_and_apart():
    X, y = make_blobs(500, noise=0.0, centers=5, seed=3)
    centers = np.array([X[y == k][0] for k in range(5)])  # with no noise every point is its centre
    assert np.all(np.abs(centers) <= 10)
    gaps = np.linalg.norm(centers[:, None] - centers[None], axis=-1)[np.triu_indices(5, 1)]
    assert gaps.min() >= 10 / np.sqrt(5)


def test_xor_is_not_linearly_separable():
    X, y = make_xor(400, noise=0.1, seed=0)
    assert least_squares_accuracy(X, y) < 0.8


def test_xor_classes_share_their_mean_so_no_line_separates_them():
    # Without noise both classes have their mean at the origin, a point inside both
    # convex hulls; two sets whose hulls meet cannot be split by a line.
    X, y = make_xor(200, noise=0.0, seed=0)
    np.testing.assert_allclose(X[y == 0].mean(axis=0), [0, 0], atol=1e-12)
    np.testing.assert_allclose(X[y == 1].mean(axis=0), [0, 0], atol=1e-12)
    assert np.all(np.sign(X[:, 0]) * np.sign(X[:, 1]) == 1 - 2 * y)  # label 1 where signs differ


def test_circles_without_noise_lie_on_radius_1_and_factor():
    X, y = make_circles(100, noise=0.0, factor=0.3, seed=0)
    radius = np.linalg.norm(X, axis=1)
    np.testing.assert_allclose(radius[y == 0], 1.0)
    np.testing.assert_allclose(radius[y == 1], 0.3)


def test_circles_with_small_noise_keep_inner_inside_outer():
    X, y = make_circles(400, noise=0.05, factor=0.5, seed=0)
    radius = np.linalg.norm(X, axis=1)
    assert radius[y == 1].max() < radius[y == 0].min()
    assert abs(radius[y == 0].mean() - 1.0) < 0.02
    assert abs(radius[y == 1].mean() - 0.5) < 0.02


@pytest.mark.parametrize("sklearn_maker, ours, kwargs", [("make_moons", make_moons, {}),
                                                         ("make_circles", make_circles, {"factor": 0.5})])
def test_noiseless_moons_and_circles_match_scikit_learn(sklearn_maker, ours, kwargs):
    import sklearn.datasets

    X_ref, y_ref = getattr(sklearn.datasets, sklearn_maker)(100, shuffle=False, noise=0.0, **kwargs)
    X, y = ours(100, noise=0.0, seed=0, **kwargs)

    def sort_rows(X, y):  # compare as sets of (point, label); round so -1e-16 and 1e-16 tie
        order = np.lexsort((np.round(X[:, 1], 9), np.round(X[:, 0], 9), y))
        return X[order], y[order]

    (X, y), (X_ref, y_ref) = sort_rows(X, y), sort_rows(X_ref, y_ref)
    np.testing.assert_allclose(X, X_ref, atol=1e-12)
    np.testing.assert_array_equal(y, y_ref)


def test_noiseless_spiral_points_lie_on_their_arm():
    classes, turns = 3, 1.5
    X, y = make_spirals(300, noise=0.0, classes=classes, turns=turns, seed=0)
    r = np.linalg.norm(X, axis=1)
    assert r.min() == 0.0 and np.isclose(r.max(), 1.0)
    on_arm = r > 0  # the angle of the centre point is undefined
    expected = 2 * np.pi * turns * r + 2 * np.pi * y / classes
    angle_error = np.angle(np.exp(1j * (np.arctan2(X[:, 1], X[:, 0]) - expected)))
    np.testing.assert_allclose(angle_error[on_arm], 0.0, atol=1e-9)


def test_regression_1d_shapes_range_and_target():
    x, y = make_regression_1d(500, noise=0.0, seed=0)
    assert x.shape == (500, 1) and y.shape == (500, 1)
    assert x.dtype == np.float64 and y.dtype == np.float64
    assert x.min() >= -3 and x.max() <= 3
    np.testing.assert_allclose(y, np.sin(x) + 0.1 * x**2)


def test_regression_1d_noise_has_the_requested_std():
    x, y = make_regression_1d(20_000, noise=0.3, seed=0)
    residual = y - (np.sin(x) + 0.1 * x**2)
    assert abs(residual.std() - 0.3) < 0.01
    np.testing.assert_array_equal(y, make_regression_1d(20_000, noise=0.3, seed=0)[1])


# --- the digits ---------------------------------------------------------------

def test_load_digits_shapes_dtypes_and_range():
    X, y = load_digits()
    assert X.shape == (1797, 64) and X.dtype == np.float32
    assert y.shape == (1797,) and y.dtype == np.int64
    assert X.min() == 0.0 and X.max() == 1.0  # raw pixels 0..16, divided by 16
    assert sorted(np.unique(y)) == list(range(10))


def test_load_digits_images_are_the_rows_of_X():
    X, y, images = load_digits(return_images=True)
    assert images.shape == (1797, 8, 8) and images.dtype == np.float32
    np.testing.assert_array_equal(images.reshape(-1, 64), X)


def test_importing_datasets_does_not_import_sklearn():
    code = "import utils.datasets, sys; assert 'sklearn' not in sys.modules"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr


# --- train_test_split ---------------------------------------------------------

def numbered_rows(n):
    """X whose row i is (i, -i), and y = i: every row can be traced."""
    return np.column_stack([np.arange(n), -np.arange(n)]), np.arange(n)


def test_split_sizes_for_a_fraction_and_a_count():
    X, y = numbered_rows(10)
    X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.3, seed=0)
    assert X_train.shape == (7, 2) and X_test.shape == (3, 2)
    assert y_train.shape == (7,) and y_test.shape == (3,)
    X_train, X_test, _, _ = train_test_split(X, y, test_size=4, seed=0)
    assert len(X_train) == 6 and len(X_test) == 4


def test_split_rounds_a_fraction_and_keeps_both_parts_non_empty():
    X, y = numbered_rows(1797)
    assert len(train_test_split(X, y, seed=0)[1]) == 359  # 0.2 * 1797 = 359.4
    X, y = numbered_rows(3)
    assert len(train_test_split(X, y, test_size=0.01, seed=0)[1]) == 1
    assert len(train_test_split(X, y, test_size=0.99, seed=0)[1]) == 2


def test_split_is_disjoint_covers_every_row_and_keeps_rows_paired():
    X, y = numbered_rows(50)
    X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.2, seed=0)
    assert np.intersect1d(y_train, y_test).size == 0
    np.testing.assert_array_equal(np.sort(np.concatenate([y_train, y_test])), np.arange(50))
    np.testing.assert_array_equal(X_train[:, 0], y_train)  # row i of X still goes with y = i
    np.testing.assert_array_equal(X_test[:, 1], -y_test)


def test_split_shuffles_and_is_reproducible():
    X, y = numbered_rows(100)
    first = train_test_split(X, y, seed=0)
    again = train_test_split(X, y, rng=np.random.default_rng(0))
    other = train_test_split(X, y, seed=1)
    for a, b in zip(first, again):
        np.testing.assert_array_equal(a, b)
    assert not np.array_equal(first[3], other[3])
    assert np.any(np.diff(first[2]) < 0)  # the training rows are not in their original order


def test_split_keeps_dtypes_and_trailing_dimensions():
    images = np.zeros((20, 8, 8), dtype=np.float32)
    labels = np.arange(20, dtype=np.int64)
    X_train, X_test, y_train, y_test = train_test_split(images, labels, test_size=5, seed=0)
    assert X_train.shape == (15, 8, 8) and X_test.shape == (5, 8, 8)
    assert X_train.dtype == np.float32 and y_test.dtype == np.int64


def test_stratified_split_keeps_class_proportions():
    y = np.repeat([0, 1, 2], [50, 30, 20])
    X = np.arange(100)[:, None]
    _, _, y_train, y_test = train_test_split(X, y, test_size=0.25, stratify=True, seed=0)
    assert np.bincount(y_test).tolist() == [12, 8, 5] or np.bincount(y_test).tolist() == [13, 7, 5]
    assert len(y_test) == 25 and len(y_train) == 75


def test_stratified_split_puts_every_class_of_two_or_more_in_both_parts():
    y = np.repeat([0, 1, 2, 3], [40, 3, 2, 1])
    X = np.arange(len(y))[:, None]
    _, _, y_train, y_test = train_test_split(X, y, test_size=0.1, stratify=True, seed=0)
    for k in (0, 1, 2):
        assert k in y_train and k in y_test
    assert len(y_test) == 5  # round(0.1 * 46)


def test_stratified_split_works_with_string_labels():
    y = np.array(["cat", "dog"] * 10)
    _, _, y_train, y_test = train_test_split(np.zeros((20, 3)), y, test_size=0.5,
                                             stratify=True, seed=0)
    assert sorted(y_test.tolist()) == ["cat"] * 5 + ["dog"] * 5


@settings(max_examples=200, deadline=None)
@given(n=st.integers(2, 300), data=st.data())
def test_split_property_sizes_and_coverage(n, data):
    test_size = data.draw(st.one_of(st.integers(1, n - 1),
                                    st.floats(0.001, 0.999, exclude_min=True)))
    X, y = numbered_rows(n)
    X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=test_size, seed=0)
    expected = test_size if isinstance(test_size, int) else min(max(round(test_size * n), 1), n - 1)
    assert abs(len(y_test) - expected) <= (0 if isinstance(test_size, int) else 1)
    assert len(y_test) == len(X_test) and len(y_train) == len(X_train)
    assert 1 <= len(y_test) <= n - 1
    np.testing.assert_array_equal(np.sort(np.concatenate([y_train, y_test])), np.arange(n))


@settings(max_examples=200, deadline=None)
@given(labels=st.lists(st.integers(0, 4), min_size=2, max_size=200),
       fraction=st.floats(0.05, 0.95))
def test_stratified_split_property(labels, fraction):
    y = np.array(labels)
    X = np.arange(len(y))[:, None]
    X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=fraction,
                                                        stratify=True, seed=0)
    np.testing.assert_array_equal(np.sort(np.concatenate([X_train, X_test])[:, 0]),
                                  np.arange(len(y)))  # every row exactly once
    np.testing.assert_array_equal(y[X_test[:, 0]], y_test)
    counts = np.bincount(y, minlength=5)
    test_counts = np.bincount(y_test, minlength=5)
    for count, in_test in zip(counts, test_counts):
        if count >= 2:
            assert 1 <= in_test <= count - 1
    if np.all((counts == 0) | (counts >= 2 / min(fraction, 1 - fraction))):
        # Classes big enough that the one-row floors never bind: proportions within one row.
        n_test = len(y_test)
        assert np.all(np.abs(test_counts - counts * n_test / len(y)) < 1)
        assert n_test == min(max(int(fraction * len(y) + 0.5), 1), len(y) - 1)


# --- one_hot ------------------------------------------------------------------

def test_one_hot_example():
    np.testing.assert_array_equal(one_hot([2, 0, 1], 3), [[0, 0, 1], [1, 0, 0], [0, 1, 0]])
    assert one_hot(np.array([1, 1]), 4).shape == (2, 4)
    assert one_hot([0], 2).dtype == np.float64
    assert one_hot([0], 2, dtype=np.float32).dtype == np.float32


def test_one_hot_rejects_labels_out_of_range():
    with pytest.raises(ValueError, match=r"labels must be in \[0, 3\), got 3 at index 1"):
        one_hot([0, 3], 3)


# --- errors that speak the learner's language ---------------------------------

@pytest.mark.parametrize("maker, _", MAKERS_2D, ids=MAKER_IDS)
@pytest.mark.parametrize("n, message", [
    (0, "n must be an integer >= 1, got 0"),
    (-5, "n must be an integer >= 1, got -5"),
    (2.5, "n must be an integer >= 1, got 2.5"),
    (True, "n must be an integer >= 1, got True"),
    (1, r"n must be at least the number of classes \(2\), got 1"),
])
def test_bad_n_is_rejected(maker, _, n, message):
    with pytest.raises(ValueError, match=message):
        maker(n, seed=0)


@pytest.mark.parametrize("maker", [make_xor, make_moons, make_circles, make_spirals,
                                   make_blobs, make_regression_1d])
def test_negative_noise_is_rejected(maker):
    with pytest.raises(ValueError, match="noise must be >= 0, got -0.1"):
        maker(10, noise=-0.1, seed=0)


@pytest.mark.parametrize("maker", [make_xor, make_moons, make_circles, make_spirals,
                                   make_blobs, make_regression_1d])
def test_rng_and_seed_together_are_rejected(maker):
    with pytest.raises(ValueError, match="pass either rng or seed, not both"):
        maker(10, rng=np.random.default_rng(0), seed=0)


def test_bad_generator_arguments_are_rejected():
    with pytest.raises(ValueError, match=r"n must be at least the number of classes \(4\), got 3"):
        make_spirals(3, classes=4)
    with pytest.raises(ValueError, match="classes must be an integer >= 1, got 0"):
        make_spirals(10, classes=0)
    with pytest.raises(ValueError, match="turns must be > 0, got 0"):
        make_spirals(10, turns=0)
    with pytest.raises(ValueError, match=r"factor must be in \[0, 1\), got 1.5"):
        make_circles(10, factor=1.5)
    with pytest.raises(ValueError, match=r"centers must be an int or have shape \(K, 2\) "
                                         r"with K >= 1, got shape \(3,\)"):
        make_blobs(10, centers=[1.0, 2.0, 3.0])
    with pytest.raises(ValueError, match="centers must be an integer >= 1, got 0"):
        make_blobs(10, centers=0)
    with pytest.raises(ValueError, match=r"n must be at least the number of classes \(3\), got 2"):
        make_blobs(2, centers=3)
    with pytest.raises(ValueError, match="rng must be a numpy.random.Generator"):
        make_moons(10, rng=0)


def test_split_rejects_mismatched_lengths_naming_both():
    with pytest.raises(ValueError, match="X and y must have the same number of rows, got 10 and 9"):
        train_test_split(np.zeros((10, 2)), np.zeros(9))


@pytest.mark.parametrize("test_size", [0.0, 1.0, 1.5, -0.2, 0, 10, -1, True, "0.2", None])
def test_split_rejects_a_bad_test_size(test_size):
    X, y = numbered_rows(10)
    with pytest.raises(ValueError, match="test_size"):
        train_test_split(X, y, test_size=test_size, seed=0)


def test_split_error_messages_name_the_valid_range():
    X, y = numbered_rows(10)
    with pytest.raises(ValueError, match=r"test_size as a count must be in \[1, 9\] for 10 rows, "
                                         r"got 10"):
        train_test_split(X, y, test_size=10)
    with pytest.raises(ValueError, match=r"test_size must be a fraction in \(0, 1\) or a count "
                                         r"in \[1, 9\], got 1.5"):
        train_test_split(X, y, test_size=1.5)


def test_split_rejects_too_few_rows_and_bad_stratify_targets():
    with pytest.raises(ValueError, match="need at least 2 rows to split, got 1"):
        train_test_split(np.zeros((1, 2)), np.zeros(1))
    with pytest.raises(ValueError, match=r"stratify=True needs y of class labels with shape "
                                         r"\(N,\), got \(6, 3\)"):
        train_test_split(np.zeros((6, 2)), np.zeros((6, 3)), stratify=True)
    with pytest.raises(ValueError, match="pass either rng or seed, not both"):
        train_test_split(*numbered_rows(10), rng=np.random.default_rng(0), seed=0)
