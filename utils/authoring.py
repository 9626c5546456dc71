"""Authoring tools: write the student lessons from the solution notebooks.

``solutions/NN_topic.ipynb`` is the single source. Exercise code sits between
``### BEGIN SOLUTION`` and ``### END SOLUTION``; instructor-only checks between
``### BEGIN HIDDEN TESTS`` and ``### END HIDDEN TESTS``. The student version
replaces each solution region with ``# YOUR CODE HERE`` and
``raise NotImplementedError()`` at the same indentation (nbgrader's own
stub), deletes hidden tests, clears every output and keeps the cells'
metadata, so the lessons also drop into nbgrader unchanged.

Usage::

    python -m utils.authoring lessons            # write lessons/ from solutions/
    python -m utils.authoring lessons --check    # exit 1 if lessons/ is out of date
    python -m utils.authoring execute solutions/01_perceptron.ipynb   # store fresh outputs

Needs nbformat (and nbclient for ``execute``), which come with JupyterLab;
nbgrader itself is not needed.
"""

import argparse
import re
import sys
from pathlib import Path

import nbformat

ROOT = Path(__file__).resolve().parent.parent
SOLUTIONS, LESSONS = ROOT / "solutions", ROOT / "lessons"

_REGION = {
    "solution": re.compile(r"^([ \t]*)### BEGIN SOLUTION[^\n]*\n(.*?)^[ \t]*### END SOLUTION[^\n]*(\n|$)",
                           re.M | re.S),
    "hidden": re.compile(r"^[ \t]*### BEGIN HIDDEN TESTS[^\n]*\n.*?^[ \t]*### END HIDDEN TESTS[^\n]*(\n|$)",
                         re.M | re.S),
}
#: nbgrader's stubs for code and for written answers.
CODE_STUB = "# YOUR CODE HERE\nraise NotImplementedError()"
MARKDOWN_STUB = "YOUR ANSWER HERE"


def strip_solutions(source, cell_type="code"):
    """Replace every solution region of a cell's source with the stub, keeping its indentation."""
    def stub(match):
        indent = match.group(1)
        text = CODE_STUB if cell_type == "code" else MARKDOWN_STUB
        return "".join(f"{indent}{line}\n" for line in text.split("\n"))
    return _REGION["solution"].sub(stub, source).rstrip("\n") if "### BEGIN SOLUTION" in source else source


def strip_hidden_tests(source):
    """Delete every hidden-test region of a cell's source."""
    return _REGION["hidden"].sub("", source).rstrip("\n") if "### BEGIN HIDDEN TESTS" in source else source


def student_version(nb):
    """The lesson a learner gets from a solution notebook (a new notebook; `nb` is untouched)."""
    lesson = nbformat.from_dict(nb)
    lesson = nbformat.v4.upgrade(lesson) if lesson.nbformat < 4 else lesson
    lesson = nbformat.reads(nbformat.writes(lesson), as_version=4)  # deep copy
    lesson.metadata.pop("widgets", None)  # saved widget state belongs to outputs
    for cell in lesson.cells:
        cell.source = strip_hidden_tests(strip_solutions(cell.source, cell.cell_type))
        if cell.cell_type == "code":
            cell.outputs, cell.execution_count = [], None
        cell.metadata.pop("execution", None)
    return lesson


def render(nb):
    """A notebook as the exact text nbformat writes (with a final newline)."""
    return nbformat.writes(nb) + "\n"


def lesson_text(solution_path):
    """The text of the lesson generated from one solution notebook."""
    return render(student_version(nbformat.read(solution_path, as_version=4)))


def write_lessons(check=False):
    """Write (or, with `check`, compare) every lesson; return the paths that differ."""
    LESSONS.mkdir(exist_ok=True)
    stale = []
    for solution in sorted(SOLUTIONS.glob("[0-9][0-9]_*.ipynb")):
        target = LESSONS / solution.name
        text = lesson_text(solution)
        if not target.exists() or target.read_text(encoding="utf-8") != text:
            stale.append(target)
            if not check:
                target.write_text(text, encoding="utf-8")
    expected = {s.name for s in SOLUTIONS.glob("[0-9][0-9]_*.ipynb")}
    stale += [p for p in sorted(LESSONS.glob("*.ipynb")) if p.name not in expected]
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
    run = sub.add_parser("execute", help="run notebooks and store their outputs")
    run.add_argument("paths", nargs="+")
    args = parser.parse_args(argv)
    if args.command == "execute":
        for path in args.paths:
            print(f"executing {path}")
            execute(path)
        return 0
    stale = write_lessons(check=args.check)
    for path in stale:
        print(f"{'out of date' if args.check else 'wrote'}: {path.relative_to(ROOT)}")
    return 1 if args.check and stale else 0


if __name__ == "__main__":
    sys.exit(main())
