"""Reading the course's notebooks in tests: exercises, their check cells, and running a notebook."""

from pathlib import Path

import nbformat

ROOT = Path(__file__).resolve().parent.parent
SOLUTIONS = sorted((ROOT / "solutions").glob("[0-9][0-9]_*.ipynb"))
LESSONS = sorted((ROOT / "lessons").glob("[0-9][0-9]_*.ipynb"))


def nbgrader(cell):
    return cell.metadata.get("nbgrader", {})


def exercises(path):
    """[(grade_id, exercise cell, check cell, solution cells before it)] of a notebook."""
    nb = nbformat.read(path, as_version=4)
    checks = {nbgrader(c).get("grade_id"): c for c in nb.cells if nbgrader(c).get("grade")}
    found, earlier = [], []
    for cell in nb.cells:
        if nbgrader(cell).get("solution"):
            grade_id = nbgrader(cell)["grade_id"]
            found.append((grade_id, cell, checks.get(f"check_{grade_id}"), list(earlier)))
            earlier.append(cell)
    return found


def all_exercises():
    return [(path.name, *ex) for path in SOLUTIONS for ex in exercises(path)]


def execute(path, cwd):
    """Run a notebook in a kernel, keeping errors in the outputs; return the executed notebook."""
    from nbclient import NotebookClient

    nb = nbformat.read(path, as_version=4)
    NotebookClient(nb, timeout=300, kernel_name="python3", allow_errors=True,
                   resources={"metadata": {"path": str(cwd)}}).execute()
    return nb
