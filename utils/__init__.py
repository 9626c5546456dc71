"""utils: deep learning from scratch in numpy, the shared package of the course.

Each module holds one concept, and the lessons call them by name::

    from utils.layers import Dense, ReLU
    from utils.models import Sequential

Modules, from the math up: ``activations``, ``losses``, ``logit_losses``,
``surfaces`` -> ``layers`` -> ``models`` -> ``optimizers``, ``training``,
``training_loop``; beside them ``gradient_check``, ``gradient_descent``,
``metrics``, ``model_selection``, ``regularization``, ``datasets`` (with
``mnist``) and ``perceptron``; on top, ``plotting``, ``widgets`` and
``checks`` (the exercise checks). ``import utils`` imports none of them:
each submodule loads on first use (``utils.layers`` brings numpy), and
matplotlib and ipywidgets load only with ``utils.plotting`` or
``utils.widgets``.
"""

import importlib

__version__ = "0.1.0"

_SUBMODULES = ("activations", "losses", "logit_losses", "surfaces", "layers", "models", "optimizers",
               "training", "training_loop", "gradient_check", "gradient_descent", "metrics", "model_selection",
               "regularization", "datasets", "mnist", "perceptron", "plotting", "widgets", "checks")


def __getattr__(name):
    # `utils.plotting` works without importing matplotlib at `import utils`.
    if name in _SUBMODULES:
        return importlib.import_module(f"{__name__}.{name}")
    raise AttributeError(f"module 'utils' has no attribute {name!r}")


def __dir__():
    return sorted(list(globals()) + list(_SUBMODULES))
