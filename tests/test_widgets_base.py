"""The explorer base: redraws, challenges, errors under the figure, re-run cells, clicks, a static picture."""

import base64
import html
import io
import threading

import ipywidgets as widgets
import matplotlib
import numpy as np
import pytest
from PIL import Image

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

from utils.widgets import base  # noqa: E402
from utils.widgets.base import PATH, SURFACE, Challenge, Explorer  # noqa: E402


class Line(Explorer):
    """A small explorer: a line y = a x over bars whose count is a SURFACE control."""

    def __init__(self, challenges=()):
        super().__init__(figsize=(4, 3), challenges=challenges)
        self.add_control("a", widgets.FloatSlider(value=0.5, min=-2, max=2, step=0.1), redraw=PATH)
        self.add_control("bars", widgets.IntSlider(value=3, min=1, max=8), redraw=SURFACE)
        self.add_control("top", widgets.FloatSlider(value=2.0, min=1.0, max=50.0), redraw=PATH)
        self.computed = 0
        self.start()

    def compute(self):
        self.computed += 1
        self.a = self.values["a"]
        self.y_end = 4 * self.a

    def draw_static(self):
        self.ax = self.figure.add_axes((0.2, 0.2, 0.7, 0.7))
        self.ax.set_xlabel("x")
        self.ax.set_ylabel("y")
        (self.line,) = self.ax.plot([], [], color="C1", zorder=5)
        self.animated(self.line)
        self.bars = []

    def draw_surface(self):
        for bar in self.bars:
            bar.remove()
        self.bars = list(self.ax.bar(np.arange(self.values["bars"]) * 0.5, 0.5, width=0.3, color="0.8"))

    def update(self):
        self.line.set_data([0, 4], [0, self.y_end])
        top = self.values["top"]
        if self.ax.get_ylim() != (-top, top):  # the axis follows a control: only its own axes redraw
            self.ax.set_ylim(-top, top)
            self.stale(self.ax)


def pixels(png):
    return np.asarray(Image.open(io.BytesIO(png)).convert("RGB"), dtype=int)


def test_a_path_control_redraws_only_the_path_and_a_surface_control_the_background():
    e = Line()
    before = e.image.widget.value
    e.controls["a"].value = -1.0
    assert e.redraws == {PATH: 1, SURFACE: 0} and e.image.widget.value != before
    e.controls["bars"].value = 6
    assert e.redraws == {PATH: 1, SURFACE: 1} and len(e.bars) == 6
    assert e.y_end == -4.0


def test_blitting_and_redrawing_one_axes_give_the_picture_of_a_full_draw():
    e = Line()
    for a, bars, top in [(1.5, 5, 10.0), (-0.5, 2, 3.0), (0.3, 7, 45.0)]:
        e.controls["a"].value, e.controls["bars"].value, e.controls["top"].value = a, bars, top
    shown = pixels(e.png())
    for artist in e.image.dynamic:  # what a plain full draw of the same state looks like
        artist.set_animated(False)
    e.figure.canvas.draw()
    full = pixels(e.image.encode("png"))
    assert np.abs(shown - full).max() <= 2  # no stale tick labels or old lines left behind


def test_a_surface_change_that_redraws_only_its_axes_gives_the_picture_of_a_full_draw():
    e = Line()
    e.surface_axes = [e.ax]
    calls = []
    e.image.redraw_background = lambda: calls.append("whole figure")
    for bars, top in [(8, 20.0), (2, 2.0), (5, 7.0)]:
        e.controls["bars"].value, e.controls["top"].value = bars, top
    assert calls == []  # never the whole figure
    shown = pixels(e.png())
    for artist in e.image.dynamic:
        artist.set_animated(False)
    e.figure.canvas.draw()
    assert np.abs(shown - pixels(e.image.encode("png"))).max() <= 2


class LineUnderALegend(Line):
    """The line passes under an opaque legend: an overlay, drawn once and pasted over each picture."""

    def draw_static(self):
        super().draw_static()
        self.legend = self.overlay(self.ax.legend([self.line], ["y = a x"], loc="center", framealpha=1.0,
                                                  fancybox=False, fontsize=14))


def test_an_overlay_covers_the_dynamic_artists_like_a_full_draw_without_being_drawn_again(monkeypatch):
    e = LineUnderALegend()
    drawn = []
    original = type(e.legend).draw
    monkeypatch.setattr(type(e.legend), "draw", lambda self, renderer: (drawn.append(self), original(self, renderer)))
    for a in (1.2, -0.8, 0.4):  # the line crosses the legend's box at the centre of the axes
        e.controls["a"].value = a
    assert drawn == []  # pasted, never drawn again for a PATH change
    shown = pixels(e.png())
    for artist in e.image.dynamic:
        artist.set_animated(False)
    e.figure.canvas.draw()
    full = pixels(e.image.encode("png"))
    rows, cols = np.nonzero(np.abs(shown - full).max(axis=2) > 2)
    box = e.legend.get_window_extent()  # only its antialiased edge may differ (a line may cross it)
    top, bottom = e.canvas_size[1] - box.y1, e.canvas_size[1] - box.y0
    on_edge = (np.minimum(np.abs(cols - box.x0), np.abs(cols - box.x1)) <= 1.5) | \
              (np.minimum(np.abs(rows - top), np.abs(rows - bottom)) <= 1.5)
    assert np.all(on_edge), list(zip(rows[~on_edge], cols[~on_edge]))[:5]
    e.controls["bars"].value = 6  # a SURFACE change redraws the legend once and captures it again
    assert drawn and len(e.image._overlay_pixels) == 1


def test_batch_changes_several_controls_and_redraws_once():
    e = Line()
    with e.batch():
        e.controls["a"].value = 1.0
        e.controls["bars"].value = 2
        e.controls["top"].value = 5.0
    assert e.redraws == {PATH: 0, SURFACE: 1}  # one redraw, of the strongest kind asked for


def test_challenges_are_checked_after_every_change_and_listed_under_the_figure():
    steep = Challenge("make the line steeper than 1", lambda e: e.a > 1)
    e = Line(challenges=[steep])
    assert not steep.met and "not yet" in e.challenge_list.value
    e.controls["a"].value = 1.5
    assert steep.met and steep.ever_met and "\u2713 met<" in e.challenge_list.value
    e.controls["a"].value = 0.0
    assert not steep.met and steep.ever_met and "\u2713 met before" in e.challenge_list.value
    with pytest.raises(TypeError, match="Challenge test must be a function"):
        Challenge("no test", 3)


def dejavu_characters():
    """The code points of DejaVu Sans, the font matplotlib draws with and Linux browsers fall back on."""
    from matplotlib import font_manager, ft2font

    return set(ft2font.FT2Font(font_manager.findfont("DejaVu Sans")).get_charmap())


def test_challenge_marks_are_characters_every_default_font_has_not_emoji():
    # Chromium on Linux without an emoji font drew the old mark, U+2705, as an empty box.
    steep = Challenge("make the line steeper than 1", lambda e: e.a > 1)
    e = Line(challenges=[steep, Challenge("never", lambda e: False)])
    shown = [e.challenge_list.value]
    e.controls["a"].value = 1.5
    shown.append(e.challenge_list.value)
    e.controls["a"].value = 0.0
    shown.append(e.challenge_list.value)
    text = html.unescape("".join(shown))
    assert {"\u2713", "\u25cb"} <= set(text)  # a check mark (met, met before) and a circle (not yet)
    missing = {ch for ch in text if ord(ch) > 127} - {chr(c) for c in dejavu_characters()}
    assert not missing, f"characters without a glyph in DejaVu Sans: {sorted(missing)}"


def test_an_exception_in_a_callback_is_shown_under_the_figure_then_cleared():
    e = Line()
    picture = e.image.widget.value

    def broken():
        raise ZeroDivisionError("the compute step failed")
    e.compute = broken
    e.controls["a"].value = 1.0  # does not raise into the caller (the kernel's log)
    assert isinstance(e.last_error, ZeroDivisionError)
    shown = "".join(o["text"] for o in e.errors.outputs)
    assert "ZeroDivisionError: the compute step failed" in shown and "could not redraw" in shown
    assert e.image.widget.value == picture  # the last good picture stays
    del e.compute  # back to the class's method
    e.controls["a"].value = 1.2
    assert e.last_error is None and e.errors.outputs == ()


def test_a_floating_point_warning_inside_compute_is_an_error_the_learner_sees():
    e = Line()

    def overflowing():
        np.exp(np.array([1000.0]))
    e.compute = overflowing
    e.controls["a"].value = 1.0
    assert isinstance(e.last_error, FloatingPointError)


def test_changes_from_two_threads_are_drawn_one_after_the_other():
    # ipykernel 7 can handle a click and a slider's echo in two threads at once
    e = Line()
    inside, release, order = threading.Event(), threading.Event(), []
    compute = type(e).compute

    def slow_compute():
        order.append(("start", threading.current_thread().name))
        if threading.current_thread().name == "first":
            inside.set()
            release.wait(5)
        compute(e)
        order.append(("end", threading.current_thread().name))
    e.compute = slow_compute
    first = threading.Thread(target=lambda: setattr(e.controls["a"], "value", 1.0), name="first")
    second = threading.Thread(target=lambda: setattr(e.controls["top"], "value", 9.0), name="second")
    first.start()
    inside.wait(5)
    second.start()
    second.join(0.3)
    assert second.is_alive()  # waiting for the first redraw to finish
    release.set()
    first.join(5)
    second.join(5)
    assert order == [("start", "first"), ("end", "first"), ("start", "second"), ("end", "second")]
    assert e.last_error is None and e.redraws[PATH] == 2


def test_explorers_make_no_pyplot_figures():
    plt.close("all")
    Line()
    assert plt.get_fignums() == []


def test_rerunning_a_cell_closes_the_explorers_of_its_previous_run(monkeypatch):
    where = {"cell": ("cell-1", "run-1")}
    monkeypatch.setattr(base, "_current_cell", lambda: where["cell"])
    monkeypatch.setattr(base, "_LIVE", [])
    first, second = Line(), Line()  # two explorers made by one run of a cell
    where["cell"] = ("cell-2", "run-2")
    other = Line()  # another cell
    where["cell"] = ("cell-1", "run-3")  # the first cell is run again
    again = Line()
    assert first.closed and second.closed and not other.closed and not again.closed
    assert first.controls["a"]._trait_notifiers["value"]["change"] == []  # its observers are gone
    first.controls["a"].value = 1.0  # a closed explorer ignores its controls
    assert first.redraws[PATH] == 0
    assert first.image.widget.comm is None and first.widget.comm is None  # its widgets are closed


def test_outside_a_kernel_no_cell_is_known():
    assert base._current_cell() is None


def test_the_mimebundle_holds_the_widget_and_a_png_of_the_picture():
    e = Line()
    e.controls["a"].value = -1.5
    bundle = e._repr_mimebundle_()
    assert "application/vnd.jupyter.widget-view+json" in bundle
    assert bundle["application/vnd.jupyter.widget-view+json"]["model_id"] == e.widget.model_id
    png = base64.b64decode(bundle["image/png"])
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    assert np.array_equal(pixels(png), pixels(e.png()))
    assert bundle["text/plain"] == "<Line: a, bars, top>"


def test_a_click_converts_image_pixels_to_data_coordinates():
    e = Line()
    clicks = []
    e.on_click(e.ax, lambda x, y: clicks.append((x, y)))
    target = (1.0, -1.0)
    x_disp, y_disp = e.ax.transData.transform(target)
    width, height = e.canvas_size
    # ipyevents reports the pixel in the image's own array (origin top left) as arrayX, arrayY
    e.handle_click({"type": "click", "arrayX": x_disp, "arrayY": height - y_disp})
    assert clicks[-1] == pytest.approx(target, abs=1e-9)
    # without arrayX: the position in the element as displayed, here at half size
    e.handle_click({"type": "click", "relativeX": x_disp / 2, "relativeY": (height - y_disp) / 2,
                    "boundingRectWidth": width / 2, "boundingRectHeight": height / 2})
    assert clicks[-1] == pytest.approx(target, abs=1e-9)
    e.handle_click({"type": "click", "arrayX": 1, "arrayY": 1})  # the corner, outside the axes
    e.handle_click({"type": "mousemove", "arrayX": x_disp, "arrayY": height - y_disp})
    assert len(clicks) == 2


def test_registry_sweeps_span_each_control():
    log = widgets.FloatLogSlider(value=0.1, base=10, min=-4, max=1)
    assert sweep_ends(base.sweep_values(log, 5)) == pytest.approx((1e-4, 10.0))
    assert base.sweep_values(widgets.IntSlider(value=2, min=1, max=3), 5) == [1, 2, 3]
    assert base.sweep_values(widgets.FloatSlider(value=0, min=-1, max=1), 3) == [-1.0, 0.0, 1.0]


def sweep_ends(values):
    return values[0], values[-1]


def test_add_control_refuses_an_unknown_redraw_kind_and_a_duplicate_name():
    e = Line()
    with pytest.raises(ValueError, match="redraw must be 'path' or 'surface', got 'all'"):
        e.add_control("b", widgets.FloatSlider(), redraw="all")
    with pytest.raises(ValueError, match="control 'a' was added twice"):
        e.add_control("a", widgets.FloatSlider())
