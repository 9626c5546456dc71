"""How long `make progress` takes for the whole course: as handed out, and with every exercise attempted.

The worst case is a learner who has attempted every exercise: every lesson then runs in a kernel, up to
its last check. The solutions stand in for such a learner (every exercise attempted, every check run).
Prints the figures; asserts none of them.

    .venv/bin/python benchmarks/bench_progress.py
"""

import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from utils.progress_report import FAILED, NOT_ATTEMPTED, PASSED, progress  # noqa: E402


def timed(folder, workers=None):
    start = time.perf_counter()
    report = progress(folder, workers=workers)
    return time.perf_counter() - start, report


def main():
    lessons = sorted((ROOT / "lessons").glob("[0-9][0-9]_*.ipynb"))
    print(f"make progress on {len(lessons)} lessons, {os.cpu_count()} CPU cores")
    seconds, report = timed(ROOT / "lessons")
    print(f"  as handed out (nothing attempted, nothing run): {seconds:5.1f} s, "
          f"{report.count(NOT_ATTEMPTED)} exercises not attempted")
    with tempfile.TemporaryDirectory() as folder:
        for path in sorted((ROOT / "solutions").glob("[0-9][0-9]_*.ipynb")):
            shutil.copy(path, folder)
        for workers in (None, 1):
            seconds, report = timed(folder, workers)
            print(f"  every exercise attempted, {workers or os.cpu_count()} kernel(s) at once: {seconds:5.1f} s, "
                  f"{report.count(PASSED)} passed, {report.count(FAILED)} failed")


if __name__ == "__main__":
    main()
