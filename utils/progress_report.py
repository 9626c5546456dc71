"""A learner's progress through the course: every lesson, each exercise passed, failed or not attempted.

From a terminal, in the course folder::

    make progress                      # or: python -m utils.progress_report lessons

From a notebook cell (save your notebooks first: the report reads them from disk)::

    from utils.progress_report import progress
    progress()

The report reads your own notebooks in ``lessons/`` and never changes them. An exercise is *not attempted*
while its cell still holds the stub, ``# YOUR CODE HERE`` followed by ``raise NotImplementedError()``. A
lesson with at least one attempted exercise is copied to a temporary folder and run there, cell by cell in
a fresh kernel (nbclient, errors allowed, as ``make check`` does), up to the check cell of its last attempted
exercise; the check cells of exercises not attempted are not run. Each attempted exercise then *passed* when
its check cell ran without an error and *failed* otherwise, with the first line of the check's message. A
lesson with no attempted exercise is not run at all. Lessons run in parallel, one kernel per CPU core.
"""

import argparse
import asyncio
import concurrent.futures
import os
import re
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

import nbformat

from utils.exercise_report import exercise_title

#: The stub that ``make lessons`` (and nbgrader) put where the learner writes an exercise.
_STUB = re.compile(r"#\s*YOUR CODE HERE[ \t]*\n[ \t]*raise NotImplementedError\(\)")
_LESSON = re.compile(r"\d\d_\w+\.ipynb")
PASSED, FAILED, NOT_ATTEMPTED = "passed", "FAILED", "not attempted"


@dataclass
class ExerciseProgress:
    """One exercise: its title (``Exercise 1.2 sigmoid``), its status and, when it failed, why."""

    title: str
    status: str
    message: str = ""


@dataclass
class LessonProgress:
    """One lesson (its file name) and its exercises in the order of the notebook; `error` if it could not be read."""

    name: str
    exercises: list = field(default_factory=list)
    error: str = ""

    def count(self, status):
        return sum(ex.status == status for ex in self.exercises)


@dataclass
class CourseProgress:
    """The report for a folder of lessons; its text (``str`` or the notebook's display) lists every exercise."""

    folder: Path
    lessons: list

    def count(self, status):
        return sum(lesson.count(status) for lesson in self.lessons)

    def __str__(self):
        total = sum(len(lesson.exercises) for lesson in self.lessons)
        lines = [f"Your progress in {self.folder}: {self.count(PASSED)} of {total} exercises passed, "
                 f"{self.count(FAILED)} failed, {self.count(NOT_ATTEMPTED)} not attempted", ""]
        for lesson in self.lessons:
            if lesson.error:
                lines.append(f"{lesson.name}: could not be read ({lesson.error})")
                continue
            lines.append(f"{lesson.name}: {lesson.count(PASSED)} of {len(lesson.exercises)} passed")
            for ex in lesson.exercises:
                lines.append(f"  {ex.status:<14} {ex.title}")
                if ex.message:
                    lines.append(f"  {'':<14} {ex.message}")
        if self.count(FAILED):
            lines += ["", "For the whole message of a failed check: make check LESSON=NN (or run its check cell)."]
        return "\n".join(lines)

    __repr__ = __str__


def is_stub(source):
    """True while an exercise cell's source still holds the stub the learner replaces."""
    return bool(_STUB.search(source))


def _exercises(nb):
    """[(title, exercise cell index, check cell index)] of a lesson, from its cells' nbgrader metadata."""
    meta = [cell.metadata.get("nbgrader", {}) for cell in nb.cells]
    checks = {m.get("grade_id"): i for i, m in enumerate(meta) if m.get("grade")}
    found = []
    for i, m in enumerate(meta):
        check = checks.get(f"check_{m.get('grade_id')}")
        if m.get("solution") and check is not None:
            found.append((exercise_title(f"check_{m['grade_id']}") or m["grade_id"], i, check))
    return found


def _first_error(cell):
    """``ename: evalue`` (first line) of the first error a cell's outputs hold, or None."""
    for output in cell.get("outputs", []):
        if output.get("output_type") == "error":
            evalue = (output.get("evalue") or "").strip().splitlines()
            message = f"{output.get('ename', 'Error')}: {evalue[0] if evalue else ''}".rstrip(": ")
            return re.sub(r" \(\d+\.py, line (\d+)\)", r" (line \1 of the cell)", message)  # a kernel's temp file
    return None


def _shorten(text, width=110):
    return text if len(text) <= width else text[:width - 3] + "..."


async def _run_lesson(path, exercises, timeout, env):
    """Run a temporary copy of the lesson up to its last attempted check; return the executed notebook."""
    from nbclient import NotebookClient

    nb = nbformat.read(path, as_version=4)
    attempted = [(ex, check) for _, ex, check in exercises if not is_stub(nb.cells[ex].source)]
    skipped = {check for _, ex, check in exercises if is_stub(nb.cells[ex].source)}
    last = max(check for _, check in attempted)
    with tempfile.TemporaryDirectory(prefix="course-progress-") as folder:
        shutil.copy(path, Path(folder) / path.name)  # the kernel's working folder holds the copy, never the original
        client = NotebookClient(nb, timeout=timeout, allow_errors=True, kernel_name="python3",
                                resources={"metadata": {"path": folder}})
        # stderr: the kernels' start-up warnings are not the learner's business here
        async with client.async_setup_kernel(env=env, stderr=subprocess.DEVNULL):
            for index, cell in enumerate(nb.cells[:last + 1]):
                if cell.cell_type == "code" and index not in skipped:
                    await client.async_execute_cell(cell, index)
    return nb


async def _lesson_progress(path, timeout, env, slots):
    try:
        nb = nbformat.read(path, as_version=4)
    except Exception as err:  # not a notebook any more (a half-saved file, an edit by hand)
        return LessonProgress(path.name, error=_shorten(f"{type(err).__name__}: {err}".splitlines()[0], 90))
    exercises = _exercises(nb)
    lesson = LessonProgress(path.name)
    run = None
    if any(not is_stub(nb.cells[ex].source) for _, ex, _ in exercises):
        async with slots:
            try:
                run = await _run_lesson(path, exercises, timeout, env)
            except Exception as err:  # a cell timed out or the kernel died: the checks after it never ran
                run = err
    for title, ex, check in exercises:
        if is_stub(nb.cells[ex].source):
            lesson.exercises.append(ExerciseProgress(title, NOT_ATTEMPTED))
        elif isinstance(run, Exception):
            lesson.exercises.append(ExerciseProgress(title, FAILED, _shorten(
                f"the lesson could not be run to its check: {type(run).__name__}: {run}".splitlines()[0])))
        elif not run.cells[check].get("execution_count"):
            lesson.exercises.append(ExerciseProgress(title, FAILED, "its check cell did not run"))
        else:
            error = _first_error(run.cells[ex])
            error = f"your exercise cell raised {error}" if error else _first_error(run.cells[check])
            lesson.exercises.append(ExerciseProgress(title, FAILED if error else PASSED, _shorten(error or "")))
    return lesson


def _lessons_folder(lessons_dir):
    if lessons_dir is None:  # a notebook runs in its own folder, lessons/; a terminal in the course folder
        here = Path.cwd()
        lessons_dir = here if any(_LESSON.fullmatch(p.name) for p in here.glob("*.ipynb")) else here / "lessons"
    if not isinstance(lessons_dir, (str, os.PathLike)):
        raise TypeError(f"lessons_dir must be a folder (a str or a Path), got {type(lessons_dir).__name__}")
    folder = Path(lessons_dir)
    paths = sorted(p for p in folder.glob("*.ipynb") if _LESSON.fullmatch(p.name)) if folder.is_dir() else []
    if not paths:
        raise FileNotFoundError(f"expected a folder of lessons (notebooks named like 01_perceptron.ipynb), "
                                f"got {str(folder)!r}, which {'holds none' if folder.is_dir() else 'is not a folder'}")
    return folder, paths


def progress(lessons_dir=None, *, workers=None, timeout=600):
    """Report every exercise of every lesson in `lessons_dir` as passed, failed or not attempted.

    Parameters
    ----------
    lessons_dir : str or Path, optional
        The folder of your lessons. By default the current folder when it holds lessons (a notebook's
        own folder, ``lessons/``), else ``./lessons``. The notebooks are read, never written.
    workers : int, optional
        How many lessons run at once, each in its own kernel; by default one per CPU core.
    timeout : float, default 600
        Seconds one cell may run before its lesson is reported as not run to its end.

    Returns
    -------
    CourseProgress
        Its text lists each lesson and each exercise; ``.lessons`` holds the same as
        :class:`LessonProgress` objects, each exercise an :class:`ExerciseProgress`.

    Raises
    ------
    FileNotFoundError
        When `lessons_dir` is not a folder or holds no lesson notebook.
    TypeError, ValueError
        When `lessons_dir` is not a path, or `workers` is not a positive integer.
    """
    folder, paths = _lessons_folder(lessons_dir)
    if workers is None:
        workers = os.cpu_count() or 1
    if isinstance(workers, bool) or not isinstance(workers, int) or workers < 1:
        raise ValueError(f"workers must be a positive integer, got {workers!r}")
    # Several kernels at once: one BLAS thread each, so they do not compete for the same cores.
    env = dict(os.environ, OPENBLAS_NUM_THREADS="1", OMP_NUM_THREADS="1", MKL_NUM_THREADS="1")

    async def run_all():
        slots = asyncio.Semaphore(workers)
        # Later lessons train bigger networks and take longest: they start first, so that the last one
        # to finish is a short one (the report keeps the lessons' order).
        tasks = {path: asyncio.ensure_future(_lesson_progress(path, timeout, env, slots)) for path in paths[::-1]}
        return [await tasks[path] for path in paths]

    # A thread of its own, with its own event loop: a notebook's kernel already runs one.
    with concurrent.futures.ThreadPoolExecutor(1) as pool:
        lessons = pool.submit(asyncio.run, run_all()).result()
    return CourseProgress(folder, list(lessons))


def main(argv=None):
    parser = argparse.ArgumentParser(prog="make progress", description=__doc__.split("\n\n")[0])
    parser.add_argument("lessons", nargs="?", default=None, help="the folder of your lessons (default: lessons/)")
    parser.add_argument("--workers", type=int, default=None, help="lessons run at once (default: one per core)")
    args = parser.parse_args(argv)
    try:
        folder, _ = _lessons_folder(args.lessons)
    except (FileNotFoundError, TypeError) as err:
        parser.exit(2, f"make progress: {err}\n")
    print(f"Running the lessons in {folder} that you have started, in fresh kernels (your notebooks are not "
          f"changed)...", file=sys.stderr, flush=True)
    print(progress(folder, workers=args.workers))


if __name__ == "__main__":
    main()
