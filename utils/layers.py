r"""Layers: the building blocks of a network, each with a forward and a backward pass.

Every layer follows one contract. ``forward(x)`` computes the output and keeps
what the backward pass will need; ``backward(dout)`` takes
:math:`\partial L/\partial \text{out}` and returns
:math:`\partial L/\partial x`, adding the gradients of the layer's parameters
to their ``.grad`` (so call ``zero_grad()`` before each backward pass, as in
PyTorch). A gradient ``d<name>`` always has the shape of ``<name>``.

Shapes are batch-first: a batch ``x`` has shape ``(N, D)``, one row per sample.
A dense layer's weight matrix ``W`` has shape ``(D_in, D_out)`` so that
``forward(x) = x @ W + b``. PyTorch stores the same matrix transposed, as
``weight`` of shape ``(D_out, D_in)``, and computes ``x @ weight.T + bias``.

Layers compute in float32 by default, like PyTorch; pass ``dtype=np.float64``
for gradient checks.

Left out on purpose: convolution, normalisation and recurrent layers.
"""

import numpy as np

from ._validation import as_float_array, check_probability, check_rng
from .activations import leaky_relu, leaky_relu_grad, sigmoid, sigmoid_grad, tanh, tanh_grad


class Parameter:
    """A trainable array and the gradient of the loss with respect to it.

    Parameters
    ----------
    data : ndarray, any shape
        The values.
    name : str, optional
        For ``repr`` and error messages, e.g. ``"W"``.

    Attributes
    ----------
    data : ndarray
    grad : ndarray, same shape and dtype as `data`
        Starts at zero; layers add to it in ``backward``.
    """

    def __init__(self, data, name=""):
        self.data = np.asarray(data)
        self.grad = np.zeros_like(self.data)
        self.name = name

    @property
    def shape(self):
        return self.data.shape

    @property
    def size(self):
        return self.data.size

    def zero_grad(self):
        """Set ``grad`` back to zero, in place."""
        self.grad.fill(0)

    def __repr__(self):
        return f"Parameter({self.name or 'unnamed'}, shape={self.data.shape}, dtype={self.data.dtype})"


class Layer:
    """Base class: a layer has ``forward``, ``backward`` and ``parameters``.

    ``training`` is True by default; ``train()`` and ``eval()`` set it (on a
    ``Sequential``, for every layer inside), and layers that act differently at
    test time (``Dropout``) read it.
    """

    training = True

    def train(self):
        """Switch to training mode (Dropout drops units). Returns self."""
        return self._set_mode(True)

    def eval(self):
        """Switch to evaluation mode (Dropout is the identity). Returns self."""
        return self._set_mode(False)

    def _set_mode(self, training):
        self.training = training
        return self

    def forward(self, x):
        raise NotImplementedError

    def backward(self, dout):
        raise NotImplementedError

    def __call__(self, x):
        return self.forward(x)

    def parameters(self):
        """The layer's trainable ``Parameter`` objects, in a fixed order."""
        return []

    def zero_grad(self):
        for p in self.parameters():
            p.zero_grad()

    def _check_backward(self, dout, reference):
        if reference is None:
            raise ValueError(f"{self!r}.backward called before forward")
        dout = np.asarray(dout)
        if dout.shape != reference.shape:
            raise ValueError(f"{self!r}.backward expected dout of shape {reference.shape} "
                             f"(the shape of its output), got {dout.shape}")
        return dout


class Dense(Layer):
    r"""Fully connected (dense) layer: every input connects to every output.

    Parameters
    ----------
    in_features : int
        :math:`D_{in}`, the size of each input sample.
    out_features : int
        :math:`D_{out}`, the size of each output sample.
    rng : numpy.random.Generator, optional
        Source of the initial weights. Pass one for reproducible results.
    init : {"he", "xavier", "zeros"}, default "he"
        How to draw ``W``: He (:math:`\mathcal N(0, 2/D_{in})`, for ReLU),
        Xavier (:math:`\mathcal N(0, 2/(D_{in}+D_{out}))`, for sigmoid and
        tanh), or all zeros (to see why symmetry must be broken). ``b`` starts at 0.
    dtype : numpy dtype, default float32

    Attributes
    ----------
    W : Parameter, shape (in_features, out_features)
    b : Parameter, shape (out_features,)

    Notes
    -----
    Forward, for a batch :math:`X` of shape :math:`(N, D_{in})`:

    .. math:: Z = X W + b

    Backward, given :math:`\partial L/\partial Z` of shape :math:`(N, D_{out})`:

    .. math:: \frac{\partial L}{\partial W} = X^\top \frac{\partial L}{\partial Z}, \quad
              \frac{\partial L}{\partial b} = \sum_{i} \frac{\partial L}{\partial Z_{i}}, \quad
              \frac{\partial L}{\partial X} = \frac{\partial L}{\partial Z} W^\top
    """

    INITS = ("he", "xavier", "zeros")

    def __init__(self, in_features, out_features, *, rng=None, init="he", dtype=np.float32):
        for name, value in (("in_features", in_features), ("out_features", out_features)):
            if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or value < 1:
                raise ValueError(f"Dense {name} must be an integer >= 1, got {value!r}")
        if init not in self.INITS:
            raise ValueError(f"Dense init must be one of {self.INITS}, got {init!r}")
        self.in_features, self.out_features = int(in_features), int(out_features)
        self.dtype = np.dtype(dtype)
        self.init = init
        rng = check_rng(rng)
        std = {"he": np.sqrt(2 / in_features),
               "xavier": np.sqrt(2 / (in_features + out_features)),
               "zeros": 0.0}[init]
        W = rng.standard_normal((in_features, out_features)) * std
        self.W = Parameter(W.astype(self.dtype), "W")
        self.b = Parameter(np.zeros(out_features, dtype=self.dtype), "b")
        self._x = None

    def forward(self, x):
        """Compute ``x @ W + b``.

        Parameters
        ----------
        x : ndarray, shape (N, in_features)

        Returns
        -------
        ndarray, shape (N, out_features)
        """
        x = as_float_array(x, "x", dtype=self.dtype)
        if x.ndim != 2 or x.shape[1] != self.in_features:
            raise ValueError(f"{self!r} expected input of shape (N, {self.in_features}), "
                             f"got {x.shape}")
        self._x = x
        out = x @ self.W.data
        out += self.b.data
        return out

    def backward(self, dout, *, input_grad=True):
        """Add ``dL/dW`` and ``dL/db`` to the parameters' ``.grad``; return ``dL/dx``.

        Parameters
        ----------
        dout : ndarray, shape (N, out_features)
            Gradient of the loss with respect to this layer's output.
        input_grad : bool, default True
            Whether to compute ``dL/dx``. The first layer of a network can skip
            it: nothing needs the gradient with respect to the data.

        Returns
        -------
        ndarray, shape (N, in_features), or None when `input_grad` is False
        """
        x = self._x
        if x is None:
            raise ValueError(f"{self!r}.backward called before forward")
        dout = np.asarray(dout, dtype=self.dtype)
        if dout.shape != (x.shape[0], self.out_features):
            raise ValueError(f"{self!r}.backward expected dout of shape "
                             f"{(x.shape[0], self.out_features)}, got {dout.shape}")
        self.W.grad += x.T @ dout
        self.b.grad += dout.sum(axis=0)
        return dout @ self.W.data.T if input_grad else None

    def parameters(self):
        return [self.W, self.b]

    def __repr__(self):
        return f"Dense({self.in_features} -> {self.out_features})"


class _Elementwise(Layer):
    """An activation layer: ``out = g(z)``, ``dz = dout * g'(z)``."""

    def __init__(self):
        self._z = None

    def forward(self, z):
        """Apply the activation elementwise.

        Parameters
        ----------
        z : ndarray, shape (N, D)

        Returns
        -------
        ndarray, shape (N, D)
        """
        self._z = as_float_array(z, "z")
        return self._fn(self._z)

    def backward(self, dout):
        """Return ``dout * g'(z)``, shape (N, D), with ``g'`` evaluated at the cached input."""
        dout = self._check_backward(dout, self._z)
        return dout * self._grad(self._z)

    def __repr__(self):
        return f"{type(self).__name__}()"


class ReLU(_Elementwise):
    """Applies :func:`utils.activations.relu` elementwise.

    Forward and backward are ``relu`` and ``dout * relu_grad(z)`` written out,
    each in one pass: ReLU is on every network's hot path.
    """

    def forward(self, z):
        self._z = as_float_array(z, "z")
        return np.maximum(self._z, 0)

    def backward(self, dout):
        dout = self._check_backward(dout, self._z)
        return np.where(self._z > 0, dout, 0).astype(dout.dtype, copy=False)


class Sigmoid(_Elementwise):
    """Applies :func:`utils.activations.sigmoid` elementwise."""

    _fn = staticmethod(sigmoid)
    _grad = staticmethod(sigmoid_grad)


class Tanh(_Elementwise):
    """Applies :func:`utils.activations.tanh` elementwise."""

    _fn = staticmethod(tanh)
    _grad = staticmethod(tanh_grad)


class LeakyReLU(_Elementwise):
    """Applies :func:`utils.activations.leaky_relu` elementwise.

    Parameters
    ----------
    negative_slope : float, default 0.01
    """

    def __init__(self, negative_slope=0.01):
        super().__init__()
        self.negative_slope = negative_slope
        leaky_relu(np.zeros(1), negative_slope)  # validates the slope once, here

    def _fn(self, z):
        return leaky_relu(z, self.negative_slope)

    def _grad(self, z):
        return leaky_relu_grad(z, self.negative_slope)

    def __repr__(self):
        return f"LeakyReLU(negative_slope={self.negative_slope})"


class Dropout(Layer):
    r"""Inverted dropout: in training, zero each unit with probability `p`.

    Parameters
    ----------
    p : float in [0, 1)
        Probability of dropping a unit.
    rng : numpy.random.Generator, optional
        Source of the random masks. Pass one for reproducible results.

    Notes
    -----
    In training mode, with a fresh mask :math:`m_{ij} \sim \text{Bernoulli}(1 - p)`:

    .. math:: \text{out} = \frac{m \odot x}{1 - p}, \qquad
              \frac{\partial L}{\partial x} = \frac{m \odot \text{dout}}{1 - p}

    Dividing by :math:`1 - p` keeps the expected activation unchanged, so in
    eval mode the layer is simply the identity.
    """

    def __init__(self, p, rng=None):
        check_probability(p, "Dropout p")
        self.p = float(p)
        self.rng = check_rng(rng)
        self._mask = None

    def forward(self, x):
        """Drop units (training) or pass `x` through (eval).

        Parameters
        ----------
        x : ndarray, shape (N, D)

        Returns
        -------
        ndarray, shape (N, D)
        """
        x = as_float_array(x, "x")
        if not self.training or self.p == 0:
            self._mask = np.ones_like(x)
            return x
        keep = self.rng.random(x.shape) >= self.p
        self._mask = keep.astype(x.dtype) / x.dtype.type(1 - self.p)
        return x * self._mask

    def backward(self, dout):
        """Return ``dout`` through the same mask as the last forward pass, shape (N, D)."""
        dout = self._check_backward(dout, self._mask)
        return dout * self._mask

    def __repr__(self):
        return f"Dropout(p={self.p})"


__all__ = ["Parameter", "Layer", "Dense", "ReLU", "Sigmoid", "Tanh", "LeakyReLU", "Dropout"]
