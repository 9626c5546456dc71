r"""What the Playground computes: a 2-D data set, a network of the course's layers, and its training.

This module holds no widget and draws nothing; :mod:`utils.widgets.playground` shows it. It is
built only from the course's own package, never a second implementation:

- the data come from ``utils.datasets`` (``make_xor``, ``make_circles``, ``make_moons``,
  ``make_spirals`` with 2 or 3 arms, ``make_blobs``) and are split with ``train_test_split``
  (stratified), or are the learner's own arrays;
- the network is a ``utils.models.Sequential`` of ``utils.layers`` (``Dense``, an activation
  layer, and ``Dropout`` after every hidden layer), with one logit per class;
- it is trained with ``utils.training.fit`` on softmax cross-entropy, one epoch per call, with an
  optimizer of ``utils.optimizers`` (``SGD``, ``SGD`` with momentum, ``RMSprop``, ``Adam``),
  L2 regularization through the optimizer's ``weight_decay``, and a learning-rate schedule
  (``StepLR`` or ``CosineAnnealingLR``) that ``fit`` steps once per epoch;
- after every epoch both sets are scored with ``utils.training.evaluate`` in evaluation mode
  (dropout off), so the train and test curves compare like with like.

Divergence is a result, not an error. Training stops, and :attr:`PlaygroundRun.diverged_at` holds
the epoch, when ``fit`` reports a loss or a weight that is no longer finite, when a weight passes
:data:`DIVERGENCE_BOUND` (as on the loss surfaces of lessons 06-07), or when the training loss
climbs above :data:`DIVERGENCE_FACTOR` times its value before training (far worse than guessing).
No floating-point warning is raised on the way.

Randomness: one ``seed`` gives five independent generators (``numpy.random.SeedSequence``): the
data, the split, the initial weights, the order of the mini-batches, the dropout masks. The same
seed and the same actions give the same run, to the last bit.

Left out on purpose: feature transforms of the inputs (TensorFlow Playground's x², sin x, ...),
regression data sets, and per-layer activations.
"""

import math
from dataclasses import dataclass, field

import numpy as np

from .. import datasets
from .._validation import NonFiniteError, as_float_array, check_labels
from ..activations import softmax
from ..layers import Dense, Dropout, LeakyReLU, ReLU, Sigmoid, Tanh
from ..models import Sequential
from ..optimizers import SGD, Adam, CosineAnnealingLR, RMSprop, StepLR
from ..training import TrainingDiverged, evaluate, fit

#: Blob centres of the "blobs, 3 classes" set: a triangle of radius 1, so every set fits one view.
BLOB_CENTERS = np.array([[0.0, 1.0], [-math.sqrt(3) / 2, -0.5], [math.sqrt(3) / 2, -0.5]])

#: The built-in data sets: name -> ``f(n, noise, rng) -> (X, y)``, all about the size of the unit square.
DATASETS = {
    "XOR": lambda n, noise, rng: datasets.make_xor(n, noise, rng=rng),
    "circles": lambda n, noise, rng: datasets.make_circles(n, noise, rng=rng),
    "moons": lambda n, noise, rng: datasets.make_moons(n, noise, rng=rng),
    "spirals": lambda n, noise, rng: datasets.make_spirals(n, noise, classes=2, rng=rng),
    "spirals, 3 classes": lambda n, noise, rng: datasets.make_spirals(n, noise, classes=3, rng=rng),
    "blobs, 3 classes": lambda n, noise, rng: datasets.make_blobs(n, noise, centers=BLOB_CENTERS, rng=rng),
}
#: The name the data set gets when the learner passes arrays.
OWN_DATA = "your data"
#: Hidden activations by the name the Playground shows, with the initialisation that suits each.
ACTIVATIONS = {"ReLU": (ReLU, "he"), "tanh": (Tanh, "xavier"), "sigmoid": (Sigmoid, "xavier"),
               "leaky ReLU": (LeakyReLU, "he")}
#: Optimizers by the name the Playground shows (as in the loss-surface explorers).
OPTIMIZERS = ("SGD", "momentum", "RMSprop", "Adam")
#: Learning-rate schedules: none, ``StepLR`` (divide by 10 every T epochs), ``CosineAnnealingLR`` (T epochs).
SCHEDULES = ("none", "step", "cosine")
#: Cosine annealing ends at this fraction of the starting rate (``fit`` needs a rate > 0).
COSINE_FLOOR = 0.01
#: Momentum of the "momentum" optimizer.
MOMENTUM = 0.9
#: Training has diverged when a weight's magnitude passes this (``utils.surfaces.DIVERGENCE_BOUND``).
DIVERGENCE_BOUND = 1e6
#: ... or when the training loss passes this many times its value before training.
DIVERGENCE_FACTOR = 5.0
#: The most classes a data set may have (one colour each of the Okabe-Ito palette).
MAX_CLASSES = 6


def split_seeds(seed):
    """Five independent generators from one seed: data, split, weights, batch order, dropout masks."""
    if isinstance(seed, (bool, np.bool_)) or not isinstance(seed, (int, np.integer)) or seed < 0:
        raise ValueError(f"seed must be an integer >= 0, got {seed!r}")
    return [np.random.default_rng(s) for s in np.random.SeedSequence(int(seed)).spawn(5)]


def make_data(dataset, n, noise, *, rng):
    """Draw one of the built-in data sets.

    Parameters
    ----------
    dataset : str
        A name of :data:`DATASETS`.
    n : int >= 10
        Number of points, train and test together.
    noise : float >= 0
        Standard deviation of the Gaussian noise on each coordinate (for the blobs, of each blob).
    rng : numpy.random.Generator

    Returns
    -------
    X : ndarray, shape (n, 2), float64
    y : ndarray, shape (n,), int64
    """
    if dataset not in DATASETS:
        raise ValueError(f"dataset must be one of {', '.join(map(repr, DATASETS))}, got {dataset!r}")
    return DATASETS[dataset](n, noise, rng)


def check_data(X, y):
    """The learner's own data as ``(X float64 (N, 2), y int64 (N,), classes)``, or a clear error.

    Raises
    ------
    ValueError
        Unless `X` is finite with shape (N, 2), N >= 4, and `y` holds N integer labels
        ``0 .. C-1`` with 2 <= C <= :data:`MAX_CLASSES`, each class present at least twice.
    """
    X = as_float_array(X, "X", dtype=np.float64, finite=True)
    if X.ndim != 2 or X.shape[1] != 2 or len(X) < 4:
        raise ValueError(f"X must have shape (N, 2) with N >= 4 points in the plane, got {X.shape}")
    y = check_labels(y, MAX_CLASSES, "y")
    if len(y) != len(X):
        raise ValueError(f"X has {len(X)} rows but y has {len(y)} labels")
    counts = np.bincount(y, minlength=2)
    classes = len(counts)
    if classes < 2 or np.any(counts < 2):
        raise ValueError(f"y must hold the labels 0 .. C-1 (C >= 2), each at least twice, got counts "
                         f"{dict(enumerate(counts.tolist()))}")
    return X, y.astype(np.int64), classes


def build_model(hidden, activation, dropout, classes, *, rng, dropout_rng):
    r"""A ``Sequential``: for every hidden layer ``Dense``, the activation, ``Dropout``; then ``Dense`` to the logits.

    Parameters
    ----------
    hidden : tuple of int
        Units of each hidden layer; ``()`` gives softmax regression.
    activation : str
        A name of :data:`ACTIVATIONS`; He initialisation for ReLU and leaky ReLU, Xavier otherwise.
    dropout : float in [0, 1)
        Probability :math:`p` of dropping a hidden unit in training (0: the layers pass through).
    classes : int >= 2
        Number of outputs (logits).
    rng, dropout_rng : numpy.random.Generator
        Initial weights; dropout masks.

    Returns
    -------
    Sequential
        float32, like the course's other networks: ``2 -> hidden[0] -> ... -> classes``.
    """
    layer, init = ACTIVATIONS[activation]
    layers, width = [], 2
    for units in hidden:
        layers += [Dense(width, units, rng=rng, init=init), layer(), Dropout(dropout, rng=dropout_rng)]
        width = units
    return Sequential(*layers, Dense(width, classes, rng=rng, init="xavier"))


def make_optimizer(name, params, lr, l2):
    """One of :data:`OPTIMIZERS`, with L2 strength `l2` as its ``weight_decay``."""
    if name == "SGD":
        return SGD(params, lr=lr, weight_decay=l2)
    if name == "momentum":
        return SGD(params, lr=lr, momentum=MOMENTUM, weight_decay=l2)
    if name == "RMSprop":
        return RMSprop(params, lr=lr, weight_decay=l2)
    if name == "Adam":
        return Adam(params, lr=lr, weight_decay=l2)
    raise ValueError(f"optimizer must be one of {', '.join(OPTIMIZERS)}, got {name!r}")


@dataclass
class PlaygroundHistory:
    """The Playground's curves, one entry per epoch, starting with epoch 0 (before any training).

    Attributes
    ----------
    epoch : list of int
        0, 1, 2, ...
    train_loss, test_loss : list of float
        Mean cross-entropy on the training and the test points, in evaluation mode (dropout off).
    train_accuracy, test_accuracy : list of float
        Fraction of points whose most probable class is right.
    lr : list of float
        The learning rate the epoch was trained with (NaN for epoch 0).
    """

    epoch: list = field(default_factory=list)
    train_loss: list = field(default_factory=list)
    test_loss: list = field(default_factory=list)
    train_accuracy: list = field(default_factory=list)
    test_accuracy: list = field(default_factory=list)
    lr: list = field(default_factory=list)

    def __len__(self):
        return len(self.epoch)

    def append(self, epoch, scores, lr):
        """Record one epoch: `scores` is ``(train_loss, train_accuracy, test_loss, test_accuracy)``."""
        self.epoch.append(epoch)
        for name, value in zip(("train_loss", "train_accuracy", "test_loss", "test_accuracy"), scores):
            getattr(self, name).append(value)
        self.lr.append(lr)


class PlaygroundRun:
    r"""A network of the course's layers and its training on a train/test split, epoch by epoch.

    Parameters
    ----------
    X_train : ndarray, shape (N_train, 2)
    y_train : ndarray of int, shape (N_train,)
    X_test : ndarray, shape (N_test, 2)
    y_test : ndarray of int, shape (N_test,)
    classes : int >= 2
    hidden : tuple of int
    activation : str
        A name of :data:`ACTIVATIONS`.
    seed : int >= 0
        Initial weights, batch order and dropout masks (generators 3 to 5 of :func:`split_seeds`).
    **settings
        ``optimizer``, ``lr``, ``l2``, ``batch_size``, ``dropout``, ``schedule``, ``schedule_epochs``:
        see :meth:`configure`.

    Attributes
    ----------
    model : Sequential
    optimizer : utils.optimizers.Optimizer
    scheduler : StepLR, CosineAnnealingLR or None
    epoch : int
        Epochs trained so far.
    history : PlaygroundHistory
    diverged_at : int or None
        The epoch in which training diverged; no more training happens after it.
    divergence : str
        Why, in words ("" while training is fine).

    Notes
    -----
    Each epoch is ``fit(model, X_train, y_train, loss="cross_entropy", epochs=1, ...)``: shuffled
    mini-batches, and for each one :math:`\theta \leftarrow \operatorname{step}(\theta,
    \nabla_\theta L)` with :math:`L = -\frac1B \sum_i \log \operatorname{softmax}(f_\theta(x_i))_{y_i}`;
    the optimizer adds :math:`\lambda\theta` to the gradient (L2, ``weight_decay``).
    """

    def __init__(self, X_train, y_train, X_test, y_test, classes, *, hidden, activation, seed, **settings):
        self.X_train, self.X_test = (np.asarray(X, dtype=np.float32) for X in (X_train, X_test))
        self.y_train, self.y_test = np.asarray(y_train), np.asarray(y_test)
        self.classes, self.hidden, self.activation = int(classes), tuple(hidden), activation
        *_, init_rng, self.batch_rng, dropout_rng = split_seeds(seed)
        self.model = build_model(self.hidden, activation, settings.get("dropout", 0.0), self.classes,
                                 rng=init_rng, dropout_rng=dropout_rng)
        self.optimizer = self.scheduler = None
        self.settings = {}
        self.epoch, self.diverged_at, self.divergence = 0, None, ""
        self.configure(**settings)
        self.history = PlaygroundHistory()
        self.history.append(0, self.scores(), math.nan)
        self._start_loss = self.history.train_loss[0]

    def configure(self, *, optimizer, lr, l2, batch_size, dropout, schedule, schedule_epochs):
        r"""Set what may change while the network trains; the weights stay as they are.

        Parameters
        ----------
        optimizer : str
            A name of :data:`OPTIMIZERS`. A new choice starts a new optimizer on the same
            weights (momentum and Adam's averages start again from zero).
        lr : float > 0
            :math:`\eta` at the start of the schedule.
        l2 : float >= 0
            :math:`\lambda`, the optimizer's ``weight_decay``.
        batch_size : int >= 1
            Cut to the number of training points.
        dropout : float in [0, 1)
            :math:`p` of every ``Dropout`` layer.
        schedule : str
            A name of :data:`SCHEDULES`.
        schedule_epochs : int >= 1
            T: ``StepLR(step_size=T, gamma=0.1)`` (the rate divided by 10 every T epochs) or
            ``CosineAnnealingLR(T_max=T, eta_min=COSINE_FLOOR * lr)`` (down to a hundredth in T
            epochs, then up again, as in PyTorch).
        """
        new = dict(optimizer=optimizer, lr=float(lr), l2=float(l2), batch_size=int(batch_size),
                   dropout=float(dropout), schedule=schedule, schedule_epochs=int(schedule_epochs))
        if schedule not in SCHEDULES:
            raise ValueError(f"schedule must be one of {', '.join(SCHEDULES)}, got {schedule!r}")
        old, self.settings = self.settings, new
        for layer in self.model.layers:
            if isinstance(layer, Dropout):
                layer.p = new["dropout"]
        if self.optimizer is None or old["optimizer"] != optimizer:
            self.optimizer = make_optimizer(optimizer, self.model.parameters(), new["lr"], new["l2"])
            self.scheduler = None
        self.optimizer.weight_decay = new["l2"]
        if self.scheduler is None or (old["schedule"], old["schedule_epochs"]) != (schedule, new["schedule_epochs"]):
            self.scheduler = self._make_scheduler(schedule, new["schedule_epochs"])
        if self.scheduler is None:
            self.optimizer.lr = new["lr"]
        else:  # the rate the schedule gives now, from the new starting rate
            self.scheduler.base_lr = new["lr"]
            if isinstance(self.scheduler, CosineAnnealingLR):
                self.scheduler.eta_min = COSINE_FLOOR * new["lr"]
            self.optimizer.lr = self.scheduler.get_lr(self.scheduler.last_epoch)

    def _make_scheduler(self, schedule, T):
        if schedule == "none":
            return None
        if schedule == "step":
            scheduler = StepLR(self.optimizer, step_size=T, gamma=0.1)
        else:
            scheduler = CosineAnnealingLR(self.optimizer, T_max=T, eta_min=COSINE_FLOOR * self.optimizer.lr)
        scheduler.last_epoch = self.epoch  # a schedule chosen mid-run starts where the run is
        return scheduler

    @property
    def lr(self):
        """The learning rate the next epoch trains with (the schedule's current value)."""
        return float(self.optimizer.lr)

    def train(self, epochs):
        """Train up to `epochs` epochs, one ``fit`` call each; stop early if training diverges.

        Returns
        -------
        int
            The number of epochs trained.
        """
        done = 0
        while done < epochs and self.diverged_at is None:
            lr = self.lr
            try:
                fit(self.model, self.X_train, self.y_train, loss="cross_entropy", optimizer=self.optimizer,
                    epochs=1, batch_size=min(self.settings["batch_size"], len(self.X_train)),
                    scheduler=self.scheduler, rng=self.batch_rng, progress=False)
            except TrainingDiverged as error:
                self._diverged(self.epoch + 1, f"the loss became {error.loss} in step {error.step}"
                               if error.step else "a weight stopped being a finite number", lr)
                return done + 1
            self.epoch += 1
            done += 1
            scores = self.scores()
            self.history.append(self.epoch, scores, lr)
            self._check_divergence(self.epoch, scores[0], lr)
        return done

    def _check_divergence(self, epoch, train_loss, lr):
        largest = max(float(np.max(np.abs(p.data))) for p in self.model.parameters())
        if not math.isfinite(train_loss):
            self._diverged(epoch, "the training loss is no longer a finite number", lr)
        elif largest > DIVERGENCE_BOUND:
            self._diverged(epoch, f"a weight reached {largest:.1e}", lr)
        elif train_loss > DIVERGENCE_FACTOR * max(self._start_loss, math.log(self.classes)):
            self._diverged(epoch, f"the training loss rose from {self._start_loss:.3g} to {train_loss:.3g}", lr)

    def _diverged(self, epoch, why, lr):
        self.diverged_at, self.divergence = epoch, f"{why}, with lr {lr:.3g}"

    def scores(self):
        """``(train_loss, train_accuracy, test_loss, test_accuracy)`` in evaluation mode; NaN if not finite."""
        out = []
        for X, y in ((self.X_train, self.y_train), (self.X_test, self.y_test)):
            try:
                with np.errstate(all="ignore"):  # huge weights: the check below reports them
                    result = evaluate(self.model, X, y, loss="cross_entropy")
                out += [float(result["loss"]), float(result["accuracy"])]
            except NonFiniteError:
                out += [math.nan, math.nan]
        return tuple(out)

    def probabilities(self, points):
        """Class probabilities at `points`, shape (M, 2), in evaluation mode (dropout off).

        Returns
        -------
        ndarray, shape (M, classes), float32
            Softmax of the logits; NaN everywhere once training has diverged.
        """
        if self.diverged_at is not None:
            return np.full((len(points), self.classes), np.nan, dtype=np.float32)
        return softmax(self.model.predict(np.asarray(points, dtype=np.float32)))
