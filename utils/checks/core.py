"""The machinery behind every exercise check.

A check runs the learner's function on several cases and compares each result
with the reference implementation in ``utils``. On the first wrong case it
raises an ``AssertionError`` that names the exercise and the case, shows the
input, the expected and the actual result, and, when the result matches a
known mistake (a flipped sign, a forgotten bias, transposed weights), a hint
about that mistake. It never shows the reference code. A function that still
raises ``NotImplementedError`` gets ``ExerciseNotDone`` instead: a reminder of
which cell to edit.

Floating-point warnings (overflow in ``exp``, say) count as failures, because
the course's functions must be stable for extreme inputs.
"""

import inspect
import warnings
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

import numpy as np


class ExerciseNotDone(AssertionError):
    """The learner's function still raises NotImplementedError."""


@dataclass
class Case:
    """One input to an exercise and the reference answer for it.

    Attributes
    ----------
    description : str
        What the case tests, e.g. "a batch of 3 samples with a bias".
    args : tuple
        Arguments for the learner's function.
    expected : Any
        The reference result.
    mistakes : dict of str to Any
        Hints, each mapped to the result that mistake would produce on this case.
    names : tuple of str, optional
        Argument names, so the message reads ``w = [1, 2], b = 0.5``.
    input_text : str, optional
        How to show the input when the arguments alone would not say it.
    overflow_hint : str, optional
        What to say when the learner's code makes numpy warn (overflow, say).
    """

    description: str
    args: tuple
    expected: Any
    mistakes: dict = field(default_factory=dict)
    names: tuple = ()
    input_text: str = None
    overflow_hint: str = "an intermediate value overflowed; rewrite the formula so no step can overflow."


def show_value(x, limit=12):
    """A short, readable rendering of a value for a failure message."""
    if isinstance(x, np.ndarray):
        if x.size <= limit:
            # suppress_small=False: sigma(-50) = 1.9e-22 must not print as 0
            body = np.array2string(x, precision=4, suppress_small=False, separator=", ", max_line_width=10**6)
            body = " ".join(body.split())
        else:
            flat = ", ".join(f"{v:.4g}" for v in x.ravel()[:limit])
            body = f"[{flat}, ...]"
        dtype = "" if x.dtype == np.float64 else f", dtype {x.dtype}"
        return f"{body} (shape {x.shape}{dtype})"
    if isinstance(x, tuple):
        return "(" + ", ".join(show_value(v) for v in x) + ")"
    if isinstance(x, (float, np.floating)):
        return f"{x:.6g}"
    return repr(x)


#: Below this size, the checks' default tolerance counts numbers as equal; checks with atol=0 do not.
_TINY = 1e-8


def compare(got, expected, *, rtol=1e-6, atol=1e-8, check_dtype=False):
    """Return None when `got` matches `expected`, else a sentence saying how it differs."""
    if isinstance(expected, tuple):
        if not isinstance(got, (tuple, list)) or len(got) != len(expected):
            return f"expected a tuple of {len(expected)} values, got {type(got).__name__}"
        for k, (g, e) in enumerate(zip(got, expected)):
            problem = compare(g, e, rtol=rtol, atol=atol, check_dtype=check_dtype)
            if problem:
                return f"value {k + 1} of the tuple: {problem}"
        return None
    if got is None:
        return "got None: did you forget to `return` the result?"
    got_arr, exp_arr = np.asarray(got), np.asarray(expected)
    if not np.issubdtype(got_arr.dtype, np.number) and got_arr.dtype != bool:
        return f"expected numbers, got {type(got).__name__}"
    if isinstance(got, (list, tuple)) and exp_arr.ndim > 0:
        return (f"expected a numpy array, got a Python {type(got).__name__}: compute with numpy "
                f"(or wrap the result in np.array(...)) so that `>=`, `@` and `.shape` work on it")
    if got_arr.dtype == bool and exp_arr.dtype != bool:
        return "expected numbers, got booleans (True/False): convert them, e.g. `(z >= 0).astype(float)`"
    if got_arr.shape != exp_arr.shape:
        if exp_arr.ndim == 0 and got_arr.size == 1:
            return (f"expected a single number, got an array of shape {got_arr.shape}: take its one element, "
                    f"e.g. `a[0]` or `float(a)`")
        hint = ""
        if got_arr.shape == exp_arr.shape[::-1] and got_arr.ndim > 1:
            hint = " (transposed?)"
        elif got_arr.squeeze().shape == exp_arr.shape:
            hint = " (an extra axis of length 1: a w of shape (D, 1), or keepdims=True?)"
        return f"expected shape {exp_arr.shape}, got shape {got_arr.shape}{hint}"
    if check_dtype and got_arr.dtype != exp_arr.dtype:
        return f"expected dtype {exp_arr.dtype}, got dtype {got_arr.dtype}"
    if not np.all(np.isfinite(got_arr)) and np.all(np.isfinite(exp_arr)):
        return "the result contains inf or nan where the answer is finite"
    if not np.allclose(got_arr, exp_arr, rtol=rtol, atol=atol):
        if atol < _TINY and np.allclose(got_arr, exp_arr, rtol=rtol, atol=_TINY):
            return (f"the values differ only where the answer is tiny (below {_TINY:g}), so your formula is "
                    f"inaccurate there: compare expected and got. Tiny values matter: a later lesson takes "
                    f"their logarithm.")
        return "the values differ"
    return None


def run_cases(title, fn, cases, **compare_options):
    """Run `fn` on every case; print a pass line or raise on the first failure.

    Parameters
    ----------
    title : str
        e.g. ``"Exercise 1.1 weighted_sum"``.
    fn : callable
        The learner's function.
    cases : list of Case
    **compare_options
        Passed to :func:`compare` (``rtol``, ``atol``, ``check_dtype``).
    """
    if not callable(fn):
        raise AssertionError(f"{title}: expected a function, got {type(fn).__name__}. "
                             f"Pass the function itself, without calling it.")
    for number, case in enumerate(cases, start=1):
        got = call_learner(title, fn, case, number, len(cases))
        problem = compare(got, case.expected, **compare_options)
        if problem:
            raise AssertionError(failure(title, case, number, len(cases), problem, got))
    print(f"{title}: all {len(cases)} cases passed")


def call_learner(title, fn, case, number, total):
    """Call ``fn(*case.args)`` on copies of the inputs, turning errors into teaching messages."""
    args = tuple(np.copy(a) if isinstance(a, np.ndarray) else a for a in case.args)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", RuntimeWarning)
            with np.errstate(over="raise", divide="raise", invalid="raise"):
                got = fn(*args)
    except NotImplementedError:
        raise ExerciseNotDone(not_done(title)) from None
    except (FloatingPointError, RuntimeWarning) as err:
        raise AssertionError(failure(title, case, number, total,
                                     f"numpy warned: {err}. {case.overflow_hint}")) from None
    except Exception as err:  # the learner's code raised: say so, in one line
        problem = f"your function raised {type(err).__name__}: {err}"
        if isinstance(err, ValueError) and "truth value of an array" in str(err):
            problem += (". An `if` on an array needs one True or False, but the array holds many; "
                        "np.where(condition, a, b) chooses element by element")
        raise AssertionError(failure(title, case, number, total, problem)) from None
    for k, (before, after) in enumerate(zip(case.args, args)):
        if isinstance(before, np.ndarray) and not np.array_equal(before, after):
            name = case.names[k] if case.names else f"argument {k + 1}"
            raise AssertionError(failure(title, case, number, total,
                                         f"your function changed its input `{name}` in place; "
                                         f"compute a new array instead (`{name} + ...`, not `{name} += ...`). "
                                         f"A slice such as `{name}[0]` is a view that shares memory with "
                                         f"`{name}`: `+=` on it writes into `{name}` (use `.copy()`)."))
    return got


_SILENCERS = ("errstate", "seterr", "catch_warnings", "filterwarnings", "simplefilter")


def silenced_warnings(fn):
    """The first way of silencing numpy's warnings that `fn`'s source uses, or None.

    Only silencing counts: ``np.errstate(over="raise")`` makes warnings stricter and passes.
    """
    try:
        source = inspect.getsource(fn)
    except (OSError, TypeError):  # no source to read (a builtin, a lambda typed at a prompt)
        return None
    if "ignore" not in source and "record=True" not in source:
        return None
    return next((word for word in _SILENCERS if word in source), None)


@contextmanager
def exp_overflow_raises():
    """While a check runs the learner's code, ``np.exp`` raises on overflow, always.

    The learner's own ``np.errstate(over="ignore")`` would otherwise hide the overflow
    that a stability exercise is about: ``1 / (1 + inf)`` happens to be the right answer.
    """
    original = np.exp

    def exp(*args, **kwargs):
        with np.errstate(over="raise"):
            return original(*args, **kwargs)

    np.exp = exp
    try:
        yield
    finally:
        np.exp = original


def not_done(title):
    return (f"{title} is not done yet (it, or a function it calls, still raises NotImplementedError): "
            f"in the exercise cell above, replace `raise NotImplementedError()` with your code, "
            f"run that cell, then run this check again.")


def show_args(case):
    """The case's arguments as ``name = value`` pairs (or plain values without names)."""
    if case.input_text:
        return case.input_text
    if case.names:
        return ", ".join(f"{n} = {show_value(a)}" for n, a in zip(case.names, case.args))
    return ", ".join(show_value(a) for a in case.args) or "(no arguments)"


def failure(title, case, number, total, problem, got=None):
    """The message of a failed case: what was tested, expected, got, and a hint."""
    which = f"case {number} of {total} failed" if total > 1 else "failed"
    lines = [f"{title}: {which} ({case.description}).",
             f"  input:    {show_args(case)}",
             f"  expected: {show_value(case.expected)}"]
    if got is not None:
        lines.append(f"  got:      {show_value(got)}")
    lines.append(f"  problem:  {problem}")
    hint = diagnose(got, case) if got is not None else None
    if hint:
        lines.append(f"  hint:     {hint}")
    return "\n".join(lines)


def diagnose(got, case):
    """The hint of the known mistake whose result equals `got`, or None.

    When several mistakes give the same wrong result on this case, all of them are named:
    the check cannot tell which one the learner made.
    """
    if compare(got, case.expected) is None:
        return None
    hints = [hint for hint, wrong_result in case.mistakes.items() if compare(got, wrong_result) is None]
    if len(hints) <= 1:
        return hints[0] if hints else None
    return "more than one mistake gives this result: " + "; or ".join(h.rstrip(".") for h in hints) + "."
