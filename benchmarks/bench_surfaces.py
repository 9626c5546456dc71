"""How long each loss surface of ``utils.surfaces`` takes to evaluate a contour grid.

An explorer redraws the contours when the surface changes (another surface, a
new mini-batch, another L2 strength), so ``grid(201)``, 40,401 points in one
vectorised call, is the cost of that redraw before any drawing. For the data
surfaces we also time making the surface (for logistic regression that
includes finding its minimum by Newton's method), since a new mini-batch makes
a new surface. One gradient at one point, what each step of an optimizer's
path costs, is timed too.

Run from the repository root::

    .venv/bin/python benchmarks/bench_surfaces.py

We print the best and the median of several repeats, one BLAS thread; the
figures depend on the machine and are never asserted.
"""

import os

os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")  # before numpy loads, as in the other benchmarks

import statistics  # noqa: E402
import sys  # noqa: E402
import timeit  # noqa: E402
from pathlib import Path  # noqa: E402

import numpy as np  # noqa: E402

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from utils.surfaces import SURFACES, linear_regression, logistic_regression  # noqa: E402

REPEATS = 15


def times_ms(fn, number=1):
    """Best and median time of one call of `fn`, in milliseconds."""
    runs = timeit.repeat(fn, repeat=REPEATS, number=number)
    per_call = [t / number * 1e3 for t in runs]
    return min(per_call), statistics.median(per_call)


def main():
    print(__doc__.splitlines()[0])
    print(f"numpy {np.__version__}, {REPEATS} repeats, OPENBLAS_NUM_THREADS="
          f"{os.environ['OPENBLAS_NUM_THREADS']}")
    print()
    print(f"{'surface':<22}{'grid(201) best ms':>19}{'median ms':>11}{'grad at a point, us':>21}")
    for name, make in SURFACES.items():
        s = make()
        best, median = times_ms(lambda: s.grid(201))
        _, grad_us = times_ms(lambda: s.grad(s.start), number=200)
        print(f"{name:<22}{best:>19.2f}{median:>11.2f}{grad_us * 1e3:>21.1f}")
    print()
    rows = np.random.default_rng(0).permutation(100)[:16]
    print("making a data surface (a new mini-batch of 16 rows, L2 0.01):")
    for name, make in (("linear_regression", linear_regression),
                       ("logistic_regression", logistic_regression)):
        X, y = make().X, make().y
        best, median = times_ms(lambda: make(X, y, rows=rows, l2=0.01))
        print(f"  {name:<22}best {best:.2f} ms, median {median:.2f} ms")


if __name__ == "__main__":
    main()
