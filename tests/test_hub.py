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

A learner needs no hub: these tests are marked ``classroom``, which ``make test`` leaves out and
``make test-classroom`` (CI) or ``make test-hub`` runs, after ``make hub-tools`` has installed the hub's
tools; without them they are skipped. They share one class, run in file order, and the last one changes
the course. Every wait is bounded, and the hub, the servers and their kernels are stopped at the end.

The last test needs no hub and runs everywhere: INSTRUCTORS.md lists the link of every lesson.
"""

import inspect
import sys
import urllib.parse

import nbformat
import pytest

from notebook_tools import ROOT, nbgrader

sys.path.insert(0, str(ROOT / "hub"))  # hub/classroom.py and hub/links.py
import classroom  # noqa: E402 (hub/classroom.py: drives the hub as a browser and JupyterLab do)
import links  # noqa: E402 (hub/links.py: the nbgitpuller links of INSTRUCTORS.md)


LESSON = "lessons/01_perceptron.ipynb"
SOLUTION = ROOT / "solutions" / "01_perceptron.ipynb"
TARGET = "dl-course"  # the folder the link pulls the course into, in each student's home
STUB = ["# YOUR CODE HERE", "raise NotImplementedError()"]
WRONG = ("ex1_2_sigmoid", "sigmoid_naive_overflows")  # bob's answer to exercise 1.2


git = classroom.git


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
    """The instructor's copy of the course (this checkout's HEAD) and the bare repository it pushes to,
    which the students' links name (``file://``, as nbgitpuller passes it to ``git clone``)."""
    return classroom.course_repository(tmp_path_factory.mktemp("course-repo"))


@pytest.fixture(scope="module")
def hub(tmp_path_factory):
    missing = classroom.missing_tools()
    if missing:
        pytest.skip(f"the hub's tools are not installed ({', '.join(missing)}): run `make hub-tools`")
    with classroom.Hub(tmp_path_factory.mktemp("hub")) as hub:  # its log: hub.log in pytest's temp folder
        yield hub


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
    try:
        for name, student in class_.items():
            hub.wait_for_server(name)
            student.token = hub.issue_token(name)
            student.pull_events, student.lab_page = open_lesson_link(student, bare)
            lesson = write_answers(student.read_notebook(f"{TARGET}/{LESSON}"), answers(name))
            student.save_notebook(f"{TARGET}/{LESSON}", lesson)
            student.executed = student.run_notebook(f"{TARGET}/{LESSON}")
    except classroom.HubError as error:
        raise classroom.HubError(f"{error}\n-- the end of the hub's log:\n{hub.log_tail()}") from None
    return class_


@pytest.mark.classroom
def test_logging_in_starts_each_students_own_server(hub, students):
    for name, student in students.items():
        assert student.landing.status_code == 200
        model = hub.server_model(name)
        assert model["ready"] and model["url"] == f"/user/{name}/"
        assert student.open(f"/user/{name}/api/status").status_code == 200  # the browser's cookie reaches it


@pytest.mark.classroom
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


@pytest.mark.classroom
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


@pytest.mark.classroom
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


def revise_title(cell):
    """The title line of a lesson's first cell, with " (revised)" after it."""
    title, rest = cell.source.split("\n", 1)
    cell.source = f"{title} (revised)\n{rest}"
    return cell.source


def update_the_course(work):
    """The instructor's next commit: lesson 01's title and exercise 1.2's stub comment, lesson 02's title.

    Exercise 1.2's stub is the very line each student replaced with an answer: there both sides changed.
    Returns the new first cells of lessons 01 and 02."""
    lesson, other = work / LESSON, work / "lessons" / "02_activation_functions.ipynb"
    nb = nbformat.read(lesson, as_version=4)
    title_01 = revise_title(nb.cells[0])
    sigmoid_stub = next(c for c in nb.cells if nbgrader(c).get("grade_id") == WRONG[0])
    sigmoid_stub.source = sigmoid_stub.source.replace(STUB[0], "# YOUR CODE HERE (stable for large |z|)")
    nbformat.write(nb, lesson)
    nb = nbformat.read(other, as_version=4)
    title_02 = revise_title(nb.cells[0])
    nbformat.write(nb, other)
    assert len(git("diff", "--stat", cwd=work).splitlines()) == 3  # two files changed, and the summary
    git("commit", "--quiet", "-am", "Revise the titles of lessons 01 and 02, and exercise 1.2's stub", cwd=work)
    git("push", "--quiet", "origin", "main", cwd=work)
    return title_01, title_02


@pytest.mark.classroom
def test_a_second_pull_after_an_update_keeps_each_students_edits(students, course_repo):
    work, bare = course_repo
    before = {name: s.read_notebook(f"{TARGET}/{LESSON}") for name, s in students.items()}
    title_01, title_02 = update_the_course(work)
    upstream_02 = nbformat.read(work / "lessons/02_activation_functions.ipynb", as_version=4)
    for name, student in students.items():
        events, page = open_lesson_link(student, bare)
        assert events[-1] == {"phase": "finished"} and page.status_code == 200
        after = student.read_notebook(f"{TARGET}/{LESSON}")
        nbformat.validate(after)
        # The update came in where the student had not written ...
        assert after.cells[0].source == title_01 != before[name].cells[0].source
        # ... and everything the student wrote, and every output of their run, is still theirs (exercise
        # 1.2's revised stub included: both sides changed those lines, and nbgitpuller keeps the student's).
        assert [c.source for c in after.cells[1:]] == [c.source for c in before[name].cells[1:]]
        assert check_outputs(after) == check_outputs(before[name])
        for grade_id, lines in answers(name).items():
            cell = next(c for c in after.cells if nbgrader(c).get("grade_id") == grade_id)
            assert "\n".join(lines) in cell.source, f"{name}'s answer to {grade_id} is gone"
        # A lesson the student never touched is the instructor's new version, exactly.
        lesson_02 = student.read_notebook(f"{TARGET}/lessons/02_activation_functions.ipynb")
        assert lesson_02.cells[0].source == title_02
        assert [c.source for c in lesson_02.cells] == [c.source for c in upstream_02.cells]
        assert git("merge-base", "--is-ancestor", git("rev-parse", "main", cwd=bare), "HEAD",
                   cwd=student.home / TARGET) == ""


# -- the links of INSTRUCTORS.md (no hub needed) -------------------------------------------------------------
def test_a_lesson_link_opens_the_lesson_in_the_folder_nbgitpuller_clones_into():
    link = links.nbgitpuller_link("https://hub.example.edu/", "https://github.com/your-name/dl-from-scratch",
                                  "lessons/01_perceptron.ipynb")
    url = urllib.parse.urlparse(link)
    assert (url.scheme, url.netloc, url.path) == ("https", "hub.example.edu", "/hub/user-redirect/git-pull")
    assert urllib.parse.parse_qs(url.query) == {
        "repo": ["https://github.com/your-name/dl-from-scratch"], "branch": ["main"],
        "urlpath": ["lab/tree/dl-from-scratch/lessons/01_perceptron.ipynb"]}
    with pytest.raises(ValueError, match="hub_url must start with http:// or https://, got 'hub.example.edu'"):
        links.nbgitpuller_link("hub.example.edu", "https://github.com/x/y", "lessons/01_perceptron.ipynb")


def test_instructors_guide_lists_the_link_of_every_lesson():
    table = links.markdown_table("https://hub.example.edu", "https://github.com/your-name/dl-from-scratch")
    lessons = sorted(p.stem for p in (ROOT / "lessons").glob("[0-9][0-9]_*.ipynb"))
    assert [row.split(" | ")[0].removeprefix("| ") for row in table.split("\n")[2:]] == lessons
    assert table in (ROOT / "INSTRUCTORS.md").read_text(), "INSTRUCTORS.md: run python3 hub/links.py " \
        "https://hub.example.edu https://github.com/your-name/dl-from-scratch and paste its table in section 2"
