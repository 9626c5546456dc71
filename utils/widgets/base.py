"""The explorer base: every interactive figure of the course is built on :class:`Explorer`.

The contract (what every explorer in ``utils.widgets`` promises)
-------------------------------------------------------------------
An *explorer function* (``gradient_descent_explorer``, ``perceptron_explorer``, ...)

- can be called with no arguments: it then uses sensible default data;
- is registered with :func:`register_explorer`, so it appears in :data:`EXPLORERS`, and so the
  generic headless test (``tests/test_widgets_registry.py``) drives it through every numeric
  control and ``benchmarks/bench_widgets.py`` times it, with nothing else to write;
- returns an :class:`Explorer`: an object that displays itself in a notebook (it is the cell's
  value) and exposes

  ``.controls``
      dict, name -> ipywidgets control. Tests and benchmarks drive the explorer by setting
      ``explorer.controls["lr"].value = 0.5``; the explorer recomputes and redraws at once.
  ``.figure``
      the matplotlib ``Figure`` behind the picture (never a pyplot figure).
  its computed state
      as attributes, e.g. ``.path``, ``.losses``, ``.status`` for gradient descent.
  ``.challenges``
      list of :class:`Challenge`, each with ``.met`` (bool), checked after every change.
  ``.widget``
      the ipywidgets box that is displayed: controls, the image, the challenges, an error area.

Writing an explorer
-------------------
Subclass :class:`Explorer` and write four parts; the base calls them in this order:

1. ``compute()``: read ``self.values`` (name -> current control value) and set the state
   attributes, using the reference code of ``utils`` (never the learner's exercise code).
2. ``draw_static()``: called once; make the axes, label them, draw what never changes.
3. ``draw_surface()``: draw what changes only when a ``SURFACE`` control moves (contours, a
   3-D mesh, the data). It becomes part of the saved background. Artists it drew earlier must
   be removed or updated by it (keep them on ``self``).
4. ``update()``: move the *dynamic* artists (those passed to :meth:`Explorer.animated`, e.g.
   the path, a title, a status text) to the new state. Only these are redrawn when a ``PATH``
   control moves: the base restores the saved background and blits them on top, so whatever
   must appear above a dynamic artist (points over a shaded region) must be dynamic too, or,
   if it changes only with the surface and has an opaque box (a legend over a moving path),
   an *overlay* (:meth:`Explorer.overlay`): drawn once, its pixels pasted on top of each picture.

Controls are added in ``__init__`` with :meth:`Explorer.add_control`, each declared as
``PATH`` (changes only the dynamic artists) or ``SURFACE`` (changes the background: the surface,
the data, an axis range). Buttons and the ``Play`` control use :meth:`Explorer.add_button`
and ordinary controls. The subclass's ``__init__`` ends with ``self.start()``.

Redrawing. A ``PATH`` change costs ``compute`` + ``update`` + a blit of the dynamic artists + an
image; a ``SURFACE`` change also redraws the figure's static part once (``draw_surface`` then a
full draw, saved as the new background). When ``update()`` changes an axes' limits (a loss axis
that follows the path), it calls :meth:`Explorer.stale` and only that axes is redrawn into the
background; likewise an explorer that sets ``surface_axes`` has only those axes redrawn on a
``SURFACE`` change. The picture is sent as a PNG (or, for wide figures, ``live_format = "jpeg"``, much
faster to encode) to an ``ipywidgets.Image``; :class:`BlitImage` does the blitting.

Threads. ipykernel 7 may handle two widget messages in two threads at once; every callback, batch
and redraw holds one lock shared by all explorers, because matplotlib's text rendering is not
thread-safe.

Errors. An exception inside a callback (a control change, a button, a click) never escapes
into the kernel's log, where a learner would not see it: its traceback is shown under the
figure in an ``ipywidgets.Output`` (``explorer.errors``), and ``explorer.last_error`` holds it.
The next change that succeeds clears it.

Re-running a cell. Explorers draw on their own ``Figure`` (no pyplot), so re-running a cell never
piles up figures, and each explorer observes only its own controls. When a cell is re-run in
JupyterLab (or any front end that sends a cell id), the explorers that the *previous run of the
same cell* created are closed (:meth:`Explorer.close`: observers removed, widgets closed, figure
cleared), so the kernel does not keep their widgets and images alive; their old output, replaced
by the new one, would be dead anyway. Explorers made by other cells, or by the same run of the
cell, are left alone.

Without a kernel. ``_repr_mimebundle_`` returns the widget view *and* an ``image/png`` of the
picture as it is when the cell runs, so GitHub and nbviewer show the starting picture.

Clicks. :meth:`Explorer.on_click` (with ``ipyevents``, when installed) calls a handler with data
coordinates of a click on one of the figure's axes; :meth:`Explorer.pixel_to_data` is the
conversion, testable without a browser.

Colours: :data:`OKABE_ITO`, :data:`LINE_STYLES` and the ``cividis``/``viridis`` colour maps read
for colour-blind learners; every axis an explorer draws is labelled.

ipywidgets and matplotlib are imported with this module, never by ``import utils``.
"""

import base64
import contextlib
import html
import io
import threading
import traceback
import warnings
import weakref
from dataclasses import dataclass, field
from typing import Callable

import ipywidgets as widgets
import numpy as np
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from PIL import Image

#: A control that changes only the dynamic artists (a path, a line, a title).
PATH = "path"
#: A control that changes the figure's background (a surface, the data, an axis range).
SURFACE = "surface"

#: Okabe & Ito's colour-blind-safe palette (same order as ``utils.plotting.CLASS_COLORS``).
OKABE_ITO = ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#000000"]
#: Line styles to pair with the colours, so curves differ in more than hue.
LINE_STYLES = ["solid", "dashed", "dashdot", "dotted", (0, (5, 1, 1, 1, 1, 1)), (0, (1, 1))]
#: Markers to pair with them.
MARKERS = ["o", "s", "^", "D", "v", "P"]


# --------------------------------------------------------------------------------------------
# The registry


@dataclass
class ExplorerInfo:
    """One registered explorer factory.

    Attributes
    ----------
    name : str
        The factory's name, e.g. ``"gradient_descent_explorer"``.
    factory : callable
        Called with no arguments, returns an :class:`Explorer`.
    sweeps : dict, name -> sequence
        Values to try for a control instead of the ones :func:`sweep_values` derives from it.
    skip : tuple of str
        Controls the generic test and the benchmark leave alone (e.g. ``"play"``).
    context : dict, name -> dict
        Other controls to set before a control is swept, where it acts only then (Adam's
        ``beta1`` only when the optimizer is Adam): ``{"beta1": {"optimizer": "Adam"}}``.
    """

    name: str
    factory: Callable
    sweeps: dict = field(default_factory=dict)
    skip: tuple = ()
    context: dict = field(default_factory=dict)

    def prepare(self, control):
        """A new explorer with the defaults, and the `context` of `control` set."""
        explorer = self.factory()
        with explorer.batch():
            for name, value in self.context.get(control, {}).items():
                explorer.controls[name].value = value
        return explorer


#: Every explorer factory of the course, by name, filled by :func:`register_explorer`.
EXPLORERS = {}


def register_explorer(factory=None, *, sweeps=None, skip=(), context=None):
    """Decorator: add an explorer factory to :data:`EXPLORERS`.

    Parameters
    ----------
    factory : callable
        Returns an :class:`Explorer` when called with no arguments.
    sweeps : dict, optional
        name -> values to set that control to, where :func:`sweep_values` would not do
        (a control whose range depends on data, say).
    skip : sequence of str
        Numeric controls the generic test and the benchmark must not sweep.
    context : dict, optional
        name -> {other control: value} to set before sweeping that control (see :class:`ExplorerInfo`).

    Returns
    -------
    the factory, unchanged
    """
    def decorate(fn):
        EXPLORERS[fn.__name__] = ExplorerInfo(fn.__name__, fn, dict(sweeps or {}), tuple(skip),
                                              dict(context or {}))
        return fn
    return decorate(factory) if factory is not None else decorate


def numeric_controls(explorer):
    """The names of an explorer's numeric controls (sliders, ``Play``, number boxes)."""
    return [name for name, c in explorer.controls.items()
            if hasattr(c, "min") and hasattr(c, "max") and isinstance(c.value, (int, float))
            and not isinstance(c.value, bool)]


def sweep_values(control, n=5):
    """Values across a numeric control's range: its min, its max and ``n - 2`` in between.

    A ``FloatLogSlider`` is swept evenly in its exponent; integer controls give integers.

    Parameters
    ----------
    control : ipywidgets numeric control
    n : int >= 2

    Returns
    -------
    list of float or int, length <= n (integers are not repeated)
    """
    if isinstance(control, widgets.FloatLogSlider):
        return [float(control.base ** e) for e in np.linspace(control.min, control.max, n)]
    values = np.linspace(control.min, control.max, n)
    if isinstance(control.value, int):
        return list(dict.fromkeys(int(round(v)) for v in values))
    return [float(v) for v in values]


# --------------------------------------------------------------------------------------------
# Challenges


class Challenge:
    """A target for the learner, checked after every change of an explorer.

    Parameters
    ----------
    description : str
        What to reach, in the learner's words, e.g. ``"reach a loss below 1e-6 within 100 steps"``.
    test : callable
        ``test(explorer) -> bool``: reads the explorer's state (never its widgets' pixels).

    Attributes
    ----------
    met : bool
        Whether the target holds for the explorer's current state.
    ever_met : bool
        Whether it has held at some point (a learner keeps the credit after moving on).
    """

    def __init__(self, description, test):
        if not callable(test):
            raise TypeError(f"Challenge test must be a function of the explorer, got {type(test).__name__}")
        self.description, self.test = str(description), test
        self.met = self.ever_met = False

    def check(self, explorer):
        """Run the test on the explorer's state; return and remember whether it is met."""
        self.met = bool(self.test(explorer))
        self.ever_met = self.ever_met or self.met
        return self.met

    def __repr__(self):
        return f"Challenge({self.description!r}, met={self.met})"


#: The challenges' marks: characters every default font has (DejaVu Sans, Liberation, Arial, Helvetica),
#: never an emoji, which a browser without an emoji font (Chromium on Linux) shows as an empty box.
#: Words say the state; the colour only repeats it.
CHALLENGE_MARKS = {"met": ("\u2713", "met", "#009E73"),          # check mark
                   "met before": ("\u2713", "met before", "#666666"),
                   "not yet": ("\u25CB", "not yet", "#666666")}    # white circle


def _challenge_mark(challenge):
    state = "met" if challenge.met else "met before" if challenge.ever_met else "not yet"
    mark, words, colour = CHALLENGE_MARKS[state]
    weight = "bold" if challenge.met else "normal"
    return f"<span style='color:{colour}; font-weight:{weight}'>{mark} {words}</span>"


def _challenges_html(challenges):
    items = "".join(f"<li style='list-style:none'>{_challenge_mark(c)} &mdash; {html.escape(c.description)}</li>"
                    for c in challenges)
    return f"<b>Challenges</b><ul style='margin:2px 0; padding-left:4px'>{items}</ul>"


# --------------------------------------------------------------------------------------------
# Blitting


class BlitImage:
    """A matplotlib figure shown in an ``ipywidgets.Image``, redrawn by blitting.

    Parameters
    ----------
    fig : matplotlib Figure
        Drawn in full, without the `dynamic` artists: that is the background.
    dynamic : list of matplotlib artists
        The artists that change; :meth:`refresh` draws them on the background, by ``zorder``.
    format : {"png", "jpeg"}
    quality : int
        JPEG quality.
    overlays : list of matplotlib artists
        Static artists drawn with the background whose pixels are pasted over the dynamic ones
        (see :meth:`capture_overlays`).

    Attributes
    ----------
    widget : ipywidgets.Image
        Shown at the figure's native size (crisp).
    canvas : FigureCanvasAgg
    """

    def __init__(self, fig, dynamic, *, format="png", quality=92, overlays=()):
        if format not in ("png", "jpeg"):
            raise ValueError(f"format must be 'png' or 'jpeg', got {format!r}")
        self.fig, self.format, self.quality = fig, format, quality
        self.canvas = fig.canvas if isinstance(fig.canvas, FigureCanvasAgg) else FigureCanvasAgg(fig)
        self.dynamic = []
        self.set_dynamic(dynamic)
        self.overlays, self._overlay_pixels = list(overlays), []
        width, height = self.canvas.get_width_height()
        self.widget = widgets.Image(format=format, width=str(width), height=str(height),
                                    layout=widgets.Layout(width=f"{width}px", height=f"{height}px"))
        self.redraw_background()
        self.refresh()

    def set_dynamic(self, artists):
        """Declare which artists are foreground (animated): left out of the background."""
        self.dynamic = sorted(artists, key=lambda a: a.get_zorder())
        for artist in self.dynamic:
            artist.set_animated(True)

    def redraw_background(self):
        """Draw the figure without the dynamic artists and save it as the background."""
        self.canvas.draw()
        self.background = self.canvas.copy_from_bbox(self.fig.bbox)
        self.capture_overlays()

    def capture_overlays(self):
        """Save the pixels of the `overlays` (static artists that must cover the dynamic ones), as drawn now.

        An overlay is drawn with the background; :meth:`compose` pastes its pixels back over
        the dynamic artists, which costs a copy instead of drawing it again (a legend of four
        entries takes about 9 ms to draw, its pixels well under one). Its box must be an opaque
        rectangle (a legend with ``framealpha=1, fancybox=False``), or what was under it at the
        last full draw shows. The whole pixels inside its box are pasted; a dynamic artist may
        cross its outermost, antialiased edge.
        """
        from matplotlib.transforms import Bbox

        renderer = self.canvas.get_renderer()
        self._overlay_pixels = []
        for artist in self.overlays:
            if artist.figure is None or not artist.get_visible():
                continue
            box = artist.get_window_extent(renderer)  # the whole pixels inside it, opaque
            box = Bbox.from_extents(np.ceil(box.x0), np.ceil(box.y0), np.floor(box.x1), np.floor(box.y1))
            self._overlay_pixels.append(self.canvas.copy_from_bbox(box))

    def redraw_axes(self, axes, margins=(80, 50, 25, 30)):
        """Redraw the static part of some axes (their limits or ticks changed) into the background.

        Cheaper than :meth:`redraw_background`: only these axes are drawn, over their region
        painted in the figure's colour. The region is the axes' box widened by `margins` (left,
        bottom, right, top, in pixels: room for tick labels, axis labels and a title); other
        axes must not reach into it.
        """
        from matplotlib.patches import Rectangle
        from matplotlib.transforms import Bbox

        renderer = self.canvas.get_renderer()
        self.canvas.restore_region(self.background)
        for ax in axes:
            box = ax.bbox
            left, bottom, right, top = margins
            region = Bbox.from_extents(box.x0 - left, box.y0 - bottom, box.x1 + right, box.y1 + top)
            blank = Rectangle(region.p0, region.width, region.height, transform=None,
                              facecolor=self.fig.get_facecolor(), edgecolor="none")
            blank.set_figure(self.fig)
            blank.draw(renderer)
            self.fig.draw_artist(ax)  # its animated children are left out, as in a full draw
        self.background = self.canvas.copy_from_bbox(self.fig.bbox)
        self.capture_overlays()

    def compose(self):
        """Restore the background and draw the dynamic artists on top, on the canvas."""
        self.canvas.restore_region(self.background)
        for artist in self.dynamic:
            if artist.figure is not None and artist.get_visible():
                self.fig.draw_artist(artist)
        for pixels in self._overlay_pixels:  # static artists above the dynamic ones: pasted, not drawn
            self.canvas.restore_region(pixels)

    def render(self):
        """Image bytes (in the widget's format) of the background with the dynamic artists on top."""
        self.compose()
        return self.encode(self.format)

    def encode(self, format="png"):
        """PNG or JPEG bytes of what the canvas holds now."""
        width, height = self.canvas.get_width_height()
        pixels = Image.frombuffer("RGBA", (width, height), self.canvas.buffer_rgba(), "raw", "RGBA", 0, 1)
        buffer = io.BytesIO()
        if format == "jpeg":  # 5-10x faster to encode than PNG for a wide figure; crisp at this quality
            pixels.convert("RGB").save(buffer, format="jpeg", quality=self.quality)
        else:
            pixels.save(buffer, format="png", compress_level=1)  # fast: the image goes to localhost
        return buffer.getvalue()

    def png(self):
        """PNG bytes of the background with the dynamic artists drawn on top."""
        self.compose()
        return self.encode("png")

    def refresh(self):
        """Send the current picture to the widget."""
        self.widget.value = self.render()


# --------------------------------------------------------------------------------------------
# Which cell made which explorer (to close an explorer when its cell is re-run)

_LIVE = []  # (cell key, run key, weakref to explorer)

# ipykernel 7 may run two comm handlers (a click, a slider's echo) in different threads; matplotlib's
# text rendering is not thread-safe (glyphs land in the wrong places), so explorers draw one at a time.
_DRAW_LOCK = threading.RLock()


def _current_cell():
    """``(cell, run)`` keys of the cell being executed in a kernel, or ``None``.

    ``cell`` is the cell id that JupyterLab and Notebook 7 send with each execute request;
    ``run`` is the request's id. Without a cell id (outside a kernel, or a front end such as
    nbclient that sends none) it is ``None`` and nothing is closed: two cells with the same
    code must never close each other's explorers.
    """
    try:
        from IPython import get_ipython

        kernel = getattr(get_ipython(), "kernel", None)
        parent = kernel.get_parent() if kernel is not None else None
    except Exception:  # no IPython, or a shell without a kernel
        return None
    if not parent or "header" not in parent:
        return None
    cell = (parent.get("metadata") or {}).get("cellId")
    return (cell, parent["header"].get("msg_id")) if cell else None


def _claim_cell(explorer):
    """Close the explorers made by an earlier run of the current cell; remember this one."""
    where = _current_cell()
    if where is None:
        return
    cell, run = where
    keep = []
    for c, r, ref in _LIVE:
        other = ref()
        if other is None:
            continue
        if c == cell and r != run:
            other.close()
        else:
            keep.append((c, r, ref))
    keep.append((cell, run, weakref.ref(explorer)))
    _LIVE[:] = keep


# --------------------------------------------------------------------------------------------
# The explorer


class Explorer:
    """Base of every explorer: controls, a compute step, a figure redrawn by blitting, challenges.

    Parameters
    ----------
    figsize : (float, float)
        Inches, at 100 dpi: the image is ``100 * figsize`` pixels.
    challenges : sequence of Challenge, optional

    Attributes
    ----------
    controls : dict, name -> ipywidgets control
    figure : matplotlib Figure
    challenges : list of Challenge
    widget : ipywidgets.VBox
        What the notebook shows: controls, image, challenges, errors.
    errors : ipywidgets.Output
        Tracebacks of exceptions raised in callbacks.
    last_error : BaseException or None
    redraws : dict, kind -> int
        How many ``PATH`` and ``SURFACE`` redraws were done (for tests).

    See the module docstring for the contract and how to write a subclass.
    """

    #: Format of the live image: "png", or "jpeg" for wide figures (much faster to encode).
    live_format = "png"
    #: The axes a ``SURFACE`` change redraws (set in ``draw_static``); None: the whole figure.
    surface_axes = None

    def __init__(self, *, figsize=(6, 4.5), challenges=()):
        self.controls, self.control_kinds = {}, {}
        self.buttons = {}
        self.figure = Figure(figsize=figsize, dpi=100)
        FigureCanvasAgg(self.figure)
        self.challenges = list(challenges)
        for c in self.challenges:
            if not isinstance(c, Challenge):
                raise TypeError(f"challenges must be Challenge objects, got {type(c).__name__}")
        self.errors = widgets.Output(layout=widgets.Layout(max_height="12em", overflow="auto"))
        self.last_error = None
        self.redraws = {PATH: 0, SURFACE: 0}
        self._dynamic, self._overlays, self._observers, self._click_handlers = [], [], [], []
        self._events = None
        self._pending = None  # kinds of change held back by batch()
        self._lock = _DRAW_LOCK
        self._stale_axes = []  # axes whose static part update() changed (see stale())
        self.image = None
        self.closed = False

    # -- building -----------------------------------------------------------------------------

    def add_control(self, name, control, *, redraw=PATH, on_change=None):
        """Add a control; moving it recomputes and redraws the `redraw` kind (``PATH`` or ``SURFACE``).

        `on_change`, if given, is called with the traitlets change first (to move other controls,
        e.g. a slider's range when the surface changes); the explorer then redraws once.
        """
        if redraw not in (PATH, SURFACE):
            raise ValueError(f"redraw must be {PATH!r} or {SURFACE!r}, got {redraw!r}")
        if name in self.controls:
            raise ValueError(f"control {name!r} was added twice")
        self.controls[name], self.control_kinds[name] = control, redraw

        def changed(change, kind=redraw):
            with self.batch():
                if on_change is not None:
                    on_change(change)
                self.changed(kind)
        handler = self._guarded(changed)
        control.observe(handler, names="value")
        self._observers.append((control, handler))
        return control

    def add_button(self, name, description, action, *, icon=""):
        """Add a button that calls ``action()`` (then redraws the path) when pressed."""
        button = widgets.Button(description=description, icon=icon, layout=widgets.Layout(width="auto"))

        def pressed(_):
            action()
            self.changed(PATH)
        handler = self._guarded(pressed)
        button.on_click(handler)
        self.buttons[name] = button
        return button

    def animated(self, artist, *, replace=None):
        """Mark an artist as dynamic (redrawn on every change); return it.

        With `replace`, the artist takes the place of an earlier dynamic one, which is removed
        from the figure (for artists that are made anew on each update, such as a contour set).
        """
        if replace is not None:
            self._dynamic.remove(replace)
            replace.remove()
        self._dynamic.append(artist)
        if self.image is not None:
            self.image.set_dynamic(self._dynamic)
        return artist

    def overlay(self, artist, *, replace=None):
        """Mark a static artist that must cover the dynamic ones (a legend over a moving path); return it.

        It is drawn with the background, and its pixels are pasted over each new picture
        (:meth:`BlitImage.capture_overlays`): much cheaper than a dynamic artist, for an artist
        that changes only with a ``SURFACE`` control. Give it an opaque rectangle for a box
        (``framealpha=1, fancybox=False``).
        With `replace`, it takes the place of an earlier overlay, which is removed from the figure.
        """
        if replace is not None:
            self._overlays.remove(replace)
            replace.remove()
        self._overlays.append(artist)
        if self.image is not None:
            self.image.overlays = list(self._overlays)
        return artist

    @contextlib.contextmanager
    def batch(self):
        """Change several controls at once (from code) and redraw once, at the end.

        >>> with explorer.batch():                                    # doctest: +SKIP
        ...     explorer.controls["x0"].value, explorer.controls["y0"].value = 1.0, 2.0
        """
        with self._lock:  # another thread's change waits for the whole batch
            outer = self._pending is None
            if outer:
                self._pending = set()
            try:
                yield self
            finally:
                if outer:
                    kinds, self._pending = self._pending, None
                    if kinds:
                        self.changed(SURFACE if SURFACE in kinds else PATH)

    def stale(self, ax):
        """Say, from ``update()``, that the static part of `ax` changed (its limits, its ticks).

        The base then redraws that axes into the background (cheaper than a whole new
        background); use it for a loss axis whose range follows the path.
        """
        if ax not in self._stale_axes:
            self._stale_axes.append(ax)

    @property
    def values(self):
        """Current value of every control, name -> value."""
        return {name: c.value for name, c in self.controls.items()}

    def start(self):
        """Compute, draw everything once, and build the widget. Call at the end of ``__init__``."""
        self.compute()
        self.draw_static()
        self.draw_surface()
        self.update()
        self._check_challenges()
        self.image = BlitImage(self.figure, self._dynamic, format=self.live_format, overlays=self._overlays)
        self._stale_axes = []  # the first full draw covered them
        self.challenge_list = widgets.HTML(_challenges_html(self.challenges))
        self.challenge_list.layout.display = None if self.challenges else "none"
        self.widget = widgets.VBox([self.layout_controls(), self.image.widget, self.challenge_list, self.errors])
        _claim_cell(self)
        return self

    def layout_controls(self):
        """The box of controls above the image; override to group them."""
        row = [*self.controls.values(), *self.buttons.values()]
        return widgets.HBox(row, layout=widgets.Layout(flex_flow="row wrap"))

    # -- the four parts a subclass writes ----------------------------------------------------

    def compute(self):
        """Read ``self.values`` and set the state attributes."""
        raise NotImplementedError

    def draw_static(self):
        """Draw what never changes (axes, labels); called once."""

    def draw_surface(self):
        """Draw the part of the background that ``SURFACE`` controls change."""

    def update(self):
        """Move the dynamic artists to the current state."""
        raise NotImplementedError

    # -- reacting ----------------------------------------------------------------------------

    def changed(self, kind=PATH):
        """Recompute and redraw after a change of the given kind; check the challenges."""
        with self._lock:
            self._changed(kind)

    def _changed(self, kind):
        if self.closed:
            return
        if self._pending is not None:  # inside batch(): redraw once at its end
            self._pending.add(kind)
            return
        with warnings.catch_warnings():
            warnings.simplefilter("error", RuntimeWarning)  # a floating-point warning is a bug here
            with np.errstate(over="raise", divide="raise", invalid="raise"):  # underflow is harmless
                self.compute()
                if kind == SURFACE:
                    self.draw_surface()
                self.update()
        if kind == SURFACE and self.surface_axes is None:
            self.image.redraw_background()
        elif kind == SURFACE:  # only the axes that show the surface, and any that update() made stale
            self.image.redraw_axes(list(dict.fromkeys([*self.surface_axes, *self._stale_axes])))
        elif self._stale_axes:
            self.image.redraw_axes(self._stale_axes)
        self._stale_axes = []
        self.image.refresh()
        self.redraws[kind] += 1
        self._check_challenges()
        self.challenge_list.value = _challenges_html(self.challenges)

    def _check_challenges(self):
        for challenge in self.challenges:
            challenge.check(self)

    def _guarded(self, fn):
        """Wrap a callback so that an exception shows under the figure instead of in the log."""
        def guarded(*args, **kwargs):
            try:
                with self._lock:
                    result = fn(*args, **kwargs)
            except Exception as error:  # shown to the learner, never swallowed
                self.last_error = error
                text = "".join(traceback.format_exception(type(error), error, error.__traceback__))
                self.errors.outputs = ()
                self.errors.append_stderr(f"The explorer could not redraw:\n{text}")
                return None
            if self.last_error is not None:
                self.last_error = None
                self.errors.outputs = ()
            return result
        return guarded

    # -- clicks ------------------------------------------------------------------------------

    def pixel_to_data(self, ax, x, y):
        """Data coordinates in `ax` of the image pixel ``(x, y)`` (origin top left, as in a browser).

        Returns
        -------
        (float, float) or None
            ``None`` when the pixel is outside the axes.
        """
        height = self.figure.bbox.height
        display = (float(x), height - float(y))  # matplotlib's display origin is bottom left
        if not ax.bbox.contains(*display):
            return None
        u, v = ax.transData.inverted().transform(display)
        return float(u), float(v)

    def on_click(self, ax, handler):
        """Call ``handler(x, y)`` with data coordinates whenever the learner clicks inside `ax`.

        Uses ``ipyevents`` when it is installed; without it clicks are ignored and the
        sliders still work. :meth:`handle_click` is the event handler (testable headless).
        """
        self._click_handlers.append((ax, handler))
        if self._events is None:
            try:
                from ipyevents import Event
            except ImportError:
                return
            self._events = Event(source=self.image.widget, watched_events=["click"],
                                 prevent_default_action=True)
            self._events.on_dom_event(self._guarded(self.handle_click))

    def handle_click(self, event):
        """Handle an ``ipyevents`` click: convert its pixel to data and call the handlers of the axes hit."""
        if event.get("type") != "click":
            return
        if "arrayX" in event:  # ipyevents: the pixel in the image's own array (whatever its display size)
            x, y = event["arrayX"], event["arrayY"]
        else:
            width, height = self.canvas_size
            x = event["relativeX"] * width / event["boundingRectWidth"]
            y = event["relativeY"] * height / event["boundingRectHeight"]
        for ax, handler in self._click_handlers:
            point = self.pixel_to_data(ax, x, y)
            if point is not None:
                handler(*point)
                return

    @property
    def canvas_size(self):
        """(width, height) of the picture in pixels."""
        return self.image.canvas.get_width_height()

    # -- showing -----------------------------------------------------------------------------

    def png(self):
        """PNG bytes of the current picture."""
        with self._lock:
            return self.image.png()

    def _repr_mimebundle_(self, include=None, exclude=None):
        bundle = self.widget._repr_mimebundle_()
        bundle["image/png"] = base64.b64encode(self.png()).decode("ascii")
        bundle["text/plain"] = repr(self)
        return bundle

    def __repr__(self):
        return f"<{type(self).__name__}: {', '.join(self.controls)}>"

    def close(self):
        """Stop observing the controls, close every widget and clear the figure."""
        if self.closed:
            return
        self.closed = True
        for control, handler in self._observers:
            control.unobserve(handler, names="value")
        self._observers.clear()
        if self._events is not None:
            self._events.close()
        for w in [*self.controls.values(), *self.buttons.values(), self.image.widget, self.challenge_list,
                  self.errors, *self.widget.children, self.widget]:
            w.close()
        self.figure.clear()
