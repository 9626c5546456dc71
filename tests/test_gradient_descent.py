"""Gradient descent (utils.gradient_descent) against steps worked out by hand and the theory of quadratics."""

import numpy as np
import pytest

from utils.gradient_descent import (gradient_descent, gradient_descent_step, gradient_descent_until,
                                    max_stable_lr)

# L(theta) = theta_1^2 + 10 theta_2^2: gradient (2 theta_1, 20 theta_2), Hessian diag(2, 20).
H = np.diag([2.0, 20.0])


def grad(theta):
    return H @ theta


def loss(theta):
    return 0.5 * theta @ H @ theta


def test_one_step_by_hand():
    # theta = (1, 1): gradient (2, 20); with eta = 0.05 the step is (0.1, 1.0), so theta -> (0.9, 0.0)
    assert np.allclose(gradient_descent_step(grad, np.array([1.0, 1.0]), 0.05), [0.9, 0.0])


def test_a_step_returns_a_new_array_and_leaves_theta_alone():
    theta = np.array([1.0, 1.0])
    new = gradient_descent_step(grad, theta, 0.05)
    assert not np.shares_memory(new, theta) and np.array_equal(theta, [1.0, 1.0])


@pytest.mark.parametrize("theta, dtype", [(np.array([1, 2]), np.float64),
                                          (np.array([1.0, 2.0], dtype=np.float32), np.float32),
                                          (np.array([1.0, 2.0]), np.float64)])
def test_the_dtype_rule(theta, dtype):
    assert gradient_descent_step(grad, theta, 0.01).dtype == dtype
    assert gradient_descent(grad, theta, 0.01, 3).dtype == dtype


def test_path_has_the_start_and_every_step():
    # along theta_1 each step multiplies by 1 - 0.05 * 2 = 0.9; along theta_2 by 1 - 0.05 * 20 = 0
    path = gradient_descent(grad, np.array([1.0, 1.0]), 0.05, 3)
    assert path.shape == (4, 2)
    assert np.allclose(path, [[1, 1], [0.9, 0], [0.81, 0], [0.729, 0]])


def test_zero_steps_is_the_start_alone():
    path = gradient_descent(grad, np.array([3.0, -1.0]), 0.1, 0)
    assert path.shape == (1, 2) and np.array_equal(path[0], [3.0, -1.0])


def test_max_stable_lr_is_two_over_the_largest_eigenvalue():
    assert max_stable_lr(H) == pytest.approx(0.1)
    # rotated by 45 degrees: the diagonal holds 11 and 11, the eigenvalues are still 2 and 20
    R = np.array([[1.0, -1.0], [1.0, 1.0]]) / np.sqrt(2)
    assert max_stable_lr(R @ H @ R.T) == pytest.approx(0.1)
    assert max_stable_lr([[4]]) == 0.5


@pytest.mark.parametrize("factor, converges", [(0.99, True), (1.01, False)])
def test_the_bound_separates_convergence_from_divergence(factor, converges):
    lr = factor * max_stable_lr(H)
    path = gradient_descent(grad, np.array([1.0, 1.0]), lr, 2000)
    assert (np.linalg.norm(path[-1]) < 1e-6) == converges


@pytest.mark.parametrize("hessian, message", [([[1.0, 2.0], [0.0, 1.0]], "symmetric"),
                                              ([[-1.0, 0.0], [0.0, -2.0]], "largest eigenvalue"),
                                              ([1.0, 2.0], "square matrix"),
                                              ([[np.inf]], "finite")])
def test_max_stable_lr_refuses_what_is_no_bowl(hessian, message):
    with pytest.raises(ValueError, match=message):
        max_stable_lr(hessian)


@pytest.mark.parametrize("lr, steps, message", [(-0.1, 3, "lr must be a number > 0"),
                                                ("0.1", 3, "lr must be a number > 0"),
                                                (0.1, -1, "steps must be an integer >= 0"),
                                                (0.1, 2.0, "steps must be an integer >= 0")])
def test_bad_arguments_get_clear_errors(lr, steps, message):
    with pytest.raises(ValueError, match=message):
        gradient_descent(grad, np.array([1.0, 1.0]), lr, steps)


def test_a_gradient_of_the_wrong_shape_is_named():
    with pytest.raises(ValueError, match=r"grad\(theta\) must have the shape of theta, \(2,\), got \(\)"):
        gradient_descent_step(lambda t: 1.0, np.array([1.0, 1.0]), 0.1)


def test_until_converges_on_the_loss_and_says_when():
    run = gradient_descent_until(loss, grad, np.array([1.0, 1.0]), 0.05, max_steps=1000, loss_tol=1e-6)
    # the loss is theta_1^2 after the first step, theta_1 = 0.9^k: 0.81^k <= 1e-6 first at k = 66
    assert run.status == "converged" and run.step == 66
    assert run.path.shape == (67, 2) and run.losses.shape == (67,)
    assert str(run).startswith("converged at step 66")


def test_until_stops_a_divergent_run_without_a_warning():
    run = gradient_descent_until(loss, grad, np.array([1.0, 1.0]), 0.5, max_steps=10_000, grad_tol=1e-8)
    # theta_2 is multiplied by 1 - 0.5 * 20 = -9 each step: beyond 1e6 after 7 steps
    assert run.status == "diverged" and run.step == 7
    assert str(run).startswith("diverged at step 7, after a loss of")


def test_until_runs_out_of_steps():
    run = gradient_descent_until(loss, grad, np.array([1.0, 1.0]), 1e-4, max_steps=5, grad_tol=1e-8)
    assert run.status == "max_steps" and run.step == 5 and "still moving" in str(run)


@pytest.mark.parametrize("tolerances, message", [
    ({"grad_tol": -1e-6}, "grad_tol must be > 0, got -1e-06"),  # a sign typo would never stop the run
    ({"grad_tol": "1e-6"}, "grad_tol must be a number > 0, got '1e-6'"),
    ({"loss_tol": np.nan}, "loss_tol must be a finite number, got nan"),
    ({"loss_tol": "0.1"}, "loss_tol must be a real number, got '0.1'"),
])
def test_until_checks_its_tolerances(tolerances, message):
    with pytest.raises(ValueError, match=message):
        gradient_descent_until(loss, grad, np.array([1.0, 1.0]), 0.1, max_steps=10, **tolerances)
