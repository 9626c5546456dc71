"""Two students on a real JupyterHub: each pulls the course with an nbgitpuller link and runs lesson 01.

JupyterHub (from PyPI) with configurable-http-proxy (from npm) runs ``hub/jupyterhub_config.py`` on
127.0.0.1: the dummy authenticator and the simple local-process spawner, each student's home a folder of
this test's. The course comes from a local git repository that the test makes from this checkout's
HEAD, as an instructor's repository would serve it. Then, as a class would:

1. alice and bob log in through the hub's login form, which starts their servers;
2. each opens the nbgitpuller link of lesson 01, which clones the course into their own home and ends
   on the lesson in JupyterLab;
3. each writes the six exercises of lesson 01, alice all of them right, bob all but exercise 1.2 (the
   naive sigmoid that overflows, a named wrong answer of ``tests/wrong_answers.py``), and runs the
   lesson in a kernel of their own server, over its websocket, as JupyterLab does;
4. each sees their own result, and neither can reach the other's files or server;
5. the instructor commits an update of the course, each student opens the link again, and nbgitpuller's
   merge brings the update in and keeps what each student wrote (where both changed the same lines, the
   student's side wins).

A learner needs no hub: this runs only with ``COURSE_HUB_TEST=1`` (``make test-hub``, which
installs the hub's tools first with ``make hub-tools``; CI runs it). The tests share one class, run in
file order, and the last one changes the course. Every wait is bounded, and the hub, the servers and
their kernels are stopped at the end.
"""

import inspect
import os
import subprocess
import sys
import urllib.parse

import nbformat
import pytest

from notebook_tools import ROOT, nbgrader

sys.path.insert(0, str(ROOT / "hub"))
import classroom  # noqa: E402 (hub/classroom.py: drives the hub as a browser and JupyterLab do)

pytestmark = pytest.mark.skipif(os.environ.get("COURSE_HUB_TEST") != "1",
                                reason="the JupyterHub test runs with COURSE_HUB_TEST=1: `make test-hub`")

LESSON = "lessons/01_perceptron.ipynb"
SOLUTION = ROOT / "solutions" / "01_perceptron.ipynb"
TARGET = "dl-course"  # the folder the link pulls the course into, in each student's home
STUB = ["# YOUR CODE HERE", "raise NotImplementedError()"]
WRONG = ("ex1_2_sigmoid", "sigmoid_naive_overflows")  # bob's answer to exercise 1.2


def git(*args, cwd):
    result = subprocess.run(["git", "-c", "user.name=Instructor", "-c", "user.email=instructor@example.org",
                             *args], cwd=cwd, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, f"git {' '.join(args)}: {result.stderr}"
    return result.stdout.strip()


# -- the students' answers ----------------------------------------------------------------------------------
def solution_body(source):
    """The lines between ``### BEGIN SOLUTION`` and ``### END SOLUTION`` of a solution cell."""
    lines = source.split("\n")
    begin = next(i for i, line in enumerate(lines) if line.strip() == "### BEGIN SOLUTION")
    end = next(i for i, line in enumerate(lines) if line.strip() == "### END SOLUTION")
    return lines[begin + 1:end]


def wrong_body(name):
    """The body of a named wrong answer in tests/wrong_answers.py, indented as in an exercise cell."""
    import wrong_answers

    return inspect.getsource(getattr(wrong_answers, name)).rstrip("\n").split("\n")[1:]


def answers(student):
    """{grade_id: the lines a student writes in place of the stub}: the reference answers, bob's 1.2 wrong."""
    nb = nbformat.read(SOLUTION, as_version=4)
    written = {nbgrader(c)["grade_id"]: solution_body(c.source) for c in nb.cells if nbgrader(c).get("solution")}
    if student == "bob":
        written[WRONG[0]] = wrong_body(WRONG[1])
    return written


def write_answers(nb, written):
    """Replace each exercise's stub (``# YOUR CODE HERE`` / ``raise NotImplementedError()``) by an answer."""
    for cell in nb.cells:
        grade_id = nbgrader(cell).get("grade_id")
        if nbgrader(cell).get("solution") and grade_id in written:
            lines = cell.source.split("\n")
            at = next(i for i, line in enumerate(lines) if line.strip() == STUB[0])
            assert lines[at + 1].strip() == STUB[1], f"{grade_id}: not a stub:\n{cell.source}"
            cell.source = "\n".join(lines[:at] + written[grade_id] + lines[at + 2:])
    return nb


def check_outputs(nb):
    """{grade_id of the exercise: the text its check cell shows}, from an executed notebook."""
    return {nbgrader(c)["grade_id"].removeprefix("check_"): classroom.text_of(c.outputs)
            for c in nb.cells if nbgrader(c).get("grade")}


# -- the class ---------------------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def course_repo(tmp_path_factory):
    """The instructor's working copy of the course (this checkout's HEAD) and the bare repository it
    pushes to, which the students' links name (``file://``, as nbgitpuller passes it to ``git clone``)."""
    folder = tmp_path_factory.mktemp("course-repo")
    work, bare = folder / "course", folder / "course.git"
    work.mkdir()
    archive = subprocess.run(["git", "archive", "--format=tar", "HEAD"], cwd=ROOT, capture_output=True, timeout=120)
    assert archive.returncode == 0, archive.stderr.decode()
    subprocess.run(["tar", "-x", "-C", str(work)], input=archive.stdout, check=True, timeout=120)
    git("init", "--quiet", "--initial-branch=main", cwd=work)
    git("add", "--all", cwd=work)
    git("commit", "--quiet", "-m", "The course, as this checkout's HEAD has it", cwd=work)
    git("clone", "--quiet", "--bare", str(work), str(bare), cwd=folder)
    git("remote", "add", "origin", str(bare), cwd=work)
    return work, bare


@pytest.fixture(scope="module")
def hub(tmp_path_factory):
    missing = classroom.missing_tools()
    if missing:
        pytest.fail(f"the hub's tools are not installed ({', '.join(missing)}): run `make hub-tools`")
    hub = classroom.Hub(tmp_path_factory.mktemp("hub"))
    with hub:
        try:
            yield hub
        except BaseException:
            print(hub.log_tail())
            raise


def open_lesson_link(student, bare):
    link = classroom.nbgitpuller_link(student.hub.url, f"file://{bare}", LESSON, targetpath=TARGET)
    return student.open_nbgitpuller_link(link)


@pytest.fixture(scope="module")
def students(hub, course_repo):
    """alice and bob, logged in, the course pulled, lesson 01 answered and run on their own servers."""
    _, bare = course_repo
    class_ = {name: hub.student(name) for name in ("alice", "bob")}
    for student in class_.values():
        student.landing = student.log_in()  # the hub starts their server
    for name, student in class_.items():
        hub.wait_for_server(name)
        student.token = hub.issue_token(name)
        student.pull_events, student.lab_page = open_lesson_link(student, bare)
        student.save_notebook(f"{TARGET}/{LESSON}", write_answers(student.read_notebook(f"{TARGET}/{LESSON}"),
                                                                  answers(name)))
        student.executed = student.run_notebook(f"{TARGET}/{LESSON}")
    return class_


def test_logging_in_starts_each_students_own_server(hub, students):
    for name, student in students.items():
        assert student.landing.status_code == 200
        model = hub.server_model(name)
        assert model["ready"] and model["url"] == f"/user/{name}/"
        assert student.open(f"/user/{name}/api/status").status_code == 200  # the browser's cookie reaches it


def test_the_link_pulls_the_course_into_each_students_home_and_opens_lesson_01(students, course_repo):
    _, bare = course_repo
    upstream = git("rev-parse", "main", cwd=bare)
    for name, student in students.items():
        assert student.pull_events[-1] == {"phase": "finished"}
        assert any("Cloning into" in e.get("output", "") for e in student.pull_events), student.pull_events
        assert student.lab_page.status_code == 200
        assert urllib.parse.urlparse(student.lab_page.url).path == f"/user/{name}/lab/tree/{TARGET}/{LESSON}"
        clone = student.home / TARGET
        assert (clone / LESSON).is_file() and (clone / "utils").is_dir()
        assert git("rev-parse", "HEAD", cwd=clone) == upstream


def test_each_student_sees_their_own_result(students):
    alice, bob = check_outputs(students["alice"].executed), check_outputs(students["bob"].executed)
    assert len(alice) == 6 and set(alice) == set(bob)
    for grade_id, text in alice.items():
        assert "cases passed" in text and "Error" not in text, f"alice, {grade_id}: {text}"
    for grade_id, text in bob.items():
        if grade_id == WRONG[0]:
            assert text.startswith("AssertionError: Exercise 1.2 sigmoid"), text
            assert "overflow" in text, f"bob's check does not name his mistake: {text}"
        else:
            assert "cases passed" in text and "Error" not in text, f"bob, {grade_id}: {text}"
    # What each saved on their own server: their own answer and their own check output.
    for name, student in students.items():
        saved = student.read_notebook(f"{TARGET}/{LESSON}")
        sigmoid_cell = next(c for c in saved.cells if nbgrader(c).get("grade_id") == WRONG[0])
        assert "\n".join(answers(name)[WRONG[0]]) in sigmoid_cell.source
        assert check_outputs(saved) == check_outputs(student.executed)


def test_neither_student_sees_the_others_files(hub, students):
    lesson = urllib.parse.quote(f"{TARGET}/{LESSON}")
    for me, other in (("alice", "bob"), ("bob", "alice")):
        student = students[me]
        assert student.rest("GET", f"/contents/{lesson}").status_code == 200  # their own: yes
        with_token = classroom.requests.get(f"{hub.url}/user/{other}/api/contents/{lesson}", timeout=60,
                                            headers={"Authorization": f"token {student.token}"})
        assert with_token.status_code == 403, with_token.text[:300]
        in_browser = student.open(f"/user/{other}/lab/tree/{TARGET}/{LESSON}")
        assert in_browser.status_code == 403 and f"/user/{other}/lab" not in in_browser.url
        # Their own server's contents API stops at their home: the other's home next door is out of reach.
        sideways = student.rest("GET", f"/contents/..%2F{other}%2F{lesson}", expect=None)
        assert sideways.status_code == 404 and "outside root" in sideways.json()["message"]
        # Nor can they see or stop the other's server through the hub.
        stop = classroom.requests.delete(f"{hub.api_url}/users/{other}/server", timeout=60,
                                         headers={"Authorization": f"token {student.token}"})
        assert stop.status_code in (403, 404)
        assert hub.server_model(other)["ready"]


def update_the_course(work):
    """The instructor's next commit: lesson 01's title, exercise 1.2's stub comment, lesson 02's title.

    Exercise 1.2's stub is the very line each student replaced with an answer: there both sides changed."""
    lesson = work / LESSON
    nb = nbformat.read(lesson, as_version=4)
    nb.cells[0].source = nb.cells[0].source.replace("# 01 · The perceptron\n", "# 01 · The perceptron (revised)\n")
    sigmoid_stub = next(c for c in nb.cells if nbgrader(c).get("grade_id") == WRONG[0])
    sigmoid_stub.source = sigmoid_stub.source.replace(STUB[0], "# YOUR CODE HERE (stable for large |z|)")
    nbformat.write(nb, lesson)
    other = work / "lessons" / "02_activation_functions.ipynb"
    nb = nbformat.read(other, as_version=4)
    nb.cells[0].source = nb.cells[0].source.replace("# 02 · Activation functions\n",
                                                    "# 02 · Activation functions (revised)\n")
    nbformat.write(nb, other)
    assert len(git("diff", "--stat", cwd=work).splitlines()) == 3  # two files changed, and the summary
    git("commit", "--quiet", "-am", "Revise the titles of lessons 01 and 02, and exercise 1.2's stub", cwd=work)
    git("push", "--quiet", "origin", "main", cwd=work)


def test_a_second_pull_after_an_update_keeps_each_students_edits(students, course_repo):
    work, bare = course_repo
    before = {name: s.read_notebook(f"{TARGET}/{LESSON}") for name, s in students.items()}
    update_the_course(work)
    upstream_02 = nbformat.read(work / "lessons/02_activation_functions.ipynb", as_version=4)
    for name, student in students.items():
        events, page = open_lesson_link(student, bare)
        assert events[-1] == {"phase": "finished"} and page.status_code == 200
        after = student.read_notebook(f"{TARGET}/{LESSON}")
        nbformat.validate(after)
        # The update came in where the student had not written ...
        assert after.cells[0].source.startswith("# 01 · The perceptron (revised)\n")
        # ... and everything the student wrote, and every output of their run, is still theirs.
        assert [c.source for c in after.cells[1:]] == [c.source for c in before[name].cells[1:]]
        assert check_outputs(after) == check_outputs(before[name])
        for grade_id, lines in answers(name).items():
            cell = next(c for c in after.cells if nbgrader(c).get("grade_id") == grade_id)
            assert "\n".join(lines) in cell.source, f"{name}'s answer to {grade_id} is gone"
        # A lesson the student never touched is the instructor's new version, exactly.
        lesson_02 = student.read_notebook(f"{TARGET}/lessons/02_activation_functions.ipynb")
        assert lesson_02.cells[0].source.startswith("# 02 · Activation functions (revised)\n")
        assert [c.source for c in lesson_02.cells] == [c.source for c in upstream_02.cells]
        assert git("merge-base", "--is-ancestor", git("rev-parse", "main", cwd=bare), "HEAD",
                   cwd=student.home / TARGET) == ""
