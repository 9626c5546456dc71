"""Exercise checks: ``check_<exercise>(learner_function)``, one per exercise.

Each check runs several cases against the reference in ``utils`` and prints
one line when they all pass, e.g. ``Exercise 1.2 sigmoid: all 6 cases
passed``. Otherwise it raises an ``AssertionError`` that names the first
failing case and, for a common mistake, gives a hint (see ``core``).
"""

from .core import ExerciseNotDone
from .lesson00 import check_column_means
from .lesson01 import (check_and_weights, check_perceptron_predict, check_perceptron_update,
                       check_sigmoid, check_weighted_sum)

__all__ = ["ExerciseNotDone", "check_column_means", "check_weighted_sum", "check_sigmoid",
           "check_perceptron_predict", "check_and_weights", "check_perceptron_update"]
