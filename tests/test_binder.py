"""The course in a Binder or JupyterHub image: built from its own files, read-only, offline, writing nowhere else.

repo2docker (Binder, and the images of a JupyterHub) builds the course from `runtime.txt` (the Python
version), `requirements.txt` and the `postBuild` step, which installs `utils`. These tests do the same
on this machine, from those files alone: a new virtual environment from `python -m venv`, `pip install
-r requirements.txt` (pip may reuse its cache; PyPI is the only network) and `postBuild`. Then, in a
typical hub layout, every solution notebook runs in that environment:

- the course folder and the environment are read-only (`chmod -R a-w`; as root, which ignores
  permissions, a read-only bind mount in a mount namespace of its own);
- the lessons are copies in a student's home, a temporary folder, and run there;
- HOME and the XDG folders point into that home, so that every file written is seen;
- an IPython start-up file in the kernel makes every connection to anything but the loopback
  address fail, and logs it.

From that one run: every solution runs without an error and passes its checks; the course writes
nothing outside its folder and the user's cache directory; no lesson opens a network connection; and
nothing in the read-only course or environment changed. A small notebook run beside the lessons checks
that each of those conditions was really in force (a write into the course fails, a connection to
the outside is refused and logged, the kernel is the new environment's, matplotlib caches in the home).

`make test` skips these (marked `classroom`); `make test-classroom` and CI run them. The last test,
that pyproject.toml declares the runtime requirements, is quick and runs everywhere.
"""

import json
import os
import re
import shutil
import stat
import subprocess
import sys
import tempfile
from pathlib import Path

import nbformat
import pytest

from notebook_tools import ROOT, SOLUTIONS, exercises

#: What the course folder of an image holds: this repository without environments, caches and git.
IGNORE = shutil.ignore_patterns(".git", ".venv*", ".hub-*", "__pycache__", "*.egg-info", "build", ".pytest_cache",
                                ".hypothesis", "artifacts", ".ipynb_checkpoints", "node_modules")

#: An IPython start-up file: any connection to an address other than the loopback fails, and is logged.
NO_NETWORK = r'''
import os as _os
import socket as _socket

_LOG = _os.environ["COURSE_NETWORK_LOG"]


def _loopback(host):
    host = host.decode() if isinstance(host, bytes) else str(host)
    return host in ("localhost", "::1", "") or host.startswith("127.")


def _refuse(what, where):
    with open(_LOG, "a") as log:
        log.write(f"{what} {where!r}\n")
    raise ConnectionRefusedError(f"the course's test refuses network access: {what} {where!r}")


def _guard(real, what):
    def guarded(self, address, *args):
        if isinstance(address, tuple) and not _loopback(address[0]):
            _refuse(what, address)
        return real(self, address, *args)
    return guarded


_socket.socket.connect = _guard(_socket.socket.connect, "connect")
_socket.socket.connect_ex = _guard(_socket.socket.connect_ex, "connect_ex")
_real_sendto, _real_getaddrinfo = _socket.socket.sendto, _socket.getaddrinfo


def _sendto(self, data, *args):
    address = args[-1]
    if isinstance(address, tuple) and not _loopback(address[0]):
        _refuse("sendto", address)
    return _real_sendto(self, data, *args)


def _getaddrinfo(host, *args, **kwargs):
    if host is not None and not _loopback(host):
        _refuse("getaddrinfo", host)
    return _real_getaddrinfo(host, *args, **kwargs)


_socket.socket.sendto = _sendto
_socket.getaddrinfo = _getaddrinfo
'''

#: Runs notebooks (paths in argv) with nbclient, errors allowed, each in its own folder; writes the results.
DRIVER = r'''
import sys
from pathlib import Path
import nbformat
from nbclient import NotebookClient

out = Path(sys.argv[1])
for name in sys.argv[2:]:
    path = Path(name)
    nb = nbformat.read(path, as_version=4)
    NotebookClient(nb, timeout=900, kernel_name="python3", allow_errors=True,
                   resources={"metadata": {"path": str(path.parent)}}).execute()
    nbformat.write(nb, out / path.name)
'''

#: Beside the lessons: are the conditions of the run really in force?
CANARY = [
    "import sys, matplotlib\nprint(sys.executable)\nprint(matplotlib.get_cachedir())",
    "import utils, pathlib\nprint(pathlib.Path(utils.__file__).resolve())",
    "try:\n    open(COURSE + '/written_by_a_lesson.txt', 'w')\nexcept OSError as err:\n    print(type(err).__name__)",
    # only once the guard is seen in place, so that no packet can leave even if it were not
    "import socket, urllib.request\nif socket.getaddrinfo.__name__ == '_getaddrinfo':\n    try:\n"
    "        urllib.request.urlopen('http://example.org/', timeout=5)\n    except OSError as err:\n"
    "        print('refused:', err)",
]


def tree(folder, skip=()):
    """{relative path: (size, mtime)} of every file and folder under `folder`, except those under `skip`."""
    found = {}
    for path in sorted(folder.rglob("*")):
        rel = path.relative_to(folder)
        if any(rel.parts[:len(Path(s).parts)] == Path(s).parts for s in skip):
            continue
        info = path.lstat()
        found[str(rel)] = (info.st_size if path.is_file() else None, info.st_mtime_ns if path.is_file() else None)
    return found


def python_of_runtime_txt():
    version = re.fullmatch(r"python-(\d+\.\d+)", (ROOT / "runtime.txt").read_text().strip())
    assert version, "runtime.txt should hold one line such as python-3.11 (repo2docker's format)"
    python = shutil.which(f"python{version[1]}")
    if python is None:
        pytest.fail(f"runtime.txt asks for Python {version[1]}, and python{version[1]} is not on this machine's PATH")
    return python


def run(cmd, **kwargs):
    result = subprocess.run(cmd, capture_output=True, text=True, **kwargs)
    assert result.returncode == 0, f"{cmd}\n{result.stdout[-3000:]}\n{result.stderr[-3000:]}"
    return result


def make_writable(*folders):
    for folder in folders:
        for path in [folder, *folder.rglob("*")]:
            if not path.is_symlink():
                path.chmod(path.stat().st_mode | stat.S_IWUSR)


@pytest.fixture(scope="module")
def hub(tmp_path_factory):
    base = tmp_path_factory.mktemp("hub")
    course, venv, home, out = base / "course", base / "venv", base / "home", base / "results"
    shutil.copytree(ROOT, course, ignore=IGNORE, symlinks=True)
    # The image: the Python of runtime.txt, requirements.txt, postBuild; nothing from this machine's .venv.
    run([python_of_runtime_txt(), "-m", "venv", str(venv)], timeout=300)
    env = {k: v for k, v in os.environ.items() if k not in ("VIRTUAL_ENV", "PYTHONPATH", "PYTHONHOME")}
    env["PATH"] = os.pathsep.join([str(venv / "bin"), env.get("PATH", "")])
    run([venv / "bin" / "python", "-m", "pip", "install", "--quiet", "-r", "requirements.txt"], cwd=course, env=env,
        timeout=1800)
    run(["bash", "postBuild"], cwd=course, env=env, timeout=600)
    # The student's home: the lessons (here completed: the solutions), and the network guard in IPython's profile.
    (home / "lessons").mkdir(parents=True)
    for path in SOLUTIONS:
        shutil.copy(path, home / "lessons" / path.name)
    canary = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(f"COURSE = {str(course)!r}")] +
                                      [nbformat.v4.new_code_cell(source) for source in CANARY])
    nbformat.write(canary, home / "lessons" / "canary.ipynb")
    startup = home / ".ipython" / "profile_default" / "startup"
    startup.mkdir(parents=True)
    (startup / "00-no-network.py").write_text(NO_NETWORK)
    (base / "tmp").mkdir()
    (base / "runtime").mkdir()
    out.mkdir()
    env.update(HOME=str(home), XDG_CACHE_HOME=str(home / ".cache"), XDG_CONFIG_HOME=str(home / ".config"),
               XDG_DATA_HOME=str(home / ".local" / "share"), XDG_STATE_HOME=str(home / ".local" / "state"),
               TMPDIR=str(base / "tmp"), JUPYTER_RUNTIME_DIR=str(base / "runtime"),
               COURSE_NETWORK_LOG=str(base / "network.log"))
    env.pop("MPLCONFIGDIR", None)
    env.pop("JUPYTER_PATH", None)
    skip = ["lessons", ".cache"]
    before = {"home": tree(home, skip), "course": tree(course), "venv": tree(venv), "tmp": tree(base / "tmp")}
    notebooks = [str(home / "lessons" / p.name) for p in SOLUTIONS] + [str(home / "lessons" / "canary.ipynb")]
    driver = [str(venv / "bin" / "python"), "-c", DRIVER, str(out), *notebooks]
    for folder in (course, venv):  # the hub layout: the course and its environment are read-only
        subprocess.run(["chmod", "-R", "a-w", str(folder)], check=True)
    if os.geteuid() == 0:  # root writes through permissions: mount both read-only, for the driver only
        mounts = " && ".join(f'mount --bind "{f}" "{f}" && mount -o remount,bind,ro "{f}" "{f}"'
                             for f in (course, venv))
        driver = ["unshare", "--mount", "--propagation", "private", "sh", "-c", f'{mounts} && exec "$@"', "sh",
                  *driver]
    try:
        result = subprocess.run(driver, cwd=home, env=env, capture_output=True, text=True, timeout=3600)
    finally:
        make_writable(course, venv)
    assert result.returncode == 0, result.stderr[-3000:]
    after = {"home": tree(home, skip), "course": tree(course), "venv": tree(venv), "tmp": tree(base / "tmp")}
    executed = {p.name: nbformat.read(out / p.name, as_version=4) for p in SOLUTIONS}
    canary = nbformat.read(out / "canary.ipynb", as_version=4)
    log = base / "network.log"
    return dict(base=base, course=course, venv=venv, home=home, before=before, after=after, executed=executed,
                canary=canary, network=log.read_text().splitlines() if log.exists() else [], stderr=result.stderr)


def text_of(cell):
    return "".join(o.get("text", "") for o in cell.outputs if o.output_type == "stream")


def errors(nb):
    return [(i, o.ename, o.evalue) for i, c in enumerate(nb.cells) if c.cell_type == "code"
            for o in c.outputs if o.output_type == "error"]


@pytest.mark.classroom
def test_the_run_had_the_conditions_it_claims(hub):
    cells = hub["canary"].cells
    assert not errors(hub["canary"]), errors(hub["canary"])
    executable, cache = text_of(cells[1]).split()
    assert Path(executable).parent == hub["venv"] / "bin", "the kernel is not the new environment's Python"
    assert Path(cache) == hub["home"] / ".cache" / "matplotlib", "matplotlib does not cache in the student's home"
    installed = Path(text_of(cells[2]).strip())
    assert hub["venv"] in installed.parents, f"utils is imported from {installed}, not from the image's environment"
    assert text_of(cells[3]).strip() in ("PermissionError", "OSError"), "the course folder was writable"
    assert text_of(cells[4]).startswith("refused: "), text_of(cells[4])
    assert hub["network"] and all("example.org" in line for line in hub["network"]), hub["network"]


@pytest.mark.classroom
def test_a_clean_environment_from_the_binder_files_runs_every_solution(hub):
    for name, nb in hub["executed"].items():
        assert not errors(nb), (name, errors(nb)[:3])
        checks = {c.metadata["nbgrader"]["grade_id"]: text_of(c) for c in nb.cells
                  if c.metadata.get("nbgrader", {}).get("grade")}
        assert len(checks) == len(exercises(ROOT / "solutions" / name)), name
        for grade_id, printed in checks.items():
            assert re.search(r"(all \d+ cases passed|passed)", printed), (name, grade_id, printed)


@pytest.mark.classroom
def test_a_read_only_course_and_environment_are_left_as_they_were(hub):
    for part in ("course", "venv"):
        assert hub["after"][part] == hub["before"][part], f"the run changed the read-only {part}"
    assert "Matplotlib created a temporary cache directory" not in hub["stderr"]
    for name, nb in hub["executed"].items():
        for cell in nb.cells:
            for output in cell.get("outputs", []):
                assert "Matplotlib created a temporary" not in output.get("text", ""), name


@pytest.mark.classroom
def test_the_course_writes_nothing_outside_its_folder_and_the_cache(hub):
    before, after = hub["before"], hub["after"]
    changed = {p for p in set(after["home"]) | set(before["home"]) if after["home"].get(p) != before["home"].get(p)}
    files = sorted(p for p in changed if after["home"].get(p, (0,))[0] is not None)
    assert not files, f"written in the home, outside the lessons and ~/.cache: {files}"
    # Empty folders that IPython (~/.ipython/profile_default/log, pid, security) and matplotlib
    # (~/.config/matplotlib) create in every kernel that imports them; they hold nothing.
    folders = sorted(p for p in changed if any(q.startswith(p + "/") and after["home"][q][0] is not None
                                               for q in after["home"]))
    assert not folders, f"folders in the home that hold files: {folders}"
    tmp_changes = set(after["tmp"]) ^ set(before["tmp"])
    assert not tmp_changes, f"left in the temporary folder: {sorted(tmp_changes)}"
    # The lessons folder: the notebooks (as copied) and nothing else.
    assert sorted(p.name for p in (hub["home"] / "lessons").iterdir()) == \
        sorted([p.name for p in SOLUTIONS] + ["canary.ipynb"])


@pytest.mark.classroom
def test_no_lesson_opens_a_network_connection(hub):
    # Only the canary's deliberate attempt is in the log (test_the_run_had_the_conditions_it_claims).
    assert [line for line in hub["network"] if "example.org" not in line] == []
    for name, nb in hub["executed"].items():
        for cell in nb.cells:
            for output in cell.get("outputs", []):
                assert "refuses network access" not in json.dumps(output), name


def test_pyproject_declares_the_runtime_requirements_with_the_floors_of_requirements_txt():
    tomllib = pytest.importorskip("tomllib")  # Python 3.11 and newer
    declared = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["dependencies"]
    floors = [line.split("#")[0].strip() for line in (ROOT / "requirements.txt").read_text().splitlines()]
    floors = [line for line in floors if line]
    test_only = {"pytest", "hypothesis", "playwright"}
    name = re.compile(r"[A-Za-z0-9_.-]+")
    assert {name.match(d)[0] for d in declared} == {name.match(f)[0] for f in floors} - test_only
    assert sorted(declared) == sorted(f for f in floors if name.match(f)[0] not in test_only)
