r"""Lessons 09-10's Playground: TensorFlow Playground in the notebook, trained with the course's ``utils``.

:func:`playground` shows a small network learning to classify points in the plane, live:

- the *decision regions* as a heatmap: each point of the plane takes the colour of its most
  probable class, pale where the network is unsure and strong where it is confident (Okabe-Ito
  colours, which read for colour-blind learners), with the training points filled and the test
  points hollow, each class with its own marker;
- the training and test loss against the epoch, growing as the network trains, with the epoch of
  the lowest test loss marked;
- a status line: the epoch, the training and test loss and accuracy, or "diverged at epoch k".

Controls: the data set (XOR, circles, moons, spirals with two or three arms, three blobs, or the
learner's own arrays), noise, number of points, test fraction, seed; hidden layers and the units
of each, activation, dropout; optimizer, learning rate (a log slider), batch size, L2 strength,
learning-rate schedule and its length; the ``Play`` control with Pause, Step (one epoch) and
Reset. Every tick of ``Play`` trains a few epochs and redraws; between ticks the kernel is free.

What resets and what does not, as in TensorFlow Playground: the data set, noise, points, test
fraction, seed, the layers, units and activation build a new network (epoch 0). The optimizer,
learning rate, batch size, L2, dropout and schedule apply from the next epoch to the network as it
is, so the learner can turn a knob while it trains. Reset starts the same network again.

Everything is computed by :class:`~utils.widgets.playground_run.PlaygroundRun` (``fit``,
``evaluate``, the course's layers and optimizers); this module only draws. Redraws follow the
explorer base: the data set redraws the regions' axes into the background (their limits and ticks
follow the points), and the classes' legend, in its own box, when the number of classes changes;
everything else blits the regions, the points and the curves over it. The loss panel is redrawn
only when its limits change (whole decades, and epochs in steps of 50, 100, 200, 500, ...), the
settings line only when a setting changes.

ipywidgets and matplotlib are imported with this module, never by ``import utils``.
"""

import html
import math

import ipywidgets as widgets
import numpy as np
from matplotlib.colors import to_rgb
from matplotlib.lines import Line2D

from .. import datasets
from .base import LINE_STYLES, MARKERS, OKABE_ITO, PATH, SURFACE, Challenge, Explorer, register_explorer
from .playground_run import (ACTIVATIONS, DATASETS, MAX_CLASSES, OPTIMIZERS, OWN_DATA, SCHEDULES, PlaygroundRun,
                             check_data, make_data, split_seeds)

#: The learning-rate slider's range (a log slider), as in the loss-surface explorers.
LR_RANGE = (1e-4, 10.0)
#: Most hidden layers, and most units in one.
MAX_LAYERS, MAX_UNITS = 4, 64
#: The L2 strengths offered (TensorFlow Playground's list, up to 0.1).
L2_CHOICES = (0.0, 1e-5, 3e-5, 1e-4, 3e-4, 1e-3, 3e-3, 0.01, 0.03, 0.1)
#: Most epochs one run trains (the Play control stops there).
MAX_EPOCHS = 3000
#: Points per side of the grid on which the regions are computed.
GRID = 100
#: Where the classes' legend sits, (left, bottom, width, height) as fractions of the figure: right of the
#: regions' axes by more than the 25 pixels a redraw of theirs blanks, and left of the 80 that one of the
#: loss panel blanks.
LEGEND_BOX = (0.4135, 0.45, 0.112, 0.38)
#: Colour of the plane once training has diverged.
DIVERGED_GREY = 0.82
#: Ranges of the other sliders: (min, max, step).
RANGES = {"noise": (0.0, 0.5, 0.01), "n": (20, 1000, 10), "test_size": (0.1, 0.9, 0.05), "seed": (0, 99, 1),
          "dropout": (0.0, 0.9, 0.05), "batch_size": (1, 256, 1), "schedule_epochs": (10, 500, 10),
          "epochs_per_tick": (1, 20, 1)}


def region_colors(probabilities, colors, *, weakest=0.06, strongest=0.62):
    r"""The heatmap of the decision regions: the winning class's colour, stronger where it is more probable.

    Parameters
    ----------
    probabilities : ndarray, shape (..., C)
        Class probabilities (rows sum to 1); a row of NaN (a diverged network) is painted grey.
    colors : sequence of C matplotlib colours
    weakest, strongest : float in [0, 1]
        How much of the class colour is mixed into white where the network is unsure and where
        it is certain.

    Returns
    -------
    ndarray, shape (..., 3), float64
        RGB in [0, 1].

    Notes
    -----
    With :math:`p^* = \max_k p_k`, the confidence :math:`c = (p^* - 1/C)/(1 - 1/C) \in [0, 1]` and
    the tint :math:`t = t_{\min} + (t_{\max} - t_{\min})\, c`, the colour is
    :math:`(1 - t)\cdot\text{white} + t \cdot \text{colour}_{\arg\max_k p_k}`: one hue per class,
    its lightness by confidence, white-ish along the decision boundary.
    """
    probabilities = np.asarray(probabilities, dtype=np.float64)
    C = probabilities.shape[-1]
    rgb = np.array([to_rgb(c) for c in colors[:C]])
    finite = np.all(np.isfinite(probabilities), axis=-1)
    safe = np.where(finite[..., None], probabilities, 1.0 / C)
    confidence = np.clip((safe.max(axis=-1) - 1.0 / C) / (1.0 - 1.0 / C), 0.0, 1.0)
    tint = (weakest + (strongest - weakest) * confidence)[..., None]
    image = 1.0 - tint * (1.0 - rgb[safe.argmax(axis=-1)])
    image[~finite] = DIVERGED_GREY
    return image


def plane_extent(X, margin=0.15):
    """A square view ``(x0, x1, y0, y1)`` around the points, widened by `margin` of its side."""
    low, high = X.min(axis=0), X.max(axis=0)
    centre, half = (low + high) / 2, max(float(np.max(high - low)) / 2, 0.5) * (1 + margin)
    return (centre[0] - half, centre[0] + half, centre[1] - half, centre[1] + half)


def grid_points(extent, size=GRID):
    """The centres of a ``size`` x ``size`` grid over `extent`, shape (size * size, 2), rows bottom to top."""
    x0, x1, y0, y1 = extent
    xs = x0 + (np.arange(size) + 0.5) * (x1 - x0) / size
    ys = y0 + (np.arange(size) + 0.5) * (y1 - y0) / size
    gx, gy = np.meshgrid(xs, ys)
    return np.c_[gx.ravel(), gy.ravel()]


def default_challenges():
    """The Playground's targets: XOR's test loss, the spirals with few units, three classes, a divergence."""
    def units(e):
        return sum(e.hidden)

    return [
        Challenge("XOR: get the test loss below 0.1",
                  lambda e: e.dataset == "XOR" and e.test_loss < 0.1),
        Challenge("spirals (noise 0.1 or more): test accuracy 0.95 with at most 20 hidden units in all",
                  lambda e: e.dataset == "spirals" and e.values["noise"] >= 0.1 and units(e) <= 20
                  and e.test_accuracy >= 0.95),
        Challenge("spirals, 3 classes: test accuracy 0.9",
                  lambda e: e.dataset == "spirals, 3 classes" and e.test_accuracy >= 0.9),
        Challenge("find a learning rate at which training diverges (and read the epoch)",
                  lambda e: e.diverged_at is not None),
    ]


def _slider(kind, name, value, description, **extra):
    low, high, step = RANGES[name]
    return kind(value=value, min=low, max=high, step=step, description=description, continuous_update=False,
                style={"description_width": "initial"}, **extra)


class PlaygroundExplorer(Explorer):
    """The explorer of :func:`playground`.

    Attributes
    ----------
    dataset : str
        The data set shown.
    X_train, X_test : ndarray, shape (N_train, 2), (N_test, 2)
    y_train, y_test : ndarray of int, shape (N_train,), (N_test,)
    classes : int
    run : PlaygroundRun
        The network, its optimizer and scheduler, and its history.
    model : Sequential
    history : PlaygroundHistory
        ``epoch``, ``train_loss``, ``test_loss``, ``train_accuracy``, ``test_accuracy``, ``lr``.
    epoch : int
    train_loss, test_loss, train_accuracy, test_accuracy : float
        At the current epoch (NaN once diverged).
    diverged_at : int or None
    hidden : tuple of int
        Units of each hidden layer.
    probabilities : ndarray, shape (GRID, GRID, classes)
        The network's class probabilities over the view, in evaluation mode (dropout off).
    extent : (float, float, float, float)
        The view, ``(x0, x1, y0, y1)``.
    status : str
    """

    live_format = "jpeg"  # a 1100-pixel-wide figure: JPEG encodes in a fraction of PNG's time
    surface_axes = ()  # set in draw_static: a new data set redraws the regions' axes, not the loss panel

    def __init__(self, own_data, settings, challenges):
        super().__init__(figsize=(11, 4.9), challenges=challenges)
        self._own = own_data
        s = settings
        c = self.add_control
        names = ([OWN_DATA] if own_data is not None else []) + list(DATASETS)
        c("dataset", widgets.Dropdown(options=names, value=s["dataset"], description="data"), redraw=SURFACE,
          on_change=self._enable)
        c("noise", _slider(widgets.FloatSlider, "noise", s["noise"], "noise"), redraw=SURFACE)
        c("n", _slider(widgets.IntSlider, "n", s["n"], "points"), redraw=SURFACE)
        c("test_size", _slider(widgets.FloatSlider, "test_size", s["test_size"], "test fraction"), redraw=SURFACE)
        c("seed", _slider(widgets.IntSlider, "seed", s["seed"], "seed"), redraw=SURFACE)
        hidden = s["hidden"]
        c("layers", widgets.IntSlider(value=len(hidden), min=0, max=MAX_LAYERS, description="hidden layers",
                                      continuous_update=False, style={"description_width": "initial"}),
          on_change=self._enable)
        for k in range(MAX_LAYERS):
            c(f"units{k + 1}", widgets.IntSlider(value=hidden[k] if k < len(hidden) else 4, min=1, max=MAX_UNITS,
                                                 description=f"units {k + 1}", continuous_update=False,
                                                 layout=widgets.Layout(width="220px")))
        c("activation", widgets.Dropdown(options=list(ACTIVATIONS), value=s["activation"], description="activation"))
        c("dropout", _slider(widgets.FloatSlider, "dropout", s["dropout"], "dropout p"))
        c("optimizer", widgets.Dropdown(options=list(OPTIMIZERS), value=s["optimizer"], description="optimizer"))
        c("lr", widgets.FloatLogSlider(value=s["lr"], base=10, min=math.log10(LR_RANGE[0]),
                                       max=math.log10(LR_RANGE[1]), step=0.01, description="η (lr)",
                                       readout_format=".2e", continuous_update=False))
        c("batch_size", _slider(widgets.IntSlider, "batch_size", s["batch_size"], "batch size"))
        l2 = sorted(set(L2_CHOICES) | {s["l2"]})
        c("l2", widgets.Dropdown(options=[(f"{v:g}", v) for v in l2], value=s["l2"], description="L2 λ"))
        c("schedule", widgets.Dropdown(options=list(SCHEDULES), value=s["schedule"], description="lr schedule"),
          on_change=self._enable)
        c("schedule_epochs", _slider(widgets.IntSlider, "schedule_epochs", s["schedule_epochs"], "T (epochs)"))
        c("epochs_per_tick", _slider(widgets.IntSlider, "epochs_per_tick", s["epochs_per_tick"], "epochs per tick"))
        self.play = c("play", widgets.Play(value=0, min=0, max=MAX_EPOCHS, step=1, interval=150, description="play",
                                           show_repeat=False))
        self.add_button("pause", "Pause", self.pause, icon="pause")
        self.add_button("step", "Step", self._step, icon="step-forward")
        self.add_button("reset", "Reset", self.reset, icon="undo")
        self.status_line = widgets.HTML()  # the live view's status (text in the figure costs 10 ms a frame)
        self._data_key = self._run_key = None
        self._last_tick = 0
        self._enable()
        self.start()

    # -- what the buttons and code do ------------------------------------------------------

    def pause(self):
        """Stop the ``Play`` control (the network keeps its weights)."""
        self.play.playing = False

    def _step(self):
        self.pause()
        self.run.train(1)

    def step(self):
        """Train one epoch and redraw (the Step button)."""
        self.train(1)

    def train(self, epochs):
        """Train `epochs` more epochs (fewer if training diverges or reaches ``MAX_EPOCHS``), then redraw.

        Returns
        -------
        int
            Epochs trained.
        """
        if isinstance(epochs, bool) or not isinstance(epochs, (int, np.integer)) or epochs < 0:
            raise ValueError(f"epochs must be an integer >= 0, got {epochs!r}")
        done = self.run.train(min(int(epochs), MAX_EPOCHS - self.run.epoch))
        self.changed(PATH)
        return done

    def reset(self):
        """Start the same network again from its initial weights (epoch 0), and stop ``Play``."""
        self.pause()
        self._run_key = None
        with self.batch():
            self.play.value = 0
            self.changed(PATH)

    def _enable(self, change=None):
        """Grey out the controls that do nothing in the current setting."""
        v = self.values
        own = v["dataset"] == OWN_DATA
        self.controls["noise"].disabled = self.controls["n"].disabled = own
        for k in range(MAX_LAYERS):
            self.controls[f"units{k + 1}"].disabled = k >= v["layers"]
        self.controls["schedule_epochs"].disabled = v["schedule"] == "none"

    # -- state -----------------------------------------------------------------------------

    @property
    def hidden(self):
        """Units of each hidden layer, from the sliders."""
        v = self.values
        return tuple(v[f"units{k + 1}"] for k in range(v["layers"]))

    @property
    def model(self):
        return self.run.model

    @property
    def history(self):
        return self.run.history

    @property
    def epoch(self):
        return self.run.epoch

    @property
    def diverged_at(self):
        return self.run.diverged_at

    def _latest(self, name):
        return math.nan if self.run.diverged_at is not None else getattr(self.run.history, name)[-1]

    train_loss = property(lambda self: self._latest("train_loss"), doc="Training loss now (NaN once diverged).")
    test_loss = property(lambda self: self._latest("test_loss"), doc="Test loss now (NaN once diverged).")
    train_accuracy = property(lambda self: self._latest("train_accuracy"), doc="Training accuracy now.")
    test_accuracy = property(lambda self: self._latest("test_accuracy"), doc="Test accuracy now.")

    # -- the four parts --------------------------------------------------------------------

    def _make_data(self, v):
        data_rng, split_rng, *_ = split_seeds(v["seed"])
        if v["dataset"] == OWN_DATA:
            X, y, classes = self._own
        else:
            X, y = make_data(v["dataset"], v["n"], v["noise"], rng=data_rng)
            classes = int(y.max()) + 1
        self.X_train, self.X_test, self.y_train, self.y_test = datasets.train_test_split(
            X, y, test_size=v["test_size"], stratify=True, rng=split_rng)
        self.dataset, self.classes = v["dataset"], classes
        self.extent = plane_extent(X)
        self.grid = grid_points(self.extent)

    def compute(self):
        v = self.values
        data_key = (v["dataset"], v["test_size"], v["seed"]) + ((v["noise"], v["n"]) if v["dataset"] != OWN_DATA
                                                                else ())
        if data_key != self._data_key:
            self._make_data(v)
            self._data_key, self._run_key = data_key, None
        live = {name: v[name] for name in ("optimizer", "lr", "l2", "batch_size", "dropout", "schedule",
                                           "schedule_epochs")}
        run_key = (data_key, self.hidden, v["activation"])
        if run_key != self._run_key:
            self.run = PlaygroundRun(self.X_train, self.y_train, self.X_test, self.y_test, self.classes,
                                     hidden=self.hidden, activation=v["activation"], seed=v["seed"], **live)
            self._run_key = run_key
        else:
            self.run.configure(**live)
        ticks, self._last_tick = v["play"] - self._last_tick, v["play"]
        if ticks > 0:
            self.run.train(min(ticks * v["epochs_per_tick"], MAX_EPOCHS - self.run.epoch))
        if self.run.diverged_at is not None or self.run.epoch >= MAX_EPOCHS:
            self.pause()
        with np.errstate(all="ignore"):  # a network on the edge of diverging may overflow: painted grey
            p = self.run.probabilities(self.grid)
        self.probabilities = p.reshape(GRID, GRID, self.classes)
        self.status = self._status()

    def _status(self):
        run = self.run
        if run.diverged_at is not None:
            return (f"diverged at epoch {run.diverged_at}: {run.divergence}. "
                    f"Lower the learning rate, then press Reset.")
        h = run.history
        return (f"epoch {run.epoch}:  train loss {abs(h.train_loss[-1]):.3f}, accuracy {h.train_accuracy[-1]:.2f}"
                f"   |   test loss {abs(h.test_loss[-1]):.3f}, accuracy {h.test_accuracy[-1]:.2f}")

    def _setup(self):
        v, run = self.values, self.run
        arch = "-".join(str(u) for u in (2, *self.hidden, self.classes))
        schedule = "" if v["schedule"] == "none" else f" ({v['schedule']} schedule, T = {v['schedule_epochs']})"
        return (f"network {arch}, {v['activation']}, dropout {v['dropout']:g}  ·  {v['optimizer']}, "
                f"lr {run.lr:.3g}{schedule}, batch {v['batch_size']}, L2 {v['l2']:g}  ·  "
                f"{v['epochs_per_tick']} epoch{'s' if v['epochs_per_tick'] > 1 else ''} per tick")

    def draw_static(self):
        fig = self.figure
        self.ax = fig.add_axes((0.06, 0.09, 0.33, 0.74))
        self.ax_loss = fig.add_axes((0.6, 0.12, 0.385, 0.7))
        self.surface_axes = [self.ax]
        self.ax.set_xlabel("$x_1$")
        self.ax.set_ylabel("$x_2$")
        self.ax.set_title("decision regions (pale: unsure, strong: confident)", fontsize=10)
        blank = np.full((2, 2, 4), 255, np.uint8)
        self.region = self.animated(self.ax.imshow(blank, origin="lower", interpolation="bilinear", aspect="auto",
                                                   zorder=0))
        self.points = []
        for k in range(MAX_CLASSES):
            color, marker = OKABE_ITO[k], MARKERS[k]
            train = self.ax.scatter([], [], s=30, marker=marker, c=color, edgecolors="white", linewidths=0.7,
                                    zorder=3)
            test = self.ax.scatter([], [], s=30, marker=marker, facecolors="none", edgecolors=color, linewidths=1.7,
                                   zorder=4)
            self.points.append((self.animated(train), self.animated(test)))
        self.diverged_text = self.animated(self.ax.text(0.5, 0.93, "", transform=self.ax.transAxes, ha="center",
                                                        va="top", fontsize=13, fontweight="bold", zorder=6,
                                                        bbox=dict(boxstyle="round", facecolor="white", alpha=0.9)))
        ax = self.ax_loss
        ax.set_yscale("log")
        ax.set_xlabel("epoch")
        ax.set_ylabel("cross-entropy loss")
        ax.set_title("loss against epoch", fontsize=10)
        ax.grid(True, which="major", alpha=0.3)
        (self.train_line,) = ax.plot([], [], color="black", linestyle=LINE_STYLES[0], linewidth=1.6,
                                     label="training loss")
        (self.test_line,) = ax.plot([], [], color=OKABE_ITO[5], linestyle=LINE_STYLES[1], linewidth=1.6,
                                    label="test loss")
        (self.best_marker,) = ax.plot([], [], "o", color=OKABE_ITO[5], markeredgecolor="black", markersize=7,
                                      label="lowest test loss")
        self.diverged_line = ax.axvline(0, color="black", linestyle=LINE_STYLES[3], linewidth=1.2,
                                        label="diverged")
        ax.legend(loc="upper right", fontsize=8, framealpha=0.9)
        for artist in (self.train_line, self.test_line, self.best_marker, self.diverged_line):
            self.animated(artist)
        self.status_text = self.animated(fig.text(0.5, 0.965, "", ha="center", va="center", fontsize=11.5,
                                                  visible=False))
        # The settings change seldom: their line is part of the background, redrawn alone when it changes.
        self.setup_ax = fig.add_axes((0.0, 0.895, 1.0, 0.04))
        self.setup_ax.set_axis_off()
        self.setup_text = self.setup_ax.text(0.5, 0.5, "", ha="center", va="center", fontsize=9.5, color="0.25")
        # The classes' legend has its own axes, between the regions and the loss panel and clear of the
        # margins their redraws blank (see BlitImage.redraw_axes), so it is redrawn alone when the classes change.
        self.legend_ax = fig.add_axes(LEGEND_BOX)
        self.legend_ax.set_axis_off()
        self._legend, self._legend_classes = None, None

    def draw_surface(self):
        x0, x1, y0, y1 = self.extent
        self.ax.set_xlim(x0, x1)
        self.ax.set_ylim(y0, y1)
        self.region.set_extent(self.extent)
        for k, (train, test) in enumerate(self.points):
            train.set_offsets(self.X_train[self.y_train == k] if k < self.classes else np.zeros((0, 2)))
            test.set_offsets(self.X_test[self.y_test == k] if k < self.classes else np.zeros((0, 2)))
            train.set_visible(k < self.classes)  # an empty collection still costs a draw
            test.set_visible(k < self.classes)
        if self.classes != self._legend_classes:
            self._draw_legend()

    def _draw_legend(self):
        """The classes' markers and colours, and filled/hollow for training/test, in their own axes."""
        if self._legend is not None:
            self._legend.remove()
        handles = [Line2D([], [], linestyle="none", marker=MARKERS[k], markersize=7, color=OKABE_ITO[k],
                          markeredgecolor="white", label=f"class {k}") for k in range(self.classes)]
        handles += [Line2D([], [], linestyle="none", marker="o", markersize=7, color="0.35", label="filled: training"),
                    Line2D([], [], linestyle="none", marker="o", markersize=7, markerfacecolor="none",
                           markeredgecolor="0.35", markeredgewidth=1.6, label="hollow: test")]
        self._legend = self.legend_ax.legend(handles=handles, loc="upper left", bbox_to_anchor=(0.0, 1.0),
                                             borderaxespad=0.0, fontsize=8.5, frameon=False, handletextpad=0.3,
                                             handlelength=1.2)
        self._legend_classes = self.classes
        if self.image is not None:  # (the first full draw includes it)
            self.image.redraw_axes([self.legend_ax], margins=(0, 0, 0, 0))

    def update(self):
        run, h = self.run, self.run.history
        rgba = np.full((*self.probabilities.shape[:2], 4), 255, dtype=np.uint8)  # bytes: no rescaling on draw
        rgba[..., :3] = np.rint(region_colors(self.probabilities, OKABE_ITO) * 255)
        self.region.set_data(rgba)
        diverged = run.diverged_at is not None
        self.diverged_text.set_text(f"diverged at epoch {run.diverged_at}" if diverged else "")
        self.diverged_text.set_visible(diverged)
        epochs = np.asarray(h.epoch)
        train, test = np.asarray(h.train_loss), np.asarray(h.test_loss)
        self.train_line.set_data(epochs, train)
        self.test_line.set_data(epochs, test)
        finite = np.isfinite(test)
        if np.any(finite):
            best = int(np.argmin(np.where(finite, test, np.inf)))
            self.best_marker.set_data([epochs[best]], [test[best]])
        self.diverged_line.set_xdata([run.diverged_at or 0] * 2)
        self.diverged_line.set_visible(diverged)
        limits = (0, _epoch_limit(run.epoch)), _loss_limits(np.r_[train, test])
        if limits != (self.ax_loss.get_xlim(), self.ax_loss.get_ylim()):
            self.ax_loss.set_xlim(limits[0])
            self.ax_loss.set_ylim(limits[1])
            self.stale(self.ax_loss)
        setup = self._setup()
        self.status_text.set_text(self.status)
        if setup != self.setup_text.get_text():
            self.setup_text.set_text(setup)
            if self.image is not None:  # (the first full draw includes it)
                self.image.redraw_axes([self.setup_ax], margins=(0, 0, 0, 0))
        width = int(self.figure.bbox.width)
        self.status_line.value = (f"<div style='text-align:center; width:{width}px'>"
                                  f"<b>{html.escape(self.status)}</b><br>"
                                  f"<span style='color:#444'>{html.escape(setup)}</span></div>")

    def close(self):
        """Close the explorer (see the base), and the rows of controls and the status line."""
        super().close()
        for w in [*getattr(self, "_boxes", []), self.status_line]:
            w.close()

    def png(self):
        """PNG bytes of the picture, with the status line drawn into it (the live view shows it above)."""
        self.status_text.set_visible(True)
        try:
            return super().png()
        finally:
            self.status_text.set_visible(False)

    def layout_controls(self):
        self._boxes = []  # closed with the explorer

        def row(title, names, buttons=()):
            items = [self.controls[n] for n in names] + [self.buttons[b] for b in buttons]
            label = widgets.HTML(f"<b>{title}</b>", layout=widgets.Layout(width="70px"))
            box = widgets.HBox([label, *items], layout=widgets.Layout(flex_flow="row wrap", align_items="center"))
            self._boxes += [label, box]
            return box
        return widgets.VBox([
            row("Data", ["dataset", "noise", "n", "test_size", "seed"]),
            row("Network", ["layers", *(f"units{k + 1}" for k in range(MAX_LAYERS)), "activation", "dropout"]),
            row("Training", ["optimizer", "lr", "batch_size", "l2", "schedule", "schedule_epochs"]),
            row("Run", ["play", "epochs_per_tick"], ("pause", "step", "reset")),
            self.status_line,
        ])


def _epoch_limit(epoch):
    """The epoch axis's right end: 50, 100, 200, 500, 1000, ... (changes seldom)."""
    for limit in (50, 100, 200, 500, 1000, 2000, 5000):
        if epoch <= limit:
            return limit
    return 10 ** math.ceil(math.log10(epoch))


def _loss_limits(losses):
    """Whole decades around the finite positive losses, at least 0.01 to 10, at most down to 1e-6.

    At least up to 10, so that the axis (costly to redraw) stays put from one data set to another
    (an untrained network's loss is about log C <= log 6) and while an overfitting network's test
    loss climbs past 1.
    """
    values = losses[np.isfinite(losses) & (losses > 0)]
    if values.size == 0:
        return (1e-2, 10.0)
    low = max(min(10.0 ** math.floor(math.log10(values.min())), 1e-2), 1e-6)
    high = max(10.0 ** math.ceil(math.log10(values.max())), 10.0)
    return (low, high)


def _check_number(name, value, low, high, integer=False):
    kinds = (int, np.integer) if integer else (int, float, np.integer, np.floating)
    if isinstance(value, bool) or not isinstance(value, kinds) or not low <= value <= high:
        what = "an integer" if integer else "a number"
        raise ValueError(f"{name} must be {what} in [{low:g}, {high:g}], got {value!r}")


def _check_choice(name, value, choices):
    if value not in choices:
        raise ValueError(f"{name} must be one of {', '.join(map(repr, choices))}, got {value!r}")


@register_explorer(sweeps={"play": list(range(1, 9))},
                   context={"units3": {"layers": MAX_LAYERS}, "units4": {"layers": MAX_LAYERS},
                            "schedule_epochs": {"schedule": "step"}})
def playground(X=None, y=None, *, dataset=None, noise=0.1, n=200, test_size=0.5, hidden=(8, 8), activation="tanh",
               dropout=0.0, optimizer="Adam", lr=0.03, batch_size=16, l2=0.0, schedule="none", schedule_epochs=100,
               seed=0, epochs_per_tick=4, epochs=0, challenges=None):
    r"""TensorFlow Playground in the notebook: watch a network of the course's layers learn to separate points.

    Parameters
    ----------
    X : array_like, shape (N, 2), optional
        Your own points (finite). With `y`, they are offered as the data set ``"your data"``.
    y : array_like of int, shape (N,), optional
        Their classes ``0 .. C-1``, with 2 <= C <= 6, each at least twice.
    dataset : str, optional
        ``"XOR"``, ``"circles"``, ``"moons"``, ``"spirals"``, ``"spirals, 3 classes"`` or
        ``"blobs, 3 classes"``; ``"your data"`` when `X` is given (the default then), else
        ``"spirals"``.
    noise : float in [0, 0.5], default 0.1
        Standard deviation of the Gaussian noise on each coordinate (of each blob for the blobs).
    n : int in [20, 1000], default 200
        Points drawn, training and test together.
    test_size : float in [0.1, 0.9], default 0.5
        Fraction of the points held out as the test set (a stratified split).
    hidden : tuple of int, default (8, 8)
        Units of each hidden layer: at most 4 layers of 1 to 64 units; ``()`` gives softmax
        regression.
    activation : {"ReLU", "tanh", "sigmoid", "leaky ReLU"}, default "tanh"
    dropout : float in [0, 0.9], default 0
        Probability of dropping each hidden unit in training (``Dropout`` after every hidden layer).
    optimizer : {"SGD", "momentum", "RMSprop", "Adam"}, default "Adam"
        ``"momentum"`` is ``SGD`` with momentum 0.9.
    lr : float in [1e-4, 10], default 0.03
        Learning rate :math:`\eta` (a log slider).
    batch_size : int in [1, 256], default 16
    l2 : float in [0, 0.1], default 0
        L2 strength :math:`\lambda`, the optimizer's ``weight_decay``.
    schedule : {"none", "step", "cosine"}, default "none"
        ``StepLR`` (the rate divided by 10 every T epochs) or ``CosineAnnealingLR`` (down to a
        hundredth of it in T epochs).
    schedule_epochs : int in [10, 500], default 100
        T.
    seed : int in [0, 99], default 0
        The data, the split, the initial weights, the batches and the dropout masks.
    epochs_per_tick : int in [1, 20], default 4
        Epochs each tick of ``Play`` trains.
    epochs : int >= 0, default 0
        Epochs to train before the Playground is shown (to start it in a trained state).
    challenges : list of Challenge, optional
        Targets shown under the figure; :func:`default_challenges` by default, none with ``[]``.

    Returns
    -------
    PlaygroundExplorer
        Display it (make it a cell's value). Its state: ``.history``, ``.epoch``, ``.train_loss``,
        ``.test_loss``, ``.train_accuracy``, ``.test_accuracy``, ``.diverged_at``, ``.status``,
        ``.probabilities``, ``.model``; ``.controls`` (``dataset``, ``noise``, ``n``, ``test_size``,
        ``seed``, ``layers``, ``units1`` .. ``units4``, ``activation``, ``dropout``, ``optimizer``,
        ``lr``, ``batch_size``, ``l2``, ``schedule``, ``schedule_epochs``, ``epochs_per_tick``,
        ``play``); ``.buttons`` (``pause``, ``step``, ``reset``); ``.train(epochs)``.

    Raises
    ------
    ValueError
        Before anything is built: for a setting outside its control's range, an unknown name,
        only one of `X` and `y`, or data of the wrong shape or labels.

    Notes
    -----
    The network is :math:`\text{logits} = W^{[L]} \cdot g(\dots g(x W^{[1]} + b^{[1]}) \dots) + b^{[L]}`,
    trained on softmax cross-entropy :math:`L = -\frac1N \sum_i \log \operatorname{softmax}(z_i)_{y_i}`
    by ``utils.training.fit``, one epoch at a time. The idea and the look follow Smilkov and
    Carter's TensorFlow Playground (playground.tensorflow.org, 2016); the data sets are those of
    ``utils.datasets``.

    Examples
    --------
    >>> pg = playground(dataset="moons", noise=0.3, n=100, hidden=(64, 64), activation="ReLU",
    ...                 epochs=300)                                           # doctest: +SKIP
    >>> pg.history.train_loss[-1], pg.history.test_loss[-1]                   # doctest: +SKIP
    """
    own = None
    if (X is None) != (y is None):
        raise ValueError("pass both X and y (your points and their classes), or neither")
    if X is not None:
        own = check_data(X, y)
    dataset = dataset if dataset is not None else (OWN_DATA if own is not None else "spirals")
    _check_choice("dataset", dataset, ([OWN_DATA] if own is not None else []) + list(DATASETS))
    for name, value in (("noise", noise), ("test_size", test_size), ("dropout", dropout)):
        _check_number(name, value, *RANGES[name][:2])
    for name, value in (("n", n), ("seed", seed), ("batch_size", batch_size), ("schedule_epochs", schedule_epochs),
                        ("epochs_per_tick", epochs_per_tick)):
        _check_number(name, value, *RANGES[name][:2], integer=True)
    _check_number("lr", lr, *LR_RANGE)
    _check_number("l2", l2, 0.0, max(L2_CHOICES))
    _check_number("epochs", epochs, 0, MAX_EPOCHS, integer=True)
    _check_choice("activation", activation, list(ACTIVATIONS))
    _check_choice("optimizer", optimizer, list(OPTIMIZERS))
    _check_choice("schedule", schedule, list(SCHEDULES))
    hidden = tuple(hidden) if isinstance(hidden, (tuple, list)) else hidden
    if not isinstance(hidden, tuple) or len(hidden) > MAX_LAYERS or not all(
            isinstance(u, (int, np.integer)) and not isinstance(u, bool) and 1 <= u <= MAX_UNITS for u in hidden):
        raise ValueError(f"hidden must be a tuple of at most {MAX_LAYERS} layer sizes, each an integer in "
                         f"[1, {MAX_UNITS}], e.g. (8, 8), got {hidden!r}")
    settings = dict(dataset=dataset, noise=float(noise), n=int(n), test_size=float(test_size), seed=int(seed),
                    hidden=tuple(int(u) for u in hidden), activation=activation, dropout=float(dropout),
                    optimizer=optimizer, lr=float(lr), batch_size=int(batch_size), l2=float(l2), schedule=schedule,
                    schedule_epochs=int(schedule_epochs), epochs_per_tick=int(epochs_per_tick))
    explorer = PlaygroundExplorer(own, settings, default_challenges() if challenges is None else challenges)
    if epochs:
        explorer.train(int(epochs))
    return explorer
