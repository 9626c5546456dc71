"""Tests for `utils.optimizers`.

Each update rule is checked on a case small enough to work out by hand, with
the working in a comment. We set ``.grad`` ourselves, so no network is needed.
"""

import numpy as np
import pytest

from utils.layers import Dense, Parameter
from utils.optimizers import OPTIMIZERS, SGD, Adam


def param(values, grad=None, dtype=np.float64):
    """A Parameter holding `values`, with its gradient set to `grad`."""
    p = Parameter(np.array(values, dtype=dtype), "theta")
    if grad is not None:
        p.grad[...] = grad
    return p


# --- SGD ----------------------------------------------------------------------------------

def test_sgd_steps_against_the_gradient():
    p = param([1.0, -2.0], grad=[0.5, -1.0])
    SGD([p], lr=0.1).step()
    # theta - lr * g = (1 - 0.05, -2 + 0.1)
    np.testing.assert_allclose(p.data, [0.95, -1.9], rtol=1e-15)


def test_sgd_with_momentum_over_two_steps():
    p = param([1.0], grad=[0.5])
    opt = SGD([p], lr=0.1, momentum=0.9)
    opt.step()
    # step 1: v = g = 0.5 (PyTorch starts the velocity at the gradient); theta = 1 - 0.1 * 0.5 = 0.95
    np.testing.assert_allclose(p.data, [0.95], rtol=1e-15)
    opt.step()
    # step 2 (same g): v = 0.9 * 0.5 + 0.5 = 0.95;  theta = 0.95 - 0.1 * 0.95 = 0.855
    np.testing.assert_allclose(p.data, [0.855], rtol=1e-15)


def test_sgd_weight_decay_adds_lambda_theta_to_the_gradient():
    p = param([2.0], grad=[0.5])
    SGD([p], lr=0.1, weight_decay=0.1).step()
    # g + lambda * theta = 0.5 + 0.1 * 2 = 0.7;  theta = 2 - 0.1 * 0.7 = 1.93
    np.testing.assert_allclose(p.data, [1.93], rtol=1e-15)


def test_sgd_momentum_leaves_the_gradient_untouched():
    p = param([1.0, 2.0], grad=[0.5, -0.5])
    opt = SGD([p], lr=0.1, momentum=0.9)
    opt.step()
    opt.step()
    np.testing.assert_array_equal(p.grad, [0.5, -0.5])


def test_sgd_updates_every_parameter_of_a_layer():
    dense = Dense(3, 2, rng=np.random.default_rng(0), dtype=np.float64)
    W0, b0 = dense.W.data.copy(), dense.b.data.copy()
    dense.W.grad[...] = 1.0
    dense.b.grad[...] = -1.0
    SGD(dense.parameters(), lr=0.5).step()
    np.testing.assert_allclose(dense.W.data, W0 - 0.5, rtol=1e-15)
    np.testing.assert_allclose(dense.b.data, b0 + 0.5, rtol=1e-15)


# --- Adam -------------------------------------------------------------------------------

def test_adam_first_step_moves_every_parameter_by_about_lr():
    p = param([0.0, 0.0, 0.0], grad=[1e-3, -50.0, 4.0])
    Adam([p], lr=0.1).step()
    # m_hat = g and v_hat = g^2 after bias correction, so the step is lr * g / (|g| + eps):
    # lr * sign(g), whatever the size of g (off by at most lr * eps / |g| = 1e-6)
    np.testing.assert_allclose(p.data, [-0.1, 0.1, -0.1], rtol=0, atol=1e-5)


def test_adam_over_two_steps_with_bias_correction():
    p = param([1.0], grad=[1.0])
    opt = Adam([p], lr=0.1)  # betas (0.9, 0.999)
    opt.step()
    # step 1: m = 0.1, v = 0.001; m_hat = 0.1 / 0.1 = 1, v_hat = 0.001 / 0.001 = 1
    #         theta = 1 - 0.1 * 1 / (1 + 1e-8) = 0.9 (to 1e-9)
    np.testing.assert_allclose(p.data, [0.9], rtol=0, atol=1e-8)
    p.grad[...] = -1.0
    opt.step()
    # step 2: m = 0.9 * 0.1 - 0.1 = -0.01;          m_hat = -0.01 / (1 - 0.9^2) = -1/19
    #         v = 0.999 * 0.001 + 0.001 = 0.001999;  v_hat = 0.001999 / (1 - 0.999^2) = 1
    #         theta = 0.9 + 0.1 * (1/19) / (1 + 1e-8)
    np.testing.assert_allclose(p.data, [0.9 + 0.1 / 19], rtol=0, atol=1e-8)


def test_adam_weight_decay_alone_pulls_a_parameter_towards_zero():
    p = param([2.0, -2.0], grad=[0.0, 0.0])
    Adam([p], lr=0.1, weight_decay=0.5).step()
    # g + lambda * theta = (1, -1): a first Adam step of lr * sign towards 0
    np.testing.assert_allclose(p.data, [1.9, -1.9], rtol=0, atol=1e-7)


def test_adam_with_zero_gradient_does_not_move():
    p = param([1.0, -3.0], grad=[0.0, 0.0])
    Adam([p], lr=0.1).step()
    # m = 0, so the step is 0 / (0 + eps) = 0
    np.testing.assert_array_equal(p.data, [1.0, -3.0])


# --- float32 stays float32 -----------------------------------------------------------------

@pytest.mark.parametrize("make_optimizer", [
    lambda ps: SGD(ps, lr=0.1),
    lambda ps: SGD(ps, lr=0.1, momentum=0.9, weight_decay=1e-2),
    lambda ps: Adam(ps, lr=0.1, weight_decay=1e-2),
], ids=["sgd", "sgd-momentum-decay", "adam-decay"])
def test_optimizers_keep_float32_parameters_float32(make_optimizer):
    p = param([1.0, -2.0, 3.0], grad=[0.5, 0.1, -1.0], dtype=np.float32)
    opt = make_optimizer([p])
    for _ in range(3):
        opt.step()
    assert p.data.dtype == np.float32 and p.grad.dtype == np.float32
    assert not np.array_equal(p.data, [1.0, -2.0, 3.0])  # it did move


# --- zero_grad and argument checks ---------------------------------------------------------

@pytest.mark.parametrize("cls", [SGD, Adam])
def test_zero_grad_resets_every_gradient(cls):
    a, b = param([1.0, 2.0], grad=[3.0, 4.0]), param([[5.0]], grad=[[6.0]])
    cls([a, b], lr=0.1).zero_grad()
    np.testing.assert_array_equal(a.grad, [0.0, 0.0])
    np.testing.assert_array_equal(b.grad, [[0.0]])


@pytest.mark.parametrize("cls", [SGD, Adam])
@pytest.mark.parametrize("lr", [0.0, -0.1, float("nan"), float("inf")])
def test_lr_must_be_positive(cls, lr):
    with pytest.raises(ValueError, match="lr"):
        cls([param([1.0])], lr=lr)


@pytest.mark.parametrize("momentum", [-0.1, 1.0, 1.5])
def test_sgd_momentum_must_be_in_0_1(momentum):
    with pytest.raises(ValueError, match="momentum"):
        SGD([param([1.0])], lr=0.1, momentum=momentum)


@pytest.mark.parametrize("betas", [(1.0, 0.999), (0.9, 1.0), (-0.1, 0.999), (0.9, -0.5)])
def test_adam_betas_must_be_in_0_1(betas):
    with pytest.raises(ValueError, match="beta"):
        Adam([param([1.0])], lr=0.1, betas=betas)


def test_adam_betas_must_be_a_pair():
    with pytest.raises(ValueError, match="pair"):
        Adam([param([1.0])], betas=(0.9,))


@pytest.mark.parametrize("cls", [SGD, Adam])
def test_weight_decay_must_not_be_negative(cls):
    with pytest.raises(ValueError, match="weight_decay"):
        cls([param([1.0])], lr=0.1, weight_decay=-0.1)


@pytest.mark.parametrize("cls", [SGD, Adam])
def test_optimizer_needs_parameters(cls):
    with pytest.raises(ValueError, match="no parameters"):
        cls([], lr=0.1)


@pytest.mark.parametrize("cls", [SGD, Adam])
def test_optimizer_wants_parameter_objects_not_arrays(cls):
    # a common slip: passing layer.W.data (or any array) instead of model.parameters()
    with pytest.raises(ValueError, match="Parameter"):
        cls([param([1.0]), np.zeros(3)], lr=0.1)


def test_optimizer_accepts_a_generator_of_parameters():
    dense = Dense(2, 2)
    opt = SGD((p for p in dense.parameters()), lr=0.1)
    assert opt.params == [dense.W, dense.b]


# --- Registry -----------------------------------------------------------------------------

def test_registry_maps_names_to_classes():
    assert OPTIMIZERS == {"sgd": SGD, "adam": Adam}
