"""Instructors drop solutions/ into nbgrader unchanged: a round trip through the real nbgrader.

nbgrader is not a requirement of the course, so this runs only where it is installed
(`pip install nbgrader` in the course's environment) and is skipped elsewhere. It checks what
the README promises instructors:

- `nbgrader generate_assignment` writes, from each solution notebook, a student version whose
  cells are exactly those of our generated `lessons/` (same sources, same metadata);
- `nbgrader autograde` gives full marks to a submission with the solutions filled in and
  zero to one handed in as released (the stubs), with each check cell's points;
- every cell of every solution notebook, and a few edge cases (final newlines, malformed
  markers), comes out of `make lessons` exactly as out of nbgrader's own preprocessors, or
  is refused where nbgrader refuses it or would blank it.

nbgrader may also live in another environment: `NBGRADER_PYTHON=/path/to/python` runs the
comparison of the last point there (the course does not need nbgrader in its own .venv).
"""

import csv
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest

from notebook_tools import LESSONS, ROOT, SOLUTIONS, nbgrader
from utils.authoring import MarkerError, student_cell_source

ASSIGNMENT = "ps"


def run_nbgrader(course, *args):
    # nbgrader runs `alembic` from PATH: put this environment's scripts first, as an activated venv would.
    env = dict(os.environ, PATH=os.pathsep.join([str(Path(sys.executable).parent), os.environ.get("PATH", "")]))
    result = subprocess.run([sys.executable, "-m", "nbgrader", *args, f"--CourseDirectory.root={course}"],
                            cwd=course, env=env, capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stdout + result.stderr
    return result


def solved(released, source):
    """The released notebook as a student who wrote the reference answers would hand it in.

    The solution cells come back whole; their ### markers are comments, as in test_lessons."""
    for cell, original in zip(released.cells, source.cells):
        if nbgrader(cell).get("solution"):
            cell.source = original.source
    return released


@pytest.fixture(scope="module")
def course(tmp_path_factory):
    pytest.importorskip("nbgrader")
    course = tmp_path_factory.mktemp("course")
    (course / "source" / ASSIGNMENT).mkdir(parents=True)
    for path in SOLUTIONS:
        shutil.copy(path, course / "source" / ASSIGNMENT / path.name)
    run_nbgrader(course, "generate_assignment", ASSIGNMENT, "--force")
    release = course / "release" / ASSIGNMENT
    for student in ("solved", "stubs"):
        (course / "submitted" / student / ASSIGNMENT).mkdir(parents=True)
    for path in SOLUTIONS:
        released = nbformat.read(release / path.name, as_version=4)
        nbformat.write(released, course / "submitted" / "stubs" / ASSIGNMENT / path.name)
        source = nbformat.read(path, as_version=4)
        nbformat.write(solved(released, source), course / "submitted" / "solved" / ASSIGNMENT / path.name)
    run_nbgrader(course, "autograde", ASSIGNMENT, "--create", "--force")
    run_nbgrader(course, "export", "--to", str(course / "grades.csv"))
    return course


def test_nbgrader_release_has_the_cells_of_our_lessons(course):
    for lesson in LESSONS:
        released = nbformat.read(course / "release" / ASSIGNMENT / lesson.name, as_version=4)
        ours = nbformat.read(lesson, as_version=4)
        assert [c.source for c in released.cells] == [c.source for c in ours.cells], lesson.name
        for theirs, mine in zip(released.cells, ours.cells):
            for key in ("grade", "solution", "locked", "grade_id", "points"):
                assert nbgrader(theirs).get(key) == nbgrader(mine).get(key), (lesson.name, mine.get("id"), key)


def test_nbgrader_autograde_gives_full_marks_to_solutions_and_none_to_stubs(course):
    with open(course / "grades.csv", newline="") as f:
        grades = {row["student_id"]: row for row in csv.DictReader(f)}
    total = sum(nbgrader(c).get("points", 0) for path in SOLUTIONS
                for c in nbformat.read(path, as_version=4).cells if nbgrader(c).get("grade"))
    assert total > 0
    assert float(grades["solved"]["max_score"]) == total
    assert float(grades["solved"]["score"]) == total
    assert float(grades["stubs"]["score"]) == 0


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


def nbgrader_python():
    python = os.environ.get("NBGRADER_PYTHON")
    if python:
        return python
    pytest.importorskip("nbgrader")
    return sys.executable


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
