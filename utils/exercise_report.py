"""A pytest plugin for ``make check``: one line per exercise, passed or failed, with its message.

nbval runs a lesson cell by cell; each exercise's check cell carries
nbgrader metadata with a ``grade_id`` such as ``check_ex1_2_sigmoid``. This
plugin remembers how each check cell did and prints, at the end::

    Lesson 01_perceptron.ipynb: 4 of 5 exercises pass
      passed  Exercise 1.1 weighted_sum
      FAILED  Exercise 1.2 sigmoid
              Exercise 1.2 sigmoid: case 5 of 6 failed (...)
              ...

It also keeps check cells honest. Check cells carry the tag
``raises-exception`` so that JupyterLab's "Run All" goes on past an unfinished
exercise; nbval reads that tag as "an error is expected here", which would let
a failing check pass. For graded cells this plugin turns that back off.

Installing the course registers it with pytest (an entry point in
``pyproject.toml``), so ``make check LESSON=01``, a plain
``pytest --nbval-lax lessons/01_perceptron.ipynb`` and the same command on a
copy of the lesson outside the repository all behave the same.

With ``--exercise-report-only`` (what ``make check`` passes) the report is all
that is printed: no progress letters and no line of pytest's cell counts
("1 failed, 40 passed") beside the exercise count. Cells that are not
exercise checks and fail (a demo cell broken by an edit, say) are listed
under the exercises, so that they are not missed.
"""

import re
from pathlib import Path

import pytest

_ANSI = re.compile(r"\x1b\[[0-9;]*m")
_GRADE_ID = re.compile(r"check_ex(\d+)_(\d+)_(\w+)")
_results = {}
_other_failures = {}  # lesson -> [(cell name, message)] for failed cells that are not exercise checks
_notebook_run = []  # non-empty once nbval collected notebook cells
_REPORT_ONLY = "--exercise-report-only"


def pytest_addoption(parser):
    parser.addoption(_REPORT_ONLY, action="store_true", default=False,
                     help="print only the course's exercise report: no progress letters, no pytest counts")


@pytest.hookimpl(trylast=True)  # after pytest registered its terminal reporter
def pytest_configure(config):
    if config.getoption(_REPORT_ONLY):
        reporter = config.pluginmanager.get_plugin("terminalreporter")
        if reporter is not None:
            reporter.summary_stats = lambda: None  # "1 failed, 40 passed in 9.1s": cells, not exercises


def pytest_report_teststatus(report, config):
    if config.getoption(_REPORT_ONLY) and report.when == "call":
        return report.outcome, "", ""  # counted as usual, printed as nothing
    return None


def exercise_title(grade_id):
    """``check_ex1_2_sigmoid`` -> ``Exercise 1.2 sigmoid``; None for other cells."""
    match = _GRADE_ID.fullmatch(grade_id or "")
    return f"Exercise {int(match[1])}.{int(match[2])} {match[3]}" if match else None


def error_message(text):
    """The exception line(s) at the end of an IPython traceback, without colours."""
    lines = _ANSI.sub("", text).rstrip().splitlines()
    for i in range(len(lines) - 1, -1, -1):
        if re.match(r"^(?:[A-Za-z_][\w.]*)?(Error|Exception|ExerciseNotDone|Interrupt)\b", lines[i]):
            return "\n".join(lines[i:])
    return "\n".join(lines[-3:])


def _grade_id(item):
    cell = getattr(item, "cell", None)
    if cell is None:
        return None
    return cell.get("metadata", {}).get("nbgrader", {}).get("grade_id")


def pytest_runtest_logreport(report):
    if report.when != "call":
        return
    item_path, _, _ = report.location
    grade_id = dict(report.user_properties).get("grade_id")  # copied from the item
    title = exercise_title(grade_id)
    if title:
        message = error_message(str(report.longrepr)) if report.failed else ""
        _results.setdefault(Path(item_path).name, []).append((title, report.passed, message))
    elif report.failed and "::" in report.nodeid:
        cell = report.nodeid.split("::")[-1]
        _other_failures.setdefault(Path(item_path).name, []).append((cell, error_message(str(report.longrepr))))


def pytest_collection_modifyitems(items):
    for item in items:
        if hasattr(item, "cell"):
            _notebook_run.append(True)
        grade_id = _grade_id(item)
        if grade_id:
            item.user_properties.append(("grade_id", grade_id))
            item.options["check_exception"] = False  # a failing check must fail, whatever its tags say


def pytest_terminal_summary(terminalreporter):
    write = terminalreporter.write_line
    for lesson, results in _results.items():
        passed = sum(ok for _, ok, _ in results)
        write("")
        write(f"Lesson {lesson}: {passed} of {len(results)} exercises pass", bold=True)
        for title, ok, message in results:
            write(f"  {'passed' if ok else 'FAILED'}  {title}", green=ok, red=not ok)
            for line in message.splitlines():
                write(f"          {line}")
        others = _other_failures.get(lesson, [])
        if others:
            write(f"  and {len(others)} other cell(s) that are not exercise checks failed; run them in JupyterLab "
                  f"to see why:", red=True)
            for cell, message in others:
                last = message.splitlines()[-1] if message else ""
                write(f"          {cell}: {last}")
    if _notebook_run and not _results:
        write("No exercise check cells ran: is LESSON set to a lesson number, e.g. make check LESSON=01?")
