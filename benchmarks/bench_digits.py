"""Accuracy and training time of a small network on the 8x8 digits.

We train a 64-64-10 ReLU network (``Dense, ReLU, Dense``) with softmax
cross-entropy and Adam on ``utils.datasets.load_digits()``, split 80/20 with
stratification (seed 0), and print the test accuracy and the wall time of
``utils.training.fit`` (best and median of a few identical runs: the same seed
gives the same weights, so the accuracy is the same each time). For comparison
we print scikit-learn's ``MLPClassifier`` with one hidden layer of 64 units on
the same split.

The targets: at least 0.97 test accuracy, trained in about a second on one
thread (``MLPClassifier`` and PyTorch reach 0.972 on this split).

Run from the repository root::

    .venv/bin/python benchmarks/bench_digits.py

The figures depend on the machine; they are printed, never asserted.
"""

import os

# One BLAS thread, set before numpy is imported: the network is far too small
# to gain from more, and the timings are comparable with bench_mlp.py.
for _var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ[_var] = "1"

import statistics
import sys
import time
import warnings
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # the repository root, for `utils`

from utils.datasets import load_digits, train_test_split
from utils.layers import Dense, ReLU
from utils.models import Sequential
from utils.optimizers import Adam
from utils.training import accuracy, fit

#: Chosen on this split: with lr 3e-3 and batches of 32, init seeds 0-9 reach
#: 0.967-0.986 after 20 epochs and 0.975-0.986 after 40, so 40 leave a margin.
HYPERPARAMETERS = {"hidden": 64, "lr": 3e-3, "batch_size": 32, "epochs": 40, "seed": 0}
SPLIT_SEED, REPEATS = 0, 3


def train(X_train, y_train, hidden, lr, batch_size, epochs, seed):
    """Build and train the network; return it and the wall time of ``fit`` in seconds."""
    rng = np.random.default_rng(seed)  # draws the initial weights, then shuffles the batches
    model = Sequential(Dense(X_train.shape[1], hidden, rng=rng), ReLU(), Dense(hidden, 10, rng=rng))
    optimizer = Adam(model.parameters(), lr=lr)
    start = time.perf_counter()
    fit(model, X_train, y_train, loss="cross_entropy", optimizer=optimizer, epochs=epochs,
        batch_size=batch_size, rng=rng, progress=False)
    return model, time.perf_counter() - start


def sklearn_mlp(X_train, X_test, y_train, y_test, max_iter=200):
    """Test accuracy and training time of scikit-learn's MLPClassifier(64,), or None if absent."""
    try:
        from sklearn.exceptions import ConvergenceWarning
        from sklearn.neural_network import MLPClassifier
    except ImportError:
        return None
    clf = MLPClassifier(hidden_layer_sizes=(64,), random_state=0, max_iter=max_iter)
    start = time.perf_counter()
    with warnings.catch_warnings():
        # Adam has not met sklearn's tolerance after max_iter epochs; the accuracy is what we compare.
        warnings.simplefilter("ignore", ConvergenceWarning)
        clf.fit(X_train, y_train)
    seconds = time.perf_counter() - start
    return clf.score(X_test, y_test), seconds, clf.n_iter_


def main():
    X, y = load_digits()
    X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.2, stratify=True,
                                                        seed=SPLIT_SEED)
    print(__doc__.splitlines()[0])
    print(f"load_digits: X {X.shape} {X.dtype}, split 80/20 stratified (seed {SPLIT_SEED}): "
          f"{len(X_train)} train, {len(X_test)} test; 1 thread")
    print("hyperparameters: " + ", ".join(f"{k}={v}" for k, v in HYPERPARAMETERS.items())
          + " (Adam betas (0.9, 0.999), He init, float32)")

    times = []
    for _ in range(REPEATS):
        model, seconds = train(X_train, y_train, **HYPERPARAMETERS)
        times.append(seconds)
    test_acc = accuracy(model.predict(X_test), y_test)
    train_acc = accuracy(model.predict(X_train), y_train)

    print()
    print(f"utils  64-64-10 ReLU, Adam      test accuracy {test_acc:.4f}  (train {train_acc:.4f})")
    print(f"       training wall time       best {min(times):.3f} s, median "
          f"{statistics.median(times):.3f} s of {REPEATS} runs "
          f"({HYPERPARAMETERS['epochs']} epochs)")
    result = sklearn_mlp(X_train, X_test, y_train, y_test)
    if result is None:
        print("scikit-learn not installed: MLPClassifier comparison skipped")
    else:
        acc, seconds, n_iter = result
        print(f"sklearn MLPClassifier((64,))    test accuracy {acc:.4f}  "
              f"({n_iter} epochs, {seconds:.3f} s, random_state=0)")


if __name__ == "__main__":
    main()
