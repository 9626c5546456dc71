"""A class starting at once: ten students on a real JupyterHub, each pulling the course and running lesson 01.

Starts the hub of ``hub/jupyterhub_config.py`` on 127.0.0.1 (``make hub-tools`` installs it), asks its
REST API to start every student's server at the same moment, and then, for each student as soon as their
server answers, pulls the course with nbgitpuller and runs lesson 01 completed (``solutions/``) in a kernel
of their server over its websocket, all students in parallel. It prints, per student and as median and
max:

- the time from the start request to a running server, and to a finished lesson, in s;
- the lesson alone (pull and run), in s;
- the memory of the student's server process and of their kernel (peak RSS while the lesson runs), in MiB;
- the CPU time of the student's server and kernel (user + system), in s: what sizes a hub, since on a
  shared machine the wall-clock times above depend on how many cores the class shares.

    .venv/bin/python benchmarks/bench_hub.py [--students 10] [--lesson 01]

``--lesson 08`` runs another lesson instead (the heaviest ones size a hub's memory limit).

Figures go to INSTRUCTORS.md ("Sizing a hub"). Nothing is asserted; the hub and every server are stopped
at the end. Without the hub's tools it says so and exits.
"""

import argparse
import statistics
import sys
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import psutil

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "hub"))
import classroom  # noqa: E402

COURSE = Path(__file__).resolve().parent.parent
MIB = 2 ** 20


class Sampler(threading.Thread):
    """Every ``interval`` s, the RSS and CPU time of each student's server and of its children (kernels)."""

    def __init__(self, interval=0.2):
        super().__init__(daemon=True)
        self.interval, self.pids, self.stop = interval, {}, threading.Event()
        self.peak_rss, self.cpu = {}, {}  # {(student, "server" | "kernel"): bytes}, {pid: (student, role, s)}

    def watch(self, student, pid):
        self.pids[student] = pid

    def run(self):
        while not self.stop.is_set():
            for student, pid in list(self.pids.items()):
                try:
                    server = psutil.Process(pid)
                    processes = [(server, "server")] + [(p, "kernel") for p in server.children(recursive=True)]
                    for process, role in processes:
                        with process.oneshot():
                            rss, cpu = process.memory_info().rss, process.cpu_times()
                        key = (student, role)
                        self.peak_rss[key] = max(self.peak_rss.get(key, 0), rss)
                        self.cpu[process.pid] = (student, role, cpu.user + cpu.system)
                except psutil.Error:
                    pass  # a process that ended between two looks
            time.sleep(self.interval)

    def cpu_seconds(self, student):
        return sum(s for who, _, s in self.cpu.values() if who == student)


def one_student(hub, name, sampler, repo, lesson):
    """Ask for the student's server, wait for it, pull the course, run the lesson. Times in s."""
    started_at = time.monotonic()
    hub.start_server(name)
    pid = hub.wait_for_server(name, seconds=600)
    ready = time.monotonic() - started_at
    sampler.watch(name, pid)
    student = hub.student(name)
    student.token = hub.issue_token(name)
    begin = time.monotonic()
    student.pull(repo, "dl-course")
    nb = student.run_notebook(f"dl-course/solutions/{lesson}")
    errors = [o for c in nb.cells if c.cell_type == "code" for o in c.outputs if o.output_type == "error"]
    if errors:
        raise classroom.HubError(f"{name}: {lesson} raised {errors[0].ename}: {errors[0].evalue}")
    done = time.monotonic()
    return {"ready": ready, "lesson": done - begin, "done": done - started_at}


def stats(values):
    return f"median {statistics.median(values):6.1f}   max {max(values):6.1f}"


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--students", type=int, default=10, help="how many students start at once (10)")
    parser.add_argument("--lesson", default="01", help="the lesson each student runs, completed (01)")
    args = parser.parse_args()
    if args.students < 1:
        parser.error(f"--students must be at least 1, got {args.students}")
    found = sorted((COURSE / "solutions").glob(f"{args.lesson}_*.ipynb"))
    if len(found) != 1:
        parser.error(f"--lesson takes a lesson's two-digit number, e.g. 01; no solutions/{args.lesson}_*.ipynb")
    lesson = found[0].name
    missing = classroom.missing_tools()
    if missing:
        print(f"bench_hub: skipped, the hub's tools are not installed ({', '.join(missing)}): make hub-tools")
        return
    names = [f"student{i:02d}" for i in range(1, args.students + 1)]
    with tempfile.TemporaryDirectory(prefix="bench-hub-") as tmp, classroom.Hub(Path(tmp) / "hub") as hub:
        _, bare = classroom.course_repository(Path(tmp) / "repo")
        hub.api("POST", "/users", json={"usernames": names})
        sampler = Sampler()
        sampler.start()
        hub_process = psutil.Process(hub.process.pid)
        hub_rss = sum(p.memory_info().rss for p in [hub_process] + hub_process.children())
        load = psutil.getloadavg()[0]
        with ThreadPoolExecutor(max_workers=len(names)) as pool:  # every student at once, as a class starts
            futures = {name: pool.submit(one_student, hub, name, sampler, f"file://{bare}", lesson) for name in names}
            results = {name: future.result() for name, future in futures.items()}
        sampler.stop.set()
        sampler.join()

    cores = psutil.cpu_count()
    students = f"{len(names)} students started at once" if len(names) > 1 else "1 student"
    print(f"JupyterHub, {students} through the REST API, each pulling the course "
          f"and running {lesson} ({cores} cores, load before the run: {load:.1f})")
    print(f"{'student':10} {'server up':>10} {'lesson':>8} {'finished':>9} {'server MiB':>11} {'kernel MiB':>11} "
          f"{'CPU s':>7}")
    for name in names:
        r = results[name]
        print(f"{name:10} {r['ready']:10.1f} {r['lesson']:8.1f} {r['done']:9.1f} "
              f"{sampler.peak_rss.get((name, 'server'), 0) / MIB:11.0f} "
              f"{sampler.peak_rss.get((name, 'kernel'), 0) / MIB:11.0f} {sampler.cpu_seconds(name):7.1f}")
    column = {key: [results[n][key] for n in names] for key in ("ready", "lesson", "done")}
    server = [sampler.peak_rss.get((n, "server"), 0) / MIB for n in names]
    kernel = [sampler.peak_rss.get((n, "kernel"), 0) / MIB for n in names]
    both = [s + k for s, k in zip(server, kernel)]
    cpu = [sampler.cpu_seconds(n) for n in names]
    print()
    print(f"time to a running server, s         {stats(column['ready'])}")
    print(f"time to a finished lesson, s        {stats(column['done'])}")
    print(f"  of which pull and run, s          {stats(column['lesson'])}")
    print(f"server process, peak RSS, MiB       {stats(server)}")
    print(f"kernel, peak RSS, MiB               {stats(kernel)}")
    print(f"server + kernel, MiB                {stats(both)}")
    print(f"CPU time, server + kernel, s        {stats(cpu)}")
    print(f"the hub and its proxy, RSS, MiB     {hub_rss / MIB:.0f} (once, whatever the class size)")


if __name__ == "__main__":
    main()
