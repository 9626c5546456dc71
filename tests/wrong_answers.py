"""Plausible wrong answers to every exercise, each named for the mistake it makes.

``tests/test_exercise_checks.py`` feeds each one to its exercise's check, which
must reject it, and with the hint given here when the mistake is a common one
(None: any clear failure will do).
"""

import numpy as np


# Exercise 0.1 column_means ------------------------------------------------------------------
def column_means_over_rows(X):
    return X.mean(axis=1)


def column_means_forgot_to_divide(X):
    return X.sum(axis=0)


def column_means_integer_division(X):
    return X.sum(axis=0) // X.shape[0]


def column_means_accumulates_into_a_view(X):
    total = X[0]  # a view of X's first row, not a copy
    for row in X[1:]:
        total += row
    return total / X.shape[0]


# Exercise 1.1 weighted_sum -------------------------------------------------------------------
def weighted_sum_forgot_bias(X, w, b):
    return X @ w


def weighted_sum_bias_subtracted(X, w, b):
    return X @ w - b


def weighted_sum_no_sum_over_features(X, w, b):
    return X * w + b


def weighted_sum_whole_batch(X, w, b):
    return np.sum(X @ w) + b


def weighted_sum_returns_a_list(X, w, b):
    return [float(x @ w + b) for x in X]


# Exercise 1.2 sigmoid ------------------------------------------------------------------------
def sigmoid_naive_overflows(z):
    return 1 / (1 + np.exp(-z))


def sigmoid_sign_flipped(z):
    e = np.exp(-np.abs(z))
    return np.where(z < 0, 1 / (1 + e), e / (1 + e))


def sigmoid_upcasts_to_float64(z):
    z = np.asarray(z, dtype=np.float64)
    e = np.exp(-np.abs(z))
    return np.where(z >= 0, 1 / (1 + e), e / (1 + e))


def sigmoid_is_tanh(z):
    return np.tanh(z)


def sigmoid_overflow_silenced(z):
    with np.errstate(over="ignore"):  # hides the overflow; 1 / (1 + inf) happens to be right
        return 1 / (1 + np.exp(-z))


def sigmoid_power_overflow_silenced(z):
    with np.errstate(over="ignore"):  # np.e ** x, not np.exp: the same overflow, hidden the same way
        return 1 / (1 + np.e ** (-z))


def sigmoid_if_on_an_array(z):
    if z >= 0:  # fine for one number, ambiguous for an array
        return 1 / (1 + np.exp(-z))
    return np.exp(z) / (1 + np.exp(z))


def sigmoid_clipped_at_20(z):
    return 1 / (1 + np.exp(-np.clip(z, -20, 20)))  # no overflow, but sigma(-50) comes out as 2e-9


def sigmoid_where_computes_both_forms(z):
    return np.where(z >= 0, 1 / (1 + np.exp(-z)), np.exp(z) / (1 + np.exp(z)))


# Exercise 1.3 perceptron_predict -------------------------------------------------------------
def perceptron_predict_returns_z(X, w, b):
    return X @ w + b


def perceptron_predict_strict_inequality(X, w, b):
    return (X @ w + b > 0).astype(float)


def perceptron_predict_uses_sigmoid(X, w, b):
    return 1 / (1 + np.exp(-np.clip(X @ w + b, -500, 500)))


def perceptron_predict_forgot_bias_and_strict(X, w, b):
    return (X @ w > 0).astype(float)


def perceptron_predict_plus_minus_one(X, w, b):
    return np.sign(X @ w + b)


def perceptron_predict_returns_booleans(X, w, b):
    return X @ w + b >= 0


# Exercise 1.4 and_weights --------------------------------------------------------------------
def and_weights_computes_or():
    return np.array([1.0, 1.0]), -0.5


def and_weights_bias_too_large():
    return np.array([1.0, 1.0]), 0.5


def and_weights_bias_first():
    return -1.5, np.array([1.0, 1.0])


def and_weights_returns_one_value():
    return np.array([1.0, 1.0, -1.5])


# Exercise 1.5 perceptron_update --------------------------------------------------------------
def _y_hat(w, b, x):
    return float(x @ w + b >= 0)


def perceptron_update_sign_flipped(w, b, x, y, eta=1.0):
    error = _y_hat(w, b, x) - y
    return w + eta * error * x, b + eta * error


def perceptron_update_forgot_bias(w, b, x, y, eta=1.0):
    return w + eta * (y - _y_hat(w, b, x)) * x, b


def perceptron_update_in_place(w, b, x, y, eta=1.0):
    error = y - _y_hat(w, b, x)
    w += eta * error * x
    return w, b + eta * error


def perceptron_update_without_eta(w, b, x, y, eta=1.0):
    error = y - _y_hat(w, b, x)
    return w + error * x, b + error


def perceptron_update_eta_only_on_w(w, b, x, y, eta=1.0):
    error = y - _y_hat(w, b, x)
    return w + eta * error * x, b + error


def perceptron_update_bias_as_an_array(w, b, x, y, eta=1.0):
    y_hat = (x[None, :] @ w + b >= 0).astype(float)  # a batch of one: shape (1,)
    return w + eta * (y - y_hat[0]) * x, b + eta * (y - y_hat)


def perceptron_update_strict_inequality(w, b, x, y, eta=1.0):
    error = y - float(x @ w + b > 0)
    return w + eta * error * x, b + eta * error


#: grade_id of each exercise -> [(wrong answer, text its failure message must contain or None)]
WRONG_ANSWERS = {
    "ex0_1_column_means": [(column_means_over_rows, "axis=0"),
                           (column_means_forgot_to_divide, "did not divide"),
                           (column_means_integer_division, "rounded down to whole numbers"),
                           (column_means_accumulates_into_a_view, "is a view that shares memory")],
    "ex1_1_weighted_sum": [(weighted_sum_forgot_bias, "forget to add the bias"),
                           (weighted_sum_bias_subtracted, "wrong sign"),
                           (weighted_sum_no_sum_over_features, "did not sum over the features"),
                           (weighted_sum_whole_batch, "one value per sample"),
                           (weighted_sum_returns_a_list, "expected a numpy array, got a Python list")],
    "ex1_2_sigmoid": [(sigmoid_naive_overflows, "overflow"),
                      (sigmoid_sign_flipped, "mirror image"),
                      (sigmoid_upcasts_to_float64, "dtype float32"),
                      (sigmoid_is_tanh, "tanh"),
                      (sigmoid_overflow_silenced, "silences numpy's warnings (errstate)"),
                      (sigmoid_power_overflow_silenced, "silences numpy's warnings (errstate)"),
                      (sigmoid_if_on_an_array, "np.where(condition, a, b) chooses element by element"),
                      (sigmoid_where_computes_both_forms, "computes both of its forms for every element"),
                      (sigmoid_clipped_at_20, "only where the answer is tiny")],
    "ex1_3_perceptron_predict": [(perceptron_predict_returns_z, "apply the step"),
                                 (perceptron_predict_strict_inequality, "z >= 0, not z > 0"),
                                 (perceptron_predict_uses_sigmoid, "step function"),
                                 (perceptron_predict_returns_booleans, "got booleans"),
                                 (perceptron_predict_forgot_bias_and_strict, "the bias is missing"),
                                 (perceptron_predict_plus_minus_one, "-1 and 1")],
    "ex1_4_and_weights": [(and_weights_computes_or, "compute OR"),
                          (and_weights_bias_too_large, "b is too large"),
                          (and_weights_returns_one_value, "must return a pair"),
                          (and_weights_bias_first, "wrong order")],
    "ex1_5_perceptron_update": [(perceptron_update_sign_flipped, "wrong sign"),
                                (perceptron_update_forgot_bias, "bias did not change"),
                                (perceptron_update_in_place, "in place"),
                                (perceptron_update_without_eta, "learning rate eta is missing"),
                                (perceptron_update_strict_inequality, "not z > 0"),
                                (perceptron_update_eta_only_on_w, "eta scales the bias's step too"),
                                (perceptron_update_bias_as_an_array, "expected a single number")],
}
