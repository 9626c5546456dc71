"""The student lessons: generated from solutions/, ready for nbgrader, and runnable as shipped."""

import json
import re
import shutil
import subprocess
import sys

import nbformat
import pytest

from notebook_tools import LESSONS, ROOT, SOLUTIONS, exercises, execute, nbgrader
from utils.authoring import (CODE_STUB, MarkerError, strip_hidden_tests, strip_solutions, student_version,
                             write_lessons)


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


@pytest.mark.parametrize("source, expected", [
    ("### BEGIN SOLUTION\na = 1\n### END SOLUTION\n", f"{CODE_STUB}\n"),
    ("### BEGIN SOLUTION\na = 1\n### END SOLUTION\n\n", f"{CODE_STUB}\n\n"),
    ("### BEGIN SOLUTION\na = 1\n### END SOLUTION", CODE_STUB),
], ids=["one final newline", "two", "none"])
def test_a_cells_final_newlines_are_kept_as_nbgrader_keeps_them(source, expected):
    # nbgrader splits on "\n", drops the marker lines and joins again: what follows the END marker stays
    assert strip_solutions(source) == expected
    assert strip_hidden_tests(source.replace("SOLUTION", "HIDDEN TESTS")) == expected[len(CODE_STUB) + 1:]


SOLUTION_META = {"grade": False, "grade_id": "ex9_1_f", "locked": False, "schema_version": 3, "solution": True,
                 "task": False}
CHECK_META = {"grade": True, "grade_id": "check_ex9_1_f", "locked": True, "points": 1, "schema_version": 3,
              "solution": False, "task": False}
MALFORMED = [
    ("def f():\n    ### BEGIN SOLUTION\n    return 1\n", SOLUTION_META,
     "'BEGIN SOLUTION' on line 2 has no 'END SOLUTION' after it"),
    ("def f():\n    ### BEGIN SOLUTION\n    return 1\n    ### END SOLUTON", SOLUTION_META,
     "line 4: '### END SOLUTON' looks like a marker but is none of"),
    ("def f():\n    ### BEGIN SOLUTION\n    return 1\n    ### END SOLUTIN\n", SOLUTION_META,
     "looks like a marker"),
    ("check(f)\n### BEGIN HIDDEN TESTS\nassert f() == 1\n", CHECK_META,
     "'BEGIN HIDDEN TESTS' on line 2 has no 'END HIDDEN TESTS' after it"),
    ("def f():\n    return 1\n", SOLUTION_META, "a solution cell (nbgrader metadata solution: true) without"),
    ("a = 1\n### END SOLUTION\n", SOLUTION_META, "line 2: 'END SOLUTION' without a 'BEGIN SOLUTION' before it"),
    ("### BEGIN SOLUTION\n### BEGIN SOLUTION\n### END SOLUTION\n", SOLUTION_META,
     "line 2: a second 'BEGIN SOLUTION' before the 'END SOLUTION' of the one on line 1"),
    ("### BEGIN SOLUTION\na = 1\n### END SOLUTION\n", {}, "a solution region in a cell that is not a solution cell"),
    ("### BEGIN HIDDEN TESTS\nassert 1\n### END HIDDEN TESTS\n", SOLUTION_META | {"solution": False},
     "hidden tests in a cell that is not a graded test cell"),
]
MALFORMED_IDS = ["no end", "misspelled end", "another misspelled end", "hidden tests without end",
                 "solution cell without markers", "end without begin", "nested", "region outside a solution cell",
                 "hidden tests outside a graded cell"]


def notebook_with(source, meta):
    nb = nbformat.v4.new_notebook(metadata={"kernelspec": {"name": "python3", "display_name": "Python 3",
                                                           "language": "python"}})
    nb.cells = [nbformat.v4.new_markdown_cell("# A lesson"), nbformat.v4.new_code_cell(source)]
    nb.cells[1].metadata["nbgrader"] = meta
    return nb


@pytest.mark.parametrize("source, meta, reason", MALFORMED, ids=MALFORMED_IDS)
def test_malformed_markers_are_refused_with_the_notebook_the_cell_and_the_reason(source, meta, reason):
    with pytest.raises(MarkerError) as refused:
        student_version(notebook_with(source, meta), name="solutions/09_x.ipynb")
    message = str(refused.value)
    assert message.startswith("solutions/09_x.ipynb, cell 2 (code, "), message
    assert reason in message, message


def test_make_lessons_refuses_a_malformed_notebook_exits_non_zero_and_writes_nothing(tmp_path):
    solutions, lessons = tmp_path / "solutions", tmp_path / "lessons"
    solutions.mkdir()
    nbformat.write(notebook_with("### BEGIN SOLUTION\na = 1\n### END SOLUTION\n", SOLUTION_META),
                   solutions / "08_fine.ipynb")
    nbformat.write(notebook_with(*MALFORMED[0][:2]), solutions / "09_broken.ipynb")
    result = subprocess.run([sys.executable, "-m", "utils.authoring", "lessons", "--solutions", str(solutions),
                             "--lessons", str(lessons)], capture_output=True, text=True, cwd=ROOT, timeout=120)
    assert result.returncode == 1
    assert "make lessons: refused, no lesson written" in result.stderr
    assert "09_broken.ipynb, cell 2 (code, grade_id 'ex9_1_f'" in result.stderr
    assert "has no 'END SOLUTION' after it" in result.stderr
    assert not lessons.exists() or not list(lessons.iterdir())  # not even the well-formed lesson


def test_make_lessons_writes_well_formed_notebooks(tmp_path):
    solutions, lessons = tmp_path / "solutions", tmp_path / "lessons"
    solutions.mkdir()
    nbformat.write(notebook_with("def f():\n    ### BEGIN SOLUTION\n    return 1\n    ### END SOLUTION\n",
                                 SOLUTION_META), solutions / "08_fine.ipynb")
    assert write_lessons(solutions_dir=solutions, lessons_dir=lessons) == [lessons / "08_fine.ipynb"]
    cell = nbformat.read(lessons / "08_fine.ipynb", as_version=4).cells[1]
    assert cell.source == "def f():\n    # YOUR CODE HERE\n    raise NotImplementedError()\n"
    assert write_lessons(check=True, solutions_dir=solutions, lessons_dir=lessons) == []


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
    """Check cells say "not done"; a cell that runs the learner's own code (tagged raises-exception, so
    that Run All goes on) may stop with NotImplementedError; every other cell runs."""
    nb = execute(path, path.parent)
    failed = {i for i, c in enumerate(nb.cells) if any(o.output_type == "error" for o in c.get("outputs", []))}
    checks = {i for i, c in enumerate(nb.cells) if nbgrader(c).get("grade")}
    uses_learners_code = {i for i, c in enumerate(nb.cells)
                          if "raises-exception" in c.metadata.get("tags", []) and i not in checks}
    assert checks <= failed <= checks | uses_learners_code, \
        f"cells that failed: {sorted(failed)}, check cells: {sorted(checks)}"
    for i in failed:
        error = next(o for o in nb.cells[i].outputs if o.output_type == "error")
        expected = "ExerciseNotDone" if i in checks else "NotImplementedError"
        assert error.ename == expected, (i, error.ename, error.evalue)


def make_check(lesson_path, tmp_path):
    """Run what `make check` runs on a lesson file, from a folder outside the repository; return its output.

    The exercise report comes from the installed course's pytest entry point, not from a conftest.py."""
    result = subprocess.run(
        [sys.executable, "-m", "pytest", "--nbval-lax", "--nbval-current-env", "-q", "--tb=no", "-rN",
         "-o", "console_output_style=classic", "--exercise-report-only",
         "-p", "no:cacheprovider", "--rootdir", str(tmp_path), str(lesson_path)],
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
    assert "Lesson 01_perceptron.ipynb: 0 of 6 exercises pass" in out
    assert out.count("is not done yet") == 6, out
    assert "other cell(s) that are not exercise checks failed" not in out  # raises-exception cells may fail


def test_make_check_passes_a_completed_lesson(tmp_path):
    code, out = make_check(completed_lesson(tmp_path), tmp_path)
    assert "6 of 6 exercises pass" in out, out
    assert code == 0, out
    assert not re.search(r"\d+ (passed|failed)", out), out  # the exercise count only, no cell counts


@pytest.mark.parametrize("source, message", [
    ("def sigmoid(z):\n    return 1 / (1 + np.exp(-z))\n", "e^(-z) = e^1000 overflows"),
    # the check reads the learner's source in the kernel, as it must in JupyterLab
    ("def sigmoid(z):\n    with np.errstate(over='ignore'):\n        return 1 / (1 + np.exp(-z))\n",
     "silences numpy's warnings (errstate)"),
    # an errstate object built in another cell, before the check ran: refused at run time in the kernel
    ("quiet = np.errstate(over='ignore')\ndef sigmoid(z):\n    with quiet:\n        return 1 / (1 + np.e ** -z)\n",
     "silences numpy's warnings (errstate)"),
], ids=["naive", "silenced", "silenced-outside"])
def test_make_check_explains_a_wrong_answer(tmp_path, source, message):
    code, out = make_check(completed_lesson(tmp_path, ("ex1_2_sigmoid", source)), tmp_path)
    assert code != 0
    assert "5 of 6 exercises pass" in out, out
    assert "FAILED  Exercise 1.2 sigmoid" in out and message in out, out


def test_make_check_with_a_lesson_that_does_not_exist_says_so_instead_of_running_every_test():
    result = subprocess.run(["make", "--no-print-directory", "check", "LESSON=1"], cwd=ROOT,
                            capture_output=True, text=True, timeout=600)
    assert result.returncode != 0
    assert "give its two-digit number, e.g. make check LESSON=01" in result.stdout + result.stderr
    assert "passed" not in result.stdout


def test_make_check_ends_on_the_report_without_make_errors_or_cell_counts():
    result = subprocess.run(["make", "--no-print-directory", "check", "LESSON=01"], cwd=ROOT,
                            capture_output=True, text=True, timeout=600)
    out = result.stdout + result.stderr
    assert result.returncode == 0, out  # failing exercises are the report's answer, not make's error
    assert "Lesson 01_perceptron.ipynb: 0 of 6 exercises pass" in out
    assert "make: ***" not in out and not re.search(r"\d+ (passed|failed)", out), out
    assert out.rstrip().splitlines()[-1].startswith("          ExerciseNotDone: Exercise 1.6"), out


def test_make_check_strict_exits_non_zero_when_an_exercise_fails():
    result = subprocess.run(["make", "--no-print-directory", "check", "LESSON=00", "STRICT=1"], cwd=ROOT,
                            capture_output=True, text=True, timeout=600)
    assert result.returncode != 0 and "0 of 1 exercises pass" in result.stdout
