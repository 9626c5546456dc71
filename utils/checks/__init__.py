"""Exercise checks: ``check_<exercise>(learner_function)``, one per exercise, and ``hint``.

Each check runs several cases against the reference in ``utils`` and prints
one line when they all pass, e.g. ``Exercise 1.2 sigmoid: all 6 cases
passed``. Otherwise it raises an ``AssertionError`` that names the first
failing case and, for a common mistake, gives a hint (see ``core``).

Every lesson has one module, ``lessonNN``, with its checks (listed in the
module's ``__all__``) and its ``HINTS``: for each exercise, two hints a
learner can ask for before running the check, ``hint("1.2")`` and then
``hint("1.2", level=2)``. This package collects them all, so a lesson's
module is the only file a new lesson's checks touch.
"""

import importlib
import pkgutil

from .core import ExerciseNotDone

__all__ = ["ExerciseNotDone", "hint"]
_HINTS = {}

for _info in sorted(pkgutil.iter_modules(__path__), key=lambda info: info.name):
    if _info.name.startswith("lesson"):
        _module = importlib.import_module(f"{__name__}.{_info.name}")
        for _name in _module.__all__:
            globals()[_name] = getattr(_module, _name)
        __all__ += list(_module.__all__)
        _HINTS.update(getattr(_module, "HINTS", {}))


def hint(exercise, level=1):
    """Print a hint for an exercise without running its check, and without giving its code away.

    Parameters
    ----------
    exercise : str
        The exercise's number as the lesson writes it, e.g. ``"1.2"``.
    level : {1, 2}
        1 points at the idea; 2 says more about how to write it.

    Raises
    ------
    ValueError
        For an exercise number that does not exist, or a level other than 1 or 2.
    """
    exercise = str(exercise).strip()
    if exercise not in _HINTS:
        known = ", ".join(sorted(_HINTS, key=lambda k: tuple(int(p) for p in k.split("."))))
        raise ValueError(f"hint: no exercise {exercise!r}; expected one of {known}")
    if level not in (1, 2):
        raise ValueError(f"hint: level must be 1 or 2, got {level!r}")
    text = _HINTS[exercise][level - 1]
    more = f' Still stuck? hint("{exercise}", level=2).' if level == 1 else ""
    print(f"Hint {level} for exercise {exercise}: {text}{more}")
