"""Authoring tools: write the student lessons from the solution notebooks.

``solutions/NN_topic.ipynb`` is the single source. Exercise code sits between
``### BEGIN SOLUTION`` and ``### END SOLUTION``; instructor-only checks between
``### BEGIN HIDDEN TESTS`` and ``### END HIDDEN TESTS``. The student version
replaces each solution region with ``# YOUR CODE HERE`` and
``raise NotImplementedError()`` at the same indentation (nbgrader's own
stub), deletes hidden tests, clears every output and keeps the cells'
metadata, so the lessons also drop into nbgrader unchanged: every cell's
source is, to the byte, what nbgrader 0.9's ``generate_assignment`` writes.

Malformed markers are refused before anything is written, with the notebook,
the cell and the reason: a BEGIN without its END (also a misspelled END), an
END without a BEGIN, nested regions, a solution cell without markers (nbgrader
would blank it), and markers in cells whose nbgrader metadata does not allow
them.

Usage::

    python -m utils.authoring lessons            # write lessons/ from solutions/
    python -m utils.authoring lessons --check    # exit 1 if lessons/ is out of date
    python -m utils.authoring execute solutions/01_perceptron.ipynb   # store fresh outputs

Needs nbformat (and nbclient for ``execute``), which come with JupyterLab;
nbgrader itself is not needed.
"""

import argparse
import os
import re
import sys
from pathlib import Path

import nbformat

ROOT = Path(__file__).resolve().parent.parent
SOLUTIONS, LESSONS = ROOT / "solutions", ROOT / "lessons"

#: nbgrader's markers: a line that contains one of these strings is a marker, wherever it stands.
MARKERS = {"solution": ("BEGIN SOLUTION", "END SOLUTION"), "hidden": ("BEGIN HIDDEN TESTS", "END HIDDEN TESTS")}
#: nbgrader's stubs for code and for written answers.
CODE_STUB = "# YOUR CODE HERE\nraise NotImplementedError()"
MARKDOWN_STUB = "YOUR ANSWER HERE"
#: A line that looks like a marker but is none of them (a misspelled or half-written one): refused.
_LOOKS_LIKE_A_MARKER = re.compile(r"^\s*#+\s*(BEGIN|END)\s+[A-Z]{3,}")


class MarkerError(ValueError):
    """A solution notebook's markers are malformed; the message names the notebook, the cell and the reason."""


def _regions(source, kind):
    """Yield ``(line, inside, is_marker)`` for every line, checking that `kind`'s markers pair up.

    The rules are nbgrader's (a line containing the marker text is a marker; regions do not nest;
    every BEGIN needs its END), plus two that nbgrader lets pass silently: an END without a BEGIN,
    and a line that looks like a marker but is not one, such as ``### END SOLUTON``.
    """
    begin, end = MARKERS[kind]
    inside, opened = False, None
    for number, line in enumerate(source.split("\n"), start=1):
        if begin in line:
            if inside:
                raise MarkerError(f"line {number}: a second {begin!r} before the {end!r} of the one on line {opened}")
            inside, opened = True, number
            yield line, inside, True
        elif end in line:
            if not inside:
                raise MarkerError(f"line {number}: {end!r} without a {begin!r} before it")
            inside = False
            yield line, inside, True
        else:
            if _LOOKS_LIKE_A_MARKER.match(line) and not any(m in line for pair in MARKERS.values() for m in pair):
                raise MarkerError(f"line {number}: {line.strip()!r} looks like a marker but is none of "
                                  f"{', '.join(repr(m) for pair in MARKERS.values() for m in pair)} (misspelled?)")
            yield line, inside, False
    if inside:
        theirs = "no end solution statement found" if kind == "solution" else "No end hidden tests statement found"
        raise MarkerError(f"the {begin!r} on line {opened} has no {end!r} after it, so the region would run to the "
                          f"end of the cell (nbgrader refuses this too: {theirs!r})")


def strip_solutions(source, cell_type="code"):
    """Replace every solution region of a cell's source with the stub, at the marker's indentation.

    Line for line what nbgrader 0.9's ``ClearSolutions`` writes, final newline included; raises
    :class:`MarkerError` for markers that do not pair up.
    """
    stub = (CODE_STUB if cell_type == "code" else MARKDOWN_STUB).split("\n")
    lines = []
    for line, inside, is_marker in _regions(source, "solution"):
        if is_marker and inside:  # a BEGIN: the stub, at its indentation
            indent = re.match(r"\s*", line).group(0)
            lines += [indent + stub_line for stub_line in stub]
        elif not inside and not is_marker:
            lines.append(line)
    return "\n".join(lines)


def strip_hidden_tests(source):
    """Delete every hidden-test region of a cell's source, markers included, as nbgrader's ``ClearHiddenTests``."""
    return "\n".join(line for line, inside, is_marker in _regions(source, "hidden") if not (inside or is_marker))


def _has(source, kind):
    return any(marker in source for marker in MARKERS[kind])


def student_cell_source(cell):
    """The student version of one cell's source; :class:`MarkerError` when its markers are malformed."""
    meta = cell.metadata.get("nbgrader", {})
    source = cell.source
    if meta.get("solution") and not _has(source, "solution"):
        raise MarkerError("a solution cell (nbgrader metadata solution: true) without '### BEGIN SOLUTION': "
                          "nbgrader would blank the whole cell. Mark the region the learner writes, between "
                          "'### BEGIN SOLUTION' and '### END SOLUTION'")
    if _has(source, "solution") and not meta.get("solution"):
        raise MarkerError("a solution region in a cell that is not a solution cell (nbgrader metadata "
                          "solution: true); nbgrader refuses it")
    if _has(source, "hidden") and not meta.get("grade"):
        raise MarkerError("hidden tests in a cell that is not a graded test cell (nbgrader metadata grade: true); "
                          "nbgrader refuses them")
    return strip_hidden_tests(strip_solutions(source, cell.cell_type))


def _cell_name(index, cell):
    grade_id = cell.metadata.get("nbgrader", {}).get("grade_id")
    first = next((line.strip() for line in cell.source.splitlines() if line.strip()), "(empty)")
    label = f"grade_id {grade_id!r}" if grade_id else f"id {cell.get('id', '?')!r}"
    return f"cell {index + 1} ({cell.cell_type}, {label}, starting {first[:50]!r})"


def student_version(nb, name="notebook"):
    """The lesson a learner gets from a solution notebook (a new notebook; `nb` is untouched).

    Raises :class:`MarkerError` naming `name`, the cell and the reason when a cell's markers are
    malformed, so that no lesson holding a solution is ever written.
    """
    lesson = nbformat.from_dict(nb)
    lesson = nbformat.v4.upgrade(lesson) if lesson.nbformat < 4 else lesson
    lesson = nbformat.reads(nbformat.writes(lesson), as_version=4)  # deep copy
    lesson.metadata.pop("widgets", None)  # saved widget state belongs to outputs
    problems = []
    for index, cell in enumerate(lesson.cells):
        try:
            cell.source = student_cell_source(cell)
        except MarkerError as err:
            problems.append(f"{name}, {_cell_name(index, cell)}: {err}")
        if cell.cell_type == "code":
            cell.outputs, cell.execution_count = [], None
        cell.metadata.pop("execution", None)
    if problems:
        raise MarkerError("\n".join(problems))
    return lesson


def render(nb):
    """A notebook as the exact text nbformat writes (with a final newline)."""
    return nbformat.writes(nb) + "\n"


def lesson_text(solution_path):
    """The text of the lesson generated from one solution notebook."""
    path = Path(solution_path)
    return render(student_version(nbformat.read(path, as_version=4), name=f"{path.parent.name}/{path.name}"))


def write_lessons(check=False, solutions_dir=None, lessons_dir=None):
    """Write (or, with `check`, compare) every lesson; return the paths that differ.

    Every solution notebook is read and checked before any lesson is written: one malformed marker
    anywhere raises :class:`MarkerError` listing every problem, and nothing is written.
    """
    solutions_dir, lessons_dir = Path(solutions_dir or SOLUTIONS), Path(lessons_dir or LESSONS)
    solutions = sorted(solutions_dir.glob("[0-9][0-9]_*.ipynb"))
    texts, problems = {}, []
    for solution in solutions:
        try:
            texts[solution.name] = lesson_text(solution)
        except MarkerError as err:
            problems.append(str(err))
    if problems:
        raise MarkerError("\n".join(problems))
    lessons_dir.mkdir(exist_ok=True)
    stale = []
    for solution in solutions:
        target = lessons_dir / solution.name
        text = texts[solution.name]
        if not target.exists() or target.read_text(encoding="utf-8") != text:
            stale.append(target)
            if not check:
                target.write_text(text, encoding="utf-8")
    expected = {s.name for s in solutions}
    stale += [p for p in sorted(lessons_dir.glob("*.ipynb")) if p.name not in expected]
    return stale


def execute(path, timeout=600):
    """Run a notebook top to bottom in its own folder and save it with fresh outputs."""
    from nbclient import NotebookClient

    nb = nbformat.read(path, as_version=4)
    NotebookClient(nb, timeout=timeout, kernel_name="python3", store_widget_state=True,
                   resources={"metadata": {"path": str(Path(path).parent)}}).execute()
    for cell in nb.cells:
        cell.metadata.pop("execution", None)
    nbformat.write(nb, path)


def main(argv=None):
    parser = argparse.ArgumentParser(prog="python -m utils.authoring", description=__doc__.split("\n\n")[0])
    sub = parser.add_subparsers(dest="command", required=True)
    lessons = sub.add_parser("lessons", help="write lessons/ from solutions/")
    lessons.add_argument("--check", action="store_true", help="only report lessons that are out of date")
    lessons.add_argument("--solutions", default=SOLUTIONS, help="folder of solution notebooks (default solutions/)")
    lessons.add_argument("--lessons", default=LESSONS, help="folder to write the lessons to (default lessons/)")
    run = sub.add_parser("execute", help="run notebooks and store their outputs")
    run.add_argument("paths", nargs="+")
    args = parser.parse_args(argv)
    if args.command == "execute":
        for path in args.paths:
            print(f"executing {path}")
            execute(path)
        return 0
    try:
        stale = write_lessons(check=args.check, solutions_dir=args.solutions, lessons_dir=args.lessons)
    except MarkerError as err:
        print(f"make lessons: refused, no lesson written. Fix these cells of the solution notebooks:\n{err}",
              file=sys.stderr)
        return 1
    for path in stale:
        print(f"{'out of date' if args.check else 'wrote'}: {os.path.relpath(path)}")
    return 1 if args.check and stale else 0


if __name__ == "__main__":
    sys.exit(main())
