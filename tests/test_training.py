"""Tests for `utils.training`: the training loop, its checks, metrics and early stopping.

Each fault found by a public bug report (issue 7, section 3) is one test
named for it, followed by other members of the same kind. A training run that
must fail is checked three ways: the error names what went wrong in the
learner's terms, no floating-point warning comes first (pytest turns
RuntimeWarning into an error), and the model is exactly as it was.
"""

import math

import numpy as np
import pytest

from utils.datasets import load_digits, make_blobs, make_regression_1d, one_hot
from utils.layers import Dense, Dropout, ReLU, Sigmoid, Tanh
from utils.models import Sequential
from utils.optimizers import SGD, Adam
from utils.training import (
    EarlyStopping, History, TrainingDiverged, accuracy, evaluate, fit, iterate_minibatches,
)


def classifier(d_in=4, classes=10, hidden=8, seed=0, dtype=np.float32):
    rng = np.random.default_rng(seed)
    return Sequential(Dense(d_in, hidden, rng=rng, dtype=dtype), ReLU(),
                      Dense(hidden, classes, rng=rng, dtype=dtype))


def blobs(n=1000, classes=10, d=4, seed=0):
    rng = np.random.default_rng(seed)
    y = rng.integers(0, classes, size=n)
    X = rng.standard_normal((n, d)) + y[:, None] * 0.5
    return X, y


def weights(model):
    return [p.data.copy() for p in model.parameters()]


def assert_unchanged(model, before):
    for p, old in zip(model.parameters(), before):
        np.testing.assert_array_equal(p.data, old)


def fails_before_training(model, match, X, y, **kwargs):
    """fit raises ValueError matching `match`, and every parameter is exactly as before."""
    before = weights(model)
    kwargs.setdefault("loss", "cross_entropy")
    kwargs.setdefault("optimizer", SGD(model.parameters(), lr=0.1))
    kwargs.setdefault("epochs", 2)
    kwargs.setdefault("batch_size", 32)
    with pytest.raises(ValueError, match=match):
        fit(model, X, y, rng=np.random.default_rng(0), progress=False, **kwargs)
    assert_unchanged(model, before)


# --- fit trains -------------------------------------------------------------------------------

def test_fit_learns_the_digits():
    X, y = load_digits()
    rng = np.random.default_rng(0)
    model = Sequential(Dense(64, 32, rng=rng), ReLU(), Dense(32, 10, rng=rng))
    history = fit(model, X[:1000], y[:1000], loss="cross_entropy",
                  optimizer=Adam(model.parameters(), lr=1e-2), epochs=5, batch_size=32,
                  validation_data=(X[1000:], y[1000:]), rng=rng, progress=False)
    assert history.epochs == 5 and len(history.val_loss) == 5 and len(history.lr) == 5
    assert history.train_loss[-1] < history.train_loss[0] / 3
    assert history.val_accuracy[-1] > 0.9
    assert len(history.batch_loss) == 5 * 32  # ceil(1000 / 32) = 32 steps per epoch


def test_same_rng_state_gives_the_same_run():
    X, y = blobs(200)
    runs = []
    for _ in range(2):
        model = classifier()
        fit(model, X, y, loss="cross_entropy", optimizer=SGD(model.parameters(), lr=0.1),
            epochs=3, batch_size=16, rng=np.random.default_rng(5), progress=False)
        runs.append(weights(model))
    for a, b in zip(*runs):
        np.testing.assert_array_equal(a, b)


def test_train_loss_is_the_mean_of_the_step_losses_weighted_by_batch_size():
    X, y = blobs(100)
    model = classifier()
    history = fit(model, X, y, loss="cross_entropy", optimizer=SGD(model.parameters(), lr=0.05),
                  epochs=1, batch_size=32, rng=np.random.default_rng(0), progress=False)
    sizes = [32, 32, 32, 4]
    expected = sum(l * n for l, n in zip(history.batch_loss, sizes)) / 100
    assert history.train_loss[0] == pytest.approx(expected, rel=1e-12)


def test_soft_binary_targets_train_without_an_accuracy():
    rng = np.random.default_rng(0)
    X = rng.standard_normal((64, 2))
    y = np.full(64, 0.9)
    model = Sequential(Dense(2, 1, rng=rng), Sigmoid())
    history = fit(model, X, y, loss="binary_cross_entropy", optimizer=SGD(model.parameters(), lr=0.5),
                  epochs=30, batch_size=16, rng=rng, progress=False)
    assert history.train_accuracy == [] and history.epochs == 30
    assert model.predict(X).mean() == pytest.approx(0.9, abs=0.05)


def test_hard_binary_targets_report_accuracy():
    X, y = make_blobs(200, noise=0.5, seed=0)
    rng = np.random.default_rng(0)
    model = Sequential(Dense(2, 1, rng=rng), Sigmoid())
    history = fit(model, X, y, loss="binary_cross_entropy", optimizer=SGD(model.parameters(), lr=0.5),
                  epochs=5, batch_size=16, rng=rng, progress=False)
    assert len(history.train_accuracy) == 5 and history.train_accuracy[-1] > 0.9


# --- divergence -------------------------------------------------------------------------------

def diverging_regression(lr=0.5, dtype=np.float32, epochs=50):
    X, y = make_regression_1d(seed=0)
    rng = np.random.default_rng(0)
    model = Sequential(Dense(1, 16, rng=rng, dtype=dtype), Tanh(), Dense(16, 1, rng=rng, dtype=dtype))
    with pytest.raises(TrainingDiverged) as info:
        fit(model, X, y, loss="mse", optimizer=SGD(model.parameters(), lr=lr), epochs=epochs,
            batch_size=32, rng=rng, progress=False)
    return info.value


def test_divergence_of_the_bug_report_names_epoch_step_loss_and_learning_rate():
    # make_regression_1d, a 1-16-1 tanh network, SGD with lr=0.5: numpy used to warn three
    # times, then "ValueError: z contains NaN at index (0, 0)". pytest turns warnings into errors.
    err = diverging_regression()
    message = str(err)
    assert "epoch 6, step 4 of 4" in message and (err.epoch, err.step) == (6, 4)
    assert "lr=0.5" in message and "try lr=0.05" in message
    assert "became inf" in message and math.isinf(err.loss) and err.lr == 0.5
    assert " z " not in message and "contains NaN" not in message
    assert err.__cause__ is None and err.__suppress_context__ is False and err.__context__ is None


def test_divergence_keeps_the_history_so_far():
    err = diverging_regression()
    history = err.history
    assert history.epochs == 5 and history.lr == [0.5] * 6  # five whole epochs, the sixth begun
    assert len(history.batch_loss) == 5 * 4 + 4
    assert math.isinf(history.batch_loss[-1]) and all(map(math.isfinite, history.batch_loss[:-1]))
    assert history.batch_loss[-2] > 1e30 > 1 > history.batch_loss[0]  # the blow-up, to plot


def test_divergence_in_float64_is_reported_the_same_way():
    err = diverging_regression(dtype=np.float64, lr=2.0)
    assert "try lr=0.2" in str(err) and not math.isfinite(err.loss)


def test_divergence_when_the_parameters_overflow_on_the_last_step():
    # one epoch of one step: the update itself overflows, so the loss never sees it
    # W[0] = 0.126: prediction 1.3e17, loss 1.6e34 (float32 holds up to 3.4e38), gradient
    # 2 * 1.3e17 * 1e18 = 2.5e35 for W[0], times lr = 1e5: 2.5e40 overflows float32
    X = np.array([[1e18, 0.0]], dtype=np.float32)
    y = np.array([[1.0]], dtype=np.float32)
    rng = np.random.default_rng(0)
    model = Sequential(Dense(2, 1, rng=rng))
    with pytest.raises(TrainingDiverged, match="end of epoch 1: the parameters stopped being finite"):
        fit(model, X, y, loss="mse", optimizer=SGD(model.parameters(), lr=1e5), epochs=1,
            batch_size=1, rng=rng, progress=False)
    assert np.isinf(model[0].W.data[0, 0])


def test_divergence_of_a_relu_classifier_with_adam():
    X, y = blobs(256)
    X = X * 1e17
    model = classifier()
    with pytest.raises(TrainingDiverged, match=r"lr=1e\+06") as info:
        fit(model, X, y, loss="cross_entropy", optimizer=SGD(model.parameters(), lr=1e6), epochs=20,
            batch_size=64, rng=np.random.default_rng(0), progress=False)
    assert isinstance(info.value.history, History)


@pytest.mark.parametrize("scale", [1e6, 1e25])
@pytest.mark.parametrize("hidden", [[], [ReLU()]], ids=["linear", "relu"])
def test_a_validation_loss_that_overflows_is_reported_as_divergence(hidden, scale):
    # float32 outputs of about 1e15 on the training set (loss 1e30: finite). Validation inputs
    # 1e6 times larger give outputs of 1e21, whose square overflows; 1e25 times larger give
    # outputs that overflow themselves, which the loss refuses (as "y_pred contains an infinity")
    rng = np.random.default_rng(0)
    X, y = rng.uniform(-1, 1, (20, 1)), rng.uniform(-1, 1, (20, 1))
    model = Sequential(Dense(1, 1, rng=rng), *hidden, Dense(1, 1, rng=rng))
    model[-1].W.data[...] = 1e15
    with pytest.raises(TrainingDiverged, match="end of epoch 1: the validation loss became (inf|nan)") as info:
        fit(model, X, y, loss="mse", optimizer=SGD(model.parameters(), lr=1e-45), epochs=3, batch_size=20,
            validation_data=(X * scale, y), rng=rng, progress=False)
    assert "y_pred" not in str(info.value) and info.value.history.val_loss == []


def test_a_diverged_model_is_refused_by_the_next_fit_and_by_evaluate():
    X, y = make_regression_1d(seed=0)
    rng = np.random.default_rng(0)
    model = Sequential(Dense(1, 16, rng=rng), Tanh(), Dense(16, 1, rng=rng))
    with pytest.raises(TrainingDiverged):
        fit(model, X, y, loss="mse", optimizer=SGD(model.parameters(), lr=1e3), epochs=30,
            batch_size=100, rng=rng, progress=False)
    for p in model.parameters():
        p.data[0] = np.nan
    with pytest.raises(ValueError, match="diverged in an earlier run"):
        fit(model, X, y, loss="mse", optimizer=SGD(model.parameters(), lr=0.01), epochs=1,
            batch_size=10, progress=False)
    with pytest.raises(ValueError, match="diverged in an earlier run"):
        evaluate(model, X, y, loss="mse")


def diverged_classifier():
    """A classifier after a run that diverged: its weights are finite, but far too large."""
    X, y = blobs(300, classes=3, d=2)
    model = classifier(d_in=2, classes=3, hidden=32)
    with pytest.raises(TrainingDiverged):
        fit(model, X, y, loss="cross_entropy", optimizer=SGD(model.parameters(), lr=1e6), epochs=30,
            batch_size=32, rng=np.random.default_rng(0), progress=False)
    assert all(np.isfinite(p.data).all() for p in model.parameters())  # the case this is about
    return model, X, y


def test_evaluate_on_a_diverged_model_with_finite_weights_says_so_without_a_warning():
    # fit stops at the first non-finite loss, before the weights themselves overflow; evaluate on
    # that model used to warn "overflow encountered in matmul", then raise "logits contains an infinity"
    model, X, y = diverged_classifier()
    with pytest.raises(ValueError, match=r"the loss on X is nan.*outputs overflow.*largest weight is "
                                         r"\d.*diverged.*smaller learning rate") as info:
        evaluate(model, X, y, loss="cross_entropy")
    assert "logits" not in str(info.value) and "contains" not in str(info.value)


@pytest.mark.parametrize("loss, out", [("mse", 1), ("binary_cross_entropy", 1), ("cross_entropy", 3)])
@pytest.mark.parametrize("sign", [1.0, -1.0], ids=["inf", "nan"])
def test_evaluate_on_weights_too_large_for_any_loss(loss, out, sign):
    # float32 holds up to 3.4e38: the hidden layer gives 2e38, the output 4 * 2e38 * 1e38 (inf), or
    # inf - inf (nan) when the output's weights have both signs
    rng = np.random.default_rng(0)
    layers = [Dense(2, 4, rng=rng), Dense(4, out, rng=rng)] + ([Sigmoid()] if loss == "binary_cross_entropy" else [])
    model = Sequential(*layers)
    model[0].W.data[...], model[0].b.data[...] = 1e38, 0.0
    model[1].W.data[...] = 1e38
    model[1].W.data[0] *= sign
    X = np.ones((5, 2))
    y = np.zeros((5, out)) if loss != "cross_entropy" else np.zeros(5, dtype=int)
    if loss == "binary_cross_entropy" and sign > 0:  # sigmoid(inf) = 1: a finite, if large, loss
        assert math.isfinite(evaluate(model, X, y, loss=loss)["loss"])
        return
    # a Sigmoid refuses a nan input: that used to reach the learner as "z contains NaN at index (0, 0)"
    pattern = r"(the loss on X is (inf|nan)|output for X\[0\] is not a finite number).*outputs overflow.*" \
              r"largest weight is 1e\+38"
    with pytest.raises(ValueError, match=pattern) as info:
        evaluate(model, X, y, loss=loss)
    assert " z " not in str(info.value)
    before = weights(model)
    with pytest.raises((ValueError, TrainingDiverged), match=r"outputs overflow.*largest weight is 1e\+38"):
        fit(model, X, y, loss=loss, optimizer=SGD(model.parameters(), lr=0.1), epochs=1, batch_size=5,
            progress=False)
    assert_unchanged(model, before)


def test_fit_on_a_diverged_model_blames_the_model_not_the_new_learning_rate():
    model, X, y = diverged_classifier()
    before = weights(model)
    with pytest.raises(TrainingDiverged, match=r"first batch, before any update, is nan: the model's outputs "
                                               r"overflow.*learning rate \(lr=0.01\) played no part") as info:
        fit(model, X, y, loss="cross_entropy", optimizer=SGD(model.parameters(), lr=0.01), epochs=1,
            batch_size=32, rng=np.random.default_rng(0), progress=False)
    assert "try lr=" not in str(info.value) and (info.value.epoch, info.value.step) == (1, 1)
    assert_unchanged(model, before)


# --- validation before the first update -------------------------------------------------------

def test_a_label_out_of_range_is_named_by_its_row_before_any_update():
    # the bug report: 1000 rows, 10 classes, y[700] = 10, batch_size=32. The error used to name
    # "index 24" (a position in the 29th shuffled batch) after 29 updates.
    X, y = blobs(1000)
    y[700] = 10
    fails_before_training(classifier(), r"y\[700\] = 10 is not a class of this model: it has 10 "
                                        r"outputs, so labels must be in 0, \.\.\., 9", X, y)


@pytest.mark.parametrize("bad", [-1, 11, 3.5, np.nan, np.inf])
def test_other_bad_labels_are_named_by_their_row(bad):
    X, y = blobs(100)
    y = y.astype(np.float64)
    y[42] = bad
    fails_before_training(classifier(), r"y\[42\] = ", X, y)


def test_one_hot_labels_for_cross_entropy_get_the_conversion():
    X, y = blobs(100)
    fails_before_training(classifier(), r"one-hot: pass class indices, y.argmax\(axis=1\)",
                          X, one_hot(y, 10))


@pytest.mark.parametrize("value, match", [(np.nan, r"X\[17, 2\] is nan: X must hold finite numbers \(row 17\)"),
                                          (np.inf, r"X\[17, 2\] is inf"),
                                          (-np.inf, r"X\[17, 2\] is -inf"),
                                          (1e39, r"X\[17, 2\] = 1e\+39 is beyond the range of float32")])
def test_non_finite_inputs_are_named_by_row_and_column(value, match):
    X, y = blobs(100)
    X[17, 2] = value
    fails_before_training(classifier(), match, X, y)


@pytest.mark.parametrize("value", [np.nan, np.inf])
def test_non_finite_regression_targets_are_named_by_their_row(value):
    X, y = make_regression_1d(seed=0)
    y[9, 0] = value
    rng = np.random.default_rng(0)
    model = Sequential(Dense(1, 4, rng=rng), Tanh(), Dense(4, 1, rng=rng))
    fails_before_training(model, rf"y\[9, 0\] is {value}: targets must be finite", X, y, loss="mse")


def test_targets_and_inputs_of_different_lengths():
    X, y = blobs(100)
    fails_before_training(classifier(), "X has 100 rows but y has 99", X, y[:99])


def test_inputs_that_do_not_fit_the_first_layer():
    X, y = blobs(100, d=5)
    fails_before_training(classifier(d_in=4), r"X must have shape \(N, 4\) for Dense\(4 -> 8\), "
                                              r"the model's first layer, got \(100, 5\)", X, y)


def test_regression_targets_that_do_not_fit_the_output():
    X, y = make_regression_1d(seed=0)
    rng = np.random.default_rng(0)
    model = Sequential(Dense(1, 4, rng=rng), Tanh(), Dense(4, 2, rng=rng))
    fails_before_training(model, r"y must have the shape of the model's output, \(N, 2\), got \(100, 1\)",
                          X, y, loss="mse")


def test_validation_labels_out_of_range_are_named_by_their_row():
    X, y = blobs(100)
    X_val, y_val = blobs(50, seed=1)
    y_val[3] = 12
    fails_before_training(classifier(), r"y_val\[3\] = 12 is not a class", X, y,
                          validation_data=(X_val, y_val))


def test_validation_inputs_with_infinities_and_the_wrong_width():
    X, y = blobs(100)
    X_val, y_val = blobs(50, seed=1)
    X_val[8, 0] = np.inf
    fails_before_training(classifier(), r"X_val\[8, 0\] is inf", X, y, validation_data=(X_val, y_val))
    fails_before_training(classifier(), r"X_val must have shape \(N, 4\)", X, y,
                          validation_data=(X_val[:, :3], y_val))


@pytest.mark.parametrize("validation_data", [(np.zeros((5, 4)),), [np.zeros((5, 4))] * 3, np.zeros((5, 4))])
def test_validation_data_must_be_a_pair(validation_data):
    X, y = blobs(100)
    fails_before_training(classifier(), r"validation_data must be a pair \(X_val, y_val\)", X, y,
                          validation_data=validation_data)


def test_an_optimizer_holding_another_models_parameters():
    X, y = blobs(100)
    model, other = classifier(), classifier(seed=1)
    fails_before_training(model, "optimizer holds the parameters of another model", X, y,
                          optimizer=SGD(other.parameters(), lr=0.1))
    assert_unchanged(other, weights(classifier(seed=1)))


def test_an_optimizer_missing_some_of_the_models_parameters():
    X, y = blobs(100)
    model = classifier()
    fails_before_training(model, r"does not update 2 of the model's 4 parameters \(W of Dense\(8 -> 10\)",
                          X, y, optimizer=SGD(model[0].parameters(), lr=0.1))


@pytest.mark.parametrize("lr, match", [("0.01", r"lr must be a number > 0, got '0.01' of type str "
                                                r"\(write the number without quotes\)"),
                                       (None, "lr must be a number > 0, got None"),
                                       (-0.1, "lr must be > 0, got -0.1"),
                                       (np.nan, "lr must be > 0, got nan")])
def test_a_learning_rate_that_is_not_a_positive_number(lr, match):
    X, y = blobs(100)
    model = classifier()
    with pytest.raises(ValueError, match=match):  # refused where the optimizer is built ...
        SGD(model.parameters(), lr=lr)
    optimizer = SGD(model.parameters(), lr=0.1)
    optimizer.lr = lr  # ... and where it was changed afterwards
    fails_before_training(model, match, X, y, optimizer=optimizer)


@pytest.mark.parametrize("name, value", [("epochs", 2.0), ("epochs", "10"), ("epochs", 0),
                                         ("batch_size", 32.0), ("batch_size", True), ("batch_size", None)])
def test_epochs_and_batch_size_must_be_integers(name, value):
    X, y = blobs(100)
    fails_before_training(classifier(), rf"{name} must be an integer >= 1, got {value!r}", X, y,
                          **{name: value})


def test_numpy_integers_are_fine_for_epochs_and_batch_size():
    X, y = blobs(64)
    model = classifier()
    history = fit(model, X, y, loss="cross_entropy", optimizer=SGD(model.parameters(), lr=0.1),
                  epochs=np.int64(2), batch_size=np.int32(16), progress=False)
    assert history.epochs == 2


def test_something_that_is_not_an_optimizer():
    X, y = blobs(100)
    fails_before_training(classifier(), r"optimizer must be an optimizer built on this model's "
                                        r"parameters, e.g. SGD\(model.parameters\(\), lr=0.1\), got 'adam'",
                          X, y, optimizer="adam")
    fails_before_training(classifier(), "got the class Adam", X, y, optimizer=Adam)


def test_an_unknown_loss():
    X, y = blobs(100)
    fails_before_training(classifier(), r"loss must be one of \['binary_cross_entropy', 'cross_entropy', "
                                        r"'mse'\], got 'crossentropy'", X, y, loss="crossentropy")


def test_binary_cross_entropy_with_plus_minus_one_labels_is_refused_in_fit():
    # the bug report: fit with ±1 labels trained the loss down to -19.8
    X, y = make_blobs(100, seed=0)
    y = 2 * y - 1
    rng = np.random.default_rng(0)
    model = Sequential(Dense(2, 1, rng=rng), Sigmoid())
    fails_before_training(model, r"targets in \[0, 1\].*got y\[\d+, 0\] = -1; for labels in "
                                 r"\{-1, \+1\} use \(y \+ 1\) / 2", X, y, loss="binary_cross_entropy")


def test_binary_cross_entropy_on_a_model_without_a_sigmoid_is_refused():
    X, y = make_blobs(100, seed=0)
    model = Sequential(Dense(2, 1, rng=np.random.default_rng(0)))
    fails_before_training(model, r"ends in Dense\(2 -> 1\).*end it with Sigmoid\(\)", X, y,
                          loss="binary_cross_entropy")


def test_a_scheduler_without_step_or_of_another_optimizer():
    X, y = blobs(100)
    model = classifier()
    fails_before_training(model, "scheduler must have a step", X, y, scheduler=object())
    other = SGD(classifier(seed=1).parameters(), lr=0.1)
    fails_before_training(model, "scheduler changes the learning rate of another optimizer", X, y,
                          scheduler=HalveEveryEpoch(other))


def test_early_stopping_must_be_an_early_stopping():
    X, y = blobs(100)
    fails_before_training(classifier(), "early_stopping must be an EarlyStopping", X, y, early_stopping=3)


def test_the_checks_leave_the_rng_and_the_mode_untouched():
    X, y = blobs(100)
    y[0] = 99
    rng = np.random.default_rng(0)
    model = Sequential(Dense(4, 8, rng=rng), Dropout(0.5, rng=np.random.default_rng(1)), Dense(8, 10, rng=rng))
    state = rng.bit_generator.state
    with pytest.raises(ValueError):
        fit(model, X, y, loss="cross_entropy", optimizer=SGD(model.parameters(), lr=0.1), epochs=1,
            batch_size=10, rng=rng, progress=False)
    assert rng.bit_generator.state == state and model.training


def test_lists_are_accepted_as_data():
    X, y = blobs(40)
    model = classifier()
    history = fit(model, X.tolist(), y.tolist(), loss="cross_entropy",
                  optimizer=SGD(model.parameters(), lr=0.1), epochs=1, batch_size=8, progress=False)
    assert history.epochs == 1


# --- evaluate ---------------------------------------------------------------------------------

def test_evaluate_gives_the_loss_and_accuracy():
    X, y = blobs(100)
    model = classifier()
    result = evaluate(model, X, y, loss="cross_entropy")
    scores = model.predict(X)
    from utils.losses import cross_entropy
    assert result == {"loss": pytest.approx(cross_entropy(scores, y)), "accuracy": accuracy(scores, y)}


def test_evaluate_checks_its_arguments_like_fit():
    X, y = blobs(100)
    y[55] = 10
    with pytest.raises(ValueError, match=r"y\[55\] = 10 is not a class"):
        evaluate(classifier(), X, y, loss="cross_entropy")
    X[3, 1] = np.nan
    with pytest.raises(ValueError, match=r"X\[3, 1\] is nan"):
        evaluate(classifier(), X, y, loss="cross_entropy")
    with pytest.raises(ValueError, match="batch_size must be an integer >= 1, got 0"):
        evaluate(classifier(), X, y, loss="cross_entropy", batch_size=0)


def test_evaluate_has_no_accuracy_for_regression():
    X, y = make_regression_1d(seed=0)
    model = Sequential(Dense(1, 1, rng=np.random.default_rng(0)))
    assert evaluate(model, X, y, loss="mse")["accuracy"] is None


# --- accuracy ---------------------------------------------------------------------------------

SCORES = np.array([[2.0, 0.1, 0.3], [0.0, 1.5, 0.2], [0.1, 0.2, 3.0], [0.3, 0.9, 0.1]])  # classes 0, 1, 2, 1


def test_accuracy_of_the_bug_report():
    assert accuracy(SCORES, [0, 1, 2, 2]) == 0.75
    assert accuracy(SCORES, np.array([[0], [1], [2], [2]])) == 0.75  # a column of labels


def test_accuracy_refuses_one_hot_labels_with_the_conversion():
    # the bug report: accuracy(scores, one_hot(y, 3)) returned 0.0 without a word
    with pytest.raises(ValueError, match=r"shape \(4, 3\): it looks one-hot; pass class indices, "
                                         r"y.argmax\(axis=1\)"):
        accuracy(SCORES, one_hot([0, 1, 2, 2], 3))


@pytest.mark.parametrize("scores, y, match", [
    (SCORES, [0, 1, 2], "same length, got 4 and 3"),
    (np.zeros((0, 3)), [], "empty: the accuracy of no samples is undefined"),
    (SCORES, [0, 1, 3, 1], r"y\[2\] = 3 is not a class label: scores has 3 columns, so labels must be in 0, \.\.\., 2"),
    (SCORES, [0, -1, 2, 1], r"y\[1\] = -1 is not a class label"),
    (SCORES, [0, 1, 2, 1.5], r"y\[3\] = 1.5 is not a class label"),
    (SCORES, np.array([True, False, True, True]), r"dtype bool; convert with y.astype\(int\)"),
    (SCORES, np.zeros((4, 2, 3)), r"shape \(N,\), got shape \(4, 2, 3\)"),
    (np.array([0.2, 0.9]), [1, 2], "one-column scores are probabilities of class 1, so labels must be 0 or 1"),
    (np.array([0.2, 0.9]), [-1, 1], r"y\[0\] = -1"),
    (np.array([-2.0, 3.0]), [0, 1], r"probabilities of class 1 in \[0, 1\].*apply sigmoid first"),
    (np.array([[np.nan, 1.0], [0.0, 1.0]]), [0, 1], "scores contains NaN"),
    (np.zeros((2, 2, 2)), [0, 1], r"scores must be a numeric array of shape \(N, C\) or \(N,\)"),
])
def test_accuracy_refuses_labels_of_the_wrong_shape_or_kind(scores, y, match):
    with pytest.raises(ValueError, match=match):
        accuracy(scores, y)


def test_accuracy_of_binary_probabilities():
    p = np.array([[0.1], [0.6], [0.5], [0.4]])
    assert accuracy(p, [0, 1, 1, 1]) == 0.75  # 0.5 counts as class 1
    assert accuracy(p.ravel(), np.array([0.0, 1.0, 1.0, 1.0])) == 0.75  # whole-number floats are labels


# --- early stopping ---------------------------------------------------------------------------

def noisy_regression(seed=0):
    rng = np.random.default_rng(seed)
    X = rng.uniform(-1, 1, (40, 1))
    y = X + 0.5 * rng.standard_normal((40, 1))
    return X, y


def overfitting_run(model, early_stopping, seed=0):
    X, y = noisy_regression(seed)
    X_val, y_val = noisy_regression(seed + 100)
    return fit(model, X, y, loss="mse", optimizer=Adam(model.parameters(), lr=0.05), epochs=200,
               batch_size=8, validation_data=(X_val, y_val), early_stopping=early_stopping,
               rng=np.random.default_rng(seed), progress=False)


def wide_model(seed):
    rng = np.random.default_rng(seed)
    return Sequential(Dense(1, 64, rng=rng), Tanh(), Dense(64, 64, rng=rng), Tanh(), Dense(64, 1, rng=rng))


def test_early_stopping_stops_and_restores_the_best_epoch():
    model = wide_model(0)
    stopper = EarlyStopping(patience=3)
    history = overfitting_run(model, stopper)
    assert history.stopped_early and history.epochs < 200
    best = history.best_epoch
    assert history.val_loss[best - 1] == min(history.val_loss)
    assert history.epochs == best + 3
    X_val, y_val = noisy_regression(100)
    assert evaluate(model, X_val, y_val, loss="mse")["loss"] == pytest.approx(history.val_loss[best - 1], rel=1e-6)


def test_one_early_stopping_reused_for_a_second_model_starts_afresh():
    # the bug report: the second model stopped after one epoch, reported the first run's
    # best_epoch and was given the first model's weights
    stopper = EarlyStopping(patience=3)
    first = overfitting_run(wide_model(0), stopper)
    model = wide_model(1)
    second = overfitting_run(model, stopper, seed=1)
    reference = overfitting_run(wide_model(1), EarlyStopping(patience=3), seed=1)
    assert second.epochs == reference.epochs > 1
    assert second.best_epoch == reference.best_epoch and second.val_loss == reference.val_loss
    assert second.best_epoch <= second.epochs and first.val_loss != second.val_loss


def test_early_stopping_never_restores_weights_into_another_model():
    stopper = EarlyStopping(patience=3)
    overfitting_run(wide_model(0), stopper)
    other = wide_model(1)
    before = weights(other)
    with pytest.raises(ValueError, match="holds the best weights of another model"):
        stopper.restore(other)
    assert_unchanged(other, before)
    with pytest.raises(ValueError, match="following another model"):
        stopper.update(1, 0.0, other)
    stopper.reset()
    assert stopper.update(1, 0.0, other) is False and stopper.best_epoch == 1


# --- scheduler --------------------------------------------------------------------------------

class HalveEveryEpoch:
    """A stand-in for a learning-rate scheduler with PyTorch's contract: step() once per epoch."""

    def __init__(self, optimizer):
        self.optimizer, self.calls = optimizer, 0

    def step(self):
        self.calls += 1
        self.optimizer.lr /= 2


def test_fit_steps_the_scheduler_once_per_epoch_and_records_the_learning_rate():
    X, y = blobs(100)
    model = classifier()
    optimizer = SGD(model.parameters(), lr=0.4)
    scheduler = HalveEveryEpoch(optimizer)
    history = fit(model, X, y, loss="cross_entropy", optimizer=optimizer, epochs=4, batch_size=32,
                  scheduler=scheduler, rng=np.random.default_rng(0), progress=False)
    assert scheduler.calls == 4
    assert history.lr == [0.4, 0.2, 0.1, 0.05] and optimizer.lr == 0.025


def test_the_learning_rate_is_recorded_without_a_scheduler():
    X, y = blobs(64)
    model = classifier()
    history = fit(model, X, y, loss="cross_entropy", optimizer=SGD(model.parameters(), lr=0.3), epochs=3,
                  batch_size=32, progress=False)
    assert history.lr == [0.3, 0.3, 0.3]


def test_a_scheduler_that_breaks_the_learning_rate_is_named():
    class Broken(HalveEveryEpoch):
        def step(self):
            self.optimizer.lr = -1.0

    X, y = blobs(64)
    model = classifier()
    optimizer = SGD(model.parameters(), lr=0.3)
    with pytest.raises(ValueError, match=r"optimizer.lr \(set by the scheduler after epoch 1\) must be > 0, got -1.0"):
        fit(model, X, y, loss="cross_entropy", optimizer=optimizer, epochs=3, batch_size=32,
            scheduler=Broken(optimizer), progress=False)


# --- iterate_minibatches ----------------------------------------------------------------------

def test_iterate_minibatches_on_python_lists():
    X = [[0, 1], [2, 3], [4, 5], [6, 7], [8, 9]]
    y = [0, 1, 2, 3, 4]
    batches = list(iterate_minibatches(X, y, 2, shuffle=False))
    assert [b[1].tolist() for b in batches] == [[0, 1], [2, 3], [4]]
    assert batches[2][0].tolist() == [[8, 9]] and isinstance(batches[0][0], np.ndarray)


def test_iterate_minibatches_covers_every_sample_once_when_shuffled():
    X = np.arange(10).reshape(10, 1)
    seen = np.concatenate([xb[:, 0] for xb, _ in iterate_minibatches(X, np.arange(10), 3,
                                                                      rng=np.random.default_rng(0))])
    assert sorted(seen.tolist()) == list(range(10)) and seen.tolist() != list(range(10))


@pytest.mark.parametrize("X, y, batch_size, match", [
    (np.zeros((3, 2)), np.zeros(2), 1, "same number of samples, got 3 and 2"),
    (np.zeros((3, 2)), np.zeros(3), 0, "batch_size must be an integer >= 1, got 0"),
    (5, [1], 1, "X must have one row per sample, got the scalar"),
])
def test_iterate_minibatches_errors(X, y, batch_size, match):
    with pytest.raises(ValueError, match=match):
        list(iterate_minibatches(X, y, batch_size))


def test_fit_shows_a_tqdm_bar_that_advances_once_per_epoch(capsys):
    rng = np.random.default_rng(0)
    X, y = rng.normal(size=(40, 2)), rng.integers(0, 2, 40)
    model = Sequential(Dense(2, 2, rng=rng))
    fit(model, X, y, loss="cross_entropy", optimizer=SGD(model.parameters(), lr=0.1), epochs=3, batch_size=8,
        rng=rng, progress=True)
    err = capsys.readouterr().err
    assert "training: 100%" in err and "3/3" in err and "epoch 3: loss" in err
