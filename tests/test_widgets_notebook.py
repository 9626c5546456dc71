"""Explorers in a real kernel: the picture stored for readers without a kernel, and re-run cells."""

import base64
import io
import queue

import nbformat
import pytest
from PIL import Image

from utils.authoring import execute


def test_an_executed_notebook_stores_the_explorers_starting_picture_as_png(tmp_path):
    path = tmp_path / "explorer.ipynb"
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell("from utils.widgets import gradient_descent_explorer\n"
                                          "gradient_descent_explorer()")]
    nbformat.write(nb, path)
    execute(path)  # what `make solutions` runs
    outputs = nbformat.read(path, as_version=4).cells[0].outputs
    assert [o.output_type for o in outputs] == ["execute_result"]
    data = outputs[0].data
    assert "application/vnd.jupyter.widget-view+json" in data  # the live explorer in JupyterLab
    picture = Image.open(io.BytesIO(base64.b64decode(data["image/png"])))  # GitHub, nbviewer
    assert picture.format == "PNG" and picture.size == (1000, 440)  # fits JupyterLab beside its file browser
    assert data["text/plain"].startswith("<GradientDescentExplorer: surface, optimizer, lr")
    colours = picture.convert("RGB").getcolors(maxcolors=1 << 20)
    assert len(colours) > 1000  # a real picture (contours, a surface), not a blank image


def run_in_cell(kc, code, cell_id):
    """Send an execute request as JupyterLab does, with the cell's id; return what it printed."""
    msg = kc.session.msg("execute_request", {"code": code, "silent": False, "store_history": True,
                                             "user_expressions": {}, "allow_stdin": False,
                                             "stop_on_error": True}, metadata={"cellId": cell_id})
    kc.shell_channel.send(msg)
    printed = []
    while True:
        reply = kc.get_iopub_msg(timeout=60)
        if reply["parent_header"].get("msg_id") != msg["header"]["msg_id"]:
            continue
        if reply["msg_type"] == "stream":
            printed.append(reply["content"]["text"])
        if reply["msg_type"] == "error":
            raise AssertionError("\n".join(reply["content"]["traceback"]))
        if reply["msg_type"] == "status" and reply["content"]["execution_state"] == "idle":
            return "".join(printed)


@pytest.fixture
def kernel():
    from jupyter_client.manager import start_new_kernel

    km, kc = start_new_kernel(kernel_name="python3")
    try:
        while True:  # drop the start-up messages
            kc.get_iopub_msg(timeout=0.5)
    except queue.Empty:
        pass
    yield kc
    kc.stop_channels()
    km.shutdown_kernel(now=True)


def test_rerunning_a_cell_closes_only_the_explorer_it_made_before(kernel):
    run_in_cell(kernel, "from utils.widgets import perceptron_explorer\nmade = []", "setup")
    run_in_cell(kernel, "made.append(perceptron_explorer())", "cell-a")
    run_in_cell(kernel, "made.append(perceptron_explorer())", "cell-a")  # cell a again
    run_in_cell(kernel, "made.append(perceptron_explorer())", "cell-b")  # same code, another cell
    closed = run_in_cell(kernel, "print([e.closed for e in made])", "probe")
    assert closed.strip() == "[True, False, False]"
    count = run_in_cell(kernel, "import matplotlib.pyplot as plt; print(len(plt.get_fignums()))", "probe-2")
    assert count.strip() == "0"  # no pyplot figures piled up either
