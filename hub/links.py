"""nbgitpuller links for the course: one per lesson, to hand out to a class on your JupyterHub.

A link pulls the course's repository into the student's home on the hub (a folder named after the
repository, as nbgitpuller names it), or, if it is already there, merges the course's new commits into
it while keeping the student's own edits; then it opens the lesson in JupyterLab.

    python hub/links.py https://hub.example.edu https://github.com/your-name/dl-from-scratch

prints a Markdown table of every lesson in lessons/ and its link (``--branch`` if not ``main``). Only the
standard library is used.
"""

import argparse
import urllib.parse
from pathlib import Path

LESSONS = Path(__file__).resolve().parent.parent / "lessons"


def nbgitpuller_link(hub_url, repo, path, branch="main", targetpath=None):
    """The link that pulls ``repo`` (branch ``branch``) into the student's home and opens ``path`` in Lab.

    Parameters
    ----------
    hub_url : str
        The hub's address, e.g. ``https://hub.example.edu`` (no trailing ``/hub``).
    repo : str
        What ``git clone`` is given: an https URL, or ``file://`` for a repository on the hub's machine.
    path : str
        The file to open, relative to the repository, e.g. ``lessons/01_perceptron.ipynb``.
    branch : str
        The branch to pull.
    targetpath : str or None
        The folder in the student's home; None for nbgitpuller's default, the last part of ``repo``.

    Returns
    -------
    str
        ``<hub_url>/hub/user-redirect/git-pull?repo=...&branch=...&urlpath=lab/tree/<folder>/<path>``.
    """
    if not hub_url.startswith(("http://", "https://")):
        raise ValueError(f"hub_url must start with http:// or https://, got {hub_url!r}")
    folder = targetpath or repo.rstrip("/").split("/")[-1]  # nbgitpuller's own default
    query = {"repo": repo, "branch": branch, "urlpath": f"lab/tree/{folder}/{path}"}
    if targetpath:
        query["targetpath"] = targetpath
    return f"{hub_url.rstrip('/')}/hub/user-redirect/git-pull?{urllib.parse.urlencode(query, safe='/')}"


def lesson_links(hub_url, repo, branch="main"):
    """[(lesson file name, link)] for every lesson in lessons/, in order."""
    return [(lesson.name, nbgitpuller_link(hub_url, repo, f"lessons/{lesson.name}", branch))
            for lesson in sorted(LESSONS.glob("[0-9][0-9]_*.ipynb"))]


def markdown_table(hub_url, repo, branch="main"):
    rows = [f"| {name.removesuffix('.ipynb')} | `{link}` |" for name, link in lesson_links(hub_url, repo, branch)]
    return "\n".join(["| lesson | link |", "|---|---|", *rows])


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("hub_url", help="the hub's address, e.g. https://hub.example.edu")
    parser.add_argument("repo", help="the course's git repository, e.g. https://github.com/your-name/dl-from-scratch")
    parser.add_argument("--branch", default="main", help="the branch to pull (main)")
    args = parser.parse_args()
    print(markdown_table(args.hub_url, args.repo, args.branch))


if __name__ == "__main__":
    main()
