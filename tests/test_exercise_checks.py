"""Every exercise check fails on the stub, fails on plausible wrong answers, and passes on the solution.

The exercises and their check cells are read from ``solutions/``; the stub is what
``make lessons`` turns the exercise into; the wrong answers live in ``wrong_answers.py``.
"""

import re

import numpy as np
import pytest

from notebook_tools import all_exercises
from utils.authoring import strip_hidden_tests, strip_solutions
from numpy._core import _ufunc_config

from utils.activations import sigmoid
from utils.checks import ExerciseNotDone, check_sigmoid, hint
from utils.checks.core import (Case, SilencedWarnings, compare, float_error_kind, float_error_problem, run_cases,
                               strict_floats)
from utils.exercise_report import exercise_title
from wrong_answers import WRONG_ANSWERS

EXERCISES = all_exercises()
IDS = [grade_id for _, grade_id, *_ in EXERCISES]


def function_name(grade_id):
    """``ex1_2_sigmoid`` -> ``sigmoid``."""
    return re.fullmatch(r"ex\d+_\d+_(\w+)", grade_id)[1]


def namespace(earlier_cells):
    """What the exercise cell sees in the notebook: numpy, the checks, and the earlier solutions."""
    ns = {"np": np}
    exec("from utils.checks import *", ns)
    for cell in earlier_cells:
        exec(cell.source, ns)
    return ns


def run_check(check_cell, ns, *, hidden=True):
    source = check_cell.source if hidden else strip_hidden_tests(check_cell.source)
    exec(source, ns)


def test_every_exercise_has_a_check_and_wrong_answers():
    assert EXERCISES, "no exercises found in solutions/"
    for lesson, grade_id, _, check_cell, _ in EXERCISES:
        assert check_cell is not None, f"{lesson}: exercise {grade_id} has no check cell check_{grade_id}"
        assert len(WRONG_ANSWERS.get(grade_id, [])) >= 2, f"{grade_id} needs at least two wrong answers"
    assert set(WRONG_ANSWERS) == set(IDS), "wrong_answers.py names exercises that do not exist"


@pytest.mark.parametrize("lesson, grade_id, cell, check_cell, earlier", EXERCISES, ids=IDS)
def test_check_passes_on_the_solution(lesson, grade_id, cell, check_cell, earlier, capsys):
    ns = namespace(earlier)
    exec(cell.source, ns)
    run_check(check_cell, ns)
    title = exercise_title(f"check_{grade_id}")
    assert re.match(rf"{re.escape(title)}: all \d+ cases passed", capsys.readouterr().out)


@pytest.mark.parametrize("lesson, grade_id, cell, check_cell, earlier", EXERCISES, ids=IDS)
def test_check_says_not_done_on_the_stub(lesson, grade_id, cell, check_cell, earlier):
    ns = namespace(earlier)
    exec(strip_solutions(cell.source), ns)
    with pytest.raises(ExerciseNotDone, match="is not done yet"):
        run_check(check_cell, ns, hidden=False)


WRONG = [(grade_id, fn, hint, check_cell, earlier)
         for _, grade_id, _, check_cell, earlier in EXERCISES for fn, hint in WRONG_ANSWERS.get(grade_id, [])]


@pytest.mark.parametrize("grade_id, wrong, hint, check_cell, earlier", WRONG,
                         ids=[w[1].__name__ for w in WRONG])
def test_check_rejects_the_wrong_answer(grade_id, wrong, hint, check_cell, earlier):
    ns = namespace(earlier)
    ns[function_name(grade_id)] = wrong
    with pytest.raises(AssertionError) as failure:
        run_check(check_cell, ns, hidden=False)
    message = str(failure.value)
    assert not isinstance(failure.value, ExerciseNotDone)
    assert message.startswith("Exercise "), f"the message must name the exercise: {message}"
    if hint:
        assert hint in message, f"expected the hint {hint!r} in:\n{message}"


@pytest.mark.parametrize("lesson, grade_id, cell, check_cell, earlier", EXERCISES, ids=IDS)
def test_failure_messages_never_show_the_solution_code(lesson, grade_id, cell, check_cell, earlier):
    solution_lines = re.search(r"### BEGIN SOLUTION\n(.*?)### END SOLUTION", cell.source, re.S)[1]
    code_lines = [line.strip() for line in solution_lines.splitlines() if len(line.strip()) > 12]
    for wrong, _ in WRONG_ANSWERS.get(grade_id, []):
        ns = namespace(earlier)
        ns[function_name(grade_id)] = wrong
        with pytest.raises(AssertionError) as failure:
            run_check(check_cell, ns, hidden=False)
        for line in code_lines:
            assert line not in str(failure.value), f"{wrong.__name__}'s message shows solution code {line!r}"


# ---- hints: asked for before the check runs ---------------------------------------------------------------

def exercise_number(grade_id):
    """``ex1_2_sigmoid`` -> ``"1.2"``."""
    lesson, number = re.fullmatch(r"ex(\d+)_(\d+)_\w+", grade_id).groups()
    return f"{int(lesson)}.{int(number)}"


@pytest.mark.parametrize("lesson, grade_id, cell, check_cell, earlier", EXERCISES, ids=IDS)
def test_every_exercise_has_two_hints_that_never_show_its_code(lesson, grade_id, cell, check_cell, earlier,
                                                               capsys):
    number = exercise_number(grade_id)
    solution = re.search(r"### BEGIN SOLUTION\n(.*?)### END SOLUTION", cell.source, re.S)[1]
    code_lines = [line.strip() for line in solution.splitlines() if len(line.strip()) > 12]
    texts = []
    for level in (1, 2):
        hint(number, level=level)
        out = capsys.readouterr().out
        assert out.startswith(f"Hint {level} for exercise {number}: "), out
        texts.append(out)
        for line in code_lines:
            assert line not in out, f"hint {level} of {number} shows solution code {line!r}"
    assert texts[0] != texts[1] and 'level=2' in texts[0] and 'level=2' not in texts[1]


def test_hint_for_an_exercise_that_does_not_exist_names_the_ones_that_do():
    with pytest.raises(ValueError, match=r"no exercise '9\.9'; expected one of 0\.1, 1\.1, .*1\.6"):
        hint("9.9")


@pytest.mark.parametrize("level", [0, 3, "2", None])
def test_hint_refuses_a_level_other_than_1_or_2(level):
    with pytest.raises(ValueError, match=f"level must be 1 or 2, got {re.escape(repr(level))}"):
        hint("1.2", level=level)


# ---- the core's protections, on inputs named in issue 7 -----------------------------------------------------

def stable_sigmoid(z):
    e = np.exp(-np.abs(z))
    return np.where(z >= 0, 1 / (1 + e), e / (1 + e))


def strict_sigmoid(z):
    with np.errstate(over="raise"):  # stricter, not silenced
        return stable_sigmoid(z)


def test_a_sigmoid_that_makes_warnings_stricter_is_not_taken_for_one_that_silences_them(capsys):
    check_sigmoid(strict_sigmoid)
    assert "all 7 cases passed" in capsys.readouterr().out


def test_strict_floats_refuses_errstate_built_before_it_and_restores_numpy():
    quiet, level, contextvar = np.errstate(over="ignore"), np.geterr(), _ufunc_config._extobj_contextvar
    with strict_floats() as guard:
        with pytest.raises(SilencedWarnings):
            with quiet:
                pass
        with pytest.raises(FloatingPointError):
            np.exp(np.array([1000.0]))
        with np.errstate(over="raise", under="ignore"):  # not lower: allowed
            pass
    assert guard.attempts == [("errstate", "over='ignore'")]
    assert np.geterr() == level and _ufunc_config._extobj_contextvar is contextvar
    with np.errstate(over="ignore"):  # outside a check, silencing works as usual again
        assert np.exp(np.array([1000.0]))[0] == np.inf


def test_silencing_inside_numpy_and_utils_is_not_the_learners(capsys):
    from utils.losses import binary_cross_entropy  # uses np.errstate(divide="ignore") for log(0)
    with strict_floats() as guard:
        loss = binary_cross_entropy(np.array([0.0, 1.0]), np.array([0.0, 1.0]))
        np.nanmean(np.array([np.nan, 1.0]))
    assert guard.attempts == [] and loss == pytest.approx(0.0)


def silences_and_catches_our_exception(z):
    try:
        np.seterr(over="ignore")
    except BaseException:  # noqa: B036 - a learner who swallows everything is still reported
        pass
    return stable_sigmoid(z)


def test_an_attempt_to_silence_is_reported_even_when_the_learners_code_swallows_it():
    with pytest.raises(AssertionError, match=r"silences numpy's warnings \(seterr\), with over='ignore'"):
        check_sigmoid(silences_and_catches_our_exception)


def _exp_or_none(x):
    try:  # a helper outside the learner's function that swallows the error numpy raises in the check
        return np.exp(x)
    except FloatingPointError:
        return None


def sigmoid_through_a_helper_that_catches(z):
    e = _exp_or_none(-z)
    return 1 / (1 + e) if e is not None else stable_sigmoid(z)


def test_a_floating_point_error_the_learners_code_catches_is_still_reported():
    # outside the check numpy only warns, so such code runs the formula that overflows
    with pytest.raises(AssertionError, match=r"(?s)case \d of 7 failed.*overflow encountered in _exp_or_none "
                                             r"\(line \d+\).*Your code caught the error and went on"):
        check_sigmoid(sigmoid_through_a_helper_that_catches)
    with strict_floats() as guard:
        assert _exp_or_none(np.array([1000.0])) is None
        with np.errstate(over="raise"):  # stricter inside the check: allowed, and numpy still raises
            with pytest.raises(FloatingPointError):
                np.exp(np.array([1000.0]))
    assert len(guard.float_errors) == 1 and "overflow encountered in _exp_or_none" in str(guard.float_errors[0])
    assert np.geterrcall() is None


@pytest.mark.parametrize("error, kind", [(FloatingPointError("overflow encountered in exp"), "overflow"),
                                         (FloatingPointError("divide by zero encountered in divide"), "divide"),
                                         (RuntimeWarning("invalid value encountered in subtract"), "invalid"),
                                         (OverflowError("math range error"), "overflow"),
                                         (ZeroDivisionError("float division by zero"), "divide")])
def test_the_kind_of_a_floating_point_error_decides_its_hint(error, kind):
    case = Case("c", (), 0.0, overflow_hint="OVER", divide_hint="DIVIDE", invalid_hint="INVALID")
    assert float_error_kind(error) == kind
    assert {"overflow": "OVER", "divide": "DIVIDE", "invalid": "INVALID"}[kind] in float_error_problem(error, case)


def test_a_check_that_set_only_overflow_hint_keeps_it_for_every_kind_and_the_default_names_the_kind():
    custom, plain = Case("c", (), 0.0, overflow_hint="MINE"), Case("c", (), 0.0)
    assert "MINE" in float_error_problem(FloatingPointError("divide by zero encountered in log"), custom)
    assert "a denominator is exactly 0" in float_error_problem(FloatingPointError("divide by zero"), plain)
    assert "made nan" in float_error_problem(FloatingPointError("invalid value encountered in multiply"), plain)


def naive_sigmoid_with_a_minus(z):
    return 1 / (1 - np.exp(-z))


def test_a_division_by_zero_at_z_0_is_not_called_an_overflow():
    with pytest.raises(AssertionError) as failure:
        check_sigmoid(naive_sigmoid_with_a_minus)
    message = str(failure.value)
    assert "case 1 of 7 failed (z = 0)" in message and "division by zero" in message
    assert "overflow" not in message and "-1000" not in message


def returns_its_input(x):
    return x


def returns_a_view(x):
    return x[:]


@pytest.mark.parametrize("fn, words", [(returns_its_input, "is the input `x` itself"),
                                       (returns_a_view, "is a view of the input `x` itself")])
def test_results_that_share_memory_with_an_input_are_refused_unless_the_case_opts_out(fn, words, capsys):
    x = np.array([1.0, 2.0])
    with pytest.raises(AssertionError, match=re.escape(words) + ".*promises a new array"):
        run_cases("Exercise 9.1 f", fn, [Case("any", (x,), x.copy(), names=("x",))])
    run_cases("Exercise 9.1 f", fn, [Case("any", (x,), x.copy(), names=("x",), new_array=False)])
    assert "all 1 cases passed" in capsys.readouterr().out


@pytest.mark.parametrize("got, expected, words", [
    (np.zeros(3, dtype=np.int64), np.zeros(3), "integer or boolean array"),
    (np.zeros(3), np.zeros(3, dtype=np.float32), "wider than the input"),
    (np.zeros(3, dtype=np.float32), np.zeros(3), "narrower than the input"),
    (np.float32(0.5), 0.5, "expected dtype float64, got dtype float32"),
])
def test_every_dtype_that_breaks_the_rule_is_named_with_the_rule(got, expected, words):
    problem = compare(got, expected)
    assert problem and words in problem and "course's dtype rule" in problem
    assert compare(got, expected, check_dtype=False) is None  # a check may still turn it off


def test_integer_answers_may_have_any_integer_width():
    assert compare(np.array([1, 2], dtype=np.int32), np.array([1, 2], dtype=np.int64)) is None


def reference_update(w, b, x, y, eta=1.0):
    from utils.perceptron import perceptron_update
    return perceptron_update(w, b, x, y, eta)


def test_issue_7_inputs_of_exercise_1_5_give_the_right_values():
    w_new, b_new = reference_update(np.array([1.0, 1.0]), 0.0, np.array([1.0, 1.0]), 0, 0.1)
    np.testing.assert_allclose(w_new, [0.9, 0.9])
    assert b_new == pytest.approx(-0.1)


def test_issue_7_inputs_of_exercise_1_2_give_the_right_values():
    got = stable_sigmoid(np.array([-1e5, -1000.0, 0.0, 1e5]))
    assert got.tolist() == [0.0, 0.0, 0.5, 1.0]
    np.testing.assert_array_equal(stable_sigmoid(np.array([-2, 0, 2])), sigmoid(np.array([-2.0, 0.0, 2.0])))


def test_the_references_follow_the_dtype_rule():
    from utils.perceptron import perceptron_predict, perceptron_update, weighted_sum
    X32, w32 = np.ones((2, 2), dtype=np.float32), np.ones(2, dtype=np.float32)
    assert weighted_sum(X32, w32, 0.5).dtype == np.float32
    assert weighted_sum(np.ones((2, 2), dtype=int), np.ones(2, dtype=int), 1).dtype == np.float64
    assert perceptron_predict(X32, w32, 0.5).dtype == np.float32
    assert perceptron_predict(np.ones((2, 2), dtype=int), np.ones(2, dtype=int), 1).dtype == np.float64
    assert sigmoid(np.array([1, 2])).dtype == np.float64 and sigmoid(w32).dtype == np.float32
    w_new, b_new = perceptron_update(w32, np.float32(0.0), w32, 0, 0.5)
    assert w_new.dtype == np.float32 and isinstance(b_new, np.float32)
    w_new, b_new = perceptron_update(np.array([1, 1]), 0, np.array([1, 1]), 1, 1.0)
    assert w_new.dtype == np.float64 and w_new is not None
    w = np.array([1.0, 1.0])
    assert not np.shares_memory(perceptron_update(w, 0.0, w, 1, 1.0)[0], w)  # right already: still new


@pytest.mark.parametrize("wrong", ["train_perceptron_shuffles_once", "train_perceptron_never_stops",
                                   "train_perceptron_drops_the_last_zero"])
def test_a_failure_of_exercise_1_6_gives_its_hint_once(wrong):
    import wrong_answers
    from utils.checks import check_train_perceptron
    with pytest.raises(AssertionError) as err:
        check_train_perceptron(getattr(wrong_answers, wrong))
    message = str(err.value)
    assert message.count("hint:") == 1 and ".;" not in message and "?." not in message


def test_a_right_pair_that_reads_the_same_reversed_is_not_called_the_wrong_order(capsys):
    from utils.checks.core import Case, run_cases
    cases = [Case("equal halves", (5.0,), (5.0, 5.0)), Case("equal arrays", (1.0,), (np.ones(2), np.ones(2)))]
    run_cases("Exercise 0.0 pair", lambda v: (v * np.ones(2), v * np.ones(2)) if v == 1.0 else (v, v), cases)
    assert "all 2 cases passed" in capsys.readouterr().out


@pytest.mark.parametrize("lesson, grade_id, cell, check_cell, earlier", EXERCISES, ids=IDS)
def test_every_check_says_so_when_it_is_given_a_value_instead_of_the_function(lesson, grade_id, cell, check_cell,
                                                                             earlier):
    ns = namespace(earlier)
    ns[function_name(grade_id)] = 0.5  # e.g. check_sigmoid(sigmoid(z)) instead of check_sigmoid(sigmoid)
    with pytest.raises(AssertionError, match=r"^Exercise \d+\.\d+ \w+: expected a function, got float\. "
                                             r"Pass the function itself, without calling it\."):
        run_check(check_cell, ns, hidden=False)
