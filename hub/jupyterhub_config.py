"""A JupyterHub for the course on one machine: the configuration that tests/test_hub.py runs.

Students log in with JupyterHub's dummy authenticator (any user name, any password) and each gets a
JupyterLab server of their own, started by the simple local-process spawner in a home folder of their own,
with the course's Python environment (``.venv-hub``, built by ``make hub-tools``). An nbgitpuller link
(see INSTRUCTORS.md) pulls the course into that home.

This is for trying the course on a hub and for testing it, on a machine you trust: the dummy
authenticator lets anyone in, and the simple spawner runs every student's server as the same system
user, so nothing but JupyterHub's own access checks keeps one student out of another's files. For a
class, use the Zero to JupyterHub values beside this file (``z2jh-values.yaml``), or swap the
authenticator and spawner below for your institution's login and a spawner that isolates users.

Start it from the course folder, after ``make hub-tools``::

    .venv-hub/bin/jupyterhub -f hub/jupyterhub_config.py

Everything below can be set from the environment (the test does, to run on free ports and temp folders):

==========================  =====================================================  ====================
variable                    what                                                   default
==========================  =====================================================  ====================
COURSE_HUB_IP               address the hub listens on                             127.0.0.1
COURSE_HUB_PORT             the hub's public port (the proxy)                      8000
COURSE_HUB_API_PORT         the hub's internal API port                            8081
COURSE_HUB_PROXY_API_PORT   the proxy's control port                               8001
COURSE_HUB_DATA             the hub's database, cookie secret and proxy pid file   .hub-data/
COURSE_HUB_HOMES            the folder that holds one home folder per student      <tmp>/course-hub-homes
COURSE_HUB_ADMIN_TOKEN      an API token for scripts (the test and the benchmark)  none
COURSE_HUB_ADMINS           comma-separated user names with the hub's admin role   instructor
==========================  =====================================================  ====================
"""

import os
import sys
import tempfile
from pathlib import Path

COURSE = Path(__file__).resolve().parent.parent
DATA = Path(os.environ.get("COURSE_HUB_DATA", COURSE / ".hub-data"))
HOMES = Path(os.environ.get("COURSE_HUB_HOMES", Path(tempfile.gettempdir()) / "course-hub-homes"))
DATA.mkdir(parents=True, exist_ok=True)
HOMES.mkdir(parents=True, exist_ok=True)

c = get_config()  # noqa: F821 (JupyterHub defines get_config when it loads this file)

# -- Where it listens: the public port (the proxy), the hub's API and the proxy's API, all local by default.
c.JupyterHub.ip = os.environ.get("COURSE_HUB_IP", "127.0.0.1")
c.JupyterHub.port = int(os.environ.get("COURSE_HUB_PORT", "8000"))
c.JupyterHub.hub_ip = "127.0.0.1"
c.JupyterHub.hub_port = int(os.environ.get("COURSE_HUB_API_PORT", "8081"))
c.ConfigurableHTTPProxy.api_url = f"http://127.0.0.1:{os.environ.get('COURSE_HUB_PROXY_API_PORT', '8001')}"
# configurable-http-proxy from npm, installed in the course folder by `make hub-tools` (or on PATH).
_proxy = COURSE / ".hub-node" / "node_modules" / ".bin" / "configurable-http-proxy"
if _proxy.exists():
    c.ConfigurableHTTPProxy.command = [str(_proxy)]
c.ConfigurableHTTPProxy.pid_file = str(DATA / "jupyterhub-proxy.pid")

# -- The hub's own state.
c.JupyterHub.db_url = f"sqlite:///{DATA / 'jupyterhub.sqlite'}"
c.JupyterHub.cookie_secret_file = str(DATA / "jupyterhub_cookie_secret")

# -- Who may log in: anyone, with any password (the dummy authenticator). Replace for a class.
c.JupyterHub.authenticator_class = "dummy"
c.Authenticator.allow_all = True
c.Authenticator.admin_users = {name for name in os.environ.get("COURSE_HUB_ADMINS", "instructor").split(",") if name}

# -- Each student's server: JupyterLab from this hub's environment, in a home folder of their own.
c.JupyterHub.spawner_class = "simple"
c.SimpleLocalProcessSpawner.home_dir_template = str(HOMES / "{username}")
c.Spawner.cmd = [str(Path(sys.executable).with_name("jupyterhub-singleuser"))]
c.Spawner.default_url = "/lab"
# Jupyter refuses to run as root unless told it may (a container, or CI, often runs as root).
c.Spawner.args = ["--ServerApp.allow_root=True"] if os.geteuid() == 0 else []
# Lessons run offline: no news and no update check in JupyterLab. nbgitpuller opens JupyterLab, not Notebook.
c.Spawner.args += ["--LabApp.news_url=None", "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate"]
c.Spawner.environment = {"NBGITPULLER_APP": "lab"}
# A cold start (the first import of numpy and matplotlib) on a busy 2-core machine can take a while.
c.Spawner.start_timeout = 180
c.Spawner.http_timeout = 180

# -- A token for scripts: the test and benchmarks/bench_hub.py create students, start their servers and
#    issue each student a token of their own through the REST API, as a service with these scopes.
if os.environ.get("COURSE_HUB_ADMIN_TOKEN"):
    c.JupyterHub.services = [{"name": "course-admin", "api_token": os.environ["COURSE_HUB_ADMIN_TOKEN"]}]
    c.JupyterHub.load_roles = [{
        "name": "course-admin",
        "description": "Create students, start and stop their servers, issue their tokens",
        "scopes": ["admin:users", "admin:servers", "tokens", "access:servers", "read:users:activity"],
        "services": ["course-admin"],
    }]
