"""Every registered explorer, driven headless through every control: no exception, no warning, a new picture.

Explorers register themselves with ``utils.widgets.register_explorer``; this file finds them in
``EXPLORERS``, so an explorer added for a later lesson is tested here without a line written.
Each numeric control visits its minimum, its maximum and values in between; each dropdown, every
option. pytest turns a RuntimeWarning (a floating-point warning) into an error.
"""

import ipywidgets as widgets
import matplotlib
import numpy as np
import pytest

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

import utils.widgets  # noqa: E402, F401  (imports every explorer module, which registers it)
from utils.widgets import EXPLORERS, Explorer  # noqa: E402
from utils.widgets.base import numeric_controls, sweep_values  # noqa: E402


def controls_to_sweep(info):
    explorer = info.factory()
    names = [n for n in numeric_controls(explorer) if n not in info.skip]
    names += [n for n, c in explorer.controls.items() if isinstance(c, widgets.Dropdown) and n not in info.skip]
    return [(info.name, name) for name in names]


CASES = [case for info in EXPLORERS.values() for case in controls_to_sweep(info)]


def test_the_course_explorers_are_registered():
    assert {"perceptron_explorer", "gradient_descent_explorer", "optimizer_race",
            "minibatch_explorer"} <= set(EXPLORERS)


@pytest.mark.parametrize("name", sorted(EXPLORERS))
def test_an_explorer_follows_the_contract_when_called_with_no_arguments(name):
    plt.close("all")
    explorer = EXPLORERS[name].factory()
    assert isinstance(explorer, Explorer)
    assert explorer.controls and all(isinstance(c, widgets.ValueWidget) for c in explorer.controls.values())
    assert explorer.figure is not None and plt.get_fignums() == []  # its own Figure, never pyplot's
    for ax in explorer.figure.axes:  # every axis labelled (3-D axes: all three)
        if ax.axison:
            labels = [ax.get_xlabel(), ax.get_ylabel()] + ([ax.get_zlabel()] if ax.name == "3d" else [])
            assert all(label.strip() for label in labels), f"{name}: an unlabelled axis in {ax}"
    bundle = explorer._repr_mimebundle_()
    assert {"image/png", "application/vnd.jupyter.widget-view+json"} <= set(bundle)


@pytest.mark.parametrize("explorer_name, control", CASES)
def test_every_control_moves_across_its_range_without_error_or_warning(explorer_name, control):
    info = EXPLORERS[explorer_name]
    explorer = info.prepare(control)  # the defaults, and what makes this control act
    widget = explorer.controls[control]
    if control in info.sweeps:
        values = list(info.sweeps[control])
    elif isinstance(widget, widgets.Dropdown):
        values = [v for _, v in widget.options] if isinstance(widget.options[0], tuple) else list(widget.options)
    else:
        values = sweep_values(widget, 5)  # min, max and three between
    start = explorer.image.widget.value
    pictures = set()
    for value in values:
        widget.value = value
        assert explorer.last_error is None, f"{explorer_name}.{control} = {value!r}: {explorer.last_error!r}"
        pictures.add(explorer.image.widget.value)
    assert len(pictures | {start}) > 1, f"moving {explorer_name}.{control} never changed the picture"


def test_the_sweep_visits_both_ends_of_a_log_slider():
    values = sweep_values(widgets.FloatLogSlider(value=0.1, base=10, min=-4, max=1), 5)
    assert values[0] == pytest.approx(1e-4) and values[-1] == pytest.approx(10.0)
    assert np.allclose(np.diff(np.log10(values)), 1.25)
