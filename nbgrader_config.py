"""nbgrader settings for a course that hands out these lessons: copy this file into your course directory.

nbgrader's feedback (``nbgrader generate_feedback``) shows each test cell as autograde ran it, and autograde
puts the hidden tests back into the cell first. Left alone, every student would read the hidden tests in
their feedback, and the traceback of a failing hidden test quotes its lines too. Here the feedback clears
the hidden tests from the test cells, as the released notebook has them, and keeps of an error in a test
cell its message only (our checks put everything a student needs in the message, and each hidden test's
assert carries a message written for students). Grades are unchanged: they are computed by autograde.

``tests/test_nbgrader.py`` runs the course through nbgrader with this file and checks that no line of a
hidden test reaches the feedback (and that nbgrader's defaults would leak them).
"""

from nbconvert.preprocessors import CSSHTMLHeaderPreprocessor
from nbgrader.preprocessors import ClearHiddenTests, GetGrades, NbGraderPreprocessor


class KeepOnlyErrorMessagesOfTests(NbGraderPreprocessor):
    """In graded test cells, replace each error's traceback by its last line, ``ename: evalue``."""

    def preprocess_cell(self, cell, resources, index):
        if cell.cell_type == "code" and cell.metadata.get("nbgrader", {}).get("grade"):
            for output in cell.get("outputs", []):
                if output.get("output_type") == "error":
                    output["traceback"] = [f"{output['ename']}: {output['evalue']}"]
        return cell, resources


c = get_config()  # noqa: F821 (defined by traitlets when it loads this file)
c.GenerateFeedback.preprocessors = [GetGrades, ClearHiddenTests, KeepOnlyErrorMessagesOfTests,
                                    CSSHTMLHeaderPreprocessor]
