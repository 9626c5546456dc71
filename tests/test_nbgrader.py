"""Instructors drop solutions/ into nbgrader unchanged: a round trip through the real nbgrader.

nbgrader is not a requirement of the course (a learner does not need it). `make test-classroom` installs
the pinned version below into its own environment, `.venv-nbgrader`, and points `NBGRADER_PYTHON` at its
Python; elsewhere these tests run where nbgrader is importable and are skipped otherwise. For every lesson
in solutions/, in one course directory and with one `autograde` call for all of them, they check what the
README promises instructors:

- `nbgrader generate_assignment` accepts each solution notebook and releases exactly our `lessons/`
  (the same cells, sources and nbgrader metadata);
- `nbgrader autograde` gives every check cell its full points in the solutions and zero in the lessons
  as released (the stubs);
- a copy with one exercise answered wrongly loses exactly that exercise's points, no more: in every
  lesson with hidden tests, the exercise they test is answered by a function that passes the visible
  check and fails only the hidden tests (lesson 00 has none: a named wrong answer from wrong_answers.py);
- `nbgrader generate_feedback`, with the course's `nbgrader_config.py`, writes feedback in which no line
  of a hidden test appears, neither in a cell nor in a traceback, while nbgrader's defaults would show
  them (so the check can fail);
- every cell of every solution notebook, and a few edge cases (final newlines, malformed markers),
  comes out of `make lessons` exactly as out of nbgrader's own preprocessors, or is refused where
  nbgrader refuses it or would blank it.

Each lesson's header states its total points, the sum of its check cells' points; that test needs no
nbgrader and runs everywhere.
"""

import csv
import html
import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest

from notebook_tools import LESSONS, ROOT, SOLUTIONS, exercises, nbgrader
from utils.authoring import MarkerError, student_cell_source
from wrong_answers import WRONG_ANSWERS

#: The nbgrader version these tests were run with (`make test-classroom` installs exactly this one).
NBGRADER_VERSION = "0.9.6"
ASSIGNMENT = "ps"
TESTS = Path(__file__).resolve().parent


def nbgrader_python():
    """The Python that has nbgrader: $NBGRADER_PYTHON when set (it must work then), else this one or a skip."""
    python = os.environ.get("NBGRADER_PYTHON")
    if python:
        assert Path(python).exists(), f"NBGRADER_PYTHON={python} does not exist; `make nbgrader-env` creates it"
        return python
    pytest.importorskip("nbgrader")
    return sys.executable


def run_nbgrader(course, *args, python=None):
    # nbgrader runs `alembic` from PATH: put that environment's scripts first, as an activated venv would.
    python = python or nbgrader_python()
    env = dict(os.environ, PATH=os.pathsep.join([str(Path(python).parent), os.environ.get("PATH", "")]))
    result = subprocess.run([python, "-m", "nbgrader", *args, f"--CourseDirectory.root={course}"],
                            cwd=course, env=env, capture_output=True, text=True, timeout=1800)
    assert result.returncode == 0, result.stdout + result.stderr
    return result


def points(cell):
    return nbgrader(cell).get("points", 0) if nbgrader(cell).get("grade") else 0


def hidden_tests(cell):
    """The lines between a cell's hidden-test markers."""
    inside, lines = False, []
    for line in cell.source.split("\n"):
        if "BEGIN HIDDEN TESTS" in line:
            inside = True
        elif "END HIDDEN TESTS" in line:
            inside = False
        elif inside:
            lines.append(line)
    return lines


def solved(released, source):
    """The released notebook as a student who wrote the reference answers would hand it in.

    The solution cells come back whole; their ### markers are comments, as in test_lessons."""
    for cell, original in zip(released.cells, source.cells):
        if nbgrader(cell).get("solution"):
            cell.source = original.source
    return released


#: Appended to a right answer: right wherever it is called from (the course's visible check, the learner's own
#: later code), except from a cell that holds hidden tests, which IPython keeps in linecache. A student whose
#: answer only the hidden tests catch.
_ONLY_HIDDEN_TESTS_CATCH_IT = """

import functools as _functools
import linecache as _linecache
import sys as _sys
_right_{name} = {name}


@_functools.wraps(_right_{name})
def {name}(*args, **kwargs):
    if "HIDDEN TESTS" in "".join(_linecache.getlines(_sys._getframe(1).f_code.co_filename)):
        raise ValueError("this answer is wrong where only the hidden tests look")
    return _right_{name}(*args, **kwargs)
"""


def wrong_exercise(path):
    """(grade_id, check cell) of the exercise the `wrong` student gets wrong: the one with hidden tests."""
    found = [(grade_id, check) for grade_id, _, check, _ in exercises(path)]
    return next(((g, c) for g, c in found if hidden_tests(c)), max(found, key=lambda gc: points(gc[1])))


def answered_wrongly(released, source, path):
    """The solved notebook with one exercise answered wrongly (see wrong_exercise)."""
    nb = solved(released, source)
    grade_id, check = wrong_exercise(path)
    name = re.match(r"check_\w+\((\w+)\)", check.source)[1]
    cell = next(c for c in nb.cells if nbgrader(c).get("grade_id") == grade_id)
    if hidden_tests(check):
        cell.source += _ONLY_HIDDEN_TESTS_CATCH_IT.format(name=name)
    else:
        wrong = WRONG_ANSWERS[grade_id][0][0].__name__
        cell.source += (f"\n\nimport sys\nsys.path.insert(0, {str(TESTS)!r})\n"
                        f"from wrong_answers import {wrong} as {name}\n")
    return nb


#: The three students and how each hands a lesson in: (released notebook, solution notebook, its path) -> notebook.
STUDENTS = {"solved": lambda released, source, path: solved(released, source),
            "stubs": lambda released, source, path: released,
            "wrong": answered_wrongly}

#: Prints {student: {notebook: {grade cell: [score, max_score]}}} from a course's gradebook.
_SCORES = """
import json, sys
from nbgrader.api import Gradebook
scores = {}
with Gradebook("sqlite:///" + sys.argv[1] + "/gradebook.db") as gradebook:
    for submission in gradebook.assignment_submissions(sys.argv[2]):
        for notebook in submission.notebooks:
            for grade in notebook.grades:
                scores.setdefault(submission.student_id, {}).setdefault(notebook.name, {})[grade.name] = [
                    grade.score, grade.max_score]
print(json.dumps(scores))
"""


@pytest.fixture(scope="module")
def course(tmp_path_factory):
    python = nbgrader_python()
    version = subprocess.run([python, "-c", "import nbgrader; print(nbgrader.__version__)"], capture_output=True,
                             text=True, timeout=120).stdout.strip()
    assert version == NBGRADER_VERSION, f"these tests were written for nbgrader {NBGRADER_VERSION}, got {version}"
    course = tmp_path_factory.mktemp("course")
    shutil.copy(ROOT / "nbgrader_config.py", course)
    (course / "source" / ASSIGNMENT).mkdir(parents=True)
    for path in SOLUTIONS:
        shutil.copy(path, course / "source" / ASSIGNMENT / path.name)
    run_nbgrader(course, "generate_assignment", ASSIGNMENT, "--force")
    release = course / "release" / ASSIGNMENT
    for student, hand_in in STUDENTS.items():
        (course / "submitted" / student / ASSIGNMENT).mkdir(parents=True)
        for path in SOLUTIONS:
            released = nbformat.read(release / path.name, as_version=4)
            nb = hand_in(released, nbformat.read(path, as_version=4), path)
            nbformat.write(nb, course / "submitted" / student / ASSIGNMENT / path.name)
    run_nbgrader(course, "autograde", ASSIGNMENT, "--create", "--force")
    run_nbgrader(course, "export", "--to", str(course / "grades.csv"))
    run_nbgrader(course, "generate_feedback", ASSIGNMENT, "--force")
    # The same feedback with nbgrader's defaults (no config file), to see that the leak check can fail.
    (course / "nbgrader_config.py").rename(course / "course_nbgrader_config.py.off")
    run_nbgrader(course, "generate_feedback", ASSIGNMENT, "--force",
                 "--CourseDirectory.feedback_directory=feedback_with_defaults")
    scores = subprocess.run([python, "-c", _SCORES, str(course), ASSIGNMENT], capture_output=True, text=True,
                            timeout=300)
    assert scores.returncode == 0, scores.stderr
    (course / "scores.json").write_text(scores.stdout)
    return course


def scores(course):
    return json.loads((course / "scores.json").read_text())


@pytest.mark.classroom
def test_nbgrader_release_has_the_cells_of_our_lessons(course):
    for lesson in LESSONS:
        released = nbformat.read(course / "release" / ASSIGNMENT / lesson.name, as_version=4)
        ours = nbformat.read(lesson, as_version=4)
        assert [c.source for c in released.cells] == [c.source for c in ours.cells], lesson.name
        for theirs, mine in zip(released.cells, ours.cells):
            for key in ("grade", "solution", "locked", "grade_id", "points"):
                assert nbgrader(theirs).get(key) == nbgrader(mine).get(key), (lesson.name, mine.get("id"), key)
    assert sorted(p.name for p in (course / "release" / ASSIGNMENT).iterdir()) == [p.name for p in LESSONS]


def expected_points(path):
    return {nbgrader(c)["grade_id"]: points(c) for c in nbformat.read(path, as_version=4).cells
            if nbgrader(c).get("grade")}


@pytest.mark.classroom
def test_autograde_gives_every_check_of_the_solutions_full_marks_and_of_the_stubs_none(course):
    graded = scores(course)
    for path in SOLUTIONS:
        wanted = expected_points(path)
        assert wanted and all(p > 0 for p in wanted.values()), path.name
        name = path.stem
        assert {cell: score for cell, (score, _) in graded["solved"][name].items()} == wanted, name
        assert {cell: top for cell, (_, top) in graded["solved"][name].items()} == wanted, name
        assert {cell: score for cell, (score, _) in graded["stubs"][name].items()} == dict.fromkeys(wanted, 0), name


@pytest.mark.classroom
def test_one_exercise_answered_wrongly_loses_exactly_its_points(course):
    graded = scores(course)
    for path in SOLUTIONS:
        wrong, _ = wrong_exercise(path)
        wanted = expected_points(path)
        wanted[f"check_{wrong}"] = 0
        got = {cell: score for cell, (score, _) in graded["wrong"][path.stem].items()}
        assert got == wanted, f"{path.name}: answering {wrong} wrongly should cost its points and nothing else"


@pytest.mark.classroom
def test_export_totals_match_the_points_of_every_lesson(course):
    with open(course / "grades.csv", newline="") as f:
        grades = {row["student_id"]: row for row in csv.DictReader(f)}
    total = sum(sum(expected_points(path).values()) for path in SOLUTIONS)
    lost = sum(points(wrong_exercise(path)[1]) for path in SOLUTIONS)
    assert float(grades["solved"]["max_score"]) == total
    assert float(grades["solved"]["score"]) == total
    assert float(grades["stubs"]["score"]) == 0
    assert float(grades["wrong"]["score"]) == total - lost > 0


def page_text(path):
    """What a student reads in a feedback page: its text without tags (code is split into spans)."""
    return html.unescape(re.sub(r"<[^>]+>", "", path.read_text()))


def leaked_lines(feedback_dir):
    """(feedback file, hidden-test line) for every line of a hidden test found in a feedback page."""
    leaks = []
    for path, lesson in zip(SOLUTIONS, LESSONS):
        # A hidden test's line that the student's own lesson holds too (an import, a data set) is no secret.
        shown = "\n".join(cell.source for cell in nbformat.read(lesson, as_version=4).cells)
        hidden = [line.strip() for cell in nbformat.read(path, as_version=4).cells for line in hidden_tests(cell)]
        hidden = [line for line in hidden if len(line) > 12 and line not in shown]  # and no fragment such as ")"
        for student in STUDENTS:
            page = feedback_dir / student / ASSIGNMENT / f"{path.stem}.html"
            assert page.exists(), page
            text = page_text(page)
            leaks += [(f"{student}/{page.name}", line) for line in hidden if line in text]
    return leaks


@pytest.mark.classroom
def test_feedback_holds_no_hidden_test(course):
    leaks = leaked_lines(course / "feedback")
    assert not leaks, f"hidden tests in the feedback: {leaks[:5]}"
    # The feedback still says what failed: the hidden test's message, and the check's own for a wrong answer.
    text = page_text(course / "feedback" / "wrong" / ASSIGNMENT / "01_perceptron.html")
    assert "ValueError: this answer is wrong where only the hidden tests look" in text
    assert "Exercise 1.1 weighted_sum: all" in text
    text = page_text(course / "feedback" / "wrong" / ASSIGNMENT / "00_welcome.html")
    assert "Exercise 0.1 column_means: case" in text


@pytest.mark.classroom
def test_nbgraders_default_feedback_would_leak_hidden_tests(course):
    # Why the course ships nbgrader_config.py: without it, the students would read the hidden tests.
    leaky_pages = {page for page, _ in leaked_lines(course / "feedback_with_defaults")}
    with_hidden_tests = [p for p in SOLUTIONS if hidden_tests(wrong_exercise(p)[1])]
    assert len(with_hidden_tests) >= len(SOLUTIONS) - 1
    assert leaky_pages == {f"{student}/{p.stem}.html" for student in STUDENTS for p in with_hidden_tests}


#: "**Points:** 10 when graded ...: 3 for exercise 5.5; 2 each for 5.1 and 5.2; ..." up to the paragraph's end
HEADER_POINTS = re.compile(r"\*\*Points[.:]\*\*\s+(\d+)\b(.*?)(?:\n\n|$)", re.DOTALL)


@pytest.mark.parametrize("path", SOLUTIONS, ids=lambda p: p.name)
def test_every_lesson_header_states_its_total_points(path):
    nb = nbformat.read(path, as_version=4)
    header = nb.cells[0]
    assert header.cell_type == "markdown" and header.source.startswith("# "), path.name
    found = HEADER_POINTS.findall(header.source)
    assert len(found) == 1, f"{path.name}: the first cell should say '**Points:** N ...' once"
    checks = [c for c in nb.cells if nbgrader(c).get("grade")]
    assert checks and all(1 <= points(c) <= 3 for c in checks), f"{path.name}: 1 to 3 points per exercise"
    assert int(found[0][0]) == sum(points(c) for c in checks), f"{path.name}: header total != check cells' points"
    # the breakdown after the total names each exercise with its points ("3 for 5.5; 2 each for 5.1, 5.2; ...")
    stated = {}
    group = r"(\d)\s+(?:each\s+)?for\s+(?:exercise\s+)?((?:\d+\.\d+(?:,\s+|\s+and\s+)?)+)"
    for worth, numbers in re.findall(group, found[0][1]):
        stated.update(dict.fromkeys(re.findall(r"\d+\.\d+", numbers), int(worth)))
    real = {".".join(re.match(r"check_ex(\d+)_(\d+)_", nbgrader(c)["grade_id"]).groups()): points(c)
            for c in checks}
    assert stated == real, f"{path.name}: the header's breakdown {stated} differs from the check cells' {real}"


#: Runs nbgrader's ClearSolutions and ClearHiddenTests (what generate_assignment applies to sources) on cells.
_NBGRADER_STRIP = """
import json, sys
import nbformat
from nbgrader.preprocessors import ClearHiddenTests, ClearSolutions
result = []
for source, cell_type, meta in json.load(sys.stdin):
    cell = nbformat.v4.new_code_cell(source) if cell_type == "code" else nbformat.v4.new_markdown_cell(source)
    cell.metadata["nbgrader"] = meta
    try:
        ClearSolutions().preprocess_cell(cell, {"language": "python"}, 0)
        ClearHiddenTests().preprocess_cell(cell, {}, 0)
        result.append(["ok", cell.source])
    except RuntimeError as err:
        result.append(["refused", str(err)])
print(json.dumps(result))
"""

SOLUTION = {"grade": False, "grade_id": "ex9_1_f", "locked": False, "schema_version": 3, "solution": True,
            "task": False}
CHECK = {"grade": True, "grade_id": "check_ex9_1_f", "locked": True, "points": 1, "schema_version": 3,
         "solution": False, "task": False}
EDGE_CASES = [
    ("def f():\n    ### BEGIN SOLUTION\n    return 1\n    ### END SOLUTION\n", "code", SOLUTION),
    ("def f():\n    ### BEGIN SOLUTION\n    return 1\n    ### END SOLUTION\n\n", "code", SOLUTION),
    ("Why?\n### BEGIN SOLUTION\nBecause.\n### END SOLUTION\n", "markdown", SOLUTION),
    ("check(f)\n### BEGIN HIDDEN TESTS\nassert f() == 1\n### END HIDDEN TESTS\n", "code", CHECK),
    ("check(f)\n### BEGIN HIDDEN TESTS\nassert f() == 1\n### END HIDDEN TESTS\nprint(1)", "code", CHECK),
    ("def f():\n    ### BEGIN SOLUTION\n    return 1\n", "code", SOLUTION),  # no end
    ("def f():\n    ### BEGIN SOLUTION\n    return 1\n    ### END SOLUTON", "code", SOLUTION),  # misspelled
    ("check(f)\n### BEGIN HIDDEN TESTS\nassert f() == 1\n", "code", CHECK),  # hidden tests without end
    ("def f():\n    return 1\n", "code", SOLUTION),  # no markers: nbgrader blanks the cell, we refuse
]


@pytest.mark.classroom
def test_make_lessons_writes_every_cell_as_nbgrader_does_or_refuses_it():
    cells = [(c.source, c.cell_type, nbgrader(c)) for path in SOLUTIONS
             for c in nbformat.read(path, as_version=4).cells] + EDGE_CASES
    result = subprocess.run([nbgrader_python(), "-c", _NBGRADER_STRIP], input=json.dumps(cells), cwd=ROOT,
                            capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    for (source, cell_type, meta), (status, theirs) in zip(cells, json.loads(result.stdout)):
        cell = nbformat.v4.new_code_cell(source) if cell_type == "code" else nbformat.v4.new_markdown_cell(source)
        cell.metadata["nbgrader"] = meta
        try:
            ours = student_cell_source(cell)
        except MarkerError:
            # refused where nbgrader refuses, or where it would silently hand out a blank cell
            assert status == "refused" or theirs in ("# YOUR CODE HERE\nraise NotImplementedError()",
                                                     "YOUR ANSWER HERE"), (source, theirs)
            continue
        assert status == "ok" and ours == theirs, (source, status, theirs, ours)
