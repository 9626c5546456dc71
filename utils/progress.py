"""A progress bar for training, in Jupyter and in a terminal.

In a Jupyter kernel the bar is an ipywidgets progress bar with a label; in a
terminal it is one line redrawn with a carriage return. ipywidgets is imported
only when a bar is first shown in Jupyter, so ``import utils`` stays light.
"""

import sys


def in_jupyter():
    """True when running inside a Jupyter (ZMQ) kernel."""
    shell = sys.modules.get("IPython") and sys.modules["IPython"].get_ipython()
    return type(shell).__name__ == "ZMQInteractiveShell"


class ProgressBar:
    """Show progress of `total` steps; ``update(n, text)`` moves it to step `n`.

    Parameters
    ----------
    total : int
        Number of steps (epochs, for ``fit``).
    description : str
        Shown before the bar.
    stream : file, default sys.stderr
        Where the terminal bar is written.
    """

    width = 30
    _shown = ""

    def __init__(self, total, description="", stream=None):
        self.total, self.description = total, description
        self.stream = stream or sys.stderr
        self._widget = self._make_widget() if in_jupyter() else None

    def _make_widget(self):
        import ipywidgets as widgets
        from IPython.display import display

        bar = widgets.IntProgress(min=0, max=self.total, description=self.description)
        label = widgets.HTML()
        box = widgets.HBox([bar, label])
        display(box)
        return bar, label

    def update(self, n, text=""):
        """Move the bar to step `n` of `total`, with `text` beside it."""
        if self._widget is not None:
            bar, label = self._widget
            bar.value = n
            label.value = f"{n}/{self.total} {text}"
            return
        if not _is_tty(self.stream):
            return  # a log file gets only the closing line
        filled = int(self.width * n / max(self.total, 1))
        bar = f"[{'#' * filled}{'.' * (self.width - filled)}]"
        self.stream.write(f"\r\x1b[K{self.description} {bar} {n}/{self.total} {text}")  # \x1b[K: clear to end of line
        self.stream.flush()
        self._shown = text

    def close(self, text=""):
        """Finish the bar (a newline in a terminal; the final label in Jupyter)."""
        if self._widget is not None:
            bar, label = self._widget
            bar.bar_style = "success"
            if text:
                label.value = text
            return
        if _is_tty(self.stream):
            self.stream.write("\n" if text in ("", self._shown) else f"\n{text}\n")
        elif text:
            self.stream.write(f"{self.description}: {text}\n")
        self.stream.flush()


def _is_tty(stream):
    return hasattr(stream, "isatty") and stream.isatty()
