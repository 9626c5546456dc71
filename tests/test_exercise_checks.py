"""Every exercise check fails on the stub, fails on plausible wrong answers, and passes on the solution.

The exercises and their check cells are read from ``solutions/``; the stub is what
``make lessons`` turns the exercise into; the wrong answers live in ``wrong_answers.py``.
"""

import re

import numpy as np
import pytest

from notebook_tools import all_exercises
from utils.authoring import strip_hidden_tests, strip_solutions
from utils.checks import ExerciseNotDone
from utils.checks.core import exp_overflow_raises
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
         for _, grade_id, _, check_cell, earlier in EXERCISES for fn, hint in WRONG_ANSWERS[grade_id]]


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
    for wrong, _ in WRONG_ANSWERS[grade_id]:
        ns = namespace(earlier)
        ns[function_name(grade_id)] = wrong
        with pytest.raises(AssertionError) as failure:
            run_check(check_cell, ns, hidden=False)
        for line in code_lines:
            assert line not in str(failure.value), f"{wrong.__name__}'s message shows solution code {line!r}"


def test_exp_overflow_raises_despite_errstate_and_restores_numpy_exp():
    exp = np.exp
    with pytest.raises(FloatingPointError):
        with exp_overflow_raises(), np.errstate(over="ignore"):
            np.exp(np.array([1000.0]))
    assert np.exp is exp and isinstance(np.exp, np.ufunc)


def strict_sigmoid(z):
    with np.errstate(over="raise"):  # stricter, not silenced
        e = np.exp(-np.abs(z))
        return np.where(z >= 0, 1 / (1 + e), e / (1 + e))


def test_a_sigmoid_that_makes_warnings_stricter_is_not_taken_for_one_that_silences_them(capsys):
    from utils.checks import check_sigmoid
    check_sigmoid(strict_sigmoid)
    assert "all 6 cases passed" in capsys.readouterr().out
