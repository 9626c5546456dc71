"""Tests for `utils.optimizers`.

Each update rule is checked on a case small enough to work out by hand, with
the working in a comment. We set ``.grad`` ourselves, so no network is needed.
"""

import numpy as np
import pytest

from utils.layers import Dense, Parameter
from utils.optimizers import (OPTIMIZERS, SGD, Adagrad, Adam, CosineAnnealingLR, RMSprop, StepLR,
                              adam_step, cosine_annealing, momentum_step, rmsprop_step, step_decay)
from utils.surfaces import SURFACES, bowl, ravine

ALL_OPTIMIZERS = [SGD, Adam, RMSprop, Adagrad]


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


# --- RMSprop -----------------------------------------------------------------------------------

def test_rmsprop_over_two_steps():
    p = param([1.0], grad=[1.0])
    opt = RMSprop([p], lr=0.1, alpha=0.5)
    opt.step()
    # step 1: v = 0.5 * 0 + 0.5 * 1^2 = 0.5;  theta = 1 - 0.1 * 1 / (sqrt(0.5) + 1e-8) = 1 - 0.1 sqrt(2)
    np.testing.assert_allclose(p.data, [1 - 0.1 * np.sqrt(2)], rtol=0, atol=1e-8)
    p.grad[...] = 3.0
    opt.step()
    # step 2: v = 0.5 * 0.5 + 0.5 * 3^2 = 4.75;  theta -= 0.1 * 3 / sqrt(4.75)
    np.testing.assert_allclose(p.data, [1 - 0.1 * np.sqrt(2) - 0.3 / np.sqrt(4.75)], rtol=0, atol=1e-8)


def test_rmsprop_eps_sits_outside_the_square_root():
    p = param([0.0], grad=[1e-6])
    RMSprop([p], lr=1.0, alpha=0.0, eps=1e-6).step()
    # alpha = 0: v = g^2 = 1e-12, sqrt(v) = 1e-6;  step = 1e-6 / (1e-6 + 1e-6) = 0.5
    # (with eps inside the root, as in TensorFlow, it would be 1e-6 / sqrt(1e-12 + 1e-6), about 1e-3)
    np.testing.assert_allclose(p.data, [-0.5], rtol=1e-12)


def test_rmsprop_first_step_is_lr_over_sqrt_one_minus_alpha_in_every_coordinate():
    p = param([0.0, 0.0, 0.0], grad=[1e-3, -100.0, 4.0])
    RMSprop([p], lr=0.01, alpha=0.99).step()
    # v = 0.01 g^2, so g / sqrt(v) = sign(g) / 0.1: every coordinate moves 0.01 * 10 = 0.1,
    # the tiny gradient as far as the huge one (off by eps / sqrt(v) = 1e-8 / 1e-4 = 1e-4 relatively)
    np.testing.assert_allclose(p.data, [-0.1, 0.1, -0.1], rtol=1.1e-4)


def test_rmsprop_with_momentum_over_two_steps():
    p = param([1.0], grad=[1.0])
    opt = RMSprop([p], lr=0.1, alpha=0.5, momentum=0.9)
    opt.step()
    # step 1: v = 0.5;  b = 0.9 * 0 + 1 / sqrt(0.5) = sqrt(2);  theta = 1 - 0.1 sqrt(2)
    np.testing.assert_allclose(p.data, [1 - 0.1 * np.sqrt(2)], rtol=0, atol=1e-8)
    opt.step()
    # step 2: v = 0.25 + 0.5 = 0.75;  b = 0.9 sqrt(2) + 1 / sqrt(0.75);  theta -= 0.1 b
    b = 0.9 * np.sqrt(2) + 1 / np.sqrt(0.75)
    np.testing.assert_allclose(p.data, [1 - 0.1 * np.sqrt(2) - 0.1 * b], rtol=0, atol=1e-8)


def test_rmsprop_weight_decay_adds_lambda_theta_to_the_gradient():
    p = param([2.0], grad=[0.0])
    RMSprop([p], lr=0.01, weight_decay=0.5).step()
    # g = 0 + 0.5 * 2 = 1;  v = 0.01 * 1 = 0.01;  theta = 2 - 0.01 * 1 / 0.1 = 1.9
    np.testing.assert_allclose(p.data, [1.9], rtol=0, atol=1e-8)


# --- Adagrad ------------------------------------------------------------------------------------

def test_adagrad_over_two_steps():
    p = param([1.0], grad=[3.0])
    opt = Adagrad([p], lr=1.0)
    opt.step()
    # step 1: s = 0 + 3^2 = 9;  theta = 1 - 1 * 3 / (3 + 1e-10) = 0 (to 1e-10)
    np.testing.assert_allclose(p.data, [0.0], rtol=0, atol=1e-9)
    p.grad[...] = 4.0
    opt.step()
    # step 2: s = 9 + 16 = 25;  theta = 0 - 4 / 5 = -0.8
    np.testing.assert_allclose(p.data, [-0.8], rtol=0, atol=1e-9)


def test_adagrad_lr_decay_divides_the_rate_by_one_plus_t_minus_one_times_decay():
    p = param([0.0], grad=[1.0])
    opt = Adagrad([p], lr=1.0, lr_decay=0.5)
    opt.step()
    # step 1: lr / (1 + 0 * 0.5) = 1;  s = 1;  theta = 0 - 1 * 1 / 1 = -1
    np.testing.assert_allclose(p.data, [-1.0], rtol=0, atol=1e-9)
    opt.step()
    # step 2: lr / (1 + 1 * 0.5) = 2/3;  s = 2;  theta = -1 - (2/3) / sqrt(2)
    np.testing.assert_allclose(p.data, [-1 - (2 / 3) / np.sqrt(2)], rtol=0, atol=1e-9)


def test_adagrad_starts_its_sum_at_the_initial_accumulator_value():
    p = param([1.0], grad=[1.0])
    Adagrad([p], lr=0.1, initial_accumulator_value=3.0).step()
    # s = 3 + 1 = 4;  theta = 1 - 0.1 * 1 / 2 = 0.95
    np.testing.assert_allclose(p.data, [0.95], rtol=0, atol=1e-9)


def test_adagrad_weight_decay_and_the_shrinking_steps():
    p = param([2.0], grad=[0.0])
    opt = Adagrad([p], lr=0.1, weight_decay=0.25)
    opt.step()
    # g = 0.25 * 2 = 0.5;  s = 0.25;  theta = 2 - 0.1 * 0.5 / 0.5 = 1.9
    np.testing.assert_allclose(p.data, [1.9], rtol=0, atol=1e-9)
    p.grad[...] = -0.475  # so that g = -0.475 + 0.25 * 1.9 = 0: a step of zero
    opt.step()
    np.testing.assert_allclose(p.data, [1.9], rtol=0, atol=1e-9)


# --- float32 stays float32, and the explorers' two-element Parameter ------------------------------

@pytest.mark.parametrize("make_optimizer", [
    lambda ps: SGD(ps, lr=0.1),
    lambda ps: SGD(ps, lr=0.1, momentum=0.9, weight_decay=1e-2),
    lambda ps: Adam(ps, lr=0.1, weight_decay=1e-2),
    lambda ps: RMSprop(ps, lr=0.1, momentum=0.9, weight_decay=1e-2),
    lambda ps: Adagrad(ps, lr=0.1, lr_decay=0.1, weight_decay=1e-2, initial_accumulator_value=0.1),
], ids=["sgd", "sgd-momentum-decay", "adam-decay", "rmsprop-momentum-decay", "adagrad-all"])
def test_optimizers_keep_float32_parameters_float32(make_optimizer):
    p = param([1.0, -2.0, 3.0], grad=[0.5, 0.1, -1.0], dtype=np.float32)
    opt = make_optimizer([p])
    for _ in range(3):
        opt.step()
    assert p.data.dtype == np.float32 and p.grad.dtype == np.float32
    assert not np.array_equal(p.data, [1.0, -2.0, 3.0])  # it did move


@pytest.mark.parametrize("cls, lr", [(SGD, 0.5), (Adam, 0.1), (RMSprop, 0.01), (Adagrad, 1.0)])
def test_optimizers_walk_a_two_element_parameter_down_a_surface(cls, lr):
    # How the explorers of lessons 06-07 use them: one point of a surface, the surface's gradient
    s = bowl()
    p = Parameter(s.start.copy())
    opt = cls([p], lr=lr)
    for _ in range(500):
        p.grad[...] = s.grad(p.data)
        opt.step()
    assert p.data.dtype == np.float64 and p.data.shape == (2,)
    assert s.value(p.data) < 1e-3 * s.value(s.start)  # RMSprop ends jittering at about lr


def test_rmsprop_crosses_the_ravine_where_sgd_crawls():
    # RMSprop's per-parameter scale: the shallow direction gets as large a step as the steep one.
    # SGD at lr 0.039, just under 2 / lambda_max = 0.04, is as fast as plain gradient descent gets.
    s = ravine(50.0)
    losses = {}
    for name, opt_of in [("sgd", lambda ps: SGD(ps, lr=0.039)), ("rmsprop", lambda ps: RMSprop(ps, lr=0.1))]:
        p = Parameter(s.start.copy())
        opt = opt_of([p])
        for _ in range(50):
            p.grad[...] = s.grad(p.data)
            opt.step()
        losses[name] = float(s.value(p.data))
    assert losses["rmsprop"] < losses["sgd"] / 10, losses


# --- zero_grad and argument checks ---------------------------------------------------------

@pytest.mark.parametrize("cls", ALL_OPTIMIZERS)
def test_zero_grad_resets_every_gradient(cls):
    a, b = param([1.0, 2.0], grad=[3.0, 4.0]), param([[5.0]], grad=[[6.0]])
    cls([a, b], lr=0.1).zero_grad()
    np.testing.assert_array_equal(a.grad, [0.0, 0.0])
    np.testing.assert_array_equal(b.grad, [[0.0]])


@pytest.mark.parametrize("cls", ALL_OPTIMIZERS)
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


@pytest.mark.parametrize("cls", ALL_OPTIMIZERS)
def test_weight_decay_must_not_be_negative(cls):
    with pytest.raises(ValueError, match="weight_decay"):
        cls([param([1.0])], lr=0.1, weight_decay=-0.1)


@pytest.mark.parametrize("cls", ALL_OPTIMIZERS)
def test_optimizer_needs_parameters(cls):
    with pytest.raises(ValueError, match="no parameters"):
        cls([], lr=0.1)


@pytest.mark.parametrize("cls", ALL_OPTIMIZERS)
def test_optimizer_wants_parameter_objects_not_arrays(cls):
    # a common slip: passing layer.W.data (or any array) instead of model.parameters()
    with pytest.raises(ValueError, match="Parameter"):
        cls([param([1.0]), np.zeros(3)], lr=0.1)


def test_optimizer_accepts_a_generator_of_parameters():
    dense = Dense(2, 2)
    opt = SGD((p for p in dense.parameters()), lr=0.1)
    assert opt.params == [dense.W, dense.b]


@pytest.mark.parametrize("kwargs, message", [
    ({"alpha": 1.0}, r"alpha must be in \[0, 1\), got 1.0"), ({"alpha": -0.1}, "alpha"),
    ({"eps": 0.0}, "eps must be > 0"), ({"momentum": 1.0}, "momentum"),
])
def test_rmsprop_checks_its_arguments(kwargs, message):
    with pytest.raises(ValueError, match=message):
        RMSprop([param([1.0])], **kwargs)


@pytest.mark.parametrize("kwargs, message", [
    ({"lr_decay": -0.1}, "lr_decay must be >= 0"), ({"eps": 0.0}, "eps must be > 0"),
    ({"initial_accumulator_value": -1.0}, "initial_accumulator_value must be >= 0, got -1.0"),
])
def test_adagrad_checks_its_arguments(kwargs, message):
    with pytest.raises(ValueError, match=message):
        Adagrad([param([1.0])], **kwargs)


# --- Learning-rate schedules --------------------------------------------------------------------

def test_step_decay_by_hand():
    # lr0 = 0.1, halved every 3 epochs: 0.1 for epochs 0-2, 0.05 for 3-5, 0.025 for 6
    np.testing.assert_allclose(step_decay(np.arange(7), 0.1, 3, 0.5),
                               [0.1, 0.1, 0.1, 0.05, 0.05, 0.05, 0.025], rtol=1e-15)
    assert step_decay(30, 1.0, step_size=10) == pytest.approx(1e-3, rel=1e-12)  # default gamma 0.1
    assert isinstance(step_decay(0, 0.1, 3), float)


def test_cosine_annealing_by_hand():
    # T = 4: (1 + cos(pi t / 4)) / 2 = 1, (1 + 1/sqrt 2) / 2, 1/2, (1 - 1/sqrt 2) / 2, 0
    half = (1 + np.cos(np.pi / 4)) / 2
    np.testing.assert_allclose(cosine_annealing(np.arange(5), 1.0, 4),
                               [1.0, half, 0.5, 1 - half, 0.0], rtol=1e-15, atol=1e-16)
    # eta_min = 0.1: the same curve squeezed into [0.1, 1]
    assert cosine_annealing(2, 1.0, 4, eta_min=0.1) == pytest.approx(0.1 + 0.9 * 0.5, rel=1e-15)
    # past T_max the cosine climbs back (as in PyTorch): t = 6 is t = 2 again
    assert cosine_annealing(6, 1.0, 4) == pytest.approx(cosine_annealing(2, 1.0, 4), rel=1e-15)
    assert isinstance(cosine_annealing(1.5, 1.0, 4), float)  # any t >= 0, to plot a smooth curve


@pytest.mark.parametrize("cls", ALL_OPTIMIZERS)
def test_step_lr_sets_the_learning_rate_of_any_optimizer(cls):
    opt = cls([param([1.0], grad=[1.0])], lr=0.8)
    scheduler = StepLR(opt, step_size=2, gamma=0.5)
    assert scheduler.get_last_lr() == [0.8] and opt.lr == 0.8
    seen = []
    for _ in range(5):
        opt.step()
        scheduler.step()
        seen.append(opt.lr)
        assert scheduler.get_last_lr() == [opt.lr]
    # after 1..5 calls of step(): 0.8 * 0.5^floor(t / 2)
    np.testing.assert_allclose(seen, [0.8, 0.4, 0.4, 0.2, 0.2], rtol=1e-15)


@pytest.mark.parametrize("cls", ALL_OPTIMIZERS)
def test_cosine_annealing_lr_reaches_eta_min_after_t_max_steps(cls):
    opt = cls([param([1.0], grad=[1.0])], lr=0.5)
    scheduler = CosineAnnealingLR(opt, T_max=10, eta_min=0.01)
    lrs = []
    for _ in range(10):
        opt.step()
        scheduler.step()
        lrs.append(scheduler.get_last_lr()[0])
    np.testing.assert_allclose(lrs, cosine_annealing(np.arange(1, 11), 0.5, 10, 0.01), rtol=1e-15)
    assert opt.lr == pytest.approx(0.01, rel=1e-12)
    assert np.all(np.diff(lrs) < 0)


def test_the_optimizer_uses_the_scheduled_learning_rate():
    p = param([1.0], grad=[1.0])
    opt = SGD([p], lr=0.1)
    scheduler = StepLR(opt, step_size=1, gamma=0.5)
    opt.step()  # theta = 1 - 0.1 = 0.9
    scheduler.step()  # lr = 0.05
    opt.step()  # theta = 0.9 - 0.05 = 0.85
    np.testing.assert_allclose(p.data, [0.85], rtol=1e-15)


@pytest.mark.parametrize("make, message", [
    (lambda opt: StepLR(opt, step_size=0), "step_size must be an integer >= 1, got 0"),
    (lambda opt: StepLR(opt, step_size=2.5), "step_size must be an integer"),
    (lambda opt: StepLR(opt, step_size=2, gamma=0.0), "gamma must be > 0"),
    (lambda opt: CosineAnnealingLR(opt, T_max=0), "T_max must be an integer >= 1"),
    (lambda opt: CosineAnnealingLR(opt, T_max=5, eta_min=-0.1), "eta_min must be >= 0"),
    (lambda opt: StepLR(object(), step_size=2), "expects an optimizer from utils.optimizers"),
    (lambda opt: step_decay(-1, 0.1, 3), "epoch must be a number >= 0"),
    (lambda opt: step_decay(1.5, 0.1, 3), "epoch must be a whole number"),
    (lambda opt: step_decay(1, 0.0, 3), "lr0 must be > 0"),
    (lambda opt: cosine_annealing(np.array([1.0, -2.0]), 0.1, 3), "t must be a number >= 0"),
    (lambda opt: cosine_annealing(np.nan, 0.1, 3), "t must be a number >= 0"),
])
def test_schedules_check_their_arguments(make, message):
    opt = SGD([param([1.0])], lr=0.1)
    with pytest.raises(ValueError, match=message):
        make(opt)
    assert opt.lr == 0.1  # nothing changed


# --- Against PyTorch, where it is installed ------------------------------------------------------

def run_against_torch(make_ours, make_theirs, steps=6):
    """Apply the same random gradients to identical float64 parameters in both libraries."""
    torch = pytest.importorskip("torch")
    rng = np.random.default_rng(0)
    start = [rng.standard_normal((3, 2)), rng.standard_normal(2)]
    ours = [Parameter(a.copy()) for a in start]
    theirs = [torch.nn.Parameter(torch.tensor(a.copy())) for a in start]
    opt, opt_t = make_ours(ours), make_theirs(torch, theirs)
    for _ in range(steps):
        for p, p_t in zip(ours, theirs):
            g = rng.standard_normal(p.shape)
            p.grad[...] = g
            p_t.grad = torch.tensor(g)
        opt.step()
        opt_t.step()
    for p, p_t in zip(ours, theirs):
        np.testing.assert_allclose(p.data, p_t.detach().numpy(), rtol=1e-12)


def test_rmsprop_with_momentum_and_weight_decay_matches_pytorch():
    kwargs = dict(lr=0.01, alpha=0.9, eps=1e-6, weight_decay=0.01, momentum=0.8)
    run_against_torch(lambda ps: RMSprop(ps, **kwargs),
                      lambda torch, ps: torch.optim.RMSprop(ps, **kwargs))


def test_adagrad_with_every_option_matches_pytorch():
    kwargs = dict(lr=0.1, lr_decay=0.05, weight_decay=0.01, initial_accumulator_value=0.2, eps=1e-8)
    run_against_torch(lambda ps: Adagrad(ps, **kwargs),
                      lambda torch, ps: torch.optim.Adagrad(ps, **kwargs))


@pytest.mark.parametrize("ours, theirs", [
    (lambda opt: StepLR(opt, step_size=3, gamma=0.3),
     lambda torch, opt: torch.optim.lr_scheduler.StepLR(opt, step_size=3, gamma=0.3)),
    (lambda opt: CosineAnnealingLR(opt, T_max=7, eta_min=0.002),
     lambda torch, opt: torch.optim.lr_scheduler.CosineAnnealingLR(opt, T_max=7, eta_min=0.002)),
], ids=["StepLR", "CosineAnnealingLR"])
def test_schedulers_match_pytorch(ours, theirs):
    torch = pytest.importorskip("torch")
    opt = SGD([param([1.0], grad=[1.0])], lr=0.1)
    w = torch.nn.Parameter(torch.tensor([1.0], dtype=torch.float64))
    w.grad = torch.tensor([1.0], dtype=torch.float64)
    opt_t = torch.optim.SGD([w], lr=0.1)
    scheduler, scheduler_t = ours(opt), theirs(torch, opt_t)
    for _ in range(20):  # past T_max, where the cosine climbs back
        opt.step()
        opt_t.step()
        scheduler.step()
        scheduler_t.step()
        np.testing.assert_allclose(scheduler.get_last_lr(), scheduler_t.get_last_lr(), rtol=1e-10)


# --- Registry -----------------------------------------------------------------------------

def test_registry_maps_names_to_classes():
    assert OPTIMIZERS == {"sgd": SGD, "adam": Adam, "rmsprop": RMSprop, "adagrad": Adagrad}


# --- One step as a pure function (the references of lesson 07) -------------------------------

GRADIENTS = [[0.3, -1.0, 2.0], [0.1, 0.5, -2.0], [-0.2, 0.2, 1.0], [0.0, 0.4, -0.5]]


def test_momentum_step_by_hand():
    # v = 0.9 * 1 + 0.5 = 1.4; theta = 2 - 0.1 * 1.4 = 1.86
    theta, v = momentum_step(np.array([2.0]), np.array([1.0]), np.array([0.5]), 0.1, 0.9)
    np.testing.assert_allclose(theta, [1.86])
    np.testing.assert_allclose(v, [1.4])


def test_rmsprop_step_by_hand():
    # s = 0.9 * 1 + 0.1 * 2^2 = 1.3; theta = 1 - 0.01 * 2 / (sqrt(1.3) + 1e-8)
    theta, s = rmsprop_step(np.array([1.0]), np.array([1.0]), np.array([2.0]), 0.01, 0.9)
    np.testing.assert_allclose(s, [1.3])
    np.testing.assert_allclose(theta, [1.0 - 0.02 / (np.sqrt(1.3) + 1e-8)])


def test_adam_step_by_hand_at_t_2():
    # m = 0.9 * 0.1 + 0.1 * 1 = 0.19, v = 0.999 * 0.001 + 0.001 * 1 = 0.001999;
    # m_hat = 0.19 / 0.19 = 1, v_hat = 0.001999 / 0.001999 = 1: theta = 0.5 - 0.1 * 1 / (1 + 1e-8)
    theta, m, v = adam_step(np.array([0.5]), np.array([0.1]), np.array([0.001]), np.array([1.0]), 2, lr=0.1)
    np.testing.assert_allclose(m, [0.19])
    np.testing.assert_allclose(v, [0.001999])
    np.testing.assert_allclose(theta, [0.5 - 0.1 / (1 + 1e-8)])


@pytest.mark.parametrize("make_class, step, state", [
    (lambda p: SGD([p], lr=0.05, momentum=0.9), lambda th, st, g, t: momentum_step(th, *st, g, 0.05, 0.9), 1),
    (lambda p: RMSprop([p], lr=0.05, alpha=0.9), lambda th, st, g, t: rmsprop_step(th, *st, g, 0.05, 0.9), 1),
    (lambda p: Adam([p], lr=0.05), lambda th, st, g, t: adam_step(th, *st, g, t, lr=0.05), 2),
], ids=["momentum_step", "rmsprop_step", "adam_step"])
def test_one_step_functions_follow_their_class_step_by_step(make_class, step, state):
    p = param([1.0, -2.0, 0.5])
    optimizer = make_class(p)
    theta, st = p.data.copy(), tuple(np.zeros(3) for _ in range(state))
    for t, g in enumerate(GRADIENTS, start=1):
        p.grad[...] = g
        optimizer.step()
        theta, *st = step(theta, st, np.array(g), t)
        np.testing.assert_allclose(theta, p.data, rtol=1e-12)


@pytest.mark.parametrize("step, args", [
    (momentum_step, (0.1, 0.9)), (rmsprop_step, (0.1,)), (adam_step, (1, 0.1)),
], ids=["momentum_step", "rmsprop_step", "adam_step"])
def test_one_step_functions_keep_float32_make_integers_float64_and_never_change_their_inputs(step, args):
    n_state = {momentum_step: 1, rmsprop_step: 1, adam_step: 2}[step]
    for dtype, expected in [(np.float32, np.float32), (np.int64, np.float64)]:
        theta, grad = np.array([1, -2], dtype=dtype), np.array([3, 1], dtype=dtype)
        state = [np.array([1, 0], dtype=dtype) for _ in range(n_state)]
        before = [a.copy() for a in (theta, grad, *state)]
        results = step(theta, *state, grad, *args)
        assert all(r.dtype == expected for r in results)
        assert all(np.array_equal(a, b) for a, b in zip((theta, grad, *state), before))
        assert not any(np.shares_memory(r, a) for r in results for a in (theta, grad, *state))


@pytest.mark.parametrize("t", [0, -1, 1.5, True])
def test_adam_step_wants_a_step_number_from_1(t):
    with pytest.raises(ValueError, match="t must be an integer >= 1"):
        adam_step(np.zeros(1), np.zeros(1), np.zeros(1), np.ones(1), t)


@pytest.mark.parametrize("call, message", [
    # a state or gradient of another shape would broadcast into a wrong answer without a word
    (lambda: momentum_step(np.zeros(1), np.zeros(3), np.ones(1), 0.1, 0.9),
     r"v must have the shape of theta, \(1,\), got \(3,\)"),
    (lambda: rmsprop_step(np.zeros(2), np.zeros(2), np.ones((3, 2)), 0.1),
     r"grad must have the shape of theta, \(2,\), got \(3, 2\)"),
    (lambda: adam_step(np.zeros(2), np.zeros(1), np.zeros(2), np.ones(2), 1), r"m must have the shape of theta"),
    (lambda: momentum_step(np.zeros(2), np.zeros(2), np.ones(2), -0.1, 0.9), "lr must be > 0, got -0.1"),
    (lambda: momentum_step(np.zeros(2), np.zeros(2), np.ones(2), 0.1, 1.5), r"momentum must be in \[0, 1\)"),
    (lambda: rmsprop_step(np.zeros(2), np.zeros(2), np.ones(2), 0.1, alpha=1.5), r"alpha must be in \[0, 1\)"),
    (lambda: rmsprop_step(np.zeros(2), np.zeros(2), np.zeros(2), 0.1, eps=0.0), "eps must be > 0"),
    (lambda: adam_step(np.zeros(2), np.zeros(2), np.zeros(2), np.ones(2), 1, beta1=1.0),
     r"beta1 must be in \[0, 1\)"),
    (lambda: adam_step(np.zeros(2), np.zeros(2), np.zeros(2), np.ones(2), 1, lr="0.1"), "without quotes"),
    (lambda: momentum_step(np.array(["a", "b"]), np.zeros(2), np.ones(2), 0.1, 0.9), "theta must be an array of numbers"),
], ids=["v-shape", "grad-shape", "m-shape", "lr", "momentum", "alpha", "eps", "beta1", "lr-string", "theta-str"])
def test_one_step_functions_check_their_arguments(call, message):
    with pytest.raises(ValueError, match=message):
        call()


@pytest.mark.parametrize("make, message", [
    (lambda p: SGD(p, lr=0.1, momentum="0.9"), "momentum must be a number in \\[0, 1\\), got '0.9'"),
    (lambda p: RMSprop(p, alpha=None), "alpha must be a number in \\[0, 1\\), got None"),
    (lambda p: Adam(p, betas=0.9), r"betas must be a pair \(beta1, beta2\), got 0.9"),
    (lambda p: Adam(p, betas=("0.9", 0.999)), "beta1 must be a number in"),
])
def test_optimizers_reject_hyperparameters_that_are_not_numbers(make, message):
    with pytest.raises(ValueError, match=message):
        make([Parameter(np.zeros(2))])
