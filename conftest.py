"""pytest settings for the whole repository.

Loads the exercise report for notebook runs, so that every way of checking a
lesson (``make check LESSON=01`` or ``pytest --nbval-lax lessons/01_perceptron.ipynb``)
lists the exercises and fails on a failing check. See ``utils/exercise_report.py``.
"""

pytest_plugins = ["utils.exercise_report"]
