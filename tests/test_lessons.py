"""The student lessons: generated from solutions/, ready for nbgrader, and runnable as shipped."""

import json
import re
import shutil
import subprocess
import sys

import nbformat
import pytest

from notebook_tools import LESSONS, ROOT, SOLUTIONS, exercises, execute, nbgrader
from utils.authoring import CODE_STUB, strip_hidden_tests, strip_solutions, write_lessons


def test_lessons_are_exactly_what_make_lessons_writes():
    stale = write_lessons(check=True)
    assert not stale, (f"{[p.name for p in stale]} differ from what `make lessons` writes from solutions/. "
                       "Lessons are generated: edit solutions/ and run `make lessons`. (A learner who "
                       "edited a lesson sees this too; check your work with `make check` instead.)")


def test_there_is_a_lesson_for_every_solution_and_nothing_else():
    assert [p.name for p in LESSONS] == [p.name for p in SOLUTIONS]
    assert {"00_welcome.ipynb", "01_perceptron.ipynb"} <= {p.name for p in SOLUTIONS}


def test_solution_region_becomes_nbgraders_stub_at_its_indentation():
    source = "def f(x):\n    y = 1\n    ### BEGIN SOLUTION\n    return x + y\n    ### END SOLUTION\n\nprint(f)"
    assert strip_solutions(source) == ("def f(x):\n    y = 1\n    # YOUR CODE HERE\n"
                                       "    raise NotImplementedError()\n\nprint(f)")


def test_every_solution_region_of_a_cell_is_replaced():
    source = "### BEGIN SOLUTION\na = 1\n### END SOLUTION\nb = 2\n### BEGIN SOLUTION\nc = 3\n### END SOLUTION"
    assert strip_solutions(source) == f"{CODE_STUB}\nb = 2\n{CODE_STUB}"


def test_markdown_answers_become_your_answer_here():
    assert strip_solutions("Why?\n### BEGIN SOLUTION\nBecause.\n### END SOLUTION", "markdown") == \
        "Why?\nYOUR ANSWER HERE"


def test_hidden_tests_are_removed_and_the_rest_kept():
    source = "check(f)\n### BEGIN HIDDEN TESTS\nassert f(2) == 4\n### END HIDDEN TESTS\nprint('done')"
    assert strip_hidden_tests(source) == "check(f)\nprint('done')"


@pytest.mark.parametrize("path", LESSONS, ids=lambda p: p.name)
def test_lessons_hold_no_solutions_hidden_tests_or_outputs(path):
    nb = nbformat.read(path, as_version=4)
    text = path.read_text()
    assert "### BEGIN SOLUTION" not in text and "HIDDEN TESTS" not in text
    assert all(not c.get("outputs") and c.get("execution_count") is None for c in nb.cells if c.cell_type == "code")
    assert "widgets" not in nb.metadata


@pytest.mark.parametrize("path", SOLUTIONS, ids=lambda p: p.name)
def test_exercises_carry_nbgrader_metadata(path):
    found = exercises(path)
    grade_ids = [nbgrader(c).get("grade_id") for c in nbformat.read(path, as_version=4).cells if nbgrader(c)]
    assert len(grade_ids) == len(set(grade_ids)), f"duplicate grade_id in {path.name}"
    for grade_id, cell, check_cell, _ in found:
        assert "### BEGIN SOLUTION" in cell.source
        assert nbgrader(cell) | {"grade_id": None} == {"grade": False, "grade_id": None, "locked": False,
                                                       "schema_version": 3, "solution": True, "task": False}
        meta = nbgrader(check_cell)
        assert meta["grade"] and meta["locked"] and not meta["solution"] and meta["points"] > 0
        assert re.fullmatch(r"ex\d+_\d+_\w+", grade_id), grade_id


@pytest.mark.parametrize("path", SOLUTIONS + LESSONS, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_notebooks_hold_no_paths_of_this_machine(path):
    text = path.read_text()
    for pattern in (str(ROOT), "/home/", "/root/", "/tmp/", "/Users/", "site-packages"):
        assert pattern not in text, f"{path.name} contains {pattern!r}"
    assert json.loads(text)["metadata"]["kernelspec"]["name"] == "python3"


@pytest.mark.parametrize("path", LESSONS, ids=lambda p: p.name)
def test_a_lesson_as_shipped_fails_only_in_its_check_cells(path):
    nb = execute(path, path.parent)
    failed = {i for i, c in enumerate(nb.cells) if any(o.output_type == "error" for o in c.get("outputs", []))}
    checks = {i for i, c in enumerate(nb.cells) if nbgrader(c).get("grade")}
    assert failed == checks, f"cells that failed: {sorted(failed)}, check cells: {sorted(checks)}"
    for i in checks:
        error = next(o for o in nb.cells[i].outputs if o.output_type == "error")
        assert error.ename == "ExerciseNotDone", (i, error.ename, error.evalue)


def make_check(lesson_path, tmp_path):
    """Run what `make check` runs on a lesson file, from a folder outside the repository; return its output.

    The exercise report comes from the installed course's pytest entry point, not from a conftest.py."""
    result = subprocess.run(
        [sys.executable, "-m", "pytest", "--nbval-lax", "--nbval-current-env",
         "-q", "--tb=no", "-rN", "-p", "no:cacheprovider", "--rootdir", str(tmp_path), str(lesson_path)],
        capture_output=True, text=True, cwd=tmp_path, timeout=300)
    return result.returncode, report_block(result.stdout)


def report_block(out):
    """The exercise report's lines: from "Lesson ..." up to pytest's closing line."""
    lines = out.splitlines()
    start = next((i for i, line in enumerate(lines) if line.startswith("Lesson ")), len(lines))
    return "\n".join(line for line in lines[start:] if not line.startswith("="))


def completed_lesson(tmp_path, wrong=None):
    """The perceptron lesson as a learner would finish it: the solutions' code, without outputs.

    With `wrong` = (grade_id, source), that exercise gets the given wrong code instead."""
    nb = nbformat.read(ROOT / "solutions" / "01_perceptron.ipynb", as_version=4)
    for cell in nb.cells:
        if cell.cell_type == "code":
            cell.outputs, cell.execution_count = [], None
            cell.source = strip_hidden_tests(cell.source)
            if wrong and nbgrader(cell).get("grade_id") == wrong[0]:
                cell.source = wrong[1]
    path = tmp_path / "01_perceptron.ipynb"
    nbformat.write(nb, path)
    return path


def test_make_check_lists_every_exercise_as_not_done_on_the_shipped_lesson(tmp_path):
    shutil.copy(ROOT / "lessons" / "01_perceptron.ipynb", tmp_path)
    code, out = make_check(tmp_path / "01_perceptron.ipynb", tmp_path)
    assert code != 0
    assert "Lesson 01_perceptron.ipynb: 0 of 5 exercises pass" in out
    assert out.count("is not done yet") == 5, out


def test_make_check_passes_a_completed_lesson(tmp_path):
    code, out = make_check(completed_lesson(tmp_path), tmp_path)
    assert "5 of 5 exercises pass" in out, out
    assert code == 0, out


@pytest.mark.parametrize("source, message", [
    ("def sigmoid(z):\n    return 1 / (1 + np.exp(-z))\n", "e^(-z) = e^1000 overflows"),
    # the check reads the learner's source in the kernel, as it must in JupyterLab
    ("def sigmoid(z):\n    with np.errstate(over='ignore'):\n        return 1 / (1 + np.exp(-z))\n",
     "silences numpy's warnings (errstate)"),
], ids=["naive", "silenced"])
def test_make_check_explains_a_wrong_answer(tmp_path, source, message):
    code, out = make_check(completed_lesson(tmp_path, ("ex1_2_sigmoid", source)), tmp_path)
    assert code != 0
    assert "4 of 5 exercises pass" in out, out
    assert "FAILED  Exercise 1.2 sigmoid" in out and message in out, out


def test_make_check_with_a_lesson_that_does_not_exist_says_so_instead_of_running_every_test():
    result = subprocess.run(["make", "--no-print-directory", "check", "LESSON=1"], cwd=ROOT,
                            capture_output=True, text=True, timeout=600)
    assert result.returncode != 0
    assert "give its two-digit number, e.g. make check LESSON=01" in result.stdout + result.stderr
    assert "passed" not in result.stdout
