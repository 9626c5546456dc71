"""The machinery behind every exercise check.

A check runs the learner's function on several cases and compares each result
with the reference implementation in ``utils``. On the first wrong case it
raises an ``AssertionError`` that names the exercise and the case, shows the
input, the expected and the actual result, and, when the result matches a
known mistake (a flipped sign, a forgotten bias, transposed weights), a hint
about that mistake. It never shows the reference code. A function that still
raises ``NotImplementedError`` gets ``ExerciseNotDone`` instead: a reminder of
which cell to edit.

Protections that every check inherits, on every case (all on by default):

- **The dtype rule** of the whole course: float inputs keep their dtype
  (float32 in, float32 out), integer inputs give float64, and 0/1 predictions
  are floats, never booleans or integers. The expected value of a case comes
  from the reference in ``utils``, which follows the rule, so its dtype is the
  one required (``check_dtype=False`` turns this off for a whole check).
- **New arrays.** A result that shares memory with an input (the input
  itself, or a view of it) is refused, because exercises promise a new array
  (``Case(new_array=False)`` opts one case out). Inputs changed in place are
  refused too.
- **Floating-point errors** (overflow, division by zero, invalid values)
  count as failures, because the course's functions must be stable for
  extreme inputs. While the learner's function runs, numpy raises on them
  whatever route computes them (``np.exp``, ``np.power`` and ``**``,
  ``np.longdouble``, a helper defined anywhere), ``math`` raises its own
  errors, and every way of lowering that level is reported as silencing:
  ``np.errstate``, ``np.seterr`` (whenever and wherever the ``errstate`` object
  was built) and ``warnings`` filters. Making them stricter
  (``np.errstate(over="raise")``) is fine, and so is silencing inside
  ``numpy`` or ``utils`` themselves. The hint follows the kind of error and the
  case it happened on.
- **Returned pairs in the wrong order** are named as such.

Authors of checks: give every one-step exercise of an iterative rule a case
where one step is not enough and one where it overshoots, so that a loop
cannot pass for a step; and give inputs beyond any float's range
(``z = -1e5``) where a wider float would otherwise pass on some platforms.
"""

import sys
import warnings
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from numpy._core import _ufunc_config

#: The course's dtype rule, as every dtype failure states it.
DTYPE_RULE = ("the course's dtype rule: float inputs keep their dtype (float32 in, float32 out), integer inputs "
              "give float64, and 0/1 predictions are floats")


class ExerciseNotDone(AssertionError):
    """The learner's function still raises NotImplementedError."""


class SilencedWarnings(BaseException):
    """Raised inside the learner's code when it lowers numpy's error level during a check.

    A ``BaseException``, so that the learner's own ``except Exception`` cannot swallow it.
    """


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
        The reference result; its dtype is the one the dtype rule requires.
    mistakes : dict of str to Any
        Hints, each mapped to the result that mistake would produce on this case.
    names : tuple of str, optional
        Argument names, so the message reads ``w = [1, 2], b = 0.5``.
    input_text : str, optional
        How to show the input when the arguments alone would not say it.
    overflow_hint : str, optional
        What to say when the learner's code overflows on this case.
    divide_hint : str, optional
        What to say when it divides by zero on this case. By default, the `overflow_hint`
        when the case sets one (checks written when that was the only hint), else a sentence
        about division by zero.
    invalid_hint : str, optional
        What to say when it makes an invalid value (nan) on this case; the same default.
    new_array : bool, default True
        The result must not share memory with any input.
    returns : tuple of str, optional
        Names of the values of a returned tuple, e.g. ``("w_new", "b_new")``, for the
        message about a tuple in the wrong order.
    """

    description: str
    args: tuple
    expected: Any
    mistakes: dict = field(default_factory=dict)
    names: tuple = ()
    input_text: str = None
    overflow_hint: str = "an intermediate value overflowed; rewrite the formula so no step can overflow."
    divide_hint: str = None
    invalid_hint: str = None
    new_array: bool = True
    returns: tuple = ()


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


def compare(got, expected, *, rtol=1e-6, atol=1e-8, check_dtype=True):
    """Return None when `got` matches `expected`, else a sentence saying how it differs.

    With `check_dtype` (the default), a float answer must have exactly the expected float dtype,
    an integer answer any integer dtype, a boolean answer booleans (see ``DTYPE_RULE``).
    """
    if isinstance(expected, tuple):
        if not isinstance(got, (tuple, list)) or len(got) != len(expected):
            return f"expected {len(expected)} values, as in `return a, b`, got {_kind_of(got)}"
        for k, (g, e) in enumerate(zip(got, expected)):
            problem = compare(g, e, rtol=rtol, atol=atol, check_dtype=check_dtype)
            if problem:
                return f"value {k + 1} of the tuple: {problem}"
        return None
    if got is None:
        return "got None: did you forget to `return` the result?"
    try:
        got_arr = np.asarray(got)
    except (ValueError, TypeError):  # e.g. a tuple of an array and a number where one array belongs
        return (f"expected one array, got {_kind_of(got)} that numpy cannot turn into one array: "
                f"return only the result the exercise asks for")
    exp_arr = np.asarray(expected)
    if not np.issubdtype(got_arr.dtype, np.number) and got_arr.dtype != bool:
        return f"expected numbers, got {type(got).__name__}"
    if isinstance(got, (list, tuple)) and exp_arr.ndim > 0:
        return (f"expected a numpy array, got a Python {type(got).__name__}: compute with numpy "
                f"(or wrap the result in np.array(...)) so that `>=`, `@` and `.shape` work on it")
    if got_arr.dtype == bool and exp_arr.dtype != bool:
        return ("expected numbers, got booleans (True/False): convert them to numbers of the input's dtype, "
                "e.g. `mask.astype(z.dtype)` for a boolean array `mask`")
    if got_arr.shape != exp_arr.shape:
        if exp_arr.ndim == 0 and got_arr.size == 1:
            return (f"expected a single number, got an array of shape {got_arr.shape}: take its one element, "
                    f"e.g. `a[0]` (not `float(a)`, which turns a float32 into a float64), or leave out the step "
                    f"that added the axis")
        hint = ""
        if got_arr.shape == exp_arr.shape[::-1] and got_arr.ndim > 1:
            hint = " (transposed?)"
        elif got_arr.squeeze().shape == exp_arr.shape:
            hint = " (an extra axis of length 1: a w of shape (D, 1), or keepdims=True?)"
        return f"expected shape {exp_arr.shape}, got shape {got_arr.shape}{hint}"
    if check_dtype:
        problem = dtype_problem(got_arr.dtype, exp_arr.dtype)
        if problem:
            return problem
    if not np.all(np.isfinite(got_arr)) and np.all(np.isfinite(exp_arr)):
        return "the result contains inf or nan where the answer is finite"
    # a few of the dtype's smallest steps count as equal, so that float32 results near 0 compare fairly
    floor = 4 * float(np.finfo(exp_arr.dtype).smallest_subnormal) if exp_arr.dtype.kind == "f" else 0.0
    if not np.allclose(got_arr, exp_arr, rtol=rtol, atol=max(atol, floor)):
        if atol < _TINY and np.allclose(got_arr, exp_arr, rtol=rtol, atol=_TINY):
            return (f"the values differ only where the answer is tiny (below {_TINY:g}), so your formula is "
                    f"inaccurate there: compare expected and got. Tiny values matter: a later lesson takes "
                    f"their logarithm.")
        return "the values differ" + _hidden_difference(got_arr, exp_arr)
    return None


def _hidden_difference(got, expected):
    """When the digits a failure message shows are the same, say by how much the values differ; else ''."""
    if got.dtype.kind not in "iuf" or expected.dtype.kind not in "iuf":
        return ""
    got, expected = got.astype(np.float64), expected.astype(np.float64)
    if not (np.all(np.isfinite(got)) and np.all(np.isfinite(expected))) or show_value(got) != show_value(expected):
        return ""
    if max(np.max(np.abs(got), initial=0.0), np.max(np.abs(expected), initial=0.0)) > 1e300:
        return ""  # their difference could overflow
    largest = float(np.max(np.abs(got - expected), initial=0.0))
    return f", by up to {largest:.3g}: more than the check allows, though the digits shown here agree"


def _kind_of(value):
    if isinstance(value, np.ndarray):
        return f"an array of shape {value.shape}"
    if isinstance(value, (tuple, list)):
        return f"a {type(value).__name__} of {len(value)} values"
    return type(value).__name__


def dtype_problem(got, expected):
    """A sentence about a dtype that breaks the course's dtype rule, or None."""
    got, expected = np.dtype(got), np.dtype(expected)
    if expected.kind in "iu" and got.kind in "iu" or got == expected:
        return None
    if expected.kind == "f" and got.kind in "iub":
        why = ("an integer or boolean array: np.empty_like / np.zeros_like of an integer input, "
               "`.astype(z.dtype)` of one, or np.where(..., 1, 0) with integer 1 and 0 would make one")
    elif expected.kind == "f" and got.kind == "f" and got.itemsize > expected.itemsize:
        why = ("your result is wider than the input: a float64 constant array, np.asarray(x, dtype=float) "
               "or `.astype(float)` upcasts a float32 input, and so does a numpy float64 *scalar* such as "
               "np.sqrt(1 - beta**t) or np.float64(eps) of a Python number (use math.sqrt, ** 0.5 or a plain "
               "Python float, which adapt to the array), and so does an integer array mixed in, such as "
               "y_hat = np.where(z >= 0, 1, 0)")
    elif expected.kind == "f" and got.kind == "f":
        why = ("your result is narrower than the input, or than the rule asks (integer inputs give float64): a "
               "`.astype` to a smaller float, or np.float32, loses precision")
    else:
        why = "convert the result"
    return f"expected dtype {expected}, got dtype {got}. That breaks {DTYPE_RULE}; {why}."


def order_problem(got, case):
    """A sentence when `got` is the expected tuple in another order, else None."""
    expected = case.expected
    if not (isinstance(expected, tuple) and isinstance(got, (tuple, list)) and len(got) == len(expected) > 1):
        return None
    if compare(got, expected, check_dtype=False) is None:  # right as it is, e.g. (5, 5) read either way
        return None
    if compare(tuple(reversed(got)), expected, check_dtype=False) is not None:
        return None
    names = ", ".join(case.returns) if case.returns else "in the order the exercise gives"
    return f"the values are in the wrong order: return ({names}), in that order."


def aliasing_problem(got, case, args):
    """A sentence when a result shares memory with an input (it is that input, or a view of it), else None."""
    if not case.new_array:
        return None
    results = got if isinstance(got, (tuple, list)) else (got,)
    for r, result in enumerate(results):
        if not isinstance(result, np.ndarray):
            continue
        for k, arg in enumerate(args):
            if isinstance(arg, np.ndarray) and np.shares_memory(result, arg):
                name = case.names[k] if k < len(case.names) else f"argument {k + 1}"
                which = f"value {r + 1} of your result" if len(results) > 1 else "your result"
                same = "is the input" if result is arg else "is a view of the input"
                return (f"{which} {same} `{name}` itself: it shares memory with `{name}`, but the exercise "
                        f"promises a new array. A caller who changes one would change the other; return a new "
                        f"array (`{name}.copy()`, or compute it: `{name} + ...`).")
    return None


def require_callable(title, fn):
    """Raise a teaching AssertionError when the learner passed something other than a function."""
    if not callable(fn):
        raise AssertionError(f"{title}: expected a function, got {type(fn).__name__}. "
                             f"Pass the function itself, without calling it.")


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
        Passed to :func:`compare` (``rtol``, ``atol``, ``check_dtype``, which is on by default).
    """
    require_callable(title, fn)
    for number, case in enumerate(cases, start=1):
        got = call_learner(title, fn, case, number, len(cases))
        problem = order_problem(got, case) or compare(got, case.expected, **compare_options)
        if problem:
            raise AssertionError(failure(title, case, number, len(cases), problem, got))
    print(f"{title}: all {len(cases)} cases passed")


def call_learner(title, fn, case, number, total):
    """Call ``fn(*case.args)`` on copies of the inputs, turning errors into teaching messages.

    The call runs under :func:`strict_floats`. Afterwards the inputs must be unchanged and the
    result must not share memory with them (unless ``case.new_array`` is False).
    """
    require_callable(title, fn)
    args = tuple(np.copy(a) if isinstance(a, np.ndarray) else a for a in case.args)
    try:
        with strict_floats() as guard:
            got = fn(*args)
    except NotImplementedError:
        raise ExerciseNotDone(not_done(title)) from None
    except SilencedWarnings as err:
        raise AssertionError(failure(title, case, number, total, silencing_problem(*err.args))) from None
    except (FloatingPointError, RuntimeWarning, OverflowError, ZeroDivisionError) as err:
        raise AssertionError(failure(title, case, number, total, float_error_problem(err, case))) from None
    except Exception as err:  # the learner's code raised: say so, in one line
        problem = f"your function raised {type(err).__name__}: {err}"
        if isinstance(err, ValueError) and "truth value of an array" in str(err):
            problem += (". An `if` on an array needs one True or False, but the array holds many; "
                        "np.where(condition, a, b) chooses element by element")
        elif isinstance(err, TypeError) and "Cannot cast ufunc" in str(err):
            problem += (". An in-place operator (`-=`, `+=`, `*=`) writes into an existing array and keeps its "
                        "dtype, so it cannot store a float result in an integer array, even in a copy of an "
                        "input: compute a new array instead (`theta - ...`), which is float64 for integer inputs")
        elif isinstance(err, TypeError) and "converted to Python scalars" in str(err):
            problem += (". A function of `math` (math.cos, math.exp, math.sqrt) or float() takes one number, not an "
                        "array: use numpy's (np.cos, np.exp, np.sqrt), which work elementwise")
        raise AssertionError(failure(title, case, number, total, problem)) from None
    if guard.attempts:  # the learner's code caught our exception itself; it still tried
        raise AssertionError(failure(title, case, number, total, silencing_problem(*guard.attempts[0])))
    if guard.float_errors:  # caught by the learner's try/except: outside the check, numpy would have warned
        problem = float_error_problem(guard.float_errors[0], case)
        raise AssertionError(failure(title, case, number, total,
                                     f"{problem} (Your code caught the error and went on; outside this check "
                                     f"numpy only warns, so the formula that overflowed is still the one used: "
                                     f"make it safe instead of catching the error.)"))
    for k, (before, after) in enumerate(zip(case.args, args)):
        if isinstance(before, np.ndarray) and not np.array_equal(before, after, equal_nan=True):
            name = case.names[k] if k < len(case.names) else f"argument {k + 1}"
            raise AssertionError(failure(title, case, number, total,
                                         f"your function changed its input `{name}` in place; "
                                         f"compute a new array instead (`{name} + ...`, not `{name} += ...`). "
                                         f"A slice such as `{name}[0]` is a view that shares memory with "
                                         f"`{name}`: `+=` on it writes into `{name}` (use `.copy()`)."))
    problem = aliasing_problem(got, case, args)
    if problem:
        raise AssertionError(failure(title, case, number, total, problem, got))
    return got


def silencing_problem(route, detail):
    return (f"your function silences numpy's warnings ({route}), with {detail}. That hides an overflow, a division by zero "
            f"or a nan, it does not prevent one: remove it and make the formula itself safe. (Making numpy "
            f"stricter, np.errstate(over=\"raise\"), is fine.)")


#: The kind of floating-point error, from the words in numpy's (or Python's) message.
_FLOAT_ERROR_KINDS = (("overflow", "overflow"), ("divide by zero", "divide"), ("division by zero", "divide"),
                      ("invalid value", "invalid"), ("math range error", "overflow"),
                      ("result too large", "overflow"), ("out of range", "overflow"))


_GENERIC_FLOAT_HINTS = {
    "divide": ("on this input a denominator is exactly 0 (or a log is taken of 0). Check the denominator of your "
               "formula: its sign, or a term that is missing."),
    "invalid": ("an invalid operation made nan: inf - inf, 0 * inf, inf / inf or 0 / 0, usually after a value "
                "overflowed to inf, or the log or square root of a negative number."),
}


def float_error_kind(err):
    """``"overflow"``, ``"divide"`` or ``"invalid"`` for a floating-point error or warning."""
    if isinstance(err, ZeroDivisionError):
        return "divide"
    if isinstance(err, OverflowError):
        return "overflow"
    text = str(err).lower()
    return next((kind for words, kind in _FLOAT_ERROR_KINDS if words in text), "invalid")


def float_error_problem(err, case):
    """The problem line for a floating-point error: what happened, on this case, and the hint for its kind."""
    kind = float_error_kind(err)
    hint = {"overflow": case.overflow_hint, "divide": case.divide_hint, "invalid": case.invalid_hint}[kind]
    if hint is None:
        custom = case.overflow_hint != Case.overflow_hint
        hint = case.overflow_hint if custom else _GENERIC_FLOAT_HINTS[kind]
    source = "numpy warned" if isinstance(err, (FloatingPointError, RuntimeWarning)) else \
        f"Python raised {type(err).__name__}"
    what = {"overflow": "an overflow", "divide": "a division by zero", "invalid": "an invalid value (nan)"}[kind]
    return f"{source}: {err}. That is {what} on this case's input: {hint}"


# ---- strict floating-point errors while the learner's code runs -------------------------------------------

_CHECKED_LEVELS = ("over", "divide", "invalid")
_TRUSTED = ("numpy", "utils")  # their own internal silencing is deliberate and reviewed


def _trusted(module_name):
    top = (module_name or "").split(".")[0]
    return top in _TRUSTED and not (module_name or "").startswith("utils.checks.")


def _caller_module(skip):
    """The module of the first frame outside the modules in `skip` (the code that asked for silencing)."""
    frame = sys._getframe(2)
    while frame is not None and frame.f_globals.get("__name__") in skip:
        if frame.f_code.co_name == "inner" and "func" in frame.f_locals:  # np.errstate used as a decorator
            return getattr(frame.f_locals["func"], "__module__", None)
        frame = frame.f_back
    return frame.f_globals.get("__name__") if frame is not None else None


class _Guard:
    """What :func:`strict_floats` installs: numpy's error-level variable and warnings' filter entry point."""

    def __init__(self):
        self.attempts = []
        self.float_errors = []  # every floating-point error numpy raised, caught by the learner or not
        self.contextvar = _ufunc_config._extobj_contextvar
        self.add_filter = warnings._add_filter

    # numpy: np.errstate (entered, or as a decorator) and np.seterr all set this one context variable
    def set(self, value):
        token = self.contextvar.set(value)
        ours = np.geterrcall() == self.on_float_error  # "call" with our handler raises, and records it
        lowered = {k: v for k, v in np.geterr().items()
                   if k in _CHECKED_LEVELS and v != "raise" and not (v == "call" and ours)}
        if lowered and not _trusted(_caller_module({_ufunc_config.__name__, "contextlib", "functools"})):
            self.contextvar.reset(token)
            route = "seterr" if sys._getframe(1).f_code.co_name == "seterr" else "errstate"
            self._refuse(route, ", ".join(f"{k}={v!r}" for k, v in lowered.items()))
        return token

    def reset(self, token):
        return self.contextvar.reset(token)

    def get(self, *default):
        return self.contextvar.get(*default)

    # warnings: simplefilter, filterwarnings and catch_warnings(action=...) all add filters here
    def filter(self, *item, append):
        action, category = item[0], item[2]
        covers = issubclass(RuntimeWarning, category) or issubclass(category, RuntimeWarning)
        if action != "error" and covers and not _trusted(_caller_module({"warnings"})):
            self._refuse("warnings filter", f"action {action!r} for {category.__name__}")
        return self.add_filter(*item, append=append)

    def on_float_error(self, kind, flag):
        """numpy's error handler while the learner's code runs: record the error, then raise it.

        Recorded, so that code which catches the ``FloatingPointError`` and tries another
        formula is still seen: outside the check that code would warn, not raise.
        """
        frame = sys._getframe(1)  # the Python code that called the numpy function
        err = FloatingPointError(f"{kind} encountered in {frame.f_code.co_name} (line {frame.f_lineno})")
        self.float_errors.append(err)
        raise err

    def _refuse(self, route, detail):
        self.attempts.append((route, detail))
        raise SilencedWarnings(route, detail)


_active = []


@contextmanager
def strict_floats():
    """While it is active, floating-point errors raise and every attempt to silence them is refused.

    numpy raises ``FloatingPointError`` on overflow, division by zero and invalid values
    (through an error handler that also records them in the guard's ``float_errors``, so an
    error the learner's code catches with ``try``/``except`` is still seen),
    Python's warnings of kind ``RuntimeWarning`` are errors, and lowering either level
    (``np.errstate(over="ignore")``, ``np.seterr``, a ``warnings`` filter) raises
    :class:`SilencedWarnings` in the code that tries, unless that code is part of numpy or
    ``utils``. Raising the level further is allowed. Yields the guard, whose ``attempts``
    lists the refused attempts. Nested uses share the outer guard.
    """
    if _active:
        yield _active[-1]
        return
    guard = _Guard()
    with warnings.catch_warnings(), np.errstate(over="call", divide="call", invalid="call",
                                                call=guard.on_float_error):
        warnings.simplefilter("error", RuntimeWarning)
        _ufunc_config._extobj_contextvar, warnings._add_filter = guard, guard.filter
        _active.append(guard)
        try:
            yield guard
        finally:
            _active.pop()
            _ufunc_config._extobj_contextvar, warnings._add_filter = guard.contextvar, guard.add_filter


def silenced_warnings(fn):
    """Always None: kept for checks written before silencing was detected at run time.

    Every check now runs the learner's code under :func:`strict_floats`, which reports an
    attempt to silence warnings by any route when it happens, so reading the source is not needed.
    """
    return None


@contextmanager
def exp_overflow_raises():
    """The same as :func:`strict_floats`, under the name older checks use (it once watched only ``np.exp``)."""
    with strict_floats() as guard:
        yield guard


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
    if compare(got, case.expected, check_dtype=False) is None:
        return None  # right values: the problem line already says what is off (the dtype, say)
    hints = [hint for hint, wrong_result in case.mistakes.items()
             if compare(got, wrong_result, check_dtype=False) is None]
    if len(hints) <= 1:
        return hints[0] if hints else None
    text = "more than one mistake gives this result: " + "; or ".join(h.rstrip(".") for h in hints)
    return text if text.endswith(("?", "!")) else text + "."  # no "?." after a hint that asks
