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


def perceptron_update_repeats_until_right(w, b, x, y, eta=1.0):
    while _y_hat(w, b, x) != y:  # a loop where the exercise asks for one step
        error = y - _y_hat(w, b, x)
        w, b = w + eta * error * x, b + eta * error
    return w, b


def perceptron_update_applies_the_rule_twice(w, b, x, y, eta=1.0):
    for _ in range(2):
        error = y - _y_hat(w, b, x)
        w, b = w + eta * error * x, b + eta * error
    return w, b


def perceptron_update_returns_w_itself_when_right(w, b, x, y, eta=1.0):
    error = y - _y_hat(w, b, x)
    if error == 0:
        return w, b  # the input object, not a new array
    return w + eta * error * x, b + eta * error


def perceptron_update_returns_b_first(w, b, x, y, eta=1.0):
    error = y - _y_hat(w, b, x)
    return b + eta * error, w + eta * error * x


# Exercises 1.1-1.3: the dtype rule, and mistakes named in issue 7 ---------------------------------------
def weighted_sum_in_float32(X, w, b):
    return (X @ w + b).astype(np.float32)


def weighted_sum_squeezes_the_batch_axis(X, w, b):
    return np.squeeze(X @ w[:, None]) + b


def sigmoid_into_empty_like(z):
    out = np.empty_like(z)  # an integer array for integer z
    e = np.exp(-np.abs(z))
    out[...] = np.where(z >= 0, 1 / (1 + e), e / (1 + e))
    return out


def sigmoid_cast_back_to_input_dtype(z):
    e = np.exp(-np.abs(z))
    return np.where(z >= 0, 1 / (1 + e), e / (1 + e)).astype(z.dtype)


def sigmoid_in_long_double(z):
    # 80-bit long double on x86-64 reaches e^11356, so z = -1000 passes there; e^100000 overflows everywhere
    zl = np.asarray(z, dtype=np.longdouble)
    return (1 / (1 + np.exp(-zl))).astype(np.result_type(z, np.float16))


def _quiet():
    return np.errstate(over="ignore")  # built in a helper outside the learner's function


def sigmoid_power_silenced_in_a_helper(z):
    with _quiet():
        return 1 / (1 + np.e ** -z)


_QUIET_ALL = np.errstate(all="ignore")  # built before the check starts


def sigmoid_silenced_by_an_errstate_built_earlier(z):
    with _QUIET_ALL:
        return 1 / (1 + np.power(np.e, -z))


@np.errstate(over="ignore")
def sigmoid_silenced_by_a_decorator(z):
    return 1 / (1 + np.exp(-z))


def sigmoid_silenced_by_seterr(z):
    old = np.seterr(over="ignore")
    try:
        return 1 / (1 + np.exp(-z))
    finally:
        np.seterr(**old)


def sigmoid_silenced_by_a_warnings_filter(z):
    import warnings
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return 1 / (1 + np.exp(-z))


def sigmoid_math_exp(z):
    import math
    return np.vectorize(lambda v: 1 / (1 + math.exp(-v)), otypes=[float])(z)


def sigmoid_falls_back_when_numpy_raises(z):
    try:  # outside the check numpy only warns, so the naive formula is the one that runs
        return 1 / (1 + np.exp(-z))
    except FloatingPointError:
        e = np.exp(-np.abs(z))
        return np.where(z >= 0, 1 / (1 + e), e / (1 + e))


def sigmoid_minus_in_denominator(z):
    return 1 / (1 - np.exp(-z))


def perceptron_predict_integer_where(X, w, b):
    return np.where(X @ w + b >= 0, 1, 0)


def perceptron_predict_threshold_half(X, w, b):
    z = X @ w + b
    return (z >= 0.5).astype(z.dtype)


def perceptron_predict_always_float64(X, w, b):
    return (X @ w + b >= 0).astype(float)


# Exercise 1.6 train_perceptron ------------------------------------------------------------------
def _loop(X, y, w, b, eta, epochs, orders, count="while", stop="after"):
    from utils.perceptron import perceptron_predict, perceptron_update
    errors = []
    for epoch in range(epochs):
        mistakes = 0
        for i in orders(epoch):
            mistakes += int(perceptron_predict(X[i:i + 1], w, b)[0] != y[i])
            w, b = perceptron_update(w, b, X[i], y[i], eta)
        if count == "after":
            mistakes = int(np.sum(perceptron_predict(X, w, b) != y))
        if stop == "before" and mistakes == 0:
            break
        errors.append(mistakes)
        if stop == "first" or (stop == "after" and mistakes == 0):
            break
    return w, b, errors


def train_perceptron_never_shuffles(X, y, w, b, eta=1.0, epochs=20, rng=None):
    return _loop(X, y, w, b, eta, epochs, lambda epoch: range(len(X)))


def train_perceptron_shuffles_without_an_rng(X, y, w, b, eta=1.0, epochs=20, rng=None):
    rng = np.random.default_rng() if rng is None else rng
    return _loop(X, y, w, b, eta, epochs, lambda epoch: rng.permutation(len(X)))


def train_perceptron_calls_permutation_on_none(X, y, w, b, eta=1.0, epochs=20, rng=None):
    return _loop(X, y, w, b, eta, epochs, lambda epoch: rng.permutation(len(X)))


def train_perceptron_shuffles_once(X, y, w, b, eta=1.0, epochs=20, rng=None):
    order = range(len(X)) if rng is None else rng.permutation(len(X))
    return _loop(X, y, w, b, eta, epochs, lambda epoch: order)


def _fresh(X, rng):
    return lambda epoch: range(len(X)) if rng is None else rng.permutation(len(X))


def train_perceptron_counts_after_the_epoch(X, y, w, b, eta=1.0, epochs=20, rng=None):
    return _loop(X, y, w, b, eta, epochs, _fresh(X, rng), count="after")


def train_perceptron_never_stops(X, y, w, b, eta=1.0, epochs=20, rng=None):
    return _loop(X, y, w, b, eta, epochs, _fresh(X, rng), stop="never")


def train_perceptron_drops_the_last_zero(X, y, w, b, eta=1.0, epochs=20, rng=None):
    return _loop(X, y, w, b, eta, epochs, _fresh(X, rng), stop="before")


def train_perceptron_returns_inside_the_epoch_loop(X, y, w, b, eta=1.0, epochs=20, rng=None):
    return _loop(X, y, w, b, eta, epochs, _fresh(X, rng), stop="first")


def train_perceptron_updates_w_in_place(X, y, w, b, eta=1.0, epochs=20, rng=None):
    from utils.perceptron import perceptron_predict
    errors = []
    for _ in range(epochs):
        mistakes = 0
        for i in (range(len(X)) if rng is None else rng.permutation(len(X))):
            error = y[i] - perceptron_predict(X[i:i + 1], w, b)[0]
            mistakes += int(error != 0)
            w += eta * error * X[i]  # writes into the caller's array
            b += eta * error
        errors.append(mistakes)
        if mistakes == 0:
            break
    return w, b, errors


# Lessons 00-01, found by the second new-learner review ---------------------------------------
def column_means_cast_back_to_integers(X):
    return (X.sum(axis=0) / X.shape[0]).astype(X.dtype)  # int64 for integer features, truncated


def sigmoid_float32_for_integer_input(z):
    z = np.asarray(z, dtype=np.float32) if np.asarray(z).dtype.kind in "iu" else z
    e = np.exp(-np.abs(z))
    return np.where(z >= 0, 1 / (1 + e), e / (1 + e))


def perceptron_predict_squeezes_the_batch_axis(X, w, b):
    z = np.squeeze(X @ w[:, None]) + b  # shape () for a batch of one sample
    return (z >= 0).astype(z.dtype)


def perceptron_predict_heaviside_half(X, w, b):
    return np.heaviside(X @ w + b, 0.5)  # 0.5 on the line


def and_weights_as_a_list():
    return [1.0, 1.0], -1.5


def and_weights_integer_weights():
    return np.array([1, 1]), -1.5


def and_weights_bias_of_shape_1():
    return np.array([1.0, 1.0]), np.array([-1.5])


def and_weights_computes_nand():
    return np.array([-1.0, -1.0]), 1.5


def perceptron_update_textbook_plus_minus_one(w, b, x, y, eta=1.0):
    t = 2 * y - 1  # the +-1 rule steps at z = 0 for class 1 too
    if t * (w @ x + b) <= 0:
        return w + eta * t * x, b + eta * t
    return w.copy(), b


def perceptron_update_integer_where_prediction(w, b, x, y, eta=1.0):
    y_hat = np.where(w @ x + b >= 0, 1, 0)  # an int64 array: upcasts float32 weights to float64
    return w + eta * (y - y_hat) * x, b + eta * (y - y_hat)


def train_perceptron_returns_errors_as_an_array(X, y, w, b, eta=1.0, epochs=20, rng=None):
    w, b, errors = _loop(X, y, w, b, eta, epochs, _fresh(X, rng))
    return w, b, np.array(errors)


def train_perceptron_orders_with_choice(X, y, w, b, eta=1.0, epochs=20, rng=None):
    return _loop(X, y, w, b, eta, epochs,
                 lambda epoch: range(len(X)) if rng is None else rng.choice(len(X), size=len(X), replace=False))


# Exercise 6.1 numerical_gradient --------------------------------------------------------------
def numerical_gradient_forward_difference(f, theta, h=1e-5):
    theta = theta.astype(float)
    grad = np.zeros(theta.shape)
    for i in range(theta.size):
        e = np.zeros(theta.shape)
        e[i] = h
        grad[i] = (f(theta + e) - f(theta)) / h
    return grad


def numerical_gradient_divides_by_h(f, theta, h=1e-5):
    theta = theta.astype(float)
    grad = np.zeros(theta.shape)
    for i in range(theta.size):
        e = np.zeros(theta.shape)
        e[i] = h
        grad[i] = (f(theta + e) - f(theta - e)) / h
    return grad


def numerical_gradient_moves_all_parameters_at_once(f, theta, h=1e-5):
    theta = theta.astype(float)
    return np.full(theta.shape, (f(theta + h) - f(theta - h)) / (2 * h))


def numerical_gradient_perturbs_an_integer_copy(f, theta, h=1e-5):
    grad = np.zeros_like(theta)  # integer for an integer theta
    for i in range(theta.size):
        plus, minus = theta.copy(), theta.copy()
        plus[i] += h  # h is rounded away in an integer array
        minus[i] -= h
        grad[i] = (f(plus) - f(minus)) / (2 * h)
    return grad


def numerical_gradient_ignores_h(f, theta, h=1e-5):
    theta = theta.astype(float)
    grad = np.zeros(theta.shape)
    for i in range(theta.size):
        e = np.zeros(theta.shape)
        e[i] = 1e-5
        grad[i] = (f(theta + e) - f(theta - e)) / 2e-5
    return grad


def numerical_gradient_does_not_restore_theta(f, theta, h=1e-5):
    grad = np.zeros(theta.shape)
    for i in range(theta.size):
        theta[i] += h
        f_plus = f(theta)
        theta[i] -= 2 * h
        grad[i] = (f_plus - f(theta)) / (2 * h)  # theta[i] is left at theta[i] - h
    return grad


def numerical_gradient_keeps_float32(f, theta, h=1e-5):
    theta = theta if theta.dtype.kind == "f" else theta.astype(float)  # float32 stays float32: h is lost
    grad = np.zeros(theta.shape, dtype=theta.dtype)
    for i in range(theta.size):
        plus, minus = theta.copy(), theta.copy()
        plus[i] += h
        minus[i] -= h
        grad[i] = (f(plus) - f(minus)) / (2 * h)
    return grad


def numerical_gradient_integer_copies_float_result(f, theta, h=1e-5):
    grad = np.zeros(theta.shape)
    for i in range(theta.size):
        plus, minus = theta.copy(), theta.copy()  # integer copies of an integer theta
        plus[i] += h
        minus[i] -= h
        grad[i] = (f(plus) - f(minus)) / (2 * h)
    return grad


# Exercise 6.2 gradient_descent_step -----------------------------------------------------------
def gradient_descent_step_uphill(grad, theta, lr):
    return theta + lr * grad(theta)


def gradient_descent_step_without_lr(grad, theta, lr):
    return theta - grad(theta)


def gradient_descent_step_in_place(grad, theta, lr):
    theta -= lr * grad(theta)
    return theta


def gradient_descent_step_iterated_until_converged(grad, theta, lr):
    for _ in range(1000):  # the rule repeated: that is the whole descent, not one step
        g = grad(theta)
        if np.linalg.norm(g) < 1e-8:
            break
        theta = theta - lr * g
    return theta


def gradient_descent_step_into_an_integer_array(grad, theta, lr):
    new = np.zeros_like(theta)
    new[:] = theta - lr * grad(theta)
    return new


def gradient_descent_step_upcasts_to_float64(grad, theta, lr):
    return np.asarray(theta, dtype=np.float64) - lr * grad(theta).astype(np.float64)


def gradient_descent_step_normalised_gradient(grad, theta, lr):
    g = grad(theta)
    return theta - lr * g / np.linalg.norm(g)  # a unit step: wrong, and the norm overflows for huge theta


def gradient_descent_step_returns_the_change(grad, theta, lr):
    return -lr * grad(theta)


# Exercise 6.3 gradient_descent ----------------------------------------------------------------
def gradient_descent_without_the_start(grad, theta0, lr, steps):
    path, theta = [], theta0.astype(float) if theta0.dtype.kind != "f" else theta0
    for _ in range(steps):
        theta = theta - lr * grad(theta)
        path.append(theta)
    return np.array(path).reshape(steps, theta0.size)


def gradient_descent_one_row_short(grad, theta0, lr, steps):
    path = [theta0 * 1.0]
    for _ in range(steps - 1):
        path.append(path[-1] - lr * grad(path[-1]))
    return np.array(path)


def gradient_descent_in_place_rows(grad, theta0, lr, steps):
    theta = theta0.copy() * 1.0
    path = [theta]
    for _ in range(steps):
        theta -= lr * grad(theta)  # changes the array that every row refers to
        path.append(theta)
    return np.array(path)


def gradient_descent_returns_only_the_end(grad, theta0, lr, steps):
    theta = theta0 * 1.0
    for _ in range(steps):
        theta = theta - lr * grad(theta)
    return theta


def gradient_descent_integer_path(grad, theta0, lr, steps):
    path = np.zeros((steps + 1, theta0.size), dtype=theta0.dtype)
    path[0] = theta0
    for k in range(steps):
        path[k + 1] = path[k] - lr * grad(path[k])
    return path


def gradient_descent_returns_a_list(grad, theta0, lr, steps):
    path = [theta0 * 1.0]
    for _ in range(steps):
        path.append(path[-1] - lr * grad(path[-1]))
    return path


def gradient_descent_stops_on_a_small_gradient(grad, theta0, lr, steps):
    path = [theta0 * 1.0]
    for _ in range(steps):
        g = grad(path[-1])
        if np.linalg.norm(g) < 1e-8:  # a stopping test: not this function's job
            break
        path.append(path[-1] - lr * g)
    return np.array(path)


def gradient_descent_stops_when_it_runs_away(grad, theta0, lr, steps):
    path = [theta0 * 1.0]
    for _ in range(steps):
        path.append(path[-1] - lr * grad(path[-1]))
        if np.max(np.abs(path[-1])) > 1e6:  # the explorer's divergence bound, as a stop
            break
    return np.array(path)


def gradient_descent_first_row_after_one_step(grad, theta0, lr, steps):
    path, theta = [], theta0 * 1.0
    for _ in range(steps + 1):
        theta = theta - lr * grad(theta)
        path.append(theta)
    return np.array(path)


# Exercise 6.4 max_stable_lr -------------------------------------------------------------------
def max_stable_lr_smallest_eigenvalue(H):
    return float(2 / np.linalg.eigvalsh(H)[0])


def max_stable_lr_one_over_lambda(H):
    return float(1 / np.linalg.eigvalsh(H)[-1])


def max_stable_lr_largest_diagonal_entry(H):
    return float(2 / np.max(np.diag(H)))


def max_stable_lr_trace(H):
    return float(2 / np.trace(H))


def max_stable_lr_closed_form_overflows(H):
    H = np.asarray(H, dtype=float)
    if H.shape != (2, 2):
        return float(2 / np.linalg.eigvalsh(H)[-1])
    trace, det = np.trace(H), np.linalg.det(H)  # the 2x2 formula squares the trace
    lam_max = (trace + np.sqrt(trace**2 - 4 * det)) / 2
    return float(2 / lam_max)


def max_stable_lr_largest_in_size(H):
    return float(2 / np.linalg.norm(H, 2))  # the spectral norm: max |lambda|


def max_stable_lr_frobenius_norm(H):
    return float(2 / np.linalg.norm(np.asarray(H, dtype=float) / 1e100) / 1e100)


def max_stable_lr_returns_lambda_max(H):
    return float(np.linalg.eigvalsh(H)[-1])


# Exercise 6.5 mse_gradient --------------------------------------------------------------------
def mse_gradient_without_the_2(w, b, x, y):
    r = w * x + b - y
    return np.array([np.mean(r * x), np.mean(r)])


def mse_gradient_sign_flipped(w, b, x, y):
    r = y - (w * x + b)
    return np.array([np.mean(2 * r * x), np.mean(2 * r)])


def mse_gradient_sum_not_mean(w, b, x, y):
    r = w * x + b - y
    return np.array([np.sum(2 * r * x), np.sum(2 * r)])


def mse_gradient_b_first(w, b, x, y):
    r = w * x + b - y
    return np.array([np.mean(2 * r), np.mean(2 * r * x)])


def mse_gradient_forgot_x(w, b, x, y):
    r = w * x + b - y
    return np.array([np.mean(2 * r), np.mean(2 * r)])


def mse_gradient_upcasts_float32(w, b, x, y):
    x, y = np.asarray(x, dtype=np.float64), np.asarray(y, dtype=np.float64)
    r = w * x + b - y
    return np.array([np.mean(2 * r * x), np.mean(2 * r)])


def mse_gradient_divides_by_n_minus_1(w, b, x, y):
    r = w * x + b - y
    return np.array([np.sum(2 * r * x), np.sum(2 * r)]) / (len(x) - 1)


def mse_gradient_product_of_means(w, b, x, y):
    r = w * x + b - y
    return np.array([np.mean(2 * r) * np.mean(x), np.mean(2 * r)])


# Exercise 6.6 ravine_lr -----------------------------------------------------------------------
def ravine_lr_too_small():
    return 0.01


def ravine_lr_at_the_bound():
    return 2 / 50  # exactly 2 / lambda_max: the steep direction bounces forever


def ravine_lr_diverges():
    return 0.05


def ravine_lr_from_the_wrong_eigenvalue():
    return 2 / 1  # 2 / lambda_min


def ravine_lr_returns_a_string():
    return "0.039"


def ravine_lr_returns_a_list():
    return [0.035]


# Exercise 2.1 collapse_linear ----------------------------------------------------------------
def collapse_linear_forgot_first_bias(W1, b1, W2, b2):
    return (1.0 * W1) @ W2, 1.0 * b2


def collapse_linear_returns_b2_itself(W1, b1, W2, b2):
    return (1.0 * W1) @ W2, b2


def collapse_linear_wrong_order(W1, b1, W2, b2):
    return (1.0 * W2) @ W1, (1.0 * b1) @ W2 + b2


def collapse_linear_elementwise(W1, b1, W2, b2):
    return 1.0 * W1 * W2, (1.0 * b1) @ W2 + b2


def collapse_linear_biases_added(W1, b1, W2, b2):
    return (1.0 * W1) @ W2, 1.0 * b1 + b2


def collapse_linear_integer_dtype(W1, b1, W2, b2):
    return W1 @ W2, b1 @ W2 + b2  # integer weights stay integers


def collapse_linear_pair_swapped(W1, b1, W2, b2):
    return (1.0 * b1) @ W2 + b2, (1.0 * W1) @ W2  # (b, W), not (W, b)


# Exercise 2.2 tanh_from_sigmoid --------------------------------------------------------------
def _stable_sigmoid(z):
    e = np.exp(-np.abs(z))
    return np.where(z >= 0, 1 / (1 + e), e / (1 + e))


def tanh_from_sigmoid_naive_exp(z):
    return (np.exp(z) - np.exp(-z)) / (np.exp(z) + np.exp(-z))


def tanh_from_sigmoid_forgot_2z(z):
    return 2 * _stable_sigmoid(z) - 1


def tanh_from_sigmoid_not_doubled(z):
    return _stable_sigmoid(2 * z) - 1


def tanh_from_sigmoid_sign_flipped(z):
    return 1 - 2 * _stable_sigmoid(2 * z)


def tanh_from_sigmoid_upcasts_to_float64(z):
    return 2 * _stable_sigmoid(2 * np.asarray(z, dtype=float)) - 1


def tanh_from_sigmoid_naive_silenced(z):
    with np.errstate(over="ignore", invalid="ignore"):
        return 2 / (1 + np.exp(-2 * z)) - 1


def tanh_from_sigmoid_calls_np_tanh(z):
    return np.tanh(1.0 * z)  # the right numbers, but not the identity the exercise asks for


# Exercise 2.3 relu_grad ----------------------------------------------------------------------
def relu_grad_one_at_zero(z):
    z = 1.0 * z
    return (z >= 0).astype(z.dtype)


def relu_grad_returns_relu(z):
    return np.maximum(1.0 * z, 0)


def relu_grad_returns_booleans(z):
    return z > 0


def relu_grad_always_float64(z):
    return (z > 0).astype(float)


def relu_grad_integer_where(z):
    return np.where(z > 0, 1, 0)


def relu_grad_sign(z):
    return np.sign(1.0 * z)


def relu_grad_small_threshold(z):
    z = 1.0 * z
    return (z > 1e-3).astype(z.dtype)  # "positive enough", not z > 0


# Exercise 2.4 leaky_relu_grad ----------------------------------------------------------------
def leaky_relu_grad_forgot_slope(z, negative_slope=0.01):
    z = 1.0 * z
    return (z > 0).astype(z.dtype)


def leaky_relu_grad_float64_where(z, negative_slope=0.01):
    return np.where(z > 0, 1.0, negative_slope)  # Python floats: float64 even for a float32 z


def leaky_relu_grad_default_slope(z, negative_slope=0.01):
    z = 1.0 * z
    return np.where(z > 0, 1, 0.01).astype(z.dtype)


def leaky_relu_grad_one_at_zero(z, negative_slope=0.01):
    z = 1.0 * z
    return np.where(z >= 0, 1, negative_slope).astype(z.dtype)


def leaky_relu_grad_slopes_swapped(z, negative_slope=0.01):
    z = 1.0 * z
    return np.where(z > 0, negative_slope, 1).astype(z.dtype)


def leaky_relu_grad_small_threshold(z, negative_slope=0.01):
    z = 1.0 * z
    return np.where(z > 1e-4, 1, negative_slope).astype(z.dtype)


# Exercise 2.5 output_activations -------------------------------------------------------------
def output_activations_softmax_for_one_unit():
    return ("softmax", "softmax", "identity")


def output_activations_sigmoid_for_digits():
    return ("sigmoid", "sigmoid", "identity")


def output_activations_relu_for_regression():
    return ("sigmoid", "softmax", "relu")


def output_activations_leaky_relu_for_regression():
    return ("sigmoid", "softmax", "leaky_relu")


def output_activations_tanh_for_probability():
    return ("tanh", "softmax", "identity")


def output_activations_one_name():
    return "softmax"


# Exercise 2.6 chain_gradient -----------------------------------------------------------------
def chain_gradient_forgot_weights(Z, w):
    return np.prod(_stable_sigmoid(Z) * (1 - _stable_sigmoid(Z)), axis=1)


def chain_gradient_sum_not_product(Z, w):
    s = _stable_sigmoid(Z)
    return np.sum(w * s * (1 - s), axis=1)


def chain_gradient_sigmoid_not_derivative(Z, w):
    return np.prod(w * _stable_sigmoid(Z), axis=1)


def chain_gradient_wrong_axis(Z, w):
    s = _stable_sigmoid(Z)
    return np.prod(w * s * (1 - s), axis=0)


def chain_gradient_z_times_one_minus_z(Z, w):
    return np.prod(w * Z * (1 - Z), axis=1) * 1.0


def chain_gradient_naive_sigmoid(Z, w):
    s = 1 / (1 + np.exp(-Z))
    return np.prod(w * s * (1 - s), axis=1)


# Exercise 4.1 mse ----------------------------------------------------------------------------
def mse_not_squared(y_hat, y):
    return np.mean(y_hat - y)


def mse_sum_not_mean(y_hat, y):
    return np.sum((y_hat - y) ** 2)


def mse_root(y_hat, y):
    return np.sqrt(np.mean((y_hat - y) ** 2))


def mse_half_factor(y_hat, y):
    return 0.5 * np.mean((y_hat - y) ** 2)


def mse_divides_by_rows(y_hat, y):
    return np.sum((y_hat - y) ** 2) / len(y)


def mse_python_float(y_hat, y):
    return float(np.mean((y_hat - y) ** 2))  # float32 input must give a float32 loss


# Exercise 4.2 binary_cross_entropy_with_logits ------------------------------------------------
def _stable_sigmoid(z):
    e = np.exp(-np.abs(z))
    return np.where(z >= 0, 1 / (1 + e), e / (1 + e))


def bce_logits_log_of_sigmoid(z, y):
    p = _stable_sigmoid(z)  # rounds to exactly 0 or 1 for large |z|
    return -np.mean(y * np.log(p) + (1 - y) * np.log(1 - p))


def bce_logits_clipped_probabilities(z, y):
    p = np.clip(_stable_sigmoid(z), 1e-7, 1 - 1e-7)
    return -np.mean(y * np.log(p) + (1 - y) * np.log(1 - p))


def bce_logits_silenced_and_clamped(z, y):
    p = _stable_sigmoid(z)
    with np.errstate(divide="ignore", invalid="ignore"):
        log_p, log_1mp = np.maximum(np.log(p), -100), np.maximum(np.log(1 - p), -100)
    return -np.mean(y * log_p + (1 - y) * log_1mp)


def bce_logits_sign_flipped(z, y):
    return np.mean(-np.maximum(z, 0) + z * y - np.log1p(np.exp(-np.abs(z))))


def bce_logits_summed(z, y):
    return np.sum(np.maximum(z, 0) - z * y + np.log1p(np.exp(-np.abs(z))))


def bce_logits_without_the_max_term(z, y):
    return np.mean(-z * y + np.log1p(np.exp(-np.abs(z))))


def bce_logits_without_the_absolute_value(z, y):
    return np.mean(np.maximum(z, 0) - z * y + np.log1p(np.exp(-z)))  # e^1000 for z = -1000


def bce_logits_where_computes_both_branches(z, y):
    return np.mean(np.where(z >= 0, z - z * y + np.log1p(np.exp(-z)), -z * y + np.log1p(np.exp(z))))


def bce_logits_zy_sign_flipped(z, y):
    return np.mean(np.maximum(z, 0) + z * y + np.log1p(np.exp(-np.abs(z))))


def bce_logits_max_of_minus_z(z, y):
    return np.mean(np.maximum(-z, 0) - z * y + np.log1p(np.exp(-np.abs(z))))


# Exercise 4.3 softmax ------------------------------------------------------------------------
def softmax_without_the_shift(Z):
    e = np.exp(Z)
    return e / e.sum(axis=1, keepdims=True)


def softmax_shifted_by_the_batch_maximum(Z):
    e = np.exp(Z - Z.max())  # one maximum for the whole batch: a far-below row underflows to 0 / 0
    return e / e.sum(axis=1, keepdims=True)


def softmax_over_columns(Z):
    e = np.exp(Z - Z.max(axis=0, keepdims=True))
    return e / e.sum(axis=0, keepdims=True)


def softmax_normalised_over_the_batch(Z):
    e = np.exp(Z - Z.max(axis=1, keepdims=True))
    return e / e.sum()


def softmax_without_keepdims(Z):
    e = np.exp(Z - Z.max(axis=1))  # (N, C) - (N,): broadcasts wrongly or fails
    return e / e.sum(axis=1)


def softmax_upcasts_to_float64(Z):
    Z = np.asarray(Z, dtype=np.float64)
    e = np.exp(Z - Z.max(axis=1, keepdims=True))
    return e / e.sum(axis=1, keepdims=True)


# Exercise 4.4 cross_entropy ------------------------------------------------------------------
def _log_softmax(Z):
    shifted = Z - Z.max(axis=1, keepdims=True)
    return shifted - np.log(np.exp(shifted).sum(axis=1, keepdims=True))


def cross_entropy_log_of_softmax(Z, y):
    e = np.exp(Z - Z.max(axis=1, keepdims=True))
    P = e / e.sum(axis=1, keepdims=True)  # a probability of exactly 0, then log 0
    return -np.mean(np.log(P[np.arange(len(y)), y]))


def cross_entropy_summed(Z, y):
    return -np.sum(_log_softmax(Z)[np.arange(len(y)), y])


def cross_entropy_label_columns(Z, y):
    return -np.mean(_log_softmax(Z)[:, y])


def cross_entropy_sign_flipped(Z, y):
    return np.mean(_log_softmax(Z)[np.arange(len(y)), y])


def cross_entropy_every_class(Z, y):
    return -np.mean(_log_softmax(Z))


def cross_entropy_labels_off_by_one(Z, y):
    return -np.mean(_log_softmax(Z)[np.arange(len(y)), y - 1])  # as if classes counted from 1


# Exercise 4.5 cross_entropy_grad -------------------------------------------------------------
def _softmax(Z):
    e = np.exp(Z - Z.max(axis=1, keepdims=True))
    return e / e.sum(axis=1, keepdims=True)


def cross_entropy_grad_not_divided_by_n(Z, y):
    P = _softmax(Z)
    P[np.arange(len(y)), y] -= 1
    return P


def cross_entropy_grad_sign_flipped(Z, y):
    P = _softmax(Z)
    P[np.arange(len(y)), y] -= 1
    return -P / len(y)


def cross_entropy_grad_label_columns(Z, y):
    P = _softmax(Z)
    P[:, y] -= 1
    return P / len(y)


def cross_entropy_grad_without_one_hot(Z, y):
    return _softmax(Z) / len(y)


def cross_entropy_grad_shifts_z_in_place(Z, y):
    Z -= Z.max(axis=1, keepdims=True)  # changes the caller's logits
    P = np.exp(Z) / np.exp(Z).sum(axis=1, keepdims=True)
    P[np.arange(len(y)), y] -= 1
    return P / len(y)


def cross_entropy_grad_naive_softmax(Z, y):
    P = np.exp(Z) / np.exp(Z).sum(axis=1, keepdims=True)
    P[np.arange(len(y)), y] -= 1
    return P / len(y)


def cross_entropy_grad_labels_off_by_one(Z, y):
    P = _softmax(Z)
    P[np.arange(len(y)), y - 1] -= 1  # as if classes counted from 1
    return P / len(y)


# Exercise 4.6 choose_losses ------------------------------------------------------------------
def choose_losses_softmax_for_tags():
    return "mse", "cross_entropy", "cross_entropy"


def choose_losses_binary_for_digits():
    return "mse", "binary_cross_entropy", "cross_entropy"


def choose_losses_mse_everywhere():
    return "mse", "mse", "mse"


def choose_losses_names_not_in_losses():
    return "mse", "softmax", "sigmoid"


def choose_losses_capitalised():
    return "MSE", "Cross_Entropy", "binary_cross_entropy"  # fit(loss="MSE") would raise


def choose_losses_one_string():
    return "mse, cross_entropy, binary_cross_entropy"


# Exercise 7.1 minibatches ---------------------------------------------------------------------
def minibatches_drops_last_batch(X, y, batch_size, rng):
    order = rng.permutation(len(X))
    return [(X[order[s:s + batch_size]], y[order[s:s + batch_size]])
            for s in range(0, len(X) - batch_size + 1, batch_size)]


def minibatches_not_shuffled(X, y, batch_size, rng):
    order = np.arange(len(X))
    return [(X[order[s:s + batch_size]], y[order[s:s + batch_size]]) for s in range(0, len(X), batch_size)]


def minibatches_slices_are_views(X, y, batch_size, rng):
    return [(X[s:s + batch_size], y[s:s + batch_size]) for s in range(0, len(X), batch_size)]


def minibatches_one_batch_is_the_input_itself(X, y, batch_size, rng):
    if batch_size >= len(X):
        return [(X, y)]  # "nothing to split", but also nothing shuffled, and X itself handed out
    order = rng.permutation(len(X))
    return [(X[order[s:s + batch_size]], y[order[s:s + batch_size]]) for s in range(0, len(X), batch_size)]


def minibatches_shuffles_x_and_y_separately(X, y, batch_size, rng):
    X_shuffled, y_shuffled = X[rng.permutation(len(X))], y[rng.permutation(len(y))]
    for s in range(0, len(X), batch_size):
        yield X_shuffled[s:s + batch_size], y_shuffled[s:s + batch_size]


def minibatches_with_replacement(X, y, batch_size, rng):
    batches = []
    for s in range(0, len(X), batch_size):
        idx = rng.integers(0, len(X), size=min(batch_size, len(X) - s))
        batches.append((X[idx], y[idx]))
    return batches


def minibatches_global_random_state(X, y, batch_size, rng):
    order = np.random.permutation(len(X))
    return [(X[order[s:s + batch_size]], y[order[s:s + batch_size]]) for s in range(0, len(X), batch_size)]


def minibatches_fixed_seed_inside(X, y, batch_size, rng):
    order = np.random.default_rng(0).permutation(len(X))
    return [(X[order[s:s + batch_size]], y[order[s:s + batch_size]]) for s in range(0, len(X), batch_size)]


def minibatches_shuffles_the_input_in_place(X, y, batch_size, rng):
    order = rng.permutation(len(X))
    X[...], y[...] = X[order], y[order]
    return [(X[s:s + batch_size].copy(), y[s:s + batch_size].copy()) for s in range(0, len(X), batch_size)]


def minibatches_loop_stops_at_n_minus_1(X, y, batch_size, rng):
    order = rng.permutation(len(X))
    return [(X[order[s:s + batch_size]], y[order[s:s + batch_size]]) for s in range(0, len(X) - 1, batch_size)]


# Exercise 7.2 batch_size_for_noise ------------------------------------------------------------
def batch_size_for_noise_too_noisy():
    return 16


def batch_size_for_noise_largest_batch():
    return 512


def batch_size_for_noise_returns_the_noise():
    return 0.2


def batch_size_for_noise_not_a_plotted_size():
    return 20


# Exercise 7.3 momentum_step -------------------------------------------------------------------
def momentum_step_sign_flipped(theta, v, grad, lr, momentum):
    v_new = momentum * v + grad
    return theta + lr * v_new, v_new


def momentum_step_old_velocity(theta, v, grad, lr, momentum):
    return theta - lr * v, momentum * v + grad


def momentum_step_dampened(theta, v, grad, lr, momentum):
    v_new = momentum * v + (1 - momentum) * grad
    return theta - lr * v_new, v_new


def momentum_step_textbook_form(theta, v, grad, lr, momentum):
    v_new = momentum * v - lr * grad
    return theta + v_new, v_new


def momentum_step_twice(theta, v, grad, lr, momentum):
    for _ in range(2):  # "a step or two": iterating a one-step rule
        v = momentum * v + grad
        theta = theta - lr * v
    return theta, v


def momentum_step_in_place(theta, v, grad, lr, momentum):
    v *= momentum
    v += grad
    return theta - lr * v, v


def momentum_step_without_lr(theta, v, grad, lr, momentum):
    v_new = momentum * v + grad
    return theta - v_new, v_new


def momentum_step_upcasts_to_float64(theta, v, grad, lr, momentum):
    v_new = momentum * np.asarray(v, dtype=np.float64) + grad
    return np.asarray(theta, dtype=np.float64) - lr * v_new, v_new


def momentum_step_lr_inside_velocity(theta, v, grad, lr, momentum):
    v_new = momentum * v + lr * grad  # the other textbook form
    return theta - v_new, v_new


def momentum_step_nesterov(theta, v, grad, lr, momentum):
    v_new = momentum * v + grad
    return theta - lr * (grad + momentum * v_new), v_new


def momentum_step_subtracts_in_place_from_a_copy(theta, v, grad, lr, momentum):
    v_new = momentum * v + grad
    theta_new = theta.copy()
    theta_new -= lr * v_new  # fails for an integer theta: the copy is an integer array
    return theta_new, v_new


# Exercise 7.4 rmsprop_step --------------------------------------------------------------------
def rmsprop_step_eps_inside_sqrt(theta, s, grad, lr, alpha=0.99, eps=1e-8):
    s_new = alpha * s + (1 - alpha) * grad ** 2
    return theta - lr * grad / np.sqrt(s_new + eps), s_new


def rmsprop_step_without_sqrt(theta, s, grad, lr, alpha=0.99, eps=1e-8):
    s_new = alpha * s + (1 - alpha) * grad ** 2
    return theta - lr * grad / (s_new + eps), s_new


def rmsprop_step_alpha_swapped(theta, s, grad, lr, alpha=0.99, eps=1e-8):
    s_new = (1 - alpha) * s + alpha * grad ** 2
    return theta - lr * grad / (np.sqrt(s_new) + eps), s_new


def rmsprop_step_old_average(theta, s, grad, lr, alpha=0.99, eps=1e-8):
    return theta - lr * grad / (np.sqrt(s) + eps), alpha * s + (1 - alpha) * grad ** 2


def rmsprop_step_twice(theta, s, grad, lr, alpha=0.99, eps=1e-8):
    for _ in range(2):
        s = alpha * s + (1 - alpha) * grad ** 2
        theta = theta - lr * grad / (np.sqrt(s) + eps)
    return theta, s


def rmsprop_step_gradient_not_squared(theta, s, grad, lr, alpha=0.99, eps=1e-8):
    s_new = alpha * s + (1 - alpha) * grad  # negative gradients make sqrt(s) invalid
    return theta - lr * grad / (np.sqrt(s_new) + eps), s_new


def rmsprop_step_without_eps(theta, s, grad, lr, alpha=0.99, eps=1e-8):
    s_new = alpha * s + (1 - alpha) * grad ** 2
    return theta - lr * grad / np.sqrt(s_new), s_new


def rmsprop_step_returns_s_first(theta, s, grad, lr, alpha=0.99, eps=1e-8):
    s_new = alpha * s + (1 - alpha) * grad ** 2
    return s_new, theta - lr * grad / (np.sqrt(s_new) + eps)


def rmsprop_step_ignores_eps_argument(theta, s, grad, lr, alpha=0.99, eps=1e-8):
    s_new = alpha * s + (1 - alpha) * grad ** 2
    return theta - lr * grad / (np.sqrt(s_new) + 1e-8), s_new


def rmsprop_step_one_average_for_all(theta, s, grad, lr, alpha=0.99, eps=1e-8):
    s_new = alpha * s + (1 - alpha) * np.sum(grad ** 2)
    return theta - lr * grad / (np.sqrt(s_new) + eps), s_new


def rmsprop_step_without_one_minus_alpha(theta, s, grad, lr, alpha=0.99, eps=1e-8):
    s_new = alpha * s + grad ** 2
    return theta - lr * grad / (np.sqrt(s_new) + eps), s_new


def rmsprop_step_float64_scalar_eps(theta, s, grad, lr, alpha=0.99, eps=1e-8):
    s_new = alpha * s + (1 - alpha) * grad ** 2
    return theta - lr * grad / (np.sqrt(s_new) + np.float64(eps)), s_new  # upcasts float32


# Exercise 7.5 adam_step -----------------------------------------------------------------------
def adam_step_without_bias_correction(theta, m, v, grad, t, lr=1e-3, beta1=0.9, beta2=0.999, eps=1e-8):
    m_new = beta1 * m + (1 - beta1) * grad
    v_new = beta2 * v + (1 - beta2) * grad ** 2
    return theta - lr * m_new / (np.sqrt(v_new) + eps), m_new, v_new


def adam_step_correction_with_t_minus_1(theta, m, v, grad, t, lr=1e-3, beta1=0.9, beta2=0.999, eps=1e-8):
    m_new = beta1 * m + (1 - beta1) * grad
    v_new = beta2 * v + (1 - beta2) * grad ** 2
    m_hat, v_hat = m_new / (1 - beta1 ** (t - 1)), v_new / (1 - beta2 ** (t - 1))
    return theta - lr * m_hat / (np.sqrt(v_hat) + eps), m_new, v_new


def adam_step_returns_corrected_averages(theta, m, v, grad, t, lr=1e-3, beta1=0.9, beta2=0.999, eps=1e-8):
    m_hat = (beta1 * m + (1 - beta1) * grad) / (1 - beta1 ** t)
    v_hat = (beta2 * v + (1 - beta2) * grad ** 2) / (1 - beta2 ** t)
    return theta - lr * m_hat / (np.sqrt(v_hat) + eps), m_hat, v_hat


def adam_step_loops_t_times(theta, m, v, grad, t, lr=1e-3, beta1=0.9, beta2=0.999, eps=1e-8):
    for k in range(1, t + 1):  # t read as "how many steps to take"
        m = beta1 * m + (1 - beta1) * grad
        v = beta2 * v + (1 - beta2) * grad ** 2
        theta = theta - lr * (m / (1 - beta1 ** k)) / (np.sqrt(v / (1 - beta2 ** k)) + eps)
    return theta, m, v


def adam_step_eps_inside_sqrt(theta, m, v, grad, t, lr=1e-3, beta1=0.9, beta2=0.999, eps=1e-8):
    m_new = beta1 * m + (1 - beta1) * grad
    v_new = beta2 * v + (1 - beta2) * grad ** 2
    m_hat, v_hat = m_new / (1 - beta1 ** t), v_new / (1 - beta2 ** t)
    return theta - lr * m_hat / np.sqrt(v_hat + eps), m_new, v_new


def adam_step_eps_before_the_correction(theta, m, v, grad, t, lr=1e-3, beta1=0.9, beta2=0.999, eps=1e-8):
    """Kingma and Ba's 'efficient' form: the corrections folded into the step size, eps added to sqrt(v)."""
    m_new = beta1 * m + (1 - beta1) * grad
    v_new = beta2 * v + (1 - beta2) * grad ** 2
    step_size = lr * np.sqrt(1 - beta2 ** t) / (1 - beta1 ** t)
    return theta - step_size * m_new / (np.sqrt(v_new) + eps), m_new, v_new


def adam_step_corrects_only_m(theta, m, v, grad, t, lr=1e-3, beta1=0.9, beta2=0.999, eps=1e-8):
    m_new = beta1 * m + (1 - beta1) * grad
    v_new = beta2 * v + (1 - beta2) * grad ** 2
    return theta - lr * (m_new / (1 - beta1 ** t)) / (np.sqrt(v_new) + eps), m_new, v_new


def adam_step_upcasts_to_float64(theta, m, v, grad, t, lr=1e-3, beta1=0.9, beta2=0.999, eps=1e-8):
    grad = np.asarray(grad, dtype=np.float64)
    m_new = beta1 * m + (1 - beta1) * grad
    v_new = beta2 * v + (1 - beta2) * grad ** 2
    m_hat, v_hat = m_new / (1 - beta1 ** t), v_new / (1 - beta2 ** t)
    return theta - lr * m_hat / (np.sqrt(v_hat) + eps), m_new, v_new


def adam_step_ignores_eps_argument(theta, m, v, grad, t, lr=1e-3, beta1=0.9, beta2=0.999, eps=1e-8):
    m_new = beta1 * m + (1 - beta1) * grad
    v_new = beta2 * v + (1 - beta2) * grad ** 2
    m_hat, v_hat = m_new / (1 - beta1 ** t), v_new / (1 - beta2 ** t)
    return theta - lr * m_hat / (np.sqrt(v_hat) + 1e-8), m_new, v_new


def adam_step_without_eps(theta, m, v, grad, t, lr=1e-3, beta1=0.9, beta2=0.999, eps=1e-8):
    m_new = beta1 * m + (1 - beta1) * grad
    v_new = beta2 * v + (1 - beta2) * grad ** 2
    return theta - lr * (m_new / (1 - beta1 ** t)) / np.sqrt(v_new / (1 - beta2 ** t)), m_new, v_new


def adam_step_returns_v_before_m(theta, m, v, grad, t, lr=1e-3, beta1=0.9, beta2=0.999, eps=1e-8):
    m_new = beta1 * m + (1 - beta1) * grad
    v_new = beta2 * v + (1 - beta2) * grad ** 2
    m_hat, v_hat = m_new / (1 - beta1 ** t), v_new / (1 - beta2 ** t)
    return theta - lr * m_hat / (np.sqrt(v_hat) + eps), v_new, m_new


def adam_step_corrections_swapped(theta, m, v, grad, t, lr=1e-3, beta1=0.9, beta2=0.999, eps=1e-8):
    m_new = beta1 * m + (1 - beta1) * grad
    v_new = beta2 * v + (1 - beta2) * grad ** 2
    m_hat, v_hat = m_new / (1 - beta2 ** t), v_new / (1 - beta1 ** t)
    return theta - lr * m_hat / (np.sqrt(v_hat) + eps), m_new, v_new


def adam_step_without_one_minus_beta(theta, m, v, grad, t, lr=1e-3, beta1=0.9, beta2=0.999, eps=1e-8):
    m_new = beta1 * m + grad
    v_new = beta2 * v + grad ** 2
    m_hat, v_hat = m_new / (1 - beta1 ** t), v_new / (1 - beta2 ** t)
    return theta - lr * m_hat / (np.sqrt(v_hat) + eps), m_new, v_new


def adam_step_steps_with_old_averages(theta, m, v, grad, t, lr=1e-3, beta1=0.9, beta2=0.999, eps=1e-8):
    theta_new = theta - lr * (m / (1 - beta1 ** t)) / (np.sqrt(v / (1 - beta2 ** t)) + eps)
    return theta_new, beta1 * m + (1 - beta1) * grad, beta2 * v + (1 - beta2) * grad ** 2


def adam_step_beta_times_t(theta, m, v, grad, t, lr=1e-3, beta1=0.9, beta2=0.999, eps=1e-8):
    m_new = beta1 * m + (1 - beta1) * grad
    v_new = beta2 * v + (1 - beta2) * grad ** 2
    m_hat, v_hat = m_new / (1 - beta1 * t), v_new / (1 - beta2 * t)  # * for **: negative from t = 2
    return theta - lr * m_hat / (np.sqrt(v_hat) + eps), m_new, v_new


def adam_step_float64_scalar_correction(theta, m, v, grad, t, lr=1e-3, beta1=0.9, beta2=0.999, eps=1e-8):
    # PyTorch's arrangement; np.sqrt of a Python float is a numpy float64 scalar, which upcasts float32
    m_new = beta1 * m + (1 - beta1) * grad
    v_new = beta2 * v + (1 - beta2) * grad ** 2
    denom = np.sqrt(v_new) / np.sqrt(1 - beta2 ** t) + eps
    return theta - lr / (1 - beta1 ** t) * m_new / denom, m_new, v_new


# Exercise 7.6 cosine_lr -----------------------------------------------------------------------
def cosine_lr_without_half(t, lr0, T_max, eta_min=0.0):
    return eta_min + (lr0 - eta_min) * (1 + np.cos(np.pi * t / T_max))


def cosine_lr_without_pi(t, lr0, T_max, eta_min=0.0):
    return eta_min + (lr0 - eta_min) * (1 + np.cos(t / T_max)) / 2


def cosine_lr_runs_backwards(t, lr0, T_max, eta_min=0.0):
    return eta_min + (lr0 - eta_min) * (1 - np.cos(np.pi * t / T_max)) / 2


def cosine_lr_forgets_eta_min(t, lr0, T_max, eta_min=0.0):
    return lr0 * (1 + np.cos(np.pi * t / T_max)) / 2


def cosine_lr_linear_decay(t, lr0, T_max, eta_min=0.0):
    return lr0 - (lr0 - eta_min) * t / T_max


def cosine_lr_integer_division(t, lr0, T_max, eta_min=0.0):
    return eta_min + (lr0 - eta_min) * (1 + np.cos(np.pi * (t // T_max))) / 2


def cosine_lr_math_cos(t, lr0, T_max, eta_min=0.0):
    import math
    return eta_min + (lr0 - eta_min) * (1 + math.cos(math.pi * t / T_max)) / 2


def cosine_lr_scales_lr0(t, lr0, T_max, eta_min=0.0):
    return eta_min + lr0 * (1 + np.cos(np.pi * t / T_max)) / 2


def cosine_lr_full_circle(t, lr0, T_max, eta_min=0.0):
    return eta_min + (lr0 - eta_min) * (1 + np.cos(2 * np.pi * t / T_max)) / 2


# Exercise 3.1 dense_forward ------------------------------------------------------------------
def dense_forward_forgot_bias(A_prev, W, b):
    return (1.0 * A_prev) @ W


def dense_forward_bias_subtracted(A_prev, W, b):
    return (1.0 * A_prev) @ W - b


def dense_forward_transposed_weights(A_prev, W, b):
    return (1.0 * A_prev) @ W.T + b


def dense_forward_integer_dtype(A_prev, W, b):
    return A_prev @ W + b


# Exercise 3.2 two_layer_forward --------------------------------------------------------------
def _relu(z):
    return np.maximum(1.0 * z, 0)


def two_layer_forward_no_hidden_relu(X, W1, b1, W2, b2):
    return _stable_sigmoid((1.0 * X) @ W1 @ W2 + b1 @ W2 + b2)


def two_layer_forward_no_output_sigmoid(X, W1, b1, W2, b2):
    return _relu((1.0 * X) @ W1 + b1) @ W2 + b2


def two_layer_forward_activations_swapped(X, W1, b1, W2, b2):
    return _relu(_stable_sigmoid((1.0 * X) @ W1 + b1) @ W2 + b2)


def two_layer_forward_forgot_b1(X, W1, b1, W2, b2):
    return _stable_sigmoid(_relu((1.0 * X) @ W1) @ W2 + b2)


def two_layer_forward_naive_sigmoid(X, W1, b1, W2, b2):
    return 1 / (1 + np.exp(-(_relu((1.0 * X) @ W1 + b1) @ W2 + b2)))


# Exercise 3.3 layer_shapes -------------------------------------------------------------------
def layer_shapes_includes_the_input(N, layer_sizes):
    return [(N, units) for units in layer_sizes]


def layer_shapes_transposed(N, layer_sizes):
    return [(units, N) for units in layer_sizes[1:]]


def layer_shapes_without_the_batch(N, layer_sizes):
    return [(units,) for units in layer_sizes[1:]]


def layer_shapes_pops_the_input_size(N, layer_sizes):
    layer_sizes.pop(0)  # changes the caller's list
    return [(N, units) for units in layer_sizes]


def layer_shapes_float_shapes(N, layer_sizes):
    return [(float(N), float(units)) for units in layer_sizes[1:]]


# Exercise 3.4 count_parameters ---------------------------------------------------------------
def count_parameters_forgot_biases(layer_sizes):
    return sum(a * b for a, b in zip(layer_sizes[:-1], layer_sizes[1:]))


def count_parameters_biases_per_input(layer_sizes):
    return sum(a * b + a for a, b in zip(layer_sizes[:-1], layer_sizes[1:]))


def count_parameters_product_of_sizes(layer_sizes):
    return int(np.prod(layer_sizes))


def count_parameters_input_layer_biases(layer_sizes):
    return sum(a * b + b for a, b in zip(layer_sizes[:-1], layer_sizes[1:])) + layer_sizes[0]


def count_parameters_empties_the_list(layer_sizes):
    total = 0
    while len(layer_sizes) > 1:  # pops the caller's list down to one size
        d_in = layer_sizes.pop(0)
        total += d_in * layer_sizes[0] + layer_sizes[0]
    return total


def count_parameters_as_a_float(layer_sizes):
    sizes = np.array(layer_sizes) * 1.0
    return (sizes[:-1] * sizes[1:] + sizes[1:]).sum()


# Exercise 3.5 init_weights -------------------------------------------------------------------
def init_weights_he_with_fan_out(D_in, D_out, init, rng):
    std = np.sqrt(2 / D_out) if init == "he" else np.sqrt(2 / (D_in + D_out))
    return rng.standard_normal((D_in, D_out)) * std


def init_weights_variance_not_std(D_in, D_out, init, rng):
    var = 2 / D_in if init == "he" else 2 / (D_in + D_out)
    return rng.standard_normal((D_in, D_out)) * var


def init_weights_without_the_2(D_in, D_out, init, rng):
    std = np.sqrt(1 / D_in) if init == "he" else np.sqrt(1 / (D_in + D_out))
    return rng.standard_normal((D_in, D_out)) * std


def init_weights_pytorch_shape(D_in, D_out, init, rng):
    std = np.sqrt(2 / D_in) if init == "he" else np.sqrt(2 / (D_in + D_out))
    return rng.standard_normal((D_out, D_in)) * std


def init_weights_always_he(D_in, D_out, init, rng):
    return rng.standard_normal((D_in, D_out)) * np.sqrt(2 / D_in)


# Exercise 3.6 hidden_representations ---------------------------------------------------------
def _activation_outputs(model, X):
    A, outputs = X, []
    for layer in model.layers:
        A = layer.forward(A)
        if type(layer).__name__ != "Dense":
            outputs.append(A)
    return outputs


def hidden_representations_includes_the_output(model, X):
    return _activation_outputs(model, X)


def hidden_representations_pre_activations(model, X):
    A, outputs = X, []
    for layer in model.layers:
        A = layer.forward(A)
        if type(layer).__name__ == "Dense":
            outputs.append(A)
    return outputs[:-1]


def hidden_representations_only_the_last(model, X):
    return [_activation_outputs(model, X)[-2]]


def hidden_representations_pops_the_output_layer(model, X):
    model.layers.pop()  # changes the learner's model
    return _activation_outputs(model, X)


def hidden_representations_upcasts_float32(model, X):
    return [A.astype(float) for A in _activation_outputs(model, X)[:-1]]


# Exercise 5.1 neuron_grads -------------------------------------------------------------------------
def _sigmoid05(z):
    e = np.exp(-np.abs(z))
    return np.where(z >= 0, 1 / (1 + e), e / (1 + e))


def neuron_grads_without_sigmoid_derivative(x, w, b, y):
    a = _sigmoid05(x @ w + b)
    return 2 * (a - y) * x, 2 * (a - y)


def neuron_grads_without_the_2(x, w, b, y):
    a = _sigmoid05(x @ w + b)
    dz = (a - y) * a * (1 - a)
    return dz * x, dz


def neuron_grads_sign_flipped(x, w, b, y):
    a = _sigmoid05(x @ w + b)
    dz = 2 * (y - a) * a * (1 - a)
    return dz * x, dz


def neuron_grads_derivative_at_a(x, w, b, y):
    a = _sigmoid05(x @ w + b)
    s = _sigmoid05(a)
    dz = 2 * (a - y) * s * (1 - s)
    return dz * x, dz


def neuron_grads_w_instead_of_x(x, w, b, y):
    a = _sigmoid05(x @ w + b)
    dz = 2 * (a - y) * a * (1 - a)
    return dz * w, dz


def neuron_grads_cross_entropy_gradient(x, w, b, y):
    a = _sigmoid05(x @ w + b)
    return (a - y) * x, a - y


def neuron_grads_naive_sigmoid(x, w, b, y):
    a = 1 / (1 + np.exp(-(x @ w + b)))
    dz = 2 * (a - y) * a * (1 - a)
    return dz * x, dz


def neuron_grads_db_as_python_float(x, w, b, y):
    a = _sigmoid05(x @ w + b)
    dz = 2 * (a - y) * a * (1 - a)
    return dz * x, float(dz)


# Exercise 5.2 dense_backward ----------------------------------------------------------------------
def dense_backward_dW_transposed(dZ, A_prev, W):
    dZ = 1.0 * dZ
    return dZ @ W.T, dZ.T @ A_prev, dZ.sum(axis=0)


def dense_backward_db_wrong_axis(dZ, A_prev, W):
    dZ = 1.0 * dZ
    return dZ @ W.T, A_prev.T @ dZ, dZ.sum(axis=1)


def dense_backward_db_mean(dZ, A_prev, W):
    dZ = 1.0 * dZ
    return dZ @ W.T, A_prev.T @ dZ, dZ.mean(axis=0)


def dense_backward_dA_prev_without_transpose(dZ, A_prev, W):
    dZ = 1.0 * dZ
    return dZ @ W, A_prev.T @ dZ, dZ.sum(axis=0)


def dense_backward_integer_dtype(dZ, A_prev, W):
    return dZ @ W.T, A_prev.T @ dZ, dZ.sum(axis=0)


def dense_backward_returns_dW_first(dZ, A_prev, W):
    dZ = 1.0 * dZ
    return A_prev.T @ dZ, dZ.sum(axis=0), dZ @ W.T


# Exercise 5.3 relu_backward -----------------------------------------------------------------------
def relu_backward_derivative_only(dA, Z):
    return 1.0 * (Z > 0) + 0 * dA


def relu_backward_relu_of_dA(dA, Z):
    return np.maximum(1.0 * dA, 0)


def relu_backward_one_at_zero(dA, Z):
    return 1.0 * dA * (Z >= 0)


def relu_backward_times_relu_of_z(dA, Z):
    return 1.0 * dA * np.maximum(Z, 0)


def relu_backward_in_place(dA, Z):
    dA[Z <= 0] = 0
    return 1.0 * dA


def relu_backward_integer_dtype(dA, Z):
    return dA * (Z > 0)


def relu_backward_float64_mask(dA, Z):
    return dA * (Z > 0).astype(np.float64)


# Exercise 5.4 rel_error ---------------------------------------------------------------------------
def rel_error_mean(a, b):
    return float(np.mean(np.abs(a - b) / np.maximum(1e-8, np.abs(a) + np.abs(b))))


def rel_error_max_denominator(a, b):
    return float(np.max(np.abs(a - b) / np.maximum(1e-8, np.maximum(np.abs(a), np.abs(b)))))


def rel_error_of_norms(a, b):
    return float(np.linalg.norm(a - b) / max(1e-8, np.linalg.norm(a) + np.linalg.norm(b)))


def rel_error_signed_difference(a, b):
    return float(np.max((a - b) / np.maximum(1e-8, np.abs(a) + np.abs(b))))


def rel_error_without_the_floor(a, b):
    return float(np.max(np.abs(a - b) / (np.abs(a) + np.abs(b))))


def rel_error_absolute_only(a, b):
    return float(np.max(np.abs(a - b)))


def rel_error_without_abs_in_the_sizes(a, b):
    return float(np.max(np.abs(a - b) / np.maximum(1e-8, a + b)))


def rel_error_abs_of_the_sum(a, b):
    return float(np.max(np.abs(a - b) / np.maximum(1e-8, np.abs(a + b))))  # |a + b| is not |a| + |b|


# Exercise 5.5 two_layer_backward ------------------------------------------------------------------
def _softmax05(Z):
    e = np.exp(Z - Z.max(axis=1, keepdims=True))
    return e / e.sum(axis=1, keepdims=True)


def _two_layer05(X, y, W1, b1, W2, b2, *, per_sample=False, mask="relu", dW2_from="A1", sign=1.0,
                 bias_mean=False, softmax=_softmax05):
    Z1 = X @ W1 + b1
    A1 = np.maximum(Z1, 0)
    P = softmax(A1 @ W2 + b2)
    P[np.arange(len(y)), y] -= 1
    dZ2 = sign * (P if per_sample else P / len(y))
    dA1 = dZ2 @ W2.T
    dZ1 = {"relu": dA1 * (Z1 > 0), "none": dA1, "A1": dA1 * A1}[mask]
    reduce = (lambda d: d.mean(axis=0)) if bias_mean else (lambda d: d.sum(axis=0))
    dW2 = (A1 if dW2_from == "A1" else Z1).T @ dZ2
    return X.T @ dZ1, reduce(dZ1), dW2, reduce(dZ2)


def two_layer_backward_not_divided_by_n(X, y, W1, b1, W2, b2):
    return _two_layer05(X, y, W1, b1, W2, b2, per_sample=True)


def two_layer_backward_without_relu_mask(X, y, W1, b1, W2, b2):
    return _two_layer05(X, y, W1, b1, W2, b2, mask="none")


def two_layer_backward_mask_is_relu_of_z1(X, y, W1, b1, W2, b2):
    return _two_layer05(X, y, W1, b1, W2, b2, mask="A1")


def two_layer_backward_dW2_from_z1(X, y, W1, b1, W2, b2):
    return _two_layer05(X, y, W1, b1, W2, b2, dW2_from="Z1")


def two_layer_backward_sign_flipped(X, y, W1, b1, W2, b2):
    return _two_layer05(X, y, W1, b1, W2, b2, sign=-1.0)


def two_layer_backward_bias_means(X, y, W1, b1, W2, b2):
    return _two_layer05(X, y, W1, b1, W2, b2, bias_mean=True)


def two_layer_backward_naive_softmax(X, y, W1, b1, W2, b2):
    def naive(Z):
        return np.exp(Z) / np.exp(Z).sum(axis=1, keepdims=True)
    return _two_layer05(X, y, W1, b1, W2, b2, softmax=naive)


def two_layer_backward_second_layer_first(X, y, W1, b1, W2, b2):
    dW1, db1, dW2, db2 = _two_layer05(X, y, W1, b1, W2, b2)
    return dW2, db2, dW1, db1


def two_layer_backward_mask_includes_the_kink(X, y, W1, b1, W2, b2):
    Z1 = X @ W1 + b1
    A1 = np.maximum(Z1, 0)
    dZ2 = _softmax05(A1 @ W2 + b2)
    dZ2[np.arange(len(y)), y] -= 1
    dZ2 = dZ2 / len(y)
    dZ1 = (dZ2 @ W2.T) * (Z1 >= 0)  # lets the gradient through at Z1 = 0
    return X.T @ dZ1, dZ1.sum(axis=0), A1.T @ dZ2, dZ2.sum(axis=0)


# Exercise 5.6 sgd_step ---------------------------------------------------------------------------
def sgd_step_uphill(params, grads, eta):
    return [p + eta * g for p, g in zip(params, grads)]


def sgd_step_without_eta(params, grads, eta):
    return [p - g for p, g in zip(params, grads)]


def sgd_step_in_place(params, grads, eta):
    for p, g in zip(params, grads):
        p -= eta * g
    return params


def sgd_step_returns_a_generator(params, grads, eta):
    return (p - eta * g for p, g in zip(params, grads))


def sgd_step_upcasts_to_float64(params, grads, eta):
    return [p.astype(np.float64) - eta * g for p, g in zip(params, grads)]


def sgd_step_into_the_parameters_dtype(params, grads, eta):
    new = [np.empty_like(p) for p in params]
    for n, p, g in zip(new, params, grads):
        n[...] = p - eta * g
    return new


def sgd_step_grads_reversed(params, grads, eta):
    return [p - eta * g for p, g in zip(params, reversed(grads))]


def sgd_step_keeps_a_parameter_with_zero_gradient(params, grads, eta):
    return [p if not np.any(g) else p - eta * g for p, g in zip(params, grads)]  # p itself, not a new array


def sgd_step_returns_a_tuple(params, grads, eta):
    return tuple(p - eta * g for p, g in zip(params, grads))


def sgd_step_iterated_ten_times(params, grads, eta):
    for _ in range(10):  # one call is one step
        params = [p - eta * g for p, g in zip(params, grads)]
    return params


# Exercise 8.1 train_epoch --------------------------------------------------------------------------
def _epoch08(model, X, y, loss, optimizer, batch_size, rng, *, order="rng", last=True, zero_grad=True,
             step_first=False, train_mode=True, reduce="weighted"):
    if train_mode:
        model.train()
    n = len(X)
    idx_all = {"rng": lambda: rng.permutation(n), "none": lambda: np.arange(n),
               "own": lambda: np.random.default_rng(0).permutation(n)}[order]()
    stop = n - n % batch_size if not last else n
    losses, sizes = [], []
    for start in range(0, stop, batch_size):
        idx = idx_all[start:start + batch_size]
        scores = model.forward(X[idx])
        losses.append(loss(scores, y[idx]))
        sizes.append(len(idx))
        if zero_grad:
            optimizer.zero_grad()
        if step_first:
            optimizer.step()
        model.backward(loss.grad(scores, y[idx]))
        if not step_first:
            optimizer.step()
    if reduce == "mean":
        return float(np.mean(losses))
    if reduce == "last":
        return losses[-1]
    return float(np.dot(losses, sizes) / n)


def train_epoch_never_shuffles(model, X, y, loss, optimizer, batch_size, rng):
    return _epoch08(model, X, y, loss, optimizer, batch_size, rng, order="none")


def train_epoch_shuffles_with_its_own_generator(model, X, y, loss, optimizer, batch_size, rng):
    return _epoch08(model, X, y, loss, optimizer, batch_size, rng, order="own")


def train_epoch_drops_the_last_batch(model, X, y, loss, optimizer, batch_size, rng):
    return _epoch08(model, X, y, loss, optimizer, batch_size, rng, last=False)


def train_epoch_forgets_zero_grad(model, X, y, loss, optimizer, batch_size, rng):
    return _epoch08(model, X, y, loss, optimizer, batch_size, rng, zero_grad=False)


def train_epoch_steps_before_backward(model, X, y, loss, optimizer, batch_size, rng):
    return _epoch08(model, X, y, loss, optimizer, batch_size, rng, step_first=True)


def train_epoch_stays_in_eval_mode(model, X, y, loss, optimizer, batch_size, rng):
    return _epoch08(model, X, y, loss, optimizer, batch_size, rng, train_mode=False)


def train_epoch_unweighted_mean_of_batches(model, X, y, loss, optimizer, batch_size, rng):
    return _epoch08(model, X, y, loss, optimizer, batch_size, rng, reduce="mean")


def train_epoch_returns_the_last_batch_loss(model, X, y, loss, optimizer, batch_size, rng):
    return _epoch08(model, X, y, loss, optimizer, batch_size, rng, reduce="last")


def train_epoch_shuffles_x_and_y_apart(model, X, y, loss, optimizer, batch_size, rng):
    model.train()
    order, total = rng.permutation(len(X)), 0.0
    y = y[np.random.default_rng(1).permutation(len(y))]
    for start in range(0, len(X), batch_size):
        idx = order[start:start + batch_size]
        scores = model.forward(X[idx])
        total += loss(scores, y[idx]) * len(idx)
        optimizer.zero_grad()
        model.backward(loss.grad(scores, y[idx]))
        optimizer.step()
    return total / len(X)


# Exercise 8.2 accuracy -----------------------------------------------------------------------------
def accuracy_argmax_over_samples(logits, y):
    return np.mean(np.argmax(logits, axis=0) == y)


def accuracy_counts_correct(logits, y):
    return np.sum(np.argmax(logits, axis=1) == y)


def accuracy_error_rate(logits, y):
    return np.mean(np.argmax(logits, axis=1) != y)


def accuracy_compares_max_values(logits, y):
    return np.mean(np.max(logits, axis=1) == y)


def accuracy_naive_softmax_first(logits, y):
    e = np.exp(logits)
    return np.mean(np.argmax(e / e.sum(axis=1, keepdims=True), axis=1) == y)


def accuracy_integer_division(logits, y):
    return np.sum(np.argmax(logits, axis=1) == y) // len(y)


# Exercise 8.3 evaluate -----------------------------------------------------------------------------
def evaluate_in_training_mode(model, X, y, loss):
    scores = model.forward(X)
    return loss(scores, y), np.mean(scores.argmax(axis=1) == y)


def evaluate_also_backpropagates(model, X, y, loss):
    model.eval()
    scores = model.forward(X)
    model.backward(loss.grad(scores, y))
    return loss(scores, y), np.mean(scores.argmax(axis=1) == y)


def evaluate_clears_the_gradients(model, X, y, loss):
    model.eval()
    model.zero_grad()
    scores = model.forward(X)
    return loss(scores, y), np.mean(scores.argmax(axis=1) == y)


def evaluate_returns_accuracy_first(model, X, y, loss):
    model.eval()
    scores = model.forward(X)
    return np.mean(scores.argmax(axis=1) == y), loss(scores, y)


def evaluate_counts_correct(model, X, y, loss):
    model.eval()
    scores = model.forward(X)
    return loss(scores, y), np.sum(scores.argmax(axis=1) == y)


# Exercise 8.4 train --------------------------------------------------------------------------------
def _evaluate08(model, X, y, loss):
    model.eval()
    scores = model.forward(X)
    return loss(scores, y), np.mean(scores.argmax(axis=1) == y)


def _train08(model, X, y, X_val, y_val, loss, optimizer, epochs, batch_size, rng, *, when="after", data="val",
             fresh_rng=False):
    history = {"train_loss": [], "val_loss": [], "val_accuracy": []}
    for _ in range(epochs):
        if when == "before":
            val = _evaluate08(model, X_val, y_val, loss)
        epoch_rng = np.random.default_rng(0) if fresh_rng else rng
        history["train_loss"].append(_epoch08(model, X, y, loss, optimizer, batch_size, epoch_rng))
        if when == "after":
            val = _evaluate08(model, *((X_val, y_val) if data == "val" else (X, y)), loss)
        history["val_loss"].append(val[0])
        history["val_accuracy"].append(val[1])
    return history


def train_validates_before_the_epoch(model, X, y, X_val, y_val, loss, optimizer, epochs, batch_size, rng):
    return _train08(model, X, y, X_val, y_val, loss, optimizer, epochs, batch_size, rng, when="before")


def train_validates_on_the_training_data(model, X, y, X_val, y_val, loss, optimizer, epochs, batch_size, rng):
    return _train08(model, X, y, X_val, y_val, loss, optimizer, epochs, batch_size, rng, data="train")


def train_new_generator_every_epoch(model, X, y, X_val, y_val, loss, optimizer, epochs, batch_size, rng):
    return _train08(model, X, y, X_val, y_val, loss, optimizer, epochs, batch_size, rng, fresh_rng=True)


def train_keeps_only_the_last_epoch(model, X, y, X_val, y_val, loss, optimizer, epochs, batch_size, rng):
    history = _train08(model, X, y, X_val, y_val, loss, optimizer, epochs, batch_size, rng)
    return {key: values[-1:] for key, values in history.items()}


def train_returns_lists_not_a_dict(model, X, y, X_val, y_val, loss, optimizer, epochs, batch_size, rng):
    history = _train08(model, X, y, X_val, y_val, loss, optimizer, epochs, batch_size, rng)
    return history["train_loss"], history["val_loss"], history["val_accuracy"]


# Exercise 8.5 confusion_matrix ---------------------------------------------------------------------
def confusion_matrix_transposed(y_true, y_pred, num_classes):
    M = np.zeros((num_classes, num_classes), dtype=np.int64)
    for t, p in zip(y_true, y_pred):
        M[p, t] += 1
    return M


def confusion_matrix_fancy_index_counts_once(y_true, y_pred, num_classes):
    M = np.zeros((num_classes, num_classes), dtype=np.int64)
    M[y_true, y_pred] += 1
    return M


def confusion_matrix_classes_from_the_labels(y_true, y_pred, num_classes):
    C = int(max(y_true.max(), y_pred.max())) + 1
    M = np.zeros((C, C), dtype=np.int64)
    for t, p in zip(y_true, y_pred):
        M[t, p] += 1
    return M


def confusion_matrix_normalised_rows(y_true, y_pred, num_classes):
    M = np.zeros((num_classes, num_classes))
    for t, p in zip(y_true, y_pred):
        M[t, p] += 1
    return M / np.maximum(M.sum(axis=1, keepdims=True), 1)


def confusion_matrix_float_counts(y_true, y_pred, num_classes):
    M = np.zeros((num_classes, num_classes))
    for t, p in zip(y_true, y_pred):
        M[t, p] += 1
    return M


# Exercise 8.6 predict_digits -----------------------------------------------------------------------
def predict_digits_argmax_over_images(model, images):
    model.eval()
    return np.argmax(model.forward(images.reshape(len(images), -1)), axis=0)


def predict_digits_flattened_column_by_column(model, images):
    model.eval()
    return np.argmax(model.forward(images.transpose(0, 2, 1).reshape(len(images), -1)), axis=1)


def predict_digits_in_training_mode(model, images):
    return np.argmax(model.forward(images.reshape(len(images), -1)), axis=1)


def predict_digits_returns_the_logits(model, images):
    model.eval()
    return model.forward(images.reshape(len(images), -1))


def predict_digits_as_floats(model, images):
    model.eval()
    return np.argmax(model.forward(images.reshape(len(images), -1)), axis=1).astype(float)


# Lesson 08 review: wrong answers its checks accepted or named wrongly ------------------------------------
def _epoch08_calls(model, X, y, loss, optimizer, batch_size, rng, calls, *, dout="grad", labels="idx", rows=None,
                   weight="size"):
    """One epoch whose per-batch calls run in the order `calls` ("z" zero_grad, "b" backward, "s" step)."""
    model.train()
    n = len(X)
    order = rng.permutation(n)[:rows]
    total = 0.0
    for start in range(0, len(order), batch_size):
        idx = order[start:start + batch_size]
        y_batch = y[idx] if labels == "idx" else y[start:start + batch_size]
        scores = model.forward(X[idx])
        batch_loss = loss(scores, y_batch)
        for call in calls:
            if call == "z":
                optimizer.zero_grad()
            elif call == "b":
                model.backward(loss.grad(scores, y_batch) if dout == "grad" else scores)
            else:
                optimizer.step()
        total += batch_loss * (len(idx) if weight == "size" else batch_size)
    return total / n


def train_epoch_clears_after_the_step(model, X, y, loss, optimizer, batch_size, rng):
    return _epoch08_calls(model, X, y, loss, optimizer, batch_size, rng, "bsz")


def train_epoch_clears_between_backward_and_step(model, X, y, loss, optimizer, batch_size, rng):
    return _epoch08_calls(model, X, y, loss, optimizer, batch_size, rng, "bzs")


def train_epoch_backward_of_the_scores(model, X, y, loss, optimizer, batch_size, rng):
    return _epoch08_calls(model, X, y, loss, optimizer, batch_size, rng, "zbs", dout="scores")


def train_epoch_shuffles_only_x(model, X, y, loss, optimizer, batch_size, rng):
    return _epoch08_calls(model, X, y, loss, optimizer, batch_size, rng, "zbs", labels="slice")


def train_epoch_loses_a_row(model, X, y, loss, optimizer, batch_size, rng):
    return _epoch08_calls(model, X, y, loss, optimizer, batch_size, rng, "zbs", rows=len(X) - 1)


def train_epoch_weights_by_batch_size(model, X, y, loss, optimizer, batch_size, rng):
    return _epoch08_calls(model, X, y, loss, optimizer, batch_size, rng, "zbs", weight="batch_size")


def accuracy_argmin(logits, y):
    return np.mean(np.argmin(logits, axis=1) == y)


def accuracy_divides_by_n_minus_1(logits, y):
    return np.sum(np.argmax(logits, axis=1) == y) / (len(y) - 1)


def accuracy_as_a_percentage(logits, y):
    return 100 * np.mean(np.argmax(logits, axis=1) == y)


def evaluate_switches_back_to_training(model, X, y, loss):
    model.eval()
    scores = model.forward(X)
    model.train()
    return loss(scores, y), np.mean(scores.argmax(axis=1) == y)


def evaluate_with_predict(model, X, y, loss):
    scores = model.predict(X)  # evaluation mode only while it runs: the model is left as it was found
    return loss(scores, y), np.mean(scores.argmax(axis=1) == y)


def evaluate_sums_the_loss(model, X, y, loss):
    model.eval()
    scores = model.forward(X)
    return loss(scores, y) * len(y), np.mean(scores.argmax(axis=1) == y)


def train_history_of_arrays(model, X, y, X_val, y_val, loss, optimizer, epochs, batch_size, rng):
    history = _train08(model, X, y, X_val, y_val, loss, optimizer, epochs, batch_size, rng)
    return {key: np.array(values) for key, values in history.items()}


def train_loss_from_an_evaluation(model, X, y, X_val, y_val, loss, optimizer, epochs, batch_size, rng):
    history = {"train_loss": [], "val_loss": [], "val_accuracy": []}
    for _ in range(epochs):
        _epoch08(model, X, y, loss, optimizer, batch_size, rng)
        history["train_loss"].append(_evaluate08(model, X, y, loss)[0])
        val_loss, val_accuracy = _evaluate08(model, X_val, y_val, loss)
        history["val_loss"].append(val_loss)
        history["val_accuracy"].append(val_accuracy)
    return history


def train_swaps_val_loss_and_accuracy(model, X, y, X_val, y_val, loss, optimizer, epochs, batch_size, rng):
    history = _train08(model, X, y, X_val, y_val, loss, optimizer, epochs, batch_size, rng)
    return {"train_loss": history["train_loss"], "val_loss": history["val_accuracy"],
            "val_accuracy": history["val_loss"]}


def train_with_an_epoch_that_never_shuffles(model, X, y, X_val, y_val, loss, optimizer, epochs, batch_size, rng):
    history = {"train_loss": [], "val_loss": [], "val_accuracy": []}
    for _ in range(epochs):
        history["train_loss"].append(_epoch08(model, X, y, loss, optimizer, batch_size, rng, order="none"))
        val_loss, val_accuracy = _evaluate08(model, X_val, y_val, loss)
        history["val_loss"].append(val_loss)
        history["val_accuracy"].append(val_accuracy)
    return history


def train_with_an_evaluate_in_training_mode(model, X, y, X_val, y_val, loss, optimizer, epochs, batch_size,
                                            rng):
    history = {"train_loss": [], "val_loss": [], "val_accuracy": []}
    for _ in range(epochs):
        history["train_loss"].append(_epoch08(model, X, y, loss, optimizer, batch_size, rng))
        scores = model.forward(X_val)  # no model.eval(): Dropout still drops units
        history["val_loss"].append(loss(scores, y_val))
        history["val_accuracy"].append(np.mean(scores.argmax(axis=1) == y_val))
    return history


def train_new_generator_drawn_from_rng(model, X, y, X_val, y_val, loss, optimizer, epochs, batch_size, rng):
    history = {"train_loss": [], "val_loss": [], "val_accuracy": []}
    for _ in range(epochs):
        epoch_rng = np.random.default_rng(rng.integers(2**31))
        history["train_loss"].append(_epoch08(model, X, y, loss, optimizer, batch_size, epoch_rng))
        val_loss, val_accuracy = _evaluate08(model, X_val, y_val, loss)
        history["val_loss"].append(val_loss)
        history["val_accuracy"].append(val_accuracy)
    return history


def confusion_matrix_uint8_counts(y_true, y_pred, num_classes):
    M = np.zeros((num_classes, num_classes), dtype=np.uint8)
    np.add.at(M, (y_true, y_pred), 1)  # wraps around past 255
    return M


def confusion_matrix_only_the_diagonal(y_true, y_pred, num_classes):
    M = np.zeros((num_classes, num_classes), dtype=np.int64)
    for t, p in zip(y_true, y_pred):
        if t == p:
            M[t, p] += 1
    return M


def confusion_matrix_one_class_too_many(y_true, y_pred, num_classes):
    M = np.zeros((num_classes + 1, num_classes + 1), dtype=np.int64)
    np.add.at(M, (y_true, y_pred), 1)
    return M


def confusion_matrix_skips_the_last_sample(y_true, y_pred, num_classes):
    M = np.zeros((num_classes, num_classes), dtype=np.int64)
    for n in range(len(y_true) - 1):
        M[y_true[n], y_pred[n]] += 1
    return M


# Lesson 10: regularization -----------------------------------------------------------------------------


def _as_float(x):
    x = np.asarray(x)
    return x.astype(np.float64) if x.dtype.kind != "f" else x


def dropout_forward_without_scaling(x, p, rng, training=True):
    x = _as_float(x)
    if not training:
        return x.copy(), np.ones_like(x)
    mask = (rng.random(x.shape) >= p).astype(x.dtype)
    return x * mask, mask


def dropout_forward_keeps_below_p(x, p, rng, training=True):
    x = _as_float(x)
    if not training:
        return x.copy(), np.ones_like(x)
    mask = (rng.random(x.shape) < p).astype(x.dtype) / x.dtype.type(1 - p)
    return x * mask, mask


def dropout_forward_also_in_eval_mode(x, p, rng, training=True):
    x = _as_float(x)
    mask = (rng.random(x.shape) >= p).astype(x.dtype) / x.dtype.type(1 - p)
    return x * mask, mask


def dropout_forward_returns_x_itself_in_eval_mode(x, p, rng, training=True):
    x = _as_float(x)
    if not training:
        return x, np.ones_like(x)
    mask = (rng.random(x.shape) >= p).astype(x.dtype) / x.dtype.type(1 - p)
    return x * mask, mask


def dropout_forward_with_binomial_mask(x, p, rng, training=True):
    x = _as_float(x)
    if not training:
        return x.copy(), np.ones_like(x)
    mask = rng.binomial(1, 1 - p, size=x.shape).astype(x.dtype) / x.dtype.type(1 - p)
    return x * mask, mask


def dropout_forward_float64_mask(x, p, rng, training=True):
    x = _as_float(x)
    if not training:
        return x.copy(), np.ones_like(x)
    mask = (rng.random(x.shape) >= p) / (1 - p)      # a float64 mask upcasts float32 activations
    return x * mask, mask


def dropout_backward_passes_everything(dout, mask):
    return np.array(dout, dtype=float)


def dropout_backward_unscaled(dout, mask):
    return dout * (mask > 0)


def dropout_backward_divides_by_the_mask(dout, mask):
    return dout / mask


def dropout_backward_in_place(dout, mask):
    dout *= mask
    return dout


def dropout_forward_draws_in_eval_mode(x, p, rng, training=True):
    x = _as_float(x)
    u = rng.random(x.shape)                          # drawn in both modes: changes every later mask
    if not training:
        return x.copy(), np.ones_like(x)
    mask = (u >= p).astype(x.dtype) / x.dtype.type(1 - p)
    return x * mask, mask


def dropout_forward_integer_mask_in_eval_mode(x, p, rng, training=True):
    if not training:
        return _as_float(x).copy(), np.ones_like(x)  # an int64 mask for integer x
    x = _as_float(x)
    mask = (rng.random(x.shape) >= p).astype(x.dtype) / x.dtype.type(1 - p)
    return x * mask, mask


def dropout_forward_unscaled_mask(x, p, rng, training=True):
    x = _as_float(x)
    if not training:
        return x.copy(), np.ones_like(x)
    keep = (rng.random(x.shape) >= p).astype(x.dtype)
    return x * keep / x.dtype.type(1 - p), keep


def l2_penalty_l1(layers, lam):
    return lam / 2 * sum(np.sum(np.abs(W)) for W, b in layers)


def l2_penalty_grad_returns_w_itself_for_lambda_one(layers, lam):
    return [(W if lam == 1 else lam * W, np.zeros(b.shape, dtype=_as_float(b).dtype)) for W, b in layers]


def early_stopping_epoch_keeps_the_largest(val_losses, patience):
    best, best_epoch, wait = -np.inf, 0, 0
    for epoch, loss in enumerate(val_losses, start=1):
        if loss > best:
            best, best_epoch, wait = loss, epoch, 0
            continue
        wait += 1
        if wait == patience:
            return best_epoch, epoch
    return best_epoch, len(val_losses)


def early_stopping_epoch_against_previous(val_losses, patience):
    best, best_epoch, wait = val_losses[0], 1, 0
    for epoch in range(2, len(val_losses) + 1):
        loss = val_losses[epoch - 1]
        if loss < val_losses[epoch - 2]:
            wait = 0
            if loss < best:
                best, best_epoch = loss, epoch
            continue
        wait += 1
        if wait == patience:
            return best_epoch, epoch
    return best_epoch, len(val_losses)


def _early_stopping_loop(model, train_epoch, validation_loss, epochs, patience, *, validate_first=False,
                         rebind=False, every_epoch=False):
    best_loss, best_epoch, wait, best, stop = np.inf, 0, 0, None, epochs
    losses = []
    for epoch in range(1, epochs + 1):
        if validate_first:
            loss = validation_loss(model)
            train_epoch(model)
        else:
            train_epoch(model)
            loss = validation_loss(model)
        losses.append(loss)
        if loss < best_loss:
            best_loss, best_epoch, wait = loss, epoch, 0
            best = [p.data.copy() for p in model.parameters()]
            continue
        wait += 1
        if wait == patience and not every_epoch:
            stop = epoch
            break
    for p, data in zip(model.parameters(), best):
        if rebind:
            p.data = data                            # new arrays, not the model's own
        else:
            p.data[...] = data
    return best_epoch, stop


def train_early_stopping_validates_before_training(model, train_epoch, validation_loss, epochs, patience):
    return _early_stopping_loop(model, train_epoch, validation_loss, epochs, patience, validate_first=True)


def train_early_stopping_rebinds_the_arrays(model, train_epoch, validation_loss, epochs, patience):
    return _early_stopping_loop(model, train_epoch, validation_loss, epochs, patience, rebind=True)


def train_early_stopping_counts_from_zero(model, train_epoch, validation_loss, epochs, patience):
    best_epoch, stop = _early_stopping_loop(model, train_epoch, validation_loss, epochs, patience)
    return best_epoch - 1, stop - 1


def choose_dropout_rate_keep_probability():
    return 0.3


def l2_penalty_without_half(layers, lam):
    return lam * sum(np.sum(W * W) for W, b in layers)


def l2_penalty_with_biases(layers, lam):
    return lam / 2 * sum(np.sum(W * W) + np.sum(b * b) for W, b in layers)


def l2_penalty_of_norms(layers, lam):
    return lam / 2 * sum(np.linalg.norm(W) for W, b in layers)


def l2_penalty_last_layer_only(layers, lam):
    for W, b in layers:
        total = np.sum(W * W)
    return lam / 2 * total


def l2_penalty_grad_twice_lambda(layers, lam):
    return [(2 * lam * W, np.zeros(b.shape)) for W, b in layers]


def l2_penalty_grad_decays_biases(layers, lam):
    return [(lam * W, lam * b) for W, b in layers]


def l2_penalty_grad_returns_the_decayed_weights(layers, lam):
    return [(W - lam * W, np.zeros(b.shape)) for W, b in layers]


def l2_penalty_grad_integer_zeros(layers, lam):
    return [(lam * W, np.zeros_like(b)) for W, b in layers]


def l2_penalty_grad_in_place(layers, lam):
    grads = []
    for W, b in layers:
        W *= lam
        grads.append((W, np.zeros(b.shape, dtype=W.dtype)))
    return grads


def _stop_rule(val_losses, patience, *, strict=True, late=False, base=1):
    best_loss, best_epoch, wait = float("inf"), 0, 0
    for epoch, loss in enumerate(val_losses, start=1):
        if loss < best_loss or (not strict and loss == best_loss):
            best_loss, best_epoch, wait = loss, epoch, 0
        else:
            wait += 1
            if (wait > patience) if late else (wait == patience):
                return best_epoch - 1 + base, epoch - 1 + base
    return best_epoch - 1 + base, len(val_losses) - 1 + base


def early_stopping_epoch_counts_from_zero(val_losses, patience):
    return _stop_rule(val_losses, patience, base=0)


def early_stopping_epoch_ties_improve(val_losses, patience):
    return _stop_rule(val_losses, patience, strict=False)


def early_stopping_epoch_one_epoch_late(val_losses, patience):
    return _stop_rule(val_losses, patience, late=True)


def early_stopping_epoch_best_of_all_losses(val_losses, patience):
    _, stop = _stop_rule(val_losses, patience)
    return int(np.argmin(val_losses)) + 1, stop


def early_stopping_epoch_never_resets(val_losses, patience):
    best_loss, best_epoch, wait = float("inf"), 0, 0
    for epoch, loss in enumerate(val_losses, start=1):
        if loss < best_loss:
            best_loss, best_epoch = loss, epoch
        else:
            wait += 1
            if wait == patience:
                return best_epoch, epoch
    return best_epoch, len(val_losses)


def _train_es(model, train_epoch, validation_loss, epochs, patience, *, copies=True, restore=True):
    best_loss, best_epoch, wait, best, stop = float("inf"), 0, 0, None, epochs
    for epoch in range(1, epochs + 1):
        train_epoch(model)
        loss = validation_loss(model)
        if loss < best_loss:
            best_loss, best_epoch, wait = loss, epoch, 0
            best = [p.data.copy() if copies else p.data for p in model.parameters()]
        else:
            wait += 1
            if wait == patience:
                stop = epoch
                break
    if restore:
        for p, saved in zip(model.parameters(), best):
            p.data[...] = saved
    return best_epoch, stop


def train_early_stopping_keeps_references(model, train_epoch, validation_loss, epochs, patience):
    return _train_es(model, train_epoch, validation_loss, epochs, patience, copies=False)


def train_early_stopping_never_restores(model, train_epoch, validation_loss, epochs, patience):
    return _train_es(model, train_epoch, validation_loss, epochs, patience, restore=False)


def train_early_stopping_without_stopping(model, train_epoch, validation_loss, epochs, patience):
    return _train_es(model, train_epoch, validation_loss, epochs, 10 ** 6)


def train_early_stopping_validates_twice(model, train_epoch, validation_loss, epochs, patience):
    best_loss, best_epoch, wait, best, stop = float("inf"), 0, 0, None, epochs
    for epoch in range(1, epochs + 1):
        train_epoch(model)
        if validation_loss(model) < best_loss:
            best_loss, best_epoch, wait = validation_loss(model), epoch, 0
            best = [p.data.copy() for p in model.parameters()]
        else:
            wait += 1
            if wait == patience:
                stop = epoch
                break
    for p, saved in zip(model.parameters(), best):
        p.data[...] = saved
    return best_epoch, stop


def choose_dropout_rate_lowest_training_loss():
    return 0.0


def choose_dropout_rate_lowest_point_of_a_curve():
    return 0.5


def choose_dropout_rate_as_a_percentage():
    return 70


def choose_dropout_rate_the_largest():
    return 0.9


# Exercise 9.1 train_val_split ----------------------------------------------------------------
def train_val_split_not_stratified(X, y, val_fraction, rng):
    order = rng.permutation(len(y))
    n_val = int(round(val_fraction * len(y)))
    return X[order[n_val:]], X[order[:n_val]], y[order[n_val:]], y[order[:n_val]]


def train_val_split_shuffles_the_callers_arrays(X, y, val_fraction, rng):
    order = rng.permutation(len(y))
    X[:], y[:] = X[order], y[order]  # shuffles the caller's arrays in place
    train_idx, val_idx = [], []
    for k in np.unique(y):
        idx = np.flatnonzero(y == k)
        n_val = int(round(val_fraction * len(idx)))
        val_idx.append(idx[:n_val])
        train_idx.append(idx[n_val:])
    train_idx, val_idx = np.concatenate(train_idx), np.concatenate(val_idx)
    return X[train_idx], X[val_idx], y[train_idx], y[val_idx]


def _stratified_indices(y, val_fraction, permute):
    train_idx, val_idx = [], []
    for k in np.unique(y):
        idx = permute(np.flatnonzero(y == k))
        n_val = int(round(val_fraction * len(idx)))
        val_idx.append(idx[:n_val])
        train_idx.append(idx[n_val:])
    return np.concatenate(train_idx), np.concatenate(val_idx)


def train_val_split_global_random_state(X, y, val_fraction, rng):
    train_idx, val_idx = _stratified_indices(y, val_fraction, np.random.permutation)
    return X[train_idx], X[val_idx], y[train_idx], y[val_idx]


def train_val_split_never_shuffles(X, y, val_fraction, rng):
    train_idx, val_idx = _stratified_indices(y, val_fraction, lambda idx: idx)
    return X[train_idx], X[val_idx], y[train_idx], y[val_idx]


def train_val_split_fraction_goes_to_training(X, y, val_fraction, rng):
    train_idx, val_idx = _stratified_indices(y, 1 - val_fraction, rng.permutation)
    return X[train_idx], X[val_idx], y[train_idx], y[val_idx]


def train_val_split_returns_x_y_pairs(X, y, val_fraction, rng):
    train_idx, val_idx = _stratified_indices(y, val_fraction, rng.permutation)
    return X[train_idx], y[train_idx], X[val_idx], y[val_idx]


def train_val_split_shuffles_x_and_y_separately(X, y, val_fraction, rng):
    train_idx, val_idx = _stratified_indices(y, val_fraction, rng.permutation)
    return X[train_idx], X[val_idx], y[rng.permutation(train_idx)], y[rng.permutation(val_idx)]


def train_val_split_classes_from_range(X, y, val_fraction, rng):
    train_idx, val_idx = [], []
    for k in range(len(np.unique(y))):  # assumes the labels are 0 .. C-1
        idx = rng.permutation(np.flatnonzero(y == k))
        n_val = int(round(val_fraction * len(idx)))
        val_idx.append(idx[:n_val])
        train_idx.append(idx[n_val:])
    train_idx, val_idx = np.concatenate(train_idx).astype(int), np.concatenate(val_idx).astype(int)
    return X[train_idx], X[val_idx], y[train_idx], y[val_idx]


def train_val_split_classes_from_bincount(X, y, val_fraction, rng):
    train_idx, val_idx = [], []
    for k in np.flatnonzero(np.bincount(y)):  # fails on negative labels
        idx = rng.permutation(np.flatnonzero(y == k))
        n_val = int(round(val_fraction * len(idx)))
        val_idx.append(idx[:n_val])
        train_idx.append(idx[n_val:])
    train_idx, val_idx = np.concatenate(train_idx), np.concatenate(val_idx)
    return X[train_idx], X[val_idx], y[train_idx], y[val_idx]


# Exercise 9.2 best_epoch ---------------------------------------------------------------------
def best_epoch_returns_the_index(history):
    return int(np.argmin(history.val_loss))


def best_epoch_of_the_training_loss(history):
    return int(np.argmin(history.train_loss)) + 1


def best_epoch_last_of_ties(history):
    val = np.asarray(history.val_loss)
    return int(np.flatnonzero(val == val.min())[-1]) + 1


def best_epoch_as_a_float(history):
    return np.argmin(history.val_loss) + 1.0


def best_epoch_sorts_the_history(history):
    best = min(history.val_loss)
    epoch = history.val_loss.index(best) + 1
    history.val_loss.sort()
    return epoch


def best_epoch_by_accuracy(history):
    if history.val_accuracy:
        return int(np.argmax(history.val_accuracy)) + 1
    return int(np.argmin(history.val_loss)) + 1


def best_epoch_numpy_integer(history):
    return np.argmin(history.val_loss) + 1  # np.int64, not the Python int the text asks for


# Exercise 9.3 generalization_gap -------------------------------------------------------------
def generalization_gap_sign_flipped(train_loss, val_loss):
    return np.asarray(train_loss) - np.asarray(val_loss) + 0.0


def generalization_gap_subtracts_lists(train_loss, val_loss):
    return val_loss - train_loss


def generalization_gap_keeps_integers(train_loss, val_loss):
    return np.asarray(val_loss) - np.asarray(train_loss)


def generalization_gap_always_float64(train_loss, val_loss):
    return np.asarray(val_loss, dtype=float) - np.asarray(train_loss, dtype=float)


def generalization_gap_absolute(train_loss, val_loss):
    return np.abs(np.asarray(val_loss) - np.asarray(train_loss)) + 0.0


def generalization_gap_last_epoch_only(train_loss, val_loss):
    return float(val_loss[-1] - train_loss[-1])


def generalization_gap_in_place(train_loss, val_loss):
    gap = np.asarray(val_loss)
    gap -= np.asarray(train_loss)  # writes into the caller's array when it is one
    return gap + 0.0


# Exercise 9.4 which_overfits -----------------------------------------------------------------
def which_overfits_lower_training_loss(history_a, history_b):
    return "a" if history_a.train_loss[-1] < history_b.train_loss[-1] else "b"


def which_overfits_higher_final_val_loss(history_a, history_b):
    return "a" if history_a.val_loss[-1] > history_b.val_loss[-1] else "b"


def which_overfits_larger_final_gap(history_a, history_b):
    gap_a = history_a.val_loss[-1] - history_a.train_loss[-1]
    gap_b = history_b.val_loss[-1] - history_b.train_loss[-1]
    return "a" if gap_a > gap_b else "b"


def which_overfits_turned_up_first(history_a, history_b):
    return "a" if np.argmin(history_a.val_loss) < np.argmin(history_b.val_loss) else "b"


def which_overfits_inverted(history_a, history_b):
    rise_a = history_a.val_loss[-1] - min(history_a.val_loss)
    rise_b = history_b.val_loss[-1] - min(history_b.val_loss)
    return "b" if rise_a > rise_b else "a"


def which_overfits_upper_case(history_a, history_b):
    rise_a = history_a.val_loss[-1] - min(history_a.val_loss)
    rise_b = history_b.val_loss[-1] - min(history_b.val_loss)
    return "A" if rise_a > rise_b else "B"


def which_overfits_whole_range(history_a, history_b):
    range_a = max(history_a.val_loss) - min(history_a.val_loss)
    range_b = max(history_b.val_loss) - min(history_b.val_loss)
    return "a" if range_a > range_b else "b"


def which_overfits_peak_after_best(history_a, history_b):
    def peak(val):
        best = int(np.argmin(val))
        return max(val[best:]) - val[best]
    return "a" if peak(history_a.val_loss) > peak(history_b.val_loss) else "b"


def which_overfits_misses_the_last_epoch(history_a, history_b):
    rise_a = history_a.val_loss[-2] - min(history_a.val_loss)
    rise_b = history_b.val_loss[-2] - min(history_b.val_loss)
    return "a" if rise_a > rise_b else "b"


def which_overfits_ratio(history_a, history_b):
    ratio_a = history_a.val_loss[-1] / min(history_a.val_loss)
    ratio_b = history_b.val_loss[-1] / min(history_b.val_loss)
    return "a" if ratio_a > ratio_b else "b"


def which_overfits_a_on_a_tie(history_a, history_b):
    rise_a = history_a.val_loss[-1] - min(history_a.val_loss)
    rise_b = history_b.val_loss[-1] - min(history_b.val_loss)
    return "a" if rise_a >= rise_b else "b"


# Exercise 9.5 learning_curve -----------------------------------------------------------------
def _losses_of(model, X, y):
    from utils.training import evaluate
    return evaluate(model, X, y, "cross_entropy")["loss"]


def learning_curve_training_loss_on_all_rows(make_and_fit, X_train, y_train, X_val, y_val, sizes):
    models = [make_and_fit(X_train[:m], y_train[:m]) for m in sizes]
    return (np.array([_losses_of(model, X_train, y_train) for model in models]),
            np.array([_losses_of(model, X_val, y_val) for model in models]))


def learning_curve_curves_swapped(make_and_fit, X_train, y_train, X_val, y_val, sizes):
    models = [make_and_fit(X_train[:m], y_train[:m]) for m in sizes]
    return (np.array([_losses_of(model, X_val, y_val) for model in models]),
            np.array([_losses_of(model, X_train[:m], y_train[:m]) for model, m in zip(models, sizes)]))


def learning_curve_last_rows(make_and_fit, X_train, y_train, X_val, y_val, sizes):
    models = [make_and_fit(X_train[-m:], y_train[-m:]) for m in sizes]
    return (np.array([_losses_of(model, X_train[-m:], y_train[-m:]) for model, m in zip(models, sizes)]),
            np.array([_losses_of(model, X_val, y_val) for model in models]))


def learning_curve_one_model_for_every_size(make_and_fit, X_train, y_train, X_val, y_val, sizes):
    model = make_and_fit(X_train, y_train)
    return (np.array([_losses_of(model, X_train[:m], y_train[:m]) for m in sizes]),
            np.array([_losses_of(model, X_val, y_val) for _ in sizes]))


def learning_curve_returns_lists(make_and_fit, X_train, y_train, X_val, y_val, sizes):
    models = [make_and_fit(X_train[:m], y_train[:m]) for m in sizes]
    return ([_losses_of(model, X_train[:m], y_train[:m]) for model, m in zip(models, sizes)],
            [_losses_of(model, X_val, y_val) for model in models])


def learning_curve_validation_accuracy(make_and_fit, X_train, y_train, X_val, y_val, sizes):
    from utils.training import evaluate
    models = [make_and_fit(X_train[:m], y_train[:m]) for m in sizes]
    return (np.array([_losses_of(model, X_train[:m], y_train[:m]) for model, m in zip(models, sizes)]),
            np.array([evaluate(model, X_val, y_val, "cross_entropy")["accuracy"] for model in models]))


def learning_curve_accuracies(make_and_fit, X_train, y_train, X_val, y_val, sizes):
    from utils.training import evaluate
    models = [make_and_fit(X_train[:m], y_train[:m]) for m in sizes]
    return (np.array([evaluate(model, X_train[:m], y_train[:m], "cross_entropy")["accuracy"]
                      for model, m in zip(models, sizes)]),
            np.array([evaluate(model, X_val, y_val, "cross_entropy")["accuracy"] for model in models]))


def learning_curve_first_m_validation_rows(make_and_fit, X_train, y_train, X_val, y_val, sizes):
    models = [make_and_fit(X_train[:m], y_train[:m]) for m in sizes]
    return (np.array([_losses_of(model, X_train[:m], y_train[:m]) for model, m in zip(models, sizes)]),
            np.array([_losses_of(model, X_val[:m], y_val[:m]) for model, m in zip(models, sizes)]))


def learning_curve_sorts_the_sizes(make_and_fit, X_train, y_train, X_val, y_val, sizes):
    sizes = sorted(sizes)
    models = [make_and_fit(X_train[:m], y_train[:m]) for m in sizes]
    return (np.array([_losses_of(model, X_train[:m], y_train[:m]) for model, m in zip(models, sizes)]),
            np.array([_losses_of(model, X_val, y_val) for model in models]))


# Exercise 9.6 select_by_validation -----------------------------------------------------------
def select_by_validation_lowest_training_loss(histories):
    return min(histories, key=lambda name: histories[name].train_loss[-1])


def select_by_validation_last_epoch(histories):
    return min(histories, key=lambda name: histories[name].val_loss[-1])


def select_by_validation_returns_the_history(histories):
    return min(histories.values(), key=lambda h: min(h.val_loss))


def select_by_validation_highest(histories):
    return max(histories, key=lambda name: min(histories[name].val_loss))


def select_by_validation_sorts_the_histories(histories):
    for h in histories.values():
        h.val_loss.sort()
    return min(histories, key=lambda name: histories[name].val_loss[0])


def select_by_validation_mean_over_epochs(histories):
    return min(histories, key=lambda name: np.mean(histories[name].val_loss))


def select_by_validation_last_on_a_tie(histories):
    best_name, best = None, np.inf
    for name, h in histories.items():
        if min(h.val_loss) <= best:  # <= keeps the last of equal runs
            best_name, best = name, min(h.val_loss)
    return best_name


def select_by_validation_least_climb(histories):
    return min(histories, key=lambda name: histories[name].val_loss[-1] - min(histories[name].val_loss))


#: grade_id of each exercise -> [(wrong answer, text its failure message must contain or None)]
WRONG_ANSWERS = {
    "ex10_1_dropout_forward": [(dropout_forward_without_scaling, "the kept units are not scaled"),
                               (dropout_forward_keeps_below_p, "whose number is below p"),
                               (dropout_forward_also_in_eval_mode, "you dropped units in evaluation mode"),
                               (dropout_forward_returns_x_itself_in_eval_mode, "is the input `x` itself"),
                               (dropout_forward_with_binomial_mask, "draw it with one call rng.random(x.shape)"),
                               (dropout_forward_float64_mask, "expected dtype float32, got dtype float64"),
                               (dropout_forward_draws_in_eval_mode, "drew numbers from rng in evaluation mode"),
                               (dropout_forward_integer_mask_in_eval_mode, "expected dtype float64, got dtype int64"),
                               (dropout_forward_unscaled_mask, "the mask holds 0 and 1")],
    "ex10_2_dropout_backward": [(dropout_backward_passes_everything, "passed the gradient through unchanged"),
                                (dropout_backward_unscaled, "without the scale 1 / (1 - p)"),
                                (dropout_backward_divides_by_the_mask, "you divided by the mask"),
                                (dropout_backward_in_place, "changed its input `dout` in place")],
    "ex10_3_l2_penalty": [(l2_penalty_without_half, "the 1/2 is missing"),
                          (l2_penalty_with_biases, "you penalized the biases too"),
                          (l2_penalty_of_norms, "you added up the norms"),
                          (l2_penalty_last_layer_only, "only the last layer's weights"),
                          (l2_penalty_l1, "the L1 penalty")],
    "ex10_4_l2_penalty_grad": [(l2_penalty_grad_twice_lambda, "not 2 * lambda * W"),
                               (l2_penalty_grad_decays_biases, "the bias gradient is lambda * b"),
                               (l2_penalty_grad_returns_the_decayed_weights, "after a decay step"),
                               (l2_penalty_grad_integer_zeros, "expected dtype float64, got dtype int64"),
                               (l2_penalty_grad_in_place, "changed W of layer 0 in place"),
                               (l2_penalty_grad_returns_w_itself_for_lambda_one, "shares memory with an input")],
    "ex10_5_early_stopping_epoch": [(early_stopping_epoch_counts_from_zero, "counted from 0"),
                                    (early_stopping_epoch_ties_improve, "counted a tie as an improvement"),
                                    (early_stopping_epoch_one_epoch_late, "you stopped one epoch late"),
                                    (early_stopping_epoch_best_of_all_losses, "also those after the stop"),
                                    (early_stopping_epoch_never_resets, "does not restart at an improvement"),
                                    (early_stopping_epoch_keeps_the_largest, "kept the largest loss"),
                                    (early_stopping_epoch_against_previous, "with the previous epoch's")],
    "ex10_6_train_early_stopping": [(train_early_stopping_keeps_references, "you kept references"),
                                    (train_early_stopping_never_restores, "put the best weights back"),
                                    (train_early_stopping_without_stopping, "you trained every epoch"),
                                    (train_early_stopping_validates_twice, "more often than once per epoch"),
                                    (train_early_stopping_validates_before_training, "call train_epoch first"),
                                    (train_early_stopping_rebinds_the_arrays, "hold new arrays"),
                                    (train_early_stopping_counts_from_zero, "counted the epochs from 0")],
    "ex10_7_choose_dropout_rate": [(choose_dropout_rate_lowest_training_loss, "lowest *training* loss"),
                                   (choose_dropout_rate_lowest_point_of_a_curve, "lowest point of a validation curve"),
                                   (choose_dropout_rate_as_a_percentage, "is not one of the rates"),
                                   (choose_dropout_rate_the_largest, "another rate ends lower"),
                                   (choose_dropout_rate_keep_probability, "probability of *keeping*")],
    "ex5_1_neuron_grads": [(neuron_grads_without_sigmoid_derivative, "sigma'(z) = sigma(z)(1 - sigma(z)) is missing"),
                           (neuron_grads_without_the_2, "the factor 2"),
                           (neuron_grads_sign_flipped, "the sign is flipped"),
                           (neuron_grads_derivative_at_a, "you used sigma'(a) instead of sigma'(z)"),
                           (neuron_grads_w_instead_of_x, "dz/dw is x, not w"),
                           (neuron_grads_cross_entropy_gradient, "cross-entropy's gradient a - y"),
                           (neuron_grads_naive_sigmoid, "overflows for z = -1000"),
                           (neuron_grads_db_as_python_float, "expected dtype float32, got dtype float64")],
    "ex5_2_dense_backward": [(dense_backward_dW_transposed, "dW is transposed"),
                             (dense_backward_db_wrong_axis, "db sums over the wrong axis"),
                             (dense_backward_db_mean, "db is the mean over the batch"),
                             (dense_backward_dA_prev_without_transpose, "raised ValueError"),
                             (dense_backward_integer_dtype, "expected dtype float64, got dtype int64"),
                             (dense_backward_returns_dW_first, "return (dA_prev, dW, db)")],
    "ex5_3_relu_backward": [(relu_backward_derivative_only, "multiply it by the upstream gradient dA"),
                            (relu_backward_relu_of_dA, "you applied ReLU to dA"),
                            (relu_backward_one_at_zero, "use Z > 0, not Z >= 0"),
                            (relu_backward_times_relu_of_z, "you multiplied by Z itself"),
                            (relu_backward_in_place, "changed its input `dA` in place"),
                            (relu_backward_integer_dtype, "expected dtype float64, got dtype int64"),
                            (relu_backward_float64_mask, "expected dtype float32, got dtype float64")],
    "ex5_4_rel_error": [(rel_error_mean, "you took the mean over the entries"),
                        (rel_error_max_denominator, "you divided by max(|a|, |b|)"),
                        (rel_error_of_norms, "you compared norms of the whole arrays"),
                        (rel_error_signed_difference, "needs its absolute value |a - b|"),
                        (rel_error_without_the_floor, "divide by max(1e-8, |a| + |b|)"),
                        (rel_error_absolute_only, "you returned the absolute error"),
                        (rel_error_without_abs_in_the_sizes, "the sizes need absolute values"),
                        (rel_error_abs_of_the_sum, "you divided by |a + b|")],
    "ex5_5_two_layer_backward": [(two_layer_backward_not_divided_by_n, "N times too large"),
                                 (two_layer_backward_without_relu_mask, "the ReLU mask is missing"),
                                 (two_layer_backward_mask_is_relu_of_z1, "ReLU's derivative is the mask"),
                                 (two_layer_backward_dW2_from_z1, "uses the pre-activation Z1"),
                                 (two_layer_backward_sign_flipped, "the sign is flipped"),
                                 (two_layer_backward_bias_means, "the biases' gradients are means"),
                                 (two_layer_backward_naive_softmax, "logits Z2 of this case are near 1000"),
                                 (two_layer_backward_second_layer_first, "the layers are in the wrong order"),
                                 (two_layer_backward_mask_includes_the_kink, "not Z1 >= 0")],
    "ex5_6_sgd_step": [(sgd_step_uphill, "the step goes uphill"),
                       (sgd_step_without_eta, "the learning rate eta is missing"),
                       (sgd_step_in_place, "changed a parameter or a gradient in place"),
                       (sgd_step_returns_a_generator, "expected a list of 1 arrays"),
                       (sgd_step_upcasts_to_float64, "expected dtype float32, got dtype float64"),
                       (sgd_step_into_the_parameters_dtype, "expected dtype float64, got dtype int64"),
                       (sgd_step_grads_reversed, "paired with the wrong parameters"),
                       (sgd_step_keeps_a_parameter_with_zero_gradient, "holds a parameter array itself"),
                       (sgd_step_returns_a_tuple, "expected a list of 1 arrays, one per parameter, got tuple"),
                       (sgd_step_iterated_ten_times, "value 1 of your list: the values differ")],
    "ex4_1_mse": [(mse_not_squared, "not squared"),
                  (mse_sum_not_mean, "summed the squared errors"),
                  (mse_root, "RMSE"),
                  (mse_half_factor, "extra factor 1/2"),
                  (mse_divides_by_rows, "divided by the number of rows N only"),
                  (mse_python_float, "expected dtype float32, got dtype float64")],
    "ex4_2_binary_cross_entropy_with_logits": [
        (bce_logits_log_of_sigmoid, "rounded to exactly 0 or 1"),
        (bce_logits_clipped_probabilities, "clipped the probabilities"),
        (bce_logits_silenced_and_clamped, "silences numpy's warnings (errstate)"),
        (bce_logits_sign_flipped, "sign is flipped"),
        (bce_logits_summed, "summed over the samples"),
        (bce_logits_without_the_max_term, "max(z, 0) is missing"),
        (bce_logits_without_the_absolute_value, "whether inside sigma(z) or in log(1 + e^(-z))"),
        (bce_logits_where_computes_both_branches, "computes both of its branches"),
        (bce_logits_zy_sign_flipped, "the sign of z*y is flipped"),
        (bce_logits_max_of_minus_z, "not max(-z, 0)")],
    "ex4_3_softmax": [(softmax_without_the_shift, "Subtract each row's maximum"),
                      (softmax_shifted_by_the_batch_maximum, "needs its own maximum"),
                      (softmax_over_columns, "each column sums to 1"),
                      (softmax_normalised_over_the_batch, "the whole batch sums to 1"),
                      (softmax_without_keepdims, "raised ValueError"),
                      (softmax_upcasts_to_float64, "expected dtype float32")],
    "ex4_4_cross_entropy": [(cross_entropy_log_of_softmax, "Do not take the log of a softmax"),
                            (cross_entropy_summed, "summed over the batch"),
                            (cross_entropy_label_columns, "picks every label's column"),
                            (cross_entropy_sign_flipped, "sign is flipped"),
                            (cross_entropy_every_class, "over every class"),
                            (cross_entropy_labels_off_by_one, "labels count from 0")],
    "ex4_5_cross_entropy_grad": [(cross_entropy_grad_not_divided_by_n, "did not divide by the batch size"),
                                 (cross_entropy_grad_sign_flipped, "sign is flipped"),
                                 (cross_entropy_grad_label_columns, "subtracts 1 in every row"),
                                 (cross_entropy_grad_without_one_hot, "one-hot target is missing"),
                                 (cross_entropy_grad_shifts_z_in_place, "changed its input `Z` in place"),
                                 (cross_entropy_grad_naive_softmax, "Subtract each row's maximum"),
                                 (cross_entropy_grad_labels_off_by_one, "labels count from 0")],
    "ex4_6_choose_losses": [(choose_losses_softmax_for_tags, "can switch on several tags at once"),
                            (choose_losses_binary_for_digits, "picks exactly one class out of ten"),
                            (choose_losses_mse_everywhere, "wrong loss for task 2 and 3"),
                            (choose_losses_names_not_in_losses, "is not one of the course's losses"),
                            (choose_losses_one_string, "must return three names"),
                            (choose_losses_capitalised, "not written exactly as a key of losses.LOSSES")],
    "ex0_1_column_means": [(column_means_over_rows, "axis=0"),
                           (column_means_forgot_to_divide, "did not divide"),
                           (column_means_integer_division, "rounded down to whole numbers"),
                           (column_means_accumulates_into_a_view, "is a view that shares memory"),
                           (column_means_cast_back_to_integers, "do not cast the means back")],
    "ex1_1_weighted_sum": [(weighted_sum_forgot_bias, "forget to add the bias"),
                           (weighted_sum_bias_subtracted, "wrong sign"),
                           (weighted_sum_no_sum_over_features, "did not sum over the features"),
                           (weighted_sum_whole_batch, "one value per sample"),
                           (weighted_sum_returns_a_list, "expected a numpy array, got a Python list"),
                           (weighted_sum_in_float32, "expected dtype float64, got dtype float32"),
                           (weighted_sum_squeezes_the_batch_axis, "np.squeeze removed the batch axis")],
    "ex1_2_sigmoid": [(sigmoid_naive_overflows, "overflow"),
                      (sigmoid_sign_flipped, "mirror image"),
                      (sigmoid_upcasts_to_float64, "dtype float32"),
                      (sigmoid_is_tanh, "tanh"),
                      (sigmoid_overflow_silenced, "silences numpy's warnings (errstate)"),
                      (sigmoid_power_overflow_silenced, "silences numpy's warnings (errstate)"),
                      (sigmoid_if_on_an_array, "np.where(condition, a, b) chooses element by element"),
                      (sigmoid_where_computes_both_forms, "computes both of its forms for every element"),
                      (sigmoid_clipped_at_20, "only where the answer is tiny"),
                      (sigmoid_into_empty_like, "That breaks the course's dtype rule"),
                      (sigmoid_cast_back_to_input_dtype, "That breaks the course's dtype rule"),
                      (sigmoid_in_long_double, "e^100000 overflows every float"),
                      (sigmoid_power_silenced_in_a_helper, "silences numpy's warnings (errstate)"),
                      (sigmoid_silenced_by_an_errstate_built_earlier, "silences numpy's warnings (errstate)"),
                      (sigmoid_silenced_by_a_decorator, "silences numpy's warnings (errstate)"),
                      (sigmoid_silenced_by_seterr, "silences numpy's warnings (seterr)"),
                      (sigmoid_silenced_by_a_warnings_filter, "silences numpy's warnings (warnings filter)"),
                      (sigmoid_math_exp, "e^(-z) = e^1000 overflows"),
                      (sigmoid_minus_in_denominator, "denominator 1 + e^(-z) is never 0"),
                      (sigmoid_falls_back_when_numpy_raises, "Your code caught the error and went on"),
                      (sigmoid_float32_for_integer_input, "or than the rule asks (integer inputs give float64)")],
    "ex1_3_perceptron_predict": [(perceptron_predict_returns_z, "apply the step"),
                                 (perceptron_predict_strict_inequality, "z >= 0, not z > 0"),
                                 (perceptron_predict_uses_sigmoid, "step function"),
                                 (perceptron_predict_returns_booleans, "got booleans"),
                                 (perceptron_predict_forgot_bias_and_strict, "the bias is missing"),
                                 (perceptron_predict_plus_minus_one, "-1 and 1"),
                                 (perceptron_predict_integer_where, "That breaks the course's dtype rule"),
                                 (perceptron_predict_threshold_half, "you compared z with 0.5"),
                                 (perceptron_predict_always_float64, "expected dtype float32, got dtype float64"),
                                 (perceptron_predict_squeezes_the_batch_axis, "np.squeeze removed the batch axis"),
                                 (perceptron_predict_heaviside_half, "np.heaviside(z, 0.5) gives 0.5")],
    "ex1_4_and_weights": [(and_weights_computes_or, "compute OR"),
                          (and_weights_bias_too_large, "b is too large"),
                          (and_weights_returns_one_value, "must return a pair"),
                          (and_weights_bias_first, "wrong order"),
                          (and_weights_as_a_list, "w must be a numpy array"),
                          (and_weights_integer_weights, "w must be a float array"),
                          (and_weights_bias_of_shape_1, "b must be a single number, not an array"),
                          (and_weights_computes_nand, "compute NAND")],
    "ex1_5_perceptron_update": [(perceptron_update_sign_flipped, "wrong sign"),
                                (perceptron_update_forgot_bias, "bias did not change"),
                                (perceptron_update_in_place, "in place"),
                                (perceptron_update_without_eta, "learning rate eta is missing"),
                                (perceptron_update_strict_inequality, "not z > 0"),
                                (perceptron_update_eta_only_on_w, "eta scales the bias's step too"),
                                (perceptron_update_bias_as_an_array, "expected a single number"),
                                (perceptron_update_repeats_until_right, "again and again"),
                                (perceptron_update_applies_the_rule_twice, "you applied the rule twice"),
                                (perceptron_update_returns_w_itself_when_right, "shares memory with `w`"),
                                (perceptron_update_returns_b_first, "wrong order: return (w_new, b_new)"),
                                (perceptron_update_textbook_plus_minus_one, "textbook rule for labels -1/+1"),
                                (perceptron_update_integer_where_prediction, "y_hat = np.where(z >= 0, 1, 0)")],
    "ex1_6_train_perceptron": [(train_perceptron_never_shuffles, "although an rng was given"),
                               (train_perceptron_shuffles_without_an_rng, "two runs with rng=None"),
                               (train_perceptron_calls_permutation_on_none, "nothing to shuffle with"),
                               (train_perceptron_shuffles_once, "draw a new order"),
                               (train_perceptron_counts_after_the_epoch, "count them while updating"),
                               (train_perceptron_never_stops, "kept going after an epoch with no mistake"),
                               (train_perceptron_drops_the_last_zero, "append its 0 to errors"),
                               (train_perceptron_returns_inside_the_epoch_loop, "indented inside the epoch loop"),
                               (train_perceptron_updates_w_in_place, "changed its input `w` in place"),
                               (train_perceptron_returns_errors_as_an_array, "errors must be a Python list"),
                               (train_perceptron_orders_with_choice, "another function than rng.permutation")],
    "ex6_1_numerical_gradient": [(numerical_gradient_forward_difference, "forward difference"),
                                 (numerical_gradient_divides_by_h, "divide by 2h"),
                                 (numerical_gradient_moves_all_parameters_at_once, "one parameter at a time"),
                                 (numerical_gradient_perturbs_an_integer_copy, "integer array cannot hold"),
                                 (numerical_gradient_ignores_h, "instead of the argument h"),
                                 (numerical_gradient_does_not_restore_theta, "in place"),
                                 (numerical_gradient_keeps_float32, "computed in float32"),
                                 (numerical_gradient_integer_copies_float_result, "integer array cannot hold")],
    "ex6_2_gradient_descent_step": [(gradient_descent_step_uphill, "went uphill"),
                                    (gradient_descent_step_without_lr, "learning rate is missing"),
                                    (gradient_descent_step_in_place, "in place"),
                                    (gradient_descent_step_iterated_until_converged, "exactly one step"),
                                    (gradient_descent_step_into_an_integer_array, "rounded to whole numbers"),
                                    (gradient_descent_step_upcasts_to_float64, "dtype float32"),
                                    (gradient_descent_step_normalised_gradient, None),
                                    (gradient_descent_step_returns_the_change, "returned the change")],
    "ex6_3_gradient_descent": [(gradient_descent_without_the_start, "must start with theta0"),
                               (gradient_descent_one_row_short, "one row short"),
                               (gradient_descent_in_place_rows, "every row is the same"),
                               (gradient_descent_returns_only_the_end, "only where the path ends"),
                               (gradient_descent_integer_path, "rounded to whole numbers"),
                               (gradient_descent_returns_a_list, "expected a numpy array"),
                               (gradient_descent_stops_on_a_small_gradient, "the path stopped after"),
                               (gradient_descent_stops_when_it_runs_away, "the path stopped after"),
                               (gradient_descent_first_row_after_one_step, "already one step from it")],
    "ex6_4_max_stable_lr": [(max_stable_lr_smallest_eigenvalue, "smallest eigenvalue"),
                            (max_stable_lr_one_over_lambda, "not 1 / lambda_max"),
                            (max_stable_lr_largest_diagonal_entry, "largest diagonal entry"),
                            (max_stable_lr_trace, "trace"),
                            (max_stable_lr_closed_form_overflows, "without squaring"),
                            (max_stable_lr_largest_in_size, "largest in size"),
                            (max_stable_lr_frobenius_norm, "Frobenius norm"),
                            (max_stable_lr_returns_lambda_max, "lambda_max itself")],
    "ex6_5_mse_gradient": [(mse_gradient_without_the_2, "factor 2"),
                           (mse_gradient_sign_flipped, "signs are flipped"),
                           (mse_gradient_sum_not_mean, "divide the sums by N"),
                           (mse_gradient_b_first, "the order is (dL/dw, dL/db)"),
                           (mse_gradient_forgot_x, "needs the factor x"),
                           (mse_gradient_upcasts_float32, "dtype float32"),
                           (mse_gradient_product_of_means, "not mean(2 r) times mean(x)"),
                           (mse_gradient_divides_by_n_minus_1, "divided by N - 1")],
    "ex6_6_ravine_lr": [(ravine_lr_too_small, "too small"),
                        (ravine_lr_at_the_bound, "so close to 2 / lambda_max"),
                        (ravine_lr_diverges, "diverged"),
                        (ravine_lr_from_the_wrong_eigenvalue, "diverged"),
                        (ravine_lr_returns_a_string, "must return a number"),
                        (ravine_lr_returns_a_list, "not a Python list")],
    "ex2_1_collapse_linear": [(collapse_linear_forgot_first_bias, "passes through W2 as well"),
                              (collapse_linear_returns_b2_itself, "shares memory with `b2`"),
                              (collapse_linear_wrong_order, "wrong order"),
                              (collapse_linear_elementwise, "not element by element"),
                              (collapse_linear_biases_added, "not b1 + b2"),
                              (collapse_linear_integer_dtype, "expected dtype float64, got dtype int64"),
                              (collapse_linear_pair_swapped, "return (W, b), in that order")],
    "ex2_2_tanh_from_sigmoid": [(tanh_from_sigmoid_naive_exp, "build tanh from `sigmoid`"),
                                (tanh_from_sigmoid_forgot_2z, "argument is 2z"),
                                (tanh_from_sigmoid_not_doubled, "scale the sigmoid by 2"),
                                (tanh_from_sigmoid_sign_flipped, "sign is flipped"),
                                (tanh_from_sigmoid_upcasts_to_float64, "expected dtype float32"),
                                (tanh_from_sigmoid_naive_silenced, "silences numpy's warnings"),
                                (tanh_from_sigmoid_calls_np_tanh, "calls a function named `tanh`")],
    "ex2_3_relu_grad": [(relu_grad_one_at_zero, "not z >= 0"),
                        (relu_grad_returns_relu, "ReLU itself"),
                        (relu_grad_returns_booleans, "got booleans"),
                        (relu_grad_always_float64, "expected dtype float32"),
                        (relu_grad_integer_where, "expected dtype float64, got dtype int64"),
                        (relu_grad_sign, "sign of z"),
                        (relu_grad_small_threshold, "not with a small number")],
    "ex2_4_leaky_relu_grad": [(leaky_relu_grad_forgot_slope, "not 0 (that is ReLU's derivative)"),
                              (leaky_relu_grad_float64_where, "expected dtype float32"),
                              (leaky_relu_grad_default_slope, "default slope 0.01"),
                              (leaky_relu_grad_one_at_zero, "at z = 0 use negative_slope"),
                              (leaky_relu_grad_slopes_swapped, "slopes are swapped"),
                              (leaky_relu_grad_small_threshold, "not with a small number")],
    "ex2_5_output_activations": [(output_activations_softmax_for_one_unit, "softmax over a single unit"),
                                 (output_activations_sigmoid_for_digits, "must add up to 1"),
                                 (output_activations_relu_for_regression, "cannot produce every target"),
                                 (output_activations_leaky_relu_for_regression, "negative targets are squeezed"),
                                 (output_activations_tanh_for_probability, "a probability lies in (0, 1)"),
                                 (output_activations_one_name, "return three names")],
    "ex2_6_chain_gradient": [(chain_gradient_forgot_weights, "weights are missing"),
                             (chain_gradient_sum_not_product, "multiplies them"),
                             (chain_gradient_sigmoid_not_derivative, "needs its derivative"),
                             (chain_gradient_wrong_axis, "axis=1"),
                             (chain_gradient_z_times_one_minus_z, "applied to sigma(z), not to z itself"),
                             (chain_gradient_naive_sigmoid, "overflow")],
    "ex7_1_minibatches": [(minibatches_drops_last_batch, "the last, smaller batch is missing"),
                          (minibatches_not_shuffled, "the rows are not shuffled"),
                          (minibatches_slices_are_views, "is a view of X"),
                          (minibatches_one_batch_is_the_input_itself, "is a view of X"),
                          (minibatches_shuffles_x_and_y_separately, "X and y were shuffled differently"),
                          (minibatches_with_replacement, "every row must appear once per epoch"),
                          (minibatches_global_random_state, "draw the order from the `rng` argument"),
                          (minibatches_fixed_seed_inside, "the order ignores the `rng` argument"),
                          (minibatches_shuffles_the_input_in_place, "in place"),
                          (minibatches_loop_stops_at_n_minus_1, "short of N")],
    "ex7_2_batch_size_for_noise": [(batch_size_for_noise_too_noisy, "above the target"),
                                   (batch_size_for_noise_largest_batch, "the smallest gives the cheapest steps"),
                                   (batch_size_for_noise_returns_the_noise, "looks like a noise level"),
                                   (batch_size_for_noise_not_a_plotted_size, "not one of the plotted batch sizes")],
    "ex7_3_momentum_step": [(momentum_step_sign_flipped, "the step has the wrong sign"),
                            (momentum_step_old_velocity, "theta moved with the old velocity"),
                            (momentum_step_dampened, "dampened average"),
                            (momentum_step_textbook_form, "the textbook form"),
                            (momentum_step_twice, "you took the step twice"),
                            (momentum_step_in_place, "in place"),
                            (momentum_step_without_lr, "the learning rate is missing"),
                            (momentum_step_upcasts_to_float64, "dtype float32"),
                            (momentum_step_lr_inside_velocity, "your v holds lr times the gradients"),
                            (momentum_step_nesterov, "Nesterov"),
                            (momentum_step_subtracts_in_place_from_a_copy, "An in-place operator")],
    "ex7_4_rmsprop_step": [(rmsprop_step_eps_inside_sqrt, "eps is inside the square root"),
                           (rmsprop_step_without_sqrt, "the square root is missing"),
                           (rmsprop_step_alpha_swapped, "alpha and 1 - alpha are swapped"),
                           (rmsprop_step_old_average, "the step used the old average"),
                           (rmsprop_step_twice, "you took the step twice"),
                           (rmsprop_step_gradient_not_squared, "averages the *squared* gradient"),
                           (rmsprop_step_without_eps, "eps belongs in the denominator"),
                           (rmsprop_step_returns_s_first, "the values are in the wrong order: return (theta_new, s_new)"),
                           (rmsprop_step_ignores_eps_argument, "instead of the `eps` argument"),
                           (rmsprop_step_one_average_for_all, "one average per parameter"),
                           (rmsprop_step_without_one_minus_alpha, "with the weight 1 - alpha"),
                           (rmsprop_step_float64_scalar_eps, "numpy float64 *scalar*")],
    "ex7_5_adam_step": [(adam_step_without_bias_correction, "no bias correction"),
                        (adam_step_correction_with_t_minus_1, "1 - beta**(t - 1)"),
                        (adam_step_returns_corrected_averages, "you returned the corrected m_hat and v_hat"),
                        (adam_step_loops_t_times, "you repeated the update t times"),
                        (adam_step_eps_inside_sqrt, "eps is inside the square root"),
                        (adam_step_eps_before_the_correction, "before the bias correction"),
                        (adam_step_corrects_only_m, "only m is corrected"),
                        (adam_step_upcasts_to_float64, "dtype float32"),
                        (adam_step_ignores_eps_argument, "with the eps the caller gives"),
                        (adam_step_without_eps, "eps is missing"),
                        (adam_step_returns_v_before_m, "wrong order: return (theta_new, m_new, v_new)"),
                        (adam_step_corrections_swapped, "the corrections are swapped"),
                        (adam_step_without_one_minus_beta, "so that m and v stay averages"),
                        (adam_step_steps_with_old_averages, "the step used the old averages"),
                        (adam_step_beta_times_t, "not 1 - beta2 * t"),
                        (adam_step_float64_scalar_correction, "numpy float64 *scalar*")],
    "ex7_6_cosine_lr": [(cosine_lr_without_half, "lost its / 2"),
                        (cosine_lr_without_pi, "the angle needs pi"),
                        (cosine_lr_runs_backwards, "the schedule runs backwards"),
                        (cosine_lr_forgets_eta_min, "eta_min is missing"),
                        (cosine_lr_linear_decay, "a straight line"),
                        (cosine_lr_integer_division, "integer division"),
                        (cosine_lr_math_cos, "use numpy's (np.cos"),
                        (cosine_lr_scales_lr0, "scales lr0 - eta_min, not lr0"),
                        (cosine_lr_full_circle, "with 2 * pi")],
    "ex3_1_dense_forward": [(dense_forward_forgot_bias, "the bias is missing"),
                            (dense_forward_bias_subtracted, "wrong sign"),
                            (dense_forward_transposed_weights, "W is transposed"),
                            (dense_forward_integer_dtype, "expected dtype float64, got dtype int64")],
    "ex3_2_two_layer_forward": [(two_layer_forward_no_hidden_relu, "ReLU is missing"),
                                (two_layer_forward_no_output_sigmoid, "sigmoid is missing"),
                                (two_layer_forward_activations_swapped, "swap them"),
                                (two_layer_forward_forgot_b1, "b1 is missing"),
                                (two_layer_forward_naive_sigmoid, "overflow")],
    "ex3_3_layer_shapes": [(layer_shapes_includes_the_input, "start after it"),
                           (layer_shapes_transposed, "the batch axis comes first"),
                           (layer_shapes_without_the_batch, "needs the batch size N"),
                           (layer_shapes_pops_the_input_size, "changed its input `layer_sizes` in place"),
                           (layer_shapes_float_shapes, "a tuple of whole numbers")],
    "ex3_4_count_parameters": [(count_parameters_forgot_biases, "the biases are missing"),
                               (count_parameters_biases_per_input, "one bias per *output* unit"),
                               (count_parameters_product_of_sizes, "multiplied all the sizes"),
                               (count_parameters_input_layer_biases, "the input layer has no weights"),
                               (count_parameters_empties_the_list, "changed its input `layer_sizes` in place"),
                               (count_parameters_as_a_float, "a whole number: return an int")],
    "ex3_5_init_weights": [(init_weights_he_with_fan_out, "divides by the number of inputs D_in"),
                           (init_weights_variance_not_std, "scaled by the variance"),
                           (init_weights_without_the_2, "the 2 is missing"),
                           (init_weights_pytorch_shape, "(transposed?)"),
                           (init_weights_always_he, "the other initialisation")],
    "ex3_6_hidden_representations": [(hidden_representations_includes_the_output, "not a hidden layer"),
                                     (hidden_representations_pre_activations, "pre-activations Z"),
                                     (hidden_representations_only_the_last, "every hidden layer"),
                                     (hidden_representations_pops_the_output_layer, "changed the model"),
                                     (hidden_representations_upcasts_float32, "expected dtype float32")],
    "ex8_1_train_epoch": [(train_epoch_never_shuffles, "the rows are not shuffled"),
                          (train_epoch_shuffles_with_its_own_generator, "draw the order from the `rng` argument"),
                          (train_epoch_drops_the_last_batch, "the last, smaller batch is missing"),
                          (train_epoch_forgets_zero_grad, "you forgot zero_grad"),
                          (train_epoch_steps_before_backward, "you updated before backward"),
                          (train_epoch_stays_in_eval_mode, "switch it to training mode"),
                          (train_epoch_unweighted_mean_of_batches, "without weighting each by its size"),
                          (train_epoch_returns_the_last_batch_loss, "you returned the last batch's loss"),
                          (train_epoch_shuffles_x_and_y_apart, "the labels of the same rows as X[idx]"),
                          (train_epoch_clears_after_the_step, "they are cleared only after each step"),
                          (train_epoch_clears_between_backward_and_step, "cleared between the backward pass and"),
                          (train_epoch_backward_of_the_scores, "got another gradient than loss.grad"),
                          (train_epoch_shuffles_only_x, "the labels of the same rows as X[idx]"),
                          (train_epoch_loses_a_row, "some rows were never trained on"),
                          (train_epoch_weights_by_batch_size, "weight each by its own size")],
    "ex8_2_accuracy": [(accuracy_argmax_over_samples, "the arg-max ran over axis 0"),
                       (accuracy_counts_correct, "you counted the correct predictions"),
                       (accuracy_error_rate, "you returned the error rate"),
                       (accuracy_compares_max_values, "its *position*"),
                       (accuracy_naive_softmax_first, "no exponential is needed"),
                       (accuracy_integer_division, "`//` is integer division"),
                       (accuracy_argmin, "(np.argmin)"),
                       (accuracy_divides_by_n_minus_1, "you divided by N - 1"),
                       (accuracy_as_a_percentage, "you returned a percentage")],
    "ex8_3_evaluate": [(evaluate_in_training_mode, "call model.eval()"),
                       (evaluate_also_backpropagates, "evaluation must not change the model"),
                       (evaluate_clears_the_gradients, "evaluation must not change the model"),
                       (evaluate_returns_accuracy_first, "the values are in the wrong order"),
                       (evaluate_counts_correct, "the number of correct predictions"),
                       (evaluate_switches_back_to_training, "in training mode after your evaluate"),
                       (evaluate_with_predict, "model.predict switches back"),
                       (evaluate_sums_the_loss, "you returned the summed loss")],
    "ex8_4_train": [(train_validates_before_the_epoch, "you evaluated before each epoch's training"),
                    (train_validates_on_the_training_data, "you evaluated on the training data"),
                    (train_new_generator_every_epoch, "every epoch visited the rows in the same order"),
                    (train_keeps_only_the_last_epoch, "one number per epoch"),
                    (train_returns_lists_not_a_dict, "expected a dict"),
                    (train_history_of_arrays, "must be a list, got an array"),
                    (train_loss_from_an_evaluation, "must hold what train_epoch returned"),
                    (train_swaps_val_loss_and_accuracy, "'val_loss' and 'val_accuracy' are swapped"),
                    (train_with_an_epoch_that_never_shuffles, "your train_epoch does not shuffle"),
                    (train_with_an_evaluate_in_training_mode, "your evaluate must call model.eval()"),
                    (train_new_generator_drawn_from_rng, "not a new generator made from it")],
    "ex8_5_confusion_matrix": [(confusion_matrix_transposed, "rows and columns are swapped (the transpose)"),
                               (confusion_matrix_fancy_index_counts_once, "counts each (true, predicted) pair only once"),
                               (confusion_matrix_classes_from_the_labels, "a class that never occurs"),
                               (confusion_matrix_normalised_rows, "you divided each row by its sum"),
                               (confusion_matrix_float_counts, "expected integer counts"),
                               (confusion_matrix_uint8_counts, "holds counts only up to 255"),
                               (confusion_matrix_only_the_diagonal, "only the right predictions, the diagonal"),
                               (confusion_matrix_one_class_too_many, "num_classes rows and columns"),
                               (confusion_matrix_skips_the_last_sample, "but there are N = 4 samples")],
    "ex8_6_predict_digits": [(predict_digits_argmax_over_images, "the arg-max ran over axis 0"),
                             (predict_digits_flattened_column_by_column, "flattened column by column"),
                             (predict_digits_in_training_mode, "predict in evaluation mode"),
                             (predict_digits_returns_the_logits, "you returned the logits"),
                             (predict_digits_as_floats, "expected integer class labels")],
    "ex9_1_train_val_split": [(train_val_split_not_stratified, "keep each class's proportion"),
                              (train_val_split_shuffles_the_callers_arrays, "changed its input `X` in place"),
                              (train_val_split_global_random_state, "from the `rng` argument"),
                              (train_val_split_never_shuffles, "the split ignores the `rng` argument"),
                              (train_val_split_fraction_goes_to_training, "val_fraction is the share"),
                              (train_val_split_returns_x_y_pairs, "the values are in the wrong order"),
                              (train_val_split_shuffles_x_and_y_separately, "X and y were shuffled differently"),
                              (train_val_split_classes_from_range, "not over range(C)"),
                              (train_val_split_classes_from_bincount, "negative labels are labels too")],
    "ex9_2_best_epoch": [(best_epoch_returns_the_index, "epochs count from 1"),
                         (best_epoch_of_the_training_loss, "you took the training loss"),
                         (best_epoch_last_of_ties, "return the earliest"),
                         (best_epoch_as_a_float, "expected an integer epoch"),
                         (best_epoch_sorts_the_history, "changed the history"),
                         (best_epoch_by_accuracy, "highest validation accuracy"),
                         (best_epoch_numpy_integer, "not a Python int")],
    "ex9_3_generalization_gap": [(generalization_gap_sign_flipped, "the sign is flipped"),
                                 (generalization_gap_subtracts_lists, "`-` is not defined for lists"),
                                 (generalization_gap_keeps_integers, "expected dtype float64, got dtype int64"),
                                 (generalization_gap_always_float64, "expected dtype float32"),
                                 (generalization_gap_absolute, "absolute value"),
                                 (generalization_gap_last_epoch_only, "only the last epoch's gap"),
                                 (generalization_gap_in_place, "in place")],
    "ex9_4_which_overfits": [(which_overfits_lower_training_loss, "lower training loss"),
                             (which_overfits_higher_final_val_loss, "higher final validation loss"),
                             (which_overfits_larger_final_gap, "larger final gap"),
                             (which_overfits_turned_up_first, "turned up first"),
                             (which_overfits_inverted, "overfits less"),
                             (which_overfits_upper_case, "lower case"),
                             (which_overfits_whole_range, "whole range of the validation loss"),
                             (which_overfits_peak_after_best, "highest point after the lowest one"),
                             (which_overfits_misses_the_last_epoch, "you missed the last epoch"),
                             (which_overfits_ratio, "as ratios"),
                             (which_overfits_a_on_a_tie, "strictly further (>, not >=)")],
    "ex9_5_learning_curve": [(learning_curve_training_loss_on_all_rows, "not on all of X_train"),
                             (learning_curve_curves_swapped, "the two curves are swapped"),
                             (learning_curve_last_rows, "other rows than the first"),
                             (learning_curve_one_model_for_every_size, "train a new model for every size"),
                             (learning_curve_returns_lists, "got a Python list"),
                             (learning_curve_validation_accuracy, "returned accuracies"),
                             (learning_curve_accuracies, "you returned accuracies"),
                             (learning_curve_first_m_validation_rows, "on the whole validation set"),
                             (learning_curve_sorts_the_sizes, "do not sort them")],
    "ex9_6_select_by_validation": [(select_by_validation_lowest_training_loss, "lowest training loss"),
                                   (select_by_validation_last_epoch, "validation losses of the last epoch"),
                                   (select_by_validation_returns_the_history, "you returned a History"),
                                   (select_by_validation_highest, "the best run has the lowest"),
                                   (select_by_validation_sorts_the_histories, "changed the history"),
                                   (select_by_validation_mean_over_epochs, "averaged the validation loss"),
                                   (select_by_validation_last_on_a_tie, "on a tie the exercise asks for the first"),
                                   (select_by_validation_least_climb, "climbed least")],
}
