"""Instructors drop solutions/ into nbgrader unchanged: a round trip through the real nbgrader.

nbgrader is not a requirement of the course, so this runs only where it is installed
(`pip install nbgrader` in the course's environment) and is skipped elsewhere. It checks what
the README promises instructors:

- `nbgrader generate_assignment` writes, from each solution notebook, a student version whose
  cells are exactly those of our generated `lessons/` (same sources, same metadata);
- `nbgrader autograde` gives full marks to a submission with the solutions filled in and
  zero to one handed in as released (the stubs), with each check cell's points.
"""

import csv
import os
import shutil
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest

from notebook_tools import LESSONS, SOLUTIONS, nbgrader

pytest.importorskip("nbgrader")

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
