"""Models: layers composed into a network.

``Sequential`` chains layers: the output of one is the input of the next.
Its forward pass runs the layers in order; its backward pass runs their
``backward`` in reverse order, which is the chain rule applied layer by layer.
The vocabulary follows PyTorch (``parameters``, ``zero_grad``, ``train``,
``eval``), so what a learner writes here carries over.

Left out on purpose: branching graphs and automatic differentiation; every
layer brings its own hand-written backward pass.
"""

import numpy as np

from ._validation import check_positive_int
from .layers import Dense, Layer


class Sequential(Layer):
    """A stack of layers applied one after the other.

    Parameters
    ----------
    *layers : Layer
        The layers, input side first.

    Examples
    --------
    >>> import numpy as np
    >>> from utils.layers import Dense, ReLU
    >>> rng = np.random.default_rng(0)
    >>> model = Sequential(Dense(2, 8, rng=rng), ReLU(), Dense(8, 1, rng=rng))
    >>> model.forward(np.zeros((5, 2))).shape
    (5, 1)
    """

    def __init__(self, *layers):
        if len(layers) == 1 and isinstance(layers[0], (list, tuple)):
            layers = tuple(layers[0])
        if not layers:
            raise ValueError("Sequential needs at least one layer, got none")
        for i, layer in enumerate(layers):
            if not isinstance(layer, Layer):
                raise ValueError(f"Sequential expects Layer objects, got "
                                 f"{type(layer).__name__} at position {i}")
        self.layers = list(layers)

    def forward(self, x):
        """Run `x`, shape (N, D_in), through every layer; return shape (N, D_out)."""
        for layer in self.layers:
            x = layer.forward(x)
        return x

    def backward(self, dout, *, input_grad=True):
        """Backpropagate `dout` = dL/d(output), shape (N, D_out), through every layer.

        Each layer adds its parameter gradients to ``.grad``. Returns dL/dx,
        shape (N, D_in), or None when `input_grad` is False (training needs
        only the parameter gradients, so the first layer can skip that product).
        """
        for layer in reversed(self.layers[1:]):
            dout = layer.backward(dout)
        first = self.layers[0]
        if not input_grad and isinstance(first, Dense):
            first.backward(dout, input_grad=False)
            return None
        dx = first.backward(dout)
        return dx if input_grad else None

    def parameters(self):
        """All trainable parameters, in layer order (W then b for each Dense)."""
        return [p for layer in self.layers for p in layer.parameters()]

    def _set_mode(self, training):
        self.training = training
        for layer in self.layers:
            layer._set_mode(training)
        return self

    def predict(self, x, batch_size=1024):
        """The network's output for `x` in evaluation mode, computed in batches.

        Parameters
        ----------
        x : ndarray, shape (N, D_in)
        batch_size : int, default 1024

        Returns
        -------
        ndarray, shape (N, D_out)
            Raw outputs: logits for a classifier trained with cross-entropy.
            The model's mode (train or eval) is restored afterwards.
        """
        check_positive_int(batch_size, "batch_size")
        was_training = self.training
        self.eval()
        try:
            x = np.asarray(x)
            outs = [self.forward(x[i:i + batch_size]) for i in range(0, max(len(x), 1), batch_size)]
        finally:
            self._set_mode(was_training)
        return np.concatenate(outs) if len(outs) > 1 else outs[0]

    def num_parameters(self):
        """Total number of trainable scalars."""
        return sum(p.size for p in self.parameters())

    def __len__(self):
        return len(self.layers)

    def __getitem__(self, i):
        return self.layers[i]

    def __repr__(self):
        lines = ["Sequential("]
        for i, layer in enumerate(self.layers):
            n = sum(p.size for p in layer.parameters())
            count = f"  # {n:,} parameters" if n else ""
            lines.append(f"  ({i}) {layer!r}{count}")
        lines.append(f")  total: {self.num_parameters():,} parameters")
        return "\n".join(lines)
