"""Cross-checks against PyTorch, the reference framework the course's API follows.

PyTorch is not a requirement of the course: without it this whole module is
skipped. Everything runs in float64, so results must agree to a relative error
of about 1e-12.
"""

import numpy as np
import pytest

torch = pytest.importorskip("torch")
F = torch.nn.functional

from utils.activations import leaky_relu, log_softmax, relu, sigmoid, softmax, tanh  # noqa: E402
from utils.layers import Dense, LeakyReLU, Parameter, ReLU, Sigmoid, Tanh  # noqa: E402
from utils.losses import (  # noqa: E402
    binary_cross_entropy, binary_cross_entropy_grad, cross_entropy, cross_entropy_grad, mse,
    mse_grad,
)
from utils.optimizers import SGD, Adam  # noqa: E402

RTOL = 1e-12


def as_tensor(array, grad=False):
    """A float64 torch tensor with a copy of `array`."""
    return torch.tensor(np.asarray(array, dtype=np.float64), requires_grad=grad)


def loss_and_grad(torch_loss, prediction, target):
    """PyTorch's loss value and its gradient with respect to `prediction`."""
    pred = as_tensor(prediction, grad=True)
    loss = torch_loss(pred, target)
    loss.backward()
    return loss.item(), pred.grad.numpy()


# --- Dense against torch.nn.Linear ----------------------------------------------------------

def test_dense_matches_linear_forward_and_backward():
    rng = np.random.default_rng(0)
    dense = Dense(5, 3, rng=rng, dtype=np.float64)
    dense.b.data[...] = rng.standard_normal(3)
    linear = torch.nn.Linear(5, 3, dtype=torch.float64)
    with torch.no_grad():
        linear.weight.copy_(as_tensor(dense.W.data.T))  # PyTorch stores W transposed: (D_out, D_in)
        linear.bias.copy_(as_tensor(dense.b.data))
    x, dout = rng.standard_normal((4, 5)), rng.standard_normal((4, 3))

    out = dense.forward(x)
    dx = dense.backward(dout)
    x_t = as_tensor(x, grad=True)
    out_t = linear(x_t)
    out_t.backward(as_tensor(dout))

    np.testing.assert_allclose(out, out_t.detach().numpy(), rtol=RTOL)
    np.testing.assert_allclose(dx, x_t.grad.numpy(), rtol=RTOL)
    np.testing.assert_allclose(dense.W.grad, linear.weight.grad.numpy().T, rtol=RTOL)
    np.testing.assert_allclose(dense.b.grad, linear.bias.grad.numpy(), rtol=RTOL)


@pytest.mark.parametrize("layer, torch_fn", [
    (ReLU(), torch.relu), (Sigmoid(), torch.sigmoid), (Tanh(), torch.tanh),
    (LeakyReLU(0.1), lambda z: F.leaky_relu(z, 0.1)),
], ids=["ReLU", "Sigmoid", "Tanh", "LeakyReLU"])
def test_activation_layers_match_autograd(layer, torch_fn):
    rng = np.random.default_rng(0)
    z, dout = rng.standard_normal((4, 5)), rng.standard_normal((4, 5))
    out, dz = layer.forward(z), layer.backward(dout)
    z_t = as_tensor(z, grad=True)
    out_t = torch_fn(z_t)
    out_t.backward(as_tensor(dout))
    np.testing.assert_allclose(out, out_t.detach().numpy(), rtol=RTOL)
    np.testing.assert_allclose(dz, z_t.grad.numpy(), rtol=RTOL)


@pytest.mark.parametrize("ours, theirs", [
    (sigmoid, torch.sigmoid), (tanh, torch.tanh), (relu, torch.relu),
    (leaky_relu, F.leaky_relu), (softmax, lambda z: torch.softmax(z, -1)),
    (log_softmax, lambda z: torch.log_softmax(z, -1)),
], ids=["sigmoid", "tanh", "relu", "leaky_relu", "softmax", "log_softmax"])
def test_activations_match_at_extreme_inputs(ours, theirs):
    z = np.array([[-1e4, -1000.0, -30.0, -1.0, 0.0, 1.0, 30.0, 1000.0, 1e4]])
    np.testing.assert_allclose(ours(z), theirs(as_tensor(z)).numpy(), rtol=RTOL, atol=1e-300)


# --- Losses -------------------------------------------------------------------------------

def test_cross_entropy_matches_pytorch():
    rng = np.random.default_rng(0)
    logits, labels = rng.standard_normal((6, 4)), np.array([0, 3, 1, 1, 2, 0])
    logits[0, 1] = 1e4  # one confident wrong prediction
    loss, grad = loss_and_grad(F.cross_entropy, logits, torch.tensor(labels))
    assert cross_entropy(logits, labels) == pytest.approx(loss, rel=RTOL)
    np.testing.assert_allclose(cross_entropy_grad(logits, labels), grad, rtol=RTOL, atol=1e-300)


def test_binary_cross_entropy_matches_pytorch_including_its_clamp():
    p = np.array([0.0, 1.0, 0.0, 1.0, 0.3, 0.8, 1e-50])
    y = np.array([1.0, 0.0, 0.0, 1.0, 1.0, 0.0, 1.0])  # first two certain and wrong: clamped
    loss, grad = loss_and_grad(F.binary_cross_entropy, p, as_tensor(y))
    assert binary_cross_entropy(p, y) == pytest.approx(loss, rel=RTOL)
    ours = binary_cross_entropy_grad(p, y)
    clamped = p * (1 - p) < 1e-12
    np.testing.assert_allclose(ours[~clamped], grad[~clamped], rtol=RTOL)
    # Where p (1 - p) is floored, PyTorch divides by float32(1e-12) = 9.99999996e-13, we by 1e-12:
    # the two differ by 4e-9, relatively.
    np.testing.assert_allclose(ours[clamped], grad[clamped], rtol=1e-8)


def test_mse_matches_pytorch():
    rng = np.random.default_rng(0)
    y_pred, y_true = rng.standard_normal((5, 3)), rng.standard_normal((5, 3))
    loss, grad = loss_and_grad(F.mse_loss, y_pred, as_tensor(y_true))
    assert mse(y_pred, y_true) == pytest.approx(loss, rel=RTOL)
    np.testing.assert_allclose(mse_grad(y_pred, y_true), grad, rtol=RTOL)


# --- Optimizers over several steps ---------------------------------------------------------

def run_both(make_ours, make_theirs, steps=5):
    """Apply the same gradients to identical parameters in both libraries; return both."""
    rng = np.random.default_rng(0)
    start = [rng.standard_normal((3, 2)), rng.standard_normal(2)]
    ours = [Parameter(a.copy()) for a in start]
    theirs = [torch.nn.Parameter(as_tensor(a)) for a in start]
    opt, opt_t = make_ours(ours), make_theirs(theirs)
    for _ in range(steps):
        for p, p_t in zip(ours, theirs):
            g = rng.standard_normal(p.shape)
            p.grad[...] = g
            p_t.grad = as_tensor(g)
        opt.step()
        opt_t.step()
    return ours, theirs


def assert_same_parameters(ours, theirs):
    for p, p_t in zip(ours, theirs):
        np.testing.assert_allclose(p.data, p_t.detach().numpy(), rtol=RTOL)


def test_sgd_with_momentum_and_weight_decay_matches_pytorch():
    ours, theirs = run_both(
        lambda ps: SGD(ps, lr=0.1, momentum=0.9, weight_decay=0.01),
        lambda ps: torch.optim.SGD(ps, lr=0.1, momentum=0.9, weight_decay=0.01))
    assert_same_parameters(ours, theirs)


def test_adam_with_weight_decay_matches_pytorch():
    ours, theirs = run_both(
        lambda ps: Adam(ps, lr=0.01, betas=(0.8, 0.99), eps=1e-6, weight_decay=0.01),
        lambda ps: torch.optim.Adam(ps, lr=0.01, betas=(0.8, 0.99), eps=1e-6, weight_decay=0.01))
    assert_same_parameters(ours, theirs)
