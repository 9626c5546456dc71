"""`make progress` and `progress()`: a learner's own lessons, each exercise passed, failed or not attempted.

The report is tested on a half-finished course: a copy of lessons/ in which a learner answered some
exercises right (the reference answers), some wrongly (a mistake from wrong_answers.py, typed into the
cell, and a syntax error) and left the others as handed out.
"""

import hashlib
import re
import shutil
import subprocess
import sys

import nbformat
import pytest

from notebook_tools import LESSONS, ROOT, SOLUTIONS, exercises, nbgrader
from utils.progress_report import FAILED, NOT_ATTEMPTED, PASSED, is_stub, progress

STUB = "# YOUR CODE HERE\n    raise NotImplementedError()"

#: What the learner did, per exercise: the reference answer, or a body typed in place of the stub.
RIGHT = "right"
ANSWERS = {
    "ex0_1_column_means": RIGHT,
    "ex1_1_weighted_sum": RIGHT,
    "ex1_2_sigmoid": "return 1 / (1 + np.exp(-z))",  # wrong_answers.sigmoid_naive_overflows
    "ex1_3_perceptron_predict": "return (X @ w + b >= 0",  # a syntax error
    "ex1_4_and_weights": RIGHT,
    "ex2_1_collapse_linear": "return (1.0 * W1) @ W2, 1.0 * b2",  # wrong_answers.collapse_linear_forgot_first_bias
}
#: The report a learner should see for them: status and the start of the message.
EXPECTED = {
    "ex0_1_column_means": (PASSED, ""),
    "ex1_1_weighted_sum": (PASSED, ""),
    "ex1_2_sigmoid": (FAILED, "AssertionError: Exercise 1.2 sigmoid: case "),
    "ex1_3_perceptron_predict": (FAILED, "your exercise cell raised SyntaxError"),
    "ex1_4_and_weights": (PASSED, ""),
    "ex2_1_collapse_linear": (FAILED, "AssertionError: Exercise 2.1 collapse_linear: case "),
}


def answer(lesson, solution, grade_id):
    """Put the learner's answer to `grade_id` into `lesson` (a notebook read from lessons/)."""
    cell = next(c for c in lesson.cells if nbgrader(c).get("grade_id") == grade_id)
    what = ANSWERS[grade_id]
    if what == RIGHT:
        cell.source = next(c for c in solution.cells if nbgrader(c).get("grade_id") == grade_id).source
    else:
        assert STUB in cell.source, grade_id
        cell.source = cell.source.replace(STUB, what)


def snapshot(folder):
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.iterdir())}


@pytest.fixture(scope="module")
def half_finished(tmp_path_factory):
    folder = tmp_path_factory.mktemp("lessons")
    for lesson_path, solution_path in zip(LESSONS, SOLUTIONS):
        lesson = nbformat.read(lesson_path, as_version=4)
        solution = nbformat.read(solution_path, as_version=4)
        for grade_id, *_ in exercises(lesson_path):
            if grade_id in ANSWERS:
                answer(lesson, solution, grade_id)
        nbformat.write(lesson, folder / lesson_path.name)
    before = snapshot(folder)
    report = progress(folder)
    return folder, before, report


def test_the_report_says_for_each_exercise_passed_failed_or_not_attempted(half_finished):
    _, _, report = half_finished
    assert [lesson.name for lesson in report.lessons] == [p.name for p in LESSONS]
    for lesson, path in zip(report.lessons, LESSONS):
        ids = [grade_id for grade_id, *_ in exercises(path)]
        assert len(lesson.exercises) == len(ids), lesson.name
        for grade_id, got in zip(ids, lesson.exercises):
            number = ".".join(re.match(r"ex(\d+)_(\d+)_", grade_id).groups())
            assert got.title.startswith(f"Exercise {number} "), (grade_id, got.title)
            status, message = EXPECTED.get(grade_id, (NOT_ATTEMPTED, ""))
            assert got.status == status, (grade_id, got)
            assert got.message.startswith(message) and bool(got.message) == bool(message), (grade_id, got)
    assert (report.count(PASSED), report.count(FAILED)) == (3, 3)
    assert report.count(NOT_ATTEMPTED) == sum(len(exercises(p)) for p in LESSONS) - 6


def test_the_text_lists_every_lesson_and_exercise(half_finished):
    _, _, report = half_finished
    text = str(report)
    total = sum(len(exercises(p)) for p in LESSONS)
    assert text.startswith(f"Your progress in {report.folder}: 3 of {total} exercises passed, 3 failed, "
                           f"{total - 6} not attempted")
    assert "00_welcome.ipynb: 1 of 1 passed\n  passed         Exercise 0.1 column_means" in text
    assert "01_perceptron.ipynb: 2 of 6 passed" in text
    assert re.search(r"  FAILED         Exercise 1\.2 sigmoid\n                 AssertionError: Exercise 1\.2 "
                     r"sigmoid: case \d+ of \d+ failed", text), text
    assert "  not attempted  Exercise 1.5 perceptron_update\n" in text
    assert "make check LESSON=NN" in text
    assert all(f"{p.name}: " in text for p in LESSONS)


def test_the_learners_notebooks_are_left_as_they_were(half_finished):
    folder, before, _ = half_finished
    assert snapshot(folder) == before


def test_a_cell_left_as_handed_out_is_not_attempted_and_any_edit_is():
    cell = nbformat.read(LESSONS[1], as_version=4).cells
    stub = next(c.source for c in cell if nbgrader(c).get("solution"))
    assert is_stub(stub)
    assert not is_stub(stub.replace("raise NotImplementedError()", "return X @ w + b"))
    assert not is_stub(stub.replace("# YOUR CODE HERE\n", ""))  # attempted; its check says "not done"


def test_progress_runs_from_a_notebook_cell(tmp_path):
    # A kernel already runs an event loop; progress() must work there too (in its own thread).
    folder = tmp_path / "lessons"
    folder.mkdir()
    lesson, solution = (nbformat.read(p, as_version=4) for p in (LESSONS[0], SOLUTIONS[0]))
    answer(lesson, solution, "ex0_1_column_means")
    nbformat.write(lesson, folder / LESSONS[0].name)
    shutil.copy(LESSONS[1], folder)
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(
        "from utils.progress_report import progress\nprogress()")])
    nbformat.write(nb, folder / "my_notes.ipynb")  # a notebook of the learner's own, not a lesson
    from notebook_tools import execute
    run = execute(folder / "my_notes.ipynb", folder)  # in lessons/: progress() finds them there
    outputs = run.cells[0].outputs
    assert not [o for o in outputs if o.output_type == "error"], outputs
    text = outputs[-1]["data"]["text/plain"]
    assert "00_welcome.ipynb: 1 of 1 passed" in text and "01_perceptron.ipynb: 0 of 6 passed" in text, text


def test_make_progress_lists_the_course_as_handed_out():
    result = subprocess.run(["make", "--no-print-directory", "progress"], cwd=ROOT, capture_output=True, text=True,
                            timeout=600)
    assert result.returncode == 0, result.stdout + result.stderr
    total = sum(len(exercises(p)) for p in LESSONS)
    assert f": 0 of {total} exercises passed, 0 failed, {total} not attempted" in result.stdout, result.stdout
    assert all(f"{p.name}: 0 of " in result.stdout for p in LESSONS)


def test_a_lesson_that_is_no_notebook_is_reported_and_the_others_still_are(tmp_path):
    (tmp_path / "00_welcome.ipynb").write_text('{"cells": [')  # a half-saved file
    shutil.copy(LESSONS[1], tmp_path)
    report = progress(tmp_path)
    assert report.lessons[0].error.startswith(("NotJSONError", "JSONDecodeError")), report.lessons[0].error
    assert "00_welcome.ipynb: could not be read (" in str(report)
    assert report.lessons[1].count(NOT_ATTEMPTED) == len(exercises(LESSONS[1])) == 6


def test_a_folder_without_lessons_is_refused_with_what_was_expected(tmp_path):
    with pytest.raises(FileNotFoundError, match=r"expected a folder of lessons .* got '.*empty', which holds none"):
        progress(tmp_path / "empty" if (tmp_path / "empty").mkdir() is None else None)
    with pytest.raises(ValueError, match="workers must be a positive integer, got 0"):
        progress(LESSONS[0].parent, workers=0)
    result = subprocess.run([sys.executable, "-m", "utils.progress_report", str(tmp_path / "nowhere")],
                            cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert result.returncode == 2
    assert "which is not a folder" in result.stderr
