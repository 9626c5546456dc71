"""How long ``import utils`` takes, and which heavy libraries it pulls in.

Each import is timed in a fresh Python process (so nothing is cached in
``sys.modules``), several times; we print the best and the median. The
statements timed are ``import numpy`` (for reference), ``import utils``, and
``import utils.layers, utils.models, utils.training`` (what a lesson on
training needs). After each we list which of matplotlib, ipywidgets,
scikit-learn, scipy, IPython and torch got imported: none of them should be,
since plotting, widgets and the digits loader import theirs only when first used.

Run from the repository root::

    .venv/bin/python benchmarks/bench_import.py

The figures depend on the machine (and on the disk cache); they are printed,
never asserted.
"""

import json
import statistics
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
REPEATS = 7
HEAVY = ("matplotlib", "ipywidgets", "sklearn", "scipy", "IPython", "torch")
STATEMENTS = ("import numpy", "import utils", "import utils.layers, utils.models, utils.training")

# Run in the child process: time the statement, then report what got imported.
CHILD = """
import json, sys, time
sys.path.insert(0, {root!r})
start = time.perf_counter()
{statement}
seconds = time.perf_counter() - start
heavy = [name for name in {heavy!r} if name in sys.modules]
print(json.dumps({{"seconds": seconds, "heavy": heavy, "numpy": "numpy" in sys.modules}}))
"""


def time_import(statement):
    """Run `statement` in a fresh interpreter; return (seconds, heavy modules imported, numpy imported)."""
    code = CHILD.format(root=str(ROOT), statement=statement, heavy=HEAVY)
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True,
                         check=True)
    result = json.loads(out.stdout.strip().splitlines()[-1])
    return result["seconds"], result["heavy"], result["numpy"]


def main():
    print(__doc__.splitlines()[0])
    print(f"Python {sys.version.split()[0]}, {REPEATS} fresh processes per statement")
    print()
    print(f"{'statement':<52}{'best ms':>9}{'median ms':>11}  numpy?  heavy modules imported")
    for statement in STATEMENTS:
        runs = [time_import(statement) for _ in range(REPEATS)]
        times = [seconds * 1e3 for seconds, _, _ in runs]
        heavy = sorted({name for _, names, _ in runs for name in names})
        numpy_loaded = "yes" if runs[0][2] else "no"
        print(f"{statement:<52}{min(times):>9.1f}{statistics.median(times):>11.1f}  {numpy_loaded:<6}  "
              f"{', '.join(heavy) if heavy else 'none'}")


if __name__ == "__main__":
    main()
