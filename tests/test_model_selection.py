"""utils.model_selection: stratified splits, reading a History, learning curves, selection by validation."""

import numpy as np
import pytest

from utils.datasets import make_blobs
from utils.layers import Dense
from utils.model_selection import (best_epoch, generalization_gap, learning_curve, select_by_validation,
                                   train_val_split, train_val_test_split, validation_rise)
from utils.models import Sequential
from utils.optimizers import Adam
from utils.training import History, evaluate, fit


def numbered(y, dtype=np.float64):
    """X whose first column numbers the rows, so each part says which rows it holds."""
    X = np.zeros((len(y), 3), dtype=dtype)
    X[:, 0] = np.arange(len(y))
    X[:, 1] = y
    return X


# ---- train_val_split ------------------------------------------------------------------------------------------

def test_train_val_split_keeps_every_class_in_proportion_and_every_row_once():
    y = np.repeat([0, 1, 2], [60, 30, 10])
    X = numbered(y)
    X_train, X_val, y_train, y_val = train_val_split(X, y, val_size=0.2, seed=0)
    assert sorted(np.r_[X_train[:, 0], X_val[:, 0]].tolist()) == list(range(100))
    # 20% of each class: 12, 6 and 2 rows, and labels still paired with their rows
    assert np.bincount(y_val).tolist() == [12, 6, 2]
    assert np.array_equal(X_val[:, 1], y_val) and np.array_equal(X_train[:, 1], y_train)


def test_train_val_split_draws_from_rng_and_leaves_the_callers_arrays_alone():
    y = np.repeat([0, 1], 20)
    X = numbered(y, np.float32)
    before = X.copy(), y.copy()
    a = train_val_split(X, y, val_size=0.25, rng=np.random.default_rng(1))
    b = train_val_split(X, y, val_size=0.25, rng=np.random.default_rng(1))
    c = train_val_split(X, y, val_size=0.25, rng=np.random.default_rng(2))
    assert np.array_equal(a[1], b[1]) and not np.array_equal(a[1], c[1])
    assert np.array_equal(X, before[0]) and np.array_equal(y, before[1])
    assert a[0].dtype == np.float32 and a[2].dtype == y.dtype
    assert not any(np.shares_memory(part, X) or np.shares_memory(part, y) for part in a)


def test_train_val_test_split_gives_each_part_its_share_of_every_class():
    y = np.repeat(np.arange(4), 50)
    X = numbered(y)
    X_train, X_val, X_test, y_train, y_val, y_test = train_val_test_split(X, y, val_size=0.2, test_size=0.3, seed=0)
    assert (len(y_train), len(y_val), len(y_test)) == (100, 40, 60)
    assert np.bincount(y_val).tolist() == [10] * 4 and np.bincount(y_test).tolist() == [15] * 4
    rows = np.r_[X_train[:, 0], X_val[:, 0], X_test[:, 0]]
    assert sorted(rows.tolist()) == list(range(200))


@pytest.mark.parametrize("val_size, test_size, message", [
    (0.5, 0.5, "must be below 1"), (0.0, 0.2, "val_size must be a fraction"), (0.2, 1, "test_size must be a fraction")])
def test_train_val_test_split_refuses_fractions_that_leave_no_training_rows(val_size, test_size, message):
    y = np.repeat([0, 1], 10)
    with pytest.raises(ValueError, match=message):
        train_val_test_split(numbered(y), y, val_size=val_size, test_size=test_size, seed=0)


# ---- reading a History ----------------------------------------------------------------------------------------

def history(train, val):
    return History(train_loss=list(train), val_loss=list(val))


def test_best_epoch_counts_from_one_and_takes_the_earliest_tie():
    assert best_epoch(history([1.0, 0.6, 0.3], [0.9, 0.5, 0.7])) == 2          # index 1 is epoch 2
    assert best_epoch(history([1, 1, 1, 1], [0.8, 0.4, 0.6, 0.4])) == 2        # the earlier of two equal minima
    assert best_epoch(history([0.5, 0.1], [0.2, 0.9])) == 1
    assert isinstance(best_epoch(history([0.5, 0.1], [0.2, 0.9])), int)


def test_best_epoch_says_when_there_is_no_validation_loss():
    with pytest.raises(ValueError, match="val_loss is empty .was fit given validation_data"):
        best_epoch(History(train_loss=[0.5, 0.4]))
    with pytest.raises(ValueError, match="expected a History"):
        best_epoch([0.5, 0.4])


def test_generalization_gap_is_val_minus_train_with_the_dtype_rule():
    gap = generalization_gap([0.9, 0.5, 0.2], [1.0, 0.7, 0.6])
    assert np.allclose(gap, [0.1, 0.2, 0.4]) and gap.dtype == np.float64
    assert generalization_gap(np.array([1.0, 0.5], np.float32), np.array([0.5, 1.0], np.float32)).dtype == np.float32
    ints = generalization_gap(np.array([40, 12]), np.array([45, 20]))
    assert ints.dtype == np.float64 and ints.tolist() == [5.0, 8.0]


def test_generalization_gap_refuses_curves_of_different_lengths():
    with pytest.raises(ValueError, match=r"same length, got shapes \(3,\) and \(2,\)"):
        generalization_gap([0.9, 0.5, 0.2], [1.0, 0.7])


def test_validation_rise_is_the_climb_above_the_lowest_validation_loss():
    assert validation_rise(history([1, 1, 1, 1], [0.8, 0.3, 0.5, 0.65])) == pytest.approx(0.35)
    assert validation_rise(history([1, 1], [0.8, 0.3])) == 0.0


def test_select_by_validation_judges_each_run_at_its_best_epoch():
    runs = {"narrow": history([0.6] * 3, [0.62, 0.5, 0.45]),       # ends lowest
            "wide": history([0.01] * 3, [0.4, 0.9, 1.2]),           # lowest training loss, climbs
            "medium": history([0.2] * 3, [0.5, 0.3, 0.6])}          # lowest at its best epoch
    assert select_by_validation(runs) == "medium"
    with pytest.raises(ValueError, match="non-empty dict"):
        select_by_validation({})


# ---- learning_curve -------------------------------------------------------------------------------------------

def softmax_regression(X, y):
    model = Sequential(Dense(2, 3, rng=np.random.default_rng(0)))
    fit(model, X, y, loss="cross_entropy", optimizer=Adam(model.parameters(), lr=0.1), epochs=10, batch_size=8,
        rng=np.random.default_rng(1), progress=False)
    return model


def test_learning_curve_trains_on_the_first_m_rows_and_measures_both_losses():
    X, y = make_blobs(80, noise=1.5, centers=[[-2.0, 0.0], [2.0, 0.0], [0.0, 2.5]], seed=0)
    seen = []

    def recipe(X_part, y_part):
        seen.append(len(X_part))
        return softmax_regression(X_part, y_part)

    train, val = learning_curve(recipe, X[:50], y[:50], X[50:], y[50:], [5, 20, 50])
    assert seen == [5, 20, 50] and train.shape == val.shape == (3,) and train.dtype == np.float64
    model = softmax_regression(X[:20], y[:20])           # the same recipe, by hand, for m = 20
    assert train[1] == pytest.approx(evaluate(model, X[:20], y[:20], "cross_entropy")["loss"])
    assert val[1] == pytest.approx(evaluate(model, X[50:], y[50:], "cross_entropy")["loss"])
    assert val[2] < val[0]                               # more data, lower validation loss, on these blobs


@pytest.mark.parametrize("sizes, message", [([0, 10], "each size must be an integer >= 1"),
                                            ([10, 51], "at most the 50 training rows")])
def test_learning_curve_refuses_sizes_outside_the_training_set(sizes, message):
    X, y = make_blobs(60, seed=0)
    with pytest.raises(ValueError, match=message):
        learning_curve(softmax_regression, X[:50], y[:50], X[50:], y[50:], sizes)
