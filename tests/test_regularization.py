"""utils.regularization: dropout, L2 and early stopping as functions, against the layers, the optimizers and fit."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from utils.gradient_check import numerical_gradient
from utils.layers import Dense, Dropout, ReLU
from utils.models import Sequential
from utils.optimizers import SGD
from utils.regularization import (dropout_backward, dropout_forward, early_stopping_epoch, l2_penalty,
                                  l2_penalty_grad, train_early_stopping)
from utils.training import EarlyStopping


# ---- dropout ---------------------------------------------------------------------------------------------

@pytest.mark.parametrize("dtype", [np.float64, np.float32])
def test_dropout_forward_gives_the_dropout_layers_numbers(dtype):
    x = np.random.default_rng(0).normal(size=(6, 5)).astype(dtype)
    out, mask = dropout_forward(x, 0.3, np.random.default_rng(7))
    layer = Dropout(0.3, rng=np.random.default_rng(7))
    assert out.dtype == mask.dtype == dtype
    np.testing.assert_array_equal(out, layer.forward(x))
    np.testing.assert_array_equal(dropout_backward(np.ones_like(x), mask), layer.backward(np.ones_like(x)))


def test_dropout_mask_by_hand():
    # rng.random gives [0.6369617, 0.2697867, 0.0409735, 0.0165276] for seed 0: keep where u >= 0.5
    out, mask = dropout_forward(np.array([1.0, 2.0, 3.0, 4.0]), 0.5, np.random.default_rng(0))
    np.testing.assert_array_equal(mask, [2.0, 0.0, 0.0, 0.0])
    np.testing.assert_array_equal(out, [2.0, 0.0, 0.0, 0.0])


def test_dropout_in_evaluation_mode_is_the_identity_on_a_new_array_and_draws_nothing():
    x, rng = np.array([[1.0, -2.0]]), np.random.default_rng(3)
    out, mask = dropout_forward(x, 0.9, rng, training=False)
    np.testing.assert_array_equal(out, x)
    np.testing.assert_array_equal(mask, np.ones_like(x))
    assert not np.shares_memory(out, x)
    assert rng.random() == np.random.default_rng(3).random()


def test_dropout_keeps_the_expected_activation():
    x = np.full((400, 500), 2.0)
    out, _ = dropout_forward(x, 0.6, np.random.default_rng(1))
    assert out.mean() == pytest.approx(2.0, rel=0.01)   # 200,000 draws: the standard error is about 0.25 %
    assert np.mean(out == 0) == pytest.approx(0.6, abs=0.005)


def test_dropout_backward_against_central_differences_with_the_mask_fixed():
    x = np.random.default_rng(2).normal(size=(3, 4))
    dout = np.random.default_rng(3).normal(size=(3, 4))
    _, mask = dropout_forward(x, 0.4, np.random.default_rng(4))
    numeric = numerical_gradient(lambda v: float(np.sum((v * mask) * dout)), x.copy())
    np.testing.assert_allclose(dropout_backward(dout, mask), numeric, rtol=1e-6, atol=1e-9)


def test_integer_input_gives_float64_and_bad_input_is_refused():
    out, mask = dropout_forward(np.array([[1, 2]]), 0.0, np.random.default_rng(0))
    assert out.dtype == mask.dtype == np.float64
    with pytest.raises(ValueError, match=r"dropout p must be in \[0, 1\), got 1"):
        dropout_forward(np.ones(3), 1, np.random.default_rng(0))
    with pytest.raises(ValueError, match=r"same shape, got \(2,\) and \(3,\)"):
        dropout_backward(np.ones(2), np.ones(3))


# ---- L2 ----------------------------------------------------------------------------------------------------

def test_l2_penalty_by_hand_leaves_the_biases_out():
    layers = [(np.array([[1.0, 2.0]]), np.array([100.0, 100.0])), (np.array([[3.0], [-1.0]]), np.array([5.0]))]
    # squares 1 + 4 + 9 + 1 = 15, times lam / 2 = 0.1 / 2
    assert l2_penalty(layers, 0.1) == pytest.approx(0.75)
    grads = l2_penalty_grad(layers, 0.1)
    np.testing.assert_allclose(grads[1][0], [[0.3], [-0.1]])
    np.testing.assert_array_equal(grads[0][1], [0.0, 0.0])


def test_l2_gradient_against_central_differences():
    rng = np.random.default_rng(5)
    W, b = rng.normal(size=(3, 2)), rng.normal(size=2)
    numeric = numerical_gradient(lambda v: float(l2_penalty([(v, b)], 0.7)), W.copy())
    np.testing.assert_allclose(l2_penalty_grad([(W, b)], 0.7)[0][0], numeric, rtol=1e-6)


def test_l2_gradient_is_what_sgds_weight_decay_adds():
    W = np.array([[0.5, -1.0], [2.0, 0.25]])
    layer = Dense(2, 2)
    layer.W.data[...] = W
    layer.W.grad = np.zeros_like(W)
    SGD([layer.W], lr=0.1, weight_decay=0.3).step()
    np.testing.assert_allclose(layer.W.data, W - 0.1 * l2_penalty_grad([(W, np.zeros(2))], 0.3)[0][0])


def test_l2_keeps_float32_and_refuses_bad_input():
    W32 = np.ones((2, 2), dtype=np.float32)
    assert l2_penalty([(W32, np.zeros(2, np.float32))], 0.5).dtype == np.float32
    assert l2_penalty([], 0.5) == 0.0
    with pytest.raises(ValueError, match="lam must be"):
        l2_penalty([(W32, W32[0])], -1.0)
    with pytest.raises(ValueError, match=r"list of \(W, b\) pairs"):
        l2_penalty(W32, 0.1)


# ---- early stopping ----------------------------------------------------------------------------------------

@pytest.mark.parametrize("losses, patience, expected", [
    ([1.0, 0.8, 0.9, 0.95, 0.7], 2, (2, 4)),      # epochs 3 and 4 do not improve: stop after 4
    ([1.0, 0.8, 0.9, 0.95, 0.7], 3, (5, 5)),      # patience 3 waits long enough to see epoch 5
    ([0.5, 0.5, 0.5], 2, (1, 3)),                 # a tie is no improvement
    ([0.9, 0.8, 0.7], 1, (3, 3)),                 # improving to the end: never stops
    ([0.3], 5, (1, 1)),
    ([0.2, 0.4, 0.6, 0.8, 0.1], 1, (1, 2)),       # the later 0.1 is never seen
])
def test_early_stopping_epoch_by_hand(losses, patience, expected):
    assert early_stopping_epoch(losses, patience) == expected


@settings(max_examples=200, deadline=None)
@given(st.lists(st.integers(0, 6), min_size=1, max_size=30), st.integers(1, 5))
def test_early_stopping_epoch_agrees_with_the_early_stopping_of_fit(losses, patience):
    stopper, model = EarlyStopping(patience), Sequential(Dense(1, 1))
    stop = len(losses)
    for epoch, loss in enumerate(losses, start=1):
        if stopper.update(epoch, float(loss), model):
            stop = epoch
            break
    assert early_stopping_epoch([float(v) for v in losses], patience) == (stopper.best_epoch, stop)


def test_early_stopping_epoch_refuses_bad_input():
    with pytest.raises(ValueError, match="non-empty"):
        early_stopping_epoch([], 2)
    with pytest.raises(ValueError, match="NaN"):
        early_stopping_epoch([1.0, float("nan")], 2)
    with pytest.raises(ValueError, match="patience"):
        early_stopping_epoch([1.0], 0)


def test_train_early_stopping_restores_copies_of_the_best_weights():
    model = Sequential(Dense(2, 3, rng=np.random.default_rng(0)), ReLU(), Dense(3, 1, rng=np.random.default_rng(1)))
    start = [p.data.copy() for p in model.parameters()]
    losses = iter([1.0, 0.6, 0.7, 0.8, 0.9, 0.2])

    def train_epoch(m):
        for p in m.parameters():
            p.data += 1.0          # in place, as an optimizer does

    best, stop = train_early_stopping(model, train_epoch, lambda m: next(losses), epochs=6, patience=3)
    assert (best, stop) == (2, 5)
    for p, p0 in zip(model.parameters(), start):
        np.testing.assert_array_equal(p.data, p0 + 2.0)   # the weights after epoch 2, not after epoch 5


def test_train_big_network_records_its_final_figures_and_the_10_7_check_reuses_them(monkeypatch):
    from utils import regularization
    from utils.checks import lesson10

    monkeypatch.setattr(regularization, "FINISHED_RUNS", {})
    monkeypatch.setattr(lesson10, "FINISHED_RUNS", regularization.FINISHED_RUNS)
    _, history = regularization.train_big_network(0.5, epochs=3)
    assert regularization.FINISHED_RUNS == {
        (0.5, 0.0, 3): (history.train_loss[-1], history.val_loss[-1], min(history.val_loss))}
    regularization.train_big_network(0.5, early_stopping=EarlyStopping(patience=1), epochs=3)
    assert len(regularization.FINISHED_RUNS) == 1, "a run cut short by early stopping is not a finished run"

    # The lesson's sweep has run: the check reads its figures and trains nothing.
    figures = {p: (1.0 + p, 2.0 - p, 0.5) for p in lesson10.DROPOUT_RATES}
    regularization.FINISHED_RUNS.update({(p, 0.0, lesson10.DROPOUT_SWEEP_EPOCHS): v for p, v in figures.items()})
    monkeypatch.setattr(lesson10, "train_big_network", lambda *a, **k: pytest.fail("the sweep was trained again"))
    lesson10._dropout_sweep.cache_clear()
    try:
        assert lesson10._dropout_sweep() == figures
    finally:
        lesson10._dropout_sweep.cache_clear()


def test_the_10_7_check_trains_the_runs_the_lesson_has_not(monkeypatch):
    from utils import regularization
    from utils.checks import lesson10

    monkeypatch.setattr(regularization, "FINISHED_RUNS", {})
    monkeypatch.setattr(lesson10, "FINISHED_RUNS", regularization.FINISHED_RUNS)
    monkeypatch.setattr(lesson10, "DROPOUT_SWEEP_EPOCHS", 2)
    lesson10._dropout_sweep.cache_clear()
    try:
        sweep = lesson10._dropout_sweep()
    finally:
        lesson10._dropout_sweep.cache_clear()
    assert sorted(sweep) == sorted(lesson10.DROPOUT_RATES)
    for p, (train_loss, val_loss, lowest) in sweep.items():
        _, h = regularization.train_big_network(p, epochs=2)
        assert (train_loss, val_loss, lowest) == (h.train_loss[-1], h.val_loss[-1], min(h.val_loss))
