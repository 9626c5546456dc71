"""Drive a JupyterHub the way a class does: start it, let students log in, pull the course, run a lesson.

tests/test_hub.py and benchmarks/bench_hub.py share this module. Everything talks to the hub over HTTP on
127.0.0.1, through the routes a browser and JupyterLab use:

- the hub runs ``hub/jupyterhub_config.py`` from the hub's environment (``make hub-tools``), on free ports,
  with its database and the students' homes in a folder of the caller's;
- a student logs in through the hub's login form (the dummy authenticator), which starts their server;
- an nbgitpuller link is opened as a browser does: ``/hub/user-redirect/git-pull?...`` through the OAuth
  redirects to the student's server, whose page is then followed by the event stream its script reads
  (``git-pull/api``), and the page it redirects to at the end;
- a notebook runs as JupyterLab runs it: a session from the server's REST API, then each code cell as an
  ``execute_request`` over the kernel's websocket, outputs collected from the replies, the notebook saved
  back through the contents API.

Scripts hold an admin token (a JupyterHub service with the scopes the configuration gives it) to create
students, wait for their servers and issue each student a token of their own; a student's REST and
websocket calls carry that student's token, as JupyterLab's calls carry the token of the page.
"""

import json
import os
import secrets
import signal
import socket
import subprocess
import time
import urllib.parse
import uuid
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path

import nbformat
import psutil
import requests
import websocket  # websocket-client, a dependency of jupyter_server

from links import nbgitpuller_link  # noqa: F401 (part of this module's interface)

COURSE = Path(__file__).resolve().parent.parent
CONFIG = COURSE / "hub" / "jupyterhub_config.py"
HUB_VENV = COURSE / ".venv-hub"
HUB_PYTHON = HUB_VENV / "bin" / "python"
PROXY = COURSE / ".hub-node" / "node_modules" / ".bin" / "configurable-http-proxy"


class HubError(RuntimeError):
    """The hub, a student's server or a kernel did not do what was asked, in the time given."""


def missing_tools():
    """What ``make hub-tools`` has not installed yet, as a list of paths (empty when all is there)."""
    needed = [HUB_VENV / "bin" / "jupyterhub", HUB_VENV / "bin" / "jupyterhub-singleuser", PROXY]
    missing = [str(p.relative_to(COURSE)) for p in needed if not p.exists()]
    if not missing:
        check = subprocess.run([str(HUB_PYTHON), "-c", "import nbgitpuller, utils"], capture_output=True)
        if check.returncode != 0:
            missing.append(".venv-hub: nbgitpuller or the course's utils package")
    return missing


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_until(predicate, seconds, what, interval=0.5):
    """Call ``predicate`` until it returns something truthy; return that, or raise HubError after ``seconds``."""
    deadline = time.monotonic() + seconds
    while True:
        result = predicate()
        if result:
            return result
        if time.monotonic() > deadline:
            raise HubError(f"{what}: not done within {seconds} s")
        time.sleep(interval)


class Hub:
    """A JupyterHub started from ``hub/jupyterhub_config.py`` in ``workdir``; a context manager.

    Parameters
    ----------
    workdir : pathlib.Path
        Holds the hub's state (``data/``), the students' homes (``homes/<name>``) and its log (``hub.log``).
    start_timeout : float
        Seconds to wait for the hub's API to answer, in s.
    """

    def __init__(self, workdir, start_timeout=120):
        self.workdir = Path(workdir)
        self.homes = self.workdir / "homes"
        self.log_path = self.workdir / "hub.log"
        self.start_timeout = start_timeout
        self.admin_token = secrets.token_hex(32)
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.api_url = f"{self.url}/hub/api"
        self.process = None
        self._server_pids = set()

    # -- start and stop -------------------------------------------------------------------------------------
    def start(self):
        env = {**os.environ, "COURSE_HUB_PORT": str(self.port), "COURSE_HUB_API_PORT": str(free_port()),
               "COURSE_HUB_PROXY_API_PORT": str(free_port()), "COURSE_HUB_DATA": str(self.workdir / "data"),
               "COURSE_HUB_HOMES": str(self.homes), "COURSE_HUB_ADMIN_TOKEN": self.admin_token,
               "COURSE_HUB_ADMINS": "", "PATH": os.pathsep.join([str(HUB_VENV / "bin"), os.environ["PATH"]])}
        env.pop("VIRTUAL_ENV", None)
        self.workdir.mkdir(parents=True, exist_ok=True)
        with open(self.log_path, "w") as log:
            self.process = subprocess.Popen([str(HUB_VENV / "bin" / "jupyterhub"), "-f", str(CONFIG)],
                                            cwd=self.workdir, env=env, stdout=log, stderr=subprocess.STDOUT,
                                            start_new_session=True)
        try:
            wait_until(self._answers, self.start_timeout, "JupyterHub's API")
        except HubError as error:
            self.stop()
            raise HubError(f"{error}\n{self.log_tail()}") from None
        return self

    def _answers(self):
        if self.process.poll() is not None:
            raise HubError(f"jupyterhub exited with {self.process.returncode}:\n{self.log_tail()}")
        try:
            return requests.get(f"{self.api_url}/", timeout=2).status_code == 200
        except requests.ConnectionError:
            return False

    def stop(self):
        """Stop every student's server, then the hub and its proxy; kill whatever outlives them.

        The hub stops the servers it started, and each server its kernels, on SIGTERM. Every process
        started under the hub (servers run in sessions of their own, and so do kernels) is listed first,
        so that none is left behind if the hub does not finish in time."""
        if self.process is None:
            return
        ours = []
        for pid in [self.process.pid, *self._server_pids]:
            try:
                root = psutil.Process(pid)
                ours += [root, *root.children(recursive=True)]
            except psutil.NoSuchProcess:
                pass
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=60)
            except subprocess.TimeoutExpired:
                pass
        for process in ours:
            try:
                process.kill()
            except psutil.NoSuchProcess:
                pass
        self.process.wait(timeout=30)

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        self.stop()

    def log_tail(self, chars=3000):
        return self.log_path.read_text(errors="replace")[-chars:] if self.log_path.exists() else ""

    # -- the REST API, as the admin service ----------------------------------------------------------------
    def api(self, method, path, expect=(200, 201, 202, 204), **kwargs):
        response = requests.request(method, f"{self.api_url}{path}", timeout=60,
                                    headers={"Authorization": f"token {self.admin_token}"}, **kwargs)
        if response.status_code not in expect:
            raise HubError(f"{method} /hub/api{path}: {response.status_code} {response.text[:500]}")
        return response.json() if response.content else None

    def add_user(self, name):
        return self.api("POST", f"/users/{name}", expect=(201, 409))

    def start_server(self, name):
        """Ask the hub to start ``name``'s server (returns at once; see `wait_for_server`)."""
        self.api("POST", f"/users/{name}/server", expect=(201, 202, 400))

    def server_model(self, name):
        return self.api("GET", f"/users/{name}")["servers"].get("")

    def wait_for_server(self, name, seconds=300):
        """Wait until ``name``'s server is ready; return its process id."""
        def ready():
            model = self.server_model(name)
            if model is None or model.get("stopped"):
                raise HubError(f"{name}'s server stopped while starting:\n{self.log_tail()}")
            return model["ready"] and model
        model = wait_until(ready, seconds, f"{name}'s server", interval=0.25)
        pid = model.get("state", {}).get("pid")
        if pid:
            self._server_pids.add(pid)
        return pid

    def issue_token(self, name, hours=2):
        """A new API token for ``name``, with that student's own permissions (and no one else's)."""
        return self.api("POST", f"/users/{name}/tokens",
                        json={"note": "course test", "expires_in": int(hours * 3600)})["token"]

    def student(self, name):
        return Student(self, name)


class _BodyData(HTMLParser):
    """The ``data-*`` attributes of a page's <body>, where nbgitpuller's page keeps what its script needs."""

    def __init__(self):
        super().__init__()
        self.data = {}

    def handle_starttag(self, tag, attrs):
        if tag == "body":
            self.data = {k[5:]: urllib.parse.unquote(v or "") for k, v in attrs if k.startswith("data-")}


@dataclass
class Student:
    """One student of a `Hub`: a browser session (cookies) and, once issued, an API token of their own."""

    hub: Hub
    name: str
    browser: requests.Session = field(default_factory=requests.Session)
    token: str | None = None

    @property
    def server_url(self):
        return f"{self.hub.url}/user/{self.name}"

    @property
    def home(self):
        return self.hub.homes / self.name

    # -- as in a browser --------------------------------------------------------------------------------------
    def log_in(self, password="any password"):
        """Fill in the hub's login form; the hub then starts this student's server (its spawn page)."""
        self.browser.get(f"{self.hub.url}/hub/login", timeout=60).raise_for_status()
        form = {"username": self.name, "password": password, "_xsrf": self.browser.cookies.get("_xsrf")}
        response = self.browser.post(f"{self.hub.url}/hub/login", data=form, timeout=300)
        response.raise_for_status()
        return response

    def open(self, url, **kwargs):
        """GET a page with this student's cookies, following redirects (the hub's OAuth dance included)."""
        return self.browser.get(url if url.startswith("http") else f"{self.hub.url}{url}", timeout=120, **kwargs)

    def open_nbgitpuller_link(self, link, seconds=300):
        """Open an nbgitpuller link as the browser does; return (events of the pull, the page it ends on).

        The link's page starts the pull by reading ``git-pull/api`` as an event stream; when the stream
        says ``finished`` the script sends the browser to the page the link names (``urlpath``)."""
        page = self.open(link)
        if page.status_code != 200 or "git-pull" not in page.url:
            raise HubError(f"{self.name}: the link {link} ended on {page.url} ({page.status_code})")
        body = _BodyData()
        body.feed(page.text)
        data = body.data
        query = {"_xsrf": data["xsrf"], "repo": data["repo"], "targetpath": data["targetpath"]}
        query.update({k: data[k] for k in ("branch", "depth") if k in data})
        api = f"{self.hub.url}{data['base-url']}git-pull/api?{urllib.parse.urlencode(query)}"
        with self.browser.get(api, stream=True, timeout=seconds) as stream:
            events = self._events(stream)
        return events, self.open(f"{data['base-url']}{data['path']}")

    def pull(self, repo, targetpath, branch="main", seconds=300):
        """Pull ``repo`` into ``targetpath`` of the home with the student's token: the request the link's
        page makes, without the page (for scripts). Returns nbgitpuller's events."""
        query = urllib.parse.urlencode({"repo": repo, "branch": branch, "targetpath": targetpath})
        with requests.get(f"{self.server_url}/git-pull/api?{query}", stream=True, timeout=seconds,
                          headers={"Authorization": f"token {self.token}"}) as stream:
            return self._events(stream)

    def _events(self, stream):
        stream.raise_for_status()
        events = []
        for line in stream.iter_lines(decode_unicode=True):
            if line and line.startswith("data: "):
                events.append(json.loads(line[len("data: "):]))
                if events[-1].get("phase") in ("finished", "error"):
                    break
        if not events or events[-1].get("phase") != "finished":
            raise HubError(f"{self.name}: nbgitpuller did not finish: {events[-3:]}")
        return events

    # -- as JupyterLab, with the student's token ---------------------------------------------------------------
    def rest(self, method, path, expect=(200, 201, 204), **kwargs):
        response = requests.request(method, f"{self.server_url}/api{path}", timeout=120,
                                    headers={"Authorization": f"token {self.token}"}, **kwargs)
        if expect and response.status_code not in expect:
            raise HubError(f"{self.name}: {method} /user/{self.name}/api{path}: {response.status_code}")
        return response

    def read_notebook(self, path):
        model = self.rest("GET", f"/contents/{urllib.parse.quote(path)}?content=1&type=notebook").json()
        return nbformat.from_dict(model["content"])

    def save_notebook(self, path, nb):
        self.rest("PUT", f"/contents/{urllib.parse.quote(path)}",
                  json={"type": "notebook", "format": "json", "content": nb})

    def run_notebook(self, path, cell_timeout=300):
        """Open ``path`` in a kernel of this student's server, run every code cell in order, save it.

        Every cell runs even when an earlier one raised (as ``make check`` does). Returns the executed
        notebook, outputs and execution counts filled in as JupyterLab would fill them."""
        nb = self.read_notebook(path)
        session = self.rest("POST", "/sessions", json={"path": path, "name": Path(path).name, "type": "notebook",
                                                       "kernel": {"name": "python3"}}).json()
        try:
            with KernelChannel(self, session["kernel"]["id"]) as kernel:
                for cell in nb.cells:
                    if cell.cell_type == "code":
                        cell.outputs, cell.execution_count = kernel.execute(cell.source, cell_timeout)
        finally:
            self.rest("DELETE", f"/sessions/{session['id']}", expect=None)
        self.save_notebook(path, nb)
        return nb


class KernelChannel:
    """A kernel's websocket (``/api/kernels/<id>/channels``), spoken in Jupyter's JSON message protocol."""

    def __init__(self, student, kernel_id):
        url = f"{student.server_url}/api/kernels/{kernel_id}/channels".replace("http://", "ws://", 1)
        self.session = uuid.uuid4().hex
        self.ws = websocket.create_connection(f"{url}?session_id={self.session}", timeout=600,
                                              header=[f"Authorization: token {student.token}"])

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.ws.close()

    def execute(self, code, seconds):
        """Run ``code``; return (outputs as nbformat nodes, execution count) once the kernel is idle again."""
        msg_id = uuid.uuid4().hex
        self.ws.send(json.dumps({
            "header": {"msg_id": msg_id, "session": self.session, "username": "", "msg_type": "execute_request",
                       "version": "5.3", "date": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())},
            "parent_header": {}, "metadata": {}, "channel": "shell", "buffers": [],
            "content": {"code": code, "silent": False, "store_history": True, "user_expressions": {},
                        "allow_stdin": False, "stop_on_error": False}}))
        outputs, count, replied, idle = [], None, False, False
        deadline = time.monotonic() + seconds
        while not (replied and idle):
            self.ws.settimeout(max(deadline - time.monotonic(), 0.1))
            try:
                msg = _decode(self.ws.recv())
            except websocket.WebSocketTimeoutException:
                raise HubError(f"a cell ran for more than {seconds} s:\n{code[:300]}") from None
            if msg.get("parent_header", {}).get("msg_id") != msg_id:
                continue
            kind = msg["header"]["msg_type"]
            if msg["channel"] == "shell" and kind == "execute_reply":
                replied, count = True, msg["content"].get("execution_count")
            elif kind == "status":
                idle = msg["content"]["execution_state"] == "idle"
            elif kind == "clear_output":
                outputs = []
            elif kind in ("stream", "display_data", "execute_result", "error"):
                outputs.append(nbformat.v4.output_from_msg(msg))
        return outputs, count


def _decode(frame):
    """A message from a kernel's websocket: JSON text, or binary (JSON then buffers) when it carries buffers.

    A binary frame starts with the number of parts n and n byte offsets (big-endian uint32): the JSON
    message lies between the first two offsets, its buffers (widget images, here) after it."""
    if isinstance(frame, str):
        return json.loads(frame)
    n = int.from_bytes(frame[:4], "big")
    offsets = [int.from_bytes(frame[4 * (i + 1):4 * (i + 2)], "big") for i in range(n)] + [len(frame)]
    return json.loads(frame[offsets[0]:offsets[1]].decode())


def git(*args, cwd):
    """Run git in ``cwd`` as the instructor; return what it prints."""
    result = subprocess.run(["git", "-c", "user.name=Instructor", "-c", "user.email=instructor@example.org",
                             *args], cwd=cwd, capture_output=True, text=True, timeout=120)
    if result.returncode != 0:
        raise HubError(f"git {' '.join(args)}: {result.stderr}")
    return result.stdout.strip()


def course_repository(folder):
    """An instructor's copy of the course and the bare repository the students' links pull from.

    Both hold one commit on branch ``main``: the files of this checkout's HEAD (not its history, so a
    shallow clone will do). Returns (working copy, bare repository) as paths under ``folder``; the
    working copy pushes to the bare one as ``origin``."""
    folder = Path(folder)
    work, bare = folder / "course", folder / "course.git"
    work.mkdir(parents=True)
    archive = subprocess.run(["git", "archive", "--format=tar", "HEAD"], cwd=COURSE, capture_output=True,
                             timeout=120)
    if archive.returncode != 0:
        raise HubError(f"git archive HEAD in {COURSE}: {archive.stderr.decode()}")
    subprocess.run(["tar", "-x", "-C", str(work)], input=archive.stdout, check=True, timeout=120)
    git("init", "--quiet", "--initial-branch=main", cwd=work)
    git("add", "--all", cwd=work)
    git("commit", "--quiet", "-m", "The course, as its repository's HEAD has it", cwd=work)
    git("clone", "--quiet", "--bare", str(work), str(bare), cwd=folder)
    git("remote", "add", "origin", str(bare), cwd=work)
    return work, bare


def text_of(outputs):
    """What a list of outputs shows, as plain text (streams, text/plain results, error names and values)."""
    parts = []
    for out in outputs:
        if out.output_type == "stream":
            parts.append(out.text)
        elif out.output_type == "error":
            parts.append(f"{out.ename}: {out.evalue}")
        else:
            parts.append(out.get("data", {}).get("text/plain", ""))
    return "\n".join(parts)
