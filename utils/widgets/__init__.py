"""Interactive explorers: sliders joined to a compute function and a draw function.

Every explorer is built on :class:`utils.widgets.base.Explorer`; its module docstring states the
contract (``.controls``, ``.figure``, the computed state, challenges, the registry
:data:`EXPLORERS` that the generic test and the benchmark read). One module per explorer or
lesson; each one's public names are imported here.

ipywidgets and matplotlib are imported with this package, never by ``import utils``.
"""

from .base import (EXPLORERS, PATH, SURFACE, BlitImage, Challenge, Explorer,  # noqa: F401
                   register_explorer)
from .perceptron import draw_perceptron, perceptron_explorer, update_perceptron  # noqa: F401
from .gradient_descent import gradient_descent_explorer  # noqa: F401
from .race import optimizer_race  # noqa: F401
from .minibatch import minibatch_explorer  # noqa: F401
from .losses import loss_explorer, softmax_explorer  # noqa: F401
from .activations import activation_explorer, chain_gradients  # noqa: F401
from .networks import network_explorer, plot_layers, plot_network_diagram  # noqa: F401
from .playground import playground, region_colors  # noqa: F401
from .backprop import backprop_explorer, plot_neuron_graph  # noqa: F401
from .training import LiveLossCurve, plot_digits, plot_training_loop, training_explorer  # noqa: F401
