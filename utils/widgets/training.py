r"""Lesson 08's figures: a training run you can replay, a live loss curve, and digits as images.

``training_explorer`` trains a one-hidden-layer ReLU network on the 8x8 digits with
:func:`utils.training_loop.train_epoch` and records every epoch: the training and validation loss,
the validation accuracy, and the validation set's confusion matrix. Three controls change the run
(learning rate, batch size, hidden units: the run is trained again, in a fraction of a second, or
replayed from a cache of the runs seen before); the
``epoch`` slider replays it, moving a marker along the curves and showing the confusion matrix of
that epoch. Lesson 08's Explore section uses it.

``LiveLossCurve`` is the live loss curve of a training loop: a figure shown once and redrawn in
place after every epoch. ``plot_digits`` draws images in a grid with a caption under each.

Everything is computed with the references in ``utils`` (never the learner's exercise code) and the
explorer follows the contract of :mod:`utils.widgets.base`.
"""

import ipywidgets as widgets
import numpy as np

from ..datasets import load_digits, train_test_split
from ..layers import Dense, ReLU
from ..losses import LOSSES
from ..metrics import confusion_matrix
from ..models import Sequential
from ..optimizers import Adam
from ..training_loop import evaluate, train_epoch
from .base import OKABE_ITO, PATH, SURFACE, Challenge, Explorer, register_explorer

BATCH_SIZES = (8, 16, 32, 64, 128, 256)
HIDDEN_UNITS = (4, 8, 16, 32, 64)


def training_run(X, y, X_val, y_val, *, lr, batch_size, hidden, epochs, seed=0):
    r"""Train a D-`hidden`-C ReLU network with Adam and record every epoch.

    Parameters
    ----------
    X : ndarray, shape (N, D)
    y : ndarray of int, shape (N,)
        Labels in ``0 .. C-1``; C is ``max(y) + 1``.
    X_val : ndarray, shape (N_val, D)
    y_val : ndarray of int, shape (N_val,)
    lr : float > 0
        Adam's learning rate.
    batch_size, hidden, epochs : int >= 1
    seed : int
        Seeds the initial weights and the shuffling: the same arguments, the same run.

    Returns
    -------
    dict
        ``"train_loss"``, ``"val_loss"``, ``"val_accuracy"``: ndarrays of shape (epochs,);
        ``"confusion"``: int64 ndarray of shape (epochs, C, C), the validation set's confusion
        matrix after each epoch (rows true, columns predicted); ``"model"``: the trained network.

    Notes
    -----
    Each epoch is :func:`utils.training_loop.train_epoch` followed by
    :func:`utils.training_loop.evaluate` on the validation data.
    """
    rng = np.random.default_rng(seed)
    classes = int(y.max()) + 1
    model = Sequential(Dense(X.shape[1], hidden, rng=rng), ReLU(), Dense(hidden, classes, rng=rng))
    optimizer, loss = Adam(model.parameters(), lr=lr), LOSSES["cross_entropy"]
    run = {"train_loss": [], "val_loss": [], "val_accuracy": [], "confusion": []}
    for _ in range(epochs):
        run["train_loss"].append(train_epoch(model, X, y, loss, optimizer, batch_size, rng))
        val_loss, val_accuracy = evaluate(model, X_val, y_val, loss)
        run["val_loss"].append(val_loss)
        run["val_accuracy"].append(val_accuracy)
        run["confusion"].append(confusion_matrix(y_val, model.predict(X_val).argmax(axis=1), classes))
    run = {key: np.array(values) for key, values in run.items()}
    run["model"] = model
    return run


#: Most runs a training explorer keeps, so that going back to a setting replays it without training.
RUN_CACHE_SIZE = 64
#: Upper ends the loss axis may take: it changes only when a run's losses outgrow one.
LOSS_TOPS = (1.0, 2.5, 5.0, 10.0, 25.0, 50.0, 100.0)


def loss_axis_top(losses):
    """The smallest of :data:`LOSS_TOPS` above the finite losses (with 10 % headroom), else the largest."""
    finite = np.asarray(losses, dtype=np.float64)
    finite = finite[np.isfinite(finite)]
    peak = 1.1 * float(finite.max()) if finite.size else 0.0
    return next((top for top in LOSS_TOPS if top >= peak), LOSS_TOPS[-1])


class TrainingExplorer(Explorer):
    """A training run on the digits, replayed epoch by epoch; see :func:`training_explorer`.

    A run control (learning rate, batch size, hidden units) trains a run, or takes it from the
    cache of the last :data:`RUN_CACHE_SIZE` runs, and redraws only the dynamic artists: the
    curves, the markers, the confusion matrix and the title are drawn over a background that
    stays. An axis is redrawn only when a run's values leave its range (the loss axis steps
    through :data:`LOSS_TOPS`; the accuracy axis starts at 0.5, or at 0 for a run that falls
    below 0.55), and the settings line above the panels is redrawn alone.
    """

    live_format = "jpeg"
    surface_axes = []  # a new run changes no axes: the base redraws only what update() calls stale

    def __init__(self, data, *, lr, batch_size, hidden, epochs, challenges=()):
        super().__init__(figsize=(12.5, 3.9), challenges=challenges)
        self.X, self.y, self.X_val, self.y_val = data
        self.epochs = epochs
        self.runs = {}  # (lr, batch_size, hidden) -> run, oldest first
        style = {"description_width": "initial"}
        self.add_control("lr", widgets.FloatLogSlider(value=lr, base=10, min=-4, max=-0.5, step=0.25,
                                                      description="learning rate", style=style,
                                                      continuous_update=False), redraw=SURFACE)
        self.add_control("batch_size", widgets.Dropdown(options=BATCH_SIZES, value=batch_size,
                                                        description="batch size", style=style), redraw=SURFACE)
        self.add_control("hidden", widgets.Dropdown(options=HIDDEN_UNITS, value=hidden,
                                                    description="hidden units", style=style), redraw=SURFACE)
        self.add_control("epoch", widgets.IntSlider(value=epochs, min=1, max=epochs, description="epoch",
                                                    style=style), redraw=PATH)
        self.start()

    def compute(self):
        values = self.values
        key = (values["lr"], values["batch_size"], values["hidden"])
        if key not in self.runs:  # only a new run trains; the epoch slider and settings seen before replay
            self.runs[key] = training_run(self.X, self.y, self.X_val, self.y_val, lr=values["lr"],
                                          batch_size=values["batch_size"], hidden=values["hidden"],
                                          epochs=self.epochs)
            if len(self.runs) > RUN_CACHE_SIZE:
                del self.runs[next(iter(self.runs))]
        self.run = self.runs[key]
        self.epoch = values["epoch"]
        k = self.epoch - 1
        self.train_loss, self.val_loss = float(self.run["train_loss"][k]), float(self.run["val_loss"][k])
        self.val_accuracy = float(self.run["val_accuracy"][k])
        self.confusion = self.run["confusion"][k]
        self.status = (f"epoch {self.epoch}: train loss {self.train_loss:.3f}, val loss {self.val_loss:.3f}, "
                       f"val accuracy {self.val_accuracy:.3f}")

    def draw_static(self):
        fig = self.figure
        self.ax_loss, self.ax_acc, self.ax_cm = fig.subplots(1, 3, gridspec_kw={"width_ratios": [1.2, 1.2, 1]})
        self.ax_loss.set(xlabel="epoch", ylabel="cross-entropy loss", title="Loss")
        self.ax_acc.set(xlabel="epoch", ylabel="validation accuracy", title="Validation accuracy")
        self.ax_cm.set(xlabel="predicted class", ylabel="true class")
        classes = self.run["confusion"].shape[1]
        self.ax_cm.set_xticks(range(classes))
        self.ax_cm.set_yticks(range(classes))
        self.train_line, = self.ax_loss.plot([], [], color=OKABE_ITO[0], label="training")
        self.val_line, = self.ax_loss.plot([], [], color=OKABE_ITO[5], linestyle="--", label="validation")
        self.ax_loss.legend(loc="upper right")
        self.acc_line, = self.ax_acc.plot([], [], color=OKABE_ITO[2])
        self.cm_image = self.ax_cm.imshow(self.confusion, cmap="cividis", vmin=0,
                                          vmax=max(1, int(np.bincount(self.y_val).max())))
        colorbar = fig.colorbar(self.cm_image, ax=self.ax_cm, label="validation samples")
        colorbar.ax.set_xlabel("count", fontsize=8)  # every axis is labelled, the bar's short one too
        for ax in (self.ax_loss, self.ax_acc):
            ax.set_xlim(0.5, self.epochs + 0.5)
            ax.xaxis.get_major_locator().set_params(integer=True)  # epochs are whole numbers: no tick at 2.5
            ax.grid(alpha=0.3)
        self.loss_marker = self.ax_loss.axvline(self.epoch, color="0.3", linewidth=1)
        self.acc_marker = self.ax_acc.axvline(self.epoch, color="0.3", linewidth=1)
        self.acc_dot, = self.ax_acc.plot([self.epoch], [self.val_accuracy], "o", color=OKABE_ITO[2])
        for artist in (self.train_line, self.val_line, self.acc_line, self.loss_marker, self.acc_marker,
                       self.acc_dot, self.cm_image):
            self.animated(artist)
        self.cm_title = self.animated(self.ax_cm.set_title(""))
        fig.subplots_adjust(left=0.06, right=0.97, bottom=0.15, top=0.86, wspace=0.32)
        # The run's settings change seldom: their line is part of the background, redrawn alone when it changes.
        self.setup_ax = fig.add_axes((0.0, 0.92, 1.0, 0.07))
        self.setup_ax.set_axis_off()
        self.setup_text = self.setup_ax.text(0.5, 0.5, "", ha="center", va="center", fontsize=11)

    def draw_surface(self):
        v = self.values
        self.setup_text.set_text(f"One hidden layer of {v['hidden']} ReLU units, Adam with learning rate "
                                 f"{v['lr']:.2g}, batches of {v['batch_size']}")
        if self.image is not None:  # (the first full draw includes it)
            self.image.redraw_axes([self.setup_ax], margins=(0, 0, 0, 0))

    def update(self):
        epochs = np.arange(1, self.epochs + 1)
        self.train_line.set_data(epochs, self.run["train_loss"])
        self.val_line.set_data(epochs, self.run["val_loss"])
        self.acc_line.set_data(epochs, self.run["val_accuracy"])
        top = loss_axis_top(np.r_[self.run["train_loss"], self.run["val_loss"]])
        low = 0.5 if np.nanmin(self.run["val_accuracy"]) >= 0.55 else 0.0
        for ax, limits in ((self.ax_loss, (0.0, top)), (self.ax_acc, (low, 1.005))):
            if ax.get_ylim() != limits:
                ax.set_ylim(*limits)
                self.stale(ax)
        self.loss_marker.set_xdata([self.epoch, self.epoch])
        self.acc_marker.set_xdata([self.epoch, self.epoch])
        self.acc_dot.set_data([self.epoch], [self.val_accuracy])
        self.cm_image.set_data(self.confusion)
        self.cm_title.set_text(f"Confusion matrix, epoch {self.epoch}\n(val accuracy {self.val_accuracy:.3f})")


def _digits_split(seed=0):
    """The digits split as lesson 08 splits them: training part, validation part (20 % of the rest)."""
    X, y = load_digits()
    X_train, _, y_train, _ = train_test_split(X, y, test_size=0.2, stratify=True, seed=seed)
    X_tr, X_val, y_tr, y_val = train_test_split(X_train, y_train, test_size=0.2, stratify=True, seed=seed + 1)
    return X_tr, y_tr, X_val, y_val


@register_explorer
def training_explorer(X=None, y=None, X_val=None, y_val=None, *, lr=0.01, batch_size=32, hidden=16, epochs=10,
                      challenges=None):
    """A training run on the digits, replayed epoch by epoch, with its curves and confusion matrix.

    Parameters
    ----------
    X, y, X_val, y_val : ndarrays, optional
        Training and validation data, shapes (N, D), (N,), (N_val, D), (N_val,); labels in
        ``0 .. C-1``. By default the 8x8 digits, split as lesson 08 splits them.
    lr : float, default 0.01
        Adam's learning rate, between 1e-4 and about 0.3 (the slider's range).
    batch_size : int in ``BATCH_SIZES``, default 32
    hidden : int in ``HIDDEN_UNITS``, default 16
    epochs : int >= 2, default 10
        The length of every run; the ``epoch`` slider replays it. Each run trains in a fraction of
        a second (batches of 8 take longest); settings seen before are replayed from a cache.
    challenges : list of Challenge, optional
        By default, two targets on the run's last epoch.

    Returns
    -------
    TrainingExplorer
        State: ``.run`` (see :func:`training_run`), ``.epoch``, ``.train_loss``, ``.val_loss``,
        ``.val_accuracy``, ``.confusion`` (C, C) and ``.status`` at the chosen epoch.

    Raises
    ------
    ValueError
        If only some of the data arrays are given, or `batch_size`, `hidden` or `epochs` are not allowed.
    """
    given = [a is not None for a in (X, y, X_val, y_val)]
    if any(given) and not all(given):
        raise ValueError("give all four of X, y, X_val, y_val, or none of them (the digits)")
    if batch_size not in BATCH_SIZES or hidden not in HIDDEN_UNITS:
        raise ValueError(f"batch_size must be one of {BATCH_SIZES} and hidden one of {HIDDEN_UNITS}, "
                         f"got {batch_size!r} and {hidden!r}")
    if isinstance(epochs, bool) or not isinstance(epochs, (int, np.integer)) or epochs < 2:
        raise ValueError(f"epochs must be an integer >= 2, got {epochs!r}")
    data = (X, y, X_val, y_val) if all(given) else _digits_split()
    data = (np.asarray(data[0]), np.asarray(data[1]), np.asarray(data[2]), np.asarray(data[3]))
    if challenges is None:
        challenges = [
            Challenge("half the units: validation accuracy of at least 0.93 at the last epoch with at most 8 "
                      "hidden units (tune the learning rate and the batch size)",
                      lambda e: e.values["hidden"] <= 8 and e.run["val_accuracy"][-1] >= 0.93),
            Challenge("a learning rate so small that the last epoch's validation accuracy stays below 0.8",
                      lambda e: e.values["lr"] < 0.01 and e.run["val_accuracy"][-1] < 0.8),
        ]
    return TrainingExplorer(data, lr=lr, batch_size=batch_size, hidden=hidden, epochs=epochs,
                            challenges=challenges)


def plot_training_loop(ax=None):
    """Draw the training loop as a cycle: mini-batch, forward pass, loss, backward pass, optimizer step.

    Parameters
    ----------
    ax : matplotlib Axes, optional

    Returns
    -------
    matplotlib Axes
    """
    import matplotlib.pyplot as plt

    if ax is None:
        _, ax = plt.subplots(figsize=(9, 3.6))
    boxes = [("next mini-batch\n$(X_\\mathcal{B}, \\mathbf{y}_\\mathcal{B})$", (0.5, 3.0)),
             ("forward pass\n$Z = f_\\theta(X_\\mathcal{B})$", (3.0, 3.0)),
             ("loss\n$L = \\ell(Z, \\mathbf{y}_\\mathcal{B})$", (5.5, 3.0)),
             ("backward pass\n$\\nabla_\\theta L$", (5.5, 0.8)),
             ("optimizer step\n$\\theta \\leftarrow \\theta - \\eta\\, \\nabla_\\theta L$", (3.0, 0.8)),
             ("clear the gradients\n(zero_grad)", (0.5, 0.8))]
    for (text, (x, y)), color in zip(boxes, [OKABE_ITO[4], OKABE_ITO[0], OKABE_ITO[5], OKABE_ITO[3],
                                             OKABE_ITO[2], "0.75"]):
        ax.text(x, y, text, ha="center", va="center", fontsize=10,
                bbox={"boxstyle": "round,pad=0.5", "facecolor": color, "alpha": 0.3, "edgecolor": color})
    arrow = {"arrowstyle": "-|>", "color": "0.25", "lw": 1.5}
    for a, b in [((1.45, 3.0), (2.05, 3.0)), ((3.95, 3.0), (4.6, 3.0)), ((5.5, 2.45), (5.5, 1.4)),
                 ((4.55, 0.8), (4.05, 0.8)), ((0.5, 1.35), (0.5, 2.45))]:
        ax.annotate("", b, a, arrowprops=arrow)
    ax.annotate("", (1.55, 0.8), (1.95, 0.8), arrowprops={**arrow, "linestyle": "dotted"})
    ax.text(7.1, 1.9, "one step per mini-batch;\n$\\lceil N / B \\rceil$ steps = one epoch;\n"
            "then evaluate on held-out data,\nand repeat for several epochs", fontsize=10, va="center")
    ax.set(xlim=(-0.6, 9.6), ylim=(0, 3.8))
    ax.axis("off")
    return ax


class LiveLossCurve:
    """A loss curve that grows while a training loop runs: shown once, redrawn in place each epoch.

    Parameters
    ----------
    epochs : int
        The length of the run (the x-axis).
    title : str, optional

    Examples
    --------
    >>> curve = LiveLossCurve(epochs=20)                 # doctest: +SKIP
    >>> for epoch in range(20):                          # doctest: +SKIP
    ...     history = ...                                # train one epoch, evaluate
    ...     curve.update(history)
    """

    def __init__(self, epochs, title="Training in progress"):
        from IPython.display import display
        from matplotlib.figure import Figure

        self.figure = Figure(figsize=(6.5, 3.5), dpi=100)
        self.ax = self.figure.subplots()
        self.ax.set(xlabel="epoch", ylabel="cross-entropy loss", title=title, xlim=(0.5, epochs + 0.5))
        self.ax.xaxis.get_major_locator().set_params(integer=True)  # epochs are whole numbers: no tick at 2.5
        self.ax.grid(alpha=0.3)
        self.lines = {"train_loss": self.ax.plot([], [], color=OKABE_ITO[0], label="training")[0],
                      "val_loss": self.ax.plot([], [], color=OKABE_ITO[5], linestyle="--", marker=".",
                                               label="validation")[0]}
        self.ax.legend(loc="upper right")
        self.figure.tight_layout()
        self.handle = display(self.figure, display_id=True)

    def update(self, history):
        """Redraw with the lists ``history["train_loss"]`` and ``history["val_loss"]`` so far."""
        for key, line in self.lines.items():
            values = history.get(key, [])
            line.set_data(np.arange(1, len(values) + 1), values)
        self.ax.relim()
        self.ax.autoscale_view(scalex=False)
        if self.handle is not None:
            self.handle.update(self.figure)


def plot_digits(images, captions=None, *, columns=10, ax_size=0.9, cmap="gray_r", title=None):
    """Draw images in a grid, each with an optional caption under it.

    Parameters
    ----------
    images : ndarray, shape (N, H, W)
    captions : list of str, optional
        One per image.
    columns : int
    ax_size : float
        Inches per image.
    cmap : str
        ``"gray_r"``: ink dark on white, as the digits were written. Weights use a diverging map.
    title : str, optional

    Returns
    -------
    matplotlib.figure.Figure
    """
    import matplotlib.pyplot as plt

    n = len(images)
    rows = max(1, -(-n // columns))
    fig, axes = plt.subplots(rows, columns, figsize=(columns * ax_size, rows * (ax_size + 0.25)), squeeze=False)
    limit = np.abs(images).max() if cmap in ("RdBu", "RdBu_r", "PuOr") else None
    for k, ax in enumerate(axes.ravel()):
        ax.axis("off")
        if k < n:
            if limit is None:
                ax.imshow(images[k], cmap=cmap, vmin=0, vmax=1)
            else:
                ax.imshow(images[k], cmap=cmap, vmin=-limit, vmax=limit)
            if captions is not None:
                ax.set_title(captions[k], fontsize=9)
    if title:
        fig.suptitle(title)
    fig.tight_layout()
    return fig


__all__ = ["training_run", "training_explorer", "TrainingExplorer", "LiveLossCurve", "plot_digits", "plot_training_loop",
           "BATCH_SIZES", "HIDDEN_UNITS"]
