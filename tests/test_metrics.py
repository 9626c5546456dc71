"""utils.metrics and utils.training_loop: the references lesson 08's exercises are checked against."""

import numpy as np
import pytest

from utils.layers import Dense, Dropout, ReLU
from utils.losses import LOSSES
from utils.metrics import confusion_matrix
from utils.models import Sequential
from utils.optimizers import SGD
from utils.training import fit, iterate_minibatches
from utils.training_loop import evaluate, predict_classes, train, train_epoch


def test_confusion_matrix_by_hand_rows_true_columns_predicted():
    # true 0 -> 0; true 1 -> 2 and 1; true 2 -> 2
    M = confusion_matrix([0, 1, 1, 2], [0, 2, 1, 2], 3)
    np.testing.assert_array_equal(M, [[1, 0, 0], [0, 1, 1], [0, 0, 1]])
    assert M.dtype == np.int64


def test_confusion_matrix_counts_repeated_pairs_and_keeps_absent_classes():
    M = confusion_matrix(np.array([1, 1, 1, 0]), np.array([0, 0, 0, 0]), 4)
    assert M.shape == (4, 4) and M[1, 0] == 3 and M[0, 0] == 1 and M.sum() == 4


def test_confusion_matrix_rows_sum_to_class_counts_and_trace_counts_right_answers():
    rng = np.random.default_rng(0)
    t, p = rng.integers(0, 5, 200), rng.integers(0, 5, 200)
    M = confusion_matrix(t, p, 5)
    np.testing.assert_array_equal(M.sum(axis=1), np.bincount(t, minlength=5))
    assert np.trace(M) == np.sum(t == p)


@pytest.mark.parametrize("args, words", [
    (([0, 3], [0, 1], 3), r"y_true\[1\] = 3 is not a class label in 0 .. 2"),
    (([0, 1], [0, -1], 3), r"y_pred\[1\] = -1"),
    (([0, 1], [0], 3), "same length"),
    (([[0, 1]], [0, 1], 3), "shape \\(N,\\)"),
    (([0, 1], [0, 1], 0), "num_classes must be an integer >= 1"),
    (([0.5], [0], 2), r"y_true\[0\] = 0.5"),
])
def test_confusion_matrix_refuses_bad_labels_clearly(args, words):
    with pytest.raises(ValueError, match=words):
        confusion_matrix(*args)


def _model(seed, dropout=0.0):
    rng = np.random.default_rng(seed)
    layers = [Dense(3, 6, rng=rng, dtype=np.float64), ReLU()]
    layers += [Dropout(dropout, rng=np.random.default_rng(seed + 1))] if dropout else []
    return Sequential(*layers, Dense(6, 3, rng=rng, dtype=np.float64))


def _data(n=11, seed=0):
    rng = np.random.default_rng(seed)
    return rng.normal(size=(n, 3)), rng.integers(0, 3, size=n)


def test_train_epoch_is_fits_epoch():
    # fit shuffles with the same rng.permutation and steps the same way, so one epoch gives the same weights
    X, y = _data()
    a, b = _model(1), _model(1)
    loss_a = train_epoch(a, X, y, LOSSES["cross_entropy"], SGD(a.parameters(), lr=0.1), 4, np.random.default_rng(5))
    history = fit(b, X, y, loss="cross_entropy", optimizer=SGD(b.parameters(), lr=0.1), epochs=1, batch_size=4,
                  rng=np.random.default_rng(5), progress=False)
    assert loss_a == pytest.approx(history.train_loss[0], rel=1e-12)
    for p, q in zip(a.parameters(), b.parameters()):
        np.testing.assert_allclose(p.data, q.data, rtol=1e-12)


def test_train_epoch_weighs_the_last_smaller_batch_by_its_size():
    X, y = _data(n=5)
    model = _model(2)
    optimizer = SGD(model.parameters(), lr=1e-12)  # steps too small to change the losses beyond 1e-9
    value = train_epoch(model, X, y, LOSSES["cross_entropy"], optimizer, 4, np.random.default_rng(0))
    batches = list(iterate_minibatches(X, y, 4, rng=np.random.default_rng(0)))
    expected = sum(LOSSES["cross_entropy"](model.forward(xb), yb) * len(xb) for xb, yb in batches) / 5
    assert [len(xb) for xb, _ in batches] == [4, 1] and value == pytest.approx(expected, rel=1e-9)
    unweighted = np.mean([LOSSES["cross_entropy"](model.forward(xb), yb) for xb, yb in batches])
    assert value != pytest.approx(unweighted, rel=1e-6)


def test_evaluate_runs_in_eval_mode_and_leaves_weights_and_gradients_alone():
    X, y = _data()
    model = _model(3, dropout=0.5).train()
    for p in model.parameters():
        p.grad[...] = 1.0
    data = [p.data.copy() for p in model.parameters()]
    loss, acc = evaluate(model, X, y, LOSSES["cross_entropy"])
    scores = model.predict(X)
    assert not model.training
    assert loss == pytest.approx(LOSSES["cross_entropy"](scores, y)) and acc == np.mean(scores.argmax(1) == y)
    assert all(np.array_equal(p.data, d) and np.all(p.grad == 1.0) for p, d in zip(model.parameters(), data))


def test_train_records_one_entry_per_epoch_after_that_epochs_training():
    X, y = _data(n=20)
    X_val, y_val = _data(n=6, seed=1)
    model, rng = _model(4), np.random.default_rng(9)
    history = train(model, X, y, X_val, y_val, LOSSES["cross_entropy"], SGD(model.parameters(), lr=0.1), 3, 8, rng)
    assert {k: len(v) for k, v in history.items()} == {"train_loss": 3, "val_loss": 3, "val_accuracy": 3}
    assert history["val_loss"][-1] == pytest.approx(evaluate(model, X_val, y_val, LOSSES["cross_entropy"])[0])


def test_predict_classes_flattens_row_by_row_and_predicts_in_eval_mode():
    rng = np.random.default_rng(0)
    images = rng.random((4, 2, 3))
    model = Sequential(Dense(6, 5, rng=rng), ReLU(), Dropout(0.9, rng=rng), Dense(5, 3, rng=rng)).train()
    got = predict_classes(model, images)
    assert got.shape == (4,) and got.dtype.kind == "i"
    np.testing.assert_array_equal(got, model.predict(images.reshape(4, 6)).argmax(axis=1))
    assert model.training  # model.predict restores the mode
