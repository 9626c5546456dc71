"""The README is the first lesson: its example must run and say what it gives, and its links must lead somewhere."""

import re
from pathlib import Path

import pytest

from utils.training import evaluate

ROOT = Path(__file__).resolve().parents[1]
README = (ROOT / "README.md").read_text(encoding="utf-8")


def python_blocks(text):
    return re.findall(r"```python\n(.*?)```", text, flags=re.S)


def test_readme_has_one_python_example():
    assert len(python_blocks(README)) == 1


def test_readme_example_trains_digits_to_the_accuracy_it_claims():
    (code,) = python_blocks(README)
    namespace = {}
    exec(compile(code, "README.md", "exec"), namespace)
    result = evaluate(namespace["model"], namespace["X_test"], namespace["y_test"], loss="cross_entropy")
    claimed = float(re.search(r"'accuracy': (0\.\d+)", code).group(1))
    assert result["accuracy"] == pytest.approx(claimed, abs=0.003)  # one test sample of 359
    assert result["accuracy"] >= 0.97


def test_readme_links_point_to_files_in_the_repository():
    links = re.findall(r"\]\(([^)#]+)\)", README)
    local = [link for link in links if "://" not in link]
    assert local, "the README links no lesson"
    missing = [link for link in local if not (ROOT / link).exists()]
    assert not missing, f"README links to files that do not exist: {missing}"
