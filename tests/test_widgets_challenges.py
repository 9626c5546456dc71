"""No challenge of an explorer is met before the learner has moved anything.

A challenge is a target to reach by moving the controls; one that the starting picture already
meets teaches nothing and shows a learner a tick for doing nothing. This file builds each explorer
of lessons 02-05 and 08-10 as the registry builds it (no arguments) and as the lessons' solution
notebooks build it, and checks that every challenge starts unmet (``met`` and ``ever_met`` both
False). Add an explorer's name to ``EXPLORER_NAMES`` and it is checked too.
"""

import matplotlib
import matplotlib.text

matplotlib.use("Agg")
import pytest  # noqa: E402

import utils.widgets  # noqa: E402, F401  (registers every explorer)
from utils.widgets import EXPLORERS  # noqa: E402

#: The explorers of lessons 02-05 and 08-10 (the loss-surface explorers of 06-07 are tested with theirs).
EXPLORER_NAMES = ("activation_explorer", "network_explorer", "loss_explorer", "softmax_explorer",
                  "backprop_explorer", "gradient_descent_explorer", "optimizer_race", "minibatch_explorer",
                  "training_explorer", "playground")

#: How the solution notebooks start them (lesson, factory, keyword arguments).
LESSON_SETUPS = [
    ("04", "loss_explorer", dict(z=-4.0, y=1.0)),
    ("04", "softmax_explorer", dict(logits=(2.0, 1.0, -1.0))),
    ("05", "backprop_explorer", dict(x=1.0, w1=0.5, b1=0.0, w2=0.5, b2=0.0, y=1.0)),
    ("08", "training_explorer", dict(lr=0.01, batch_size=32, hidden=16, epochs=10)),
    ("10", "minibatch_explorer", dict(batch_size=8, noise=0.5, l2=0.0)),
    ("09", "playground", dict(dataset="moons", noise=0.35, n=60, test_size=0.5, hidden=(64, 64), activation="ReLU",
                              lr=0.01, batch_size=30, seed=3, epochs_per_tick=5)),
    ("10", "playground", dict(dataset="circles", noise=0.2, n=60, test_size=0.5, hidden=(32, 32), activation="ReLU",
                              lr=0.01, batch_size=10)),
]


def unmet_at_start(explorer):
    """The challenges' descriptions that are met (or were ever met) before any control moved."""
    return [c.description for c in explorer.challenges if c.met or c.ever_met]


@pytest.mark.parametrize("name", EXPLORER_NAMES)
def test_no_challenge_is_met_by_the_default_state(name):
    explorer = EXPLORERS[name].factory()
    try:
        assert explorer.challenges, f"{name} has no challenges to check"
        assert unmet_at_start(explorer) == [], f"{name} starts with a challenge already met"
    finally:
        explorer.close()


@pytest.mark.parametrize("lesson, name, kwargs", LESSON_SETUPS, ids=[f"lesson {s[0]}" for s in LESSON_SETUPS])
def test_no_challenge_is_met_where_a_lesson_starts_the_explorer(lesson, name, kwargs):
    explorer = EXPLORERS[name].factory(**kwargs)
    try:
        assert unmet_at_start(explorer) == [], f"lesson {lesson}'s {name} starts with a challenge already met"
    finally:
        explorer.close()


def emoji_in(text):
    """Characters that many default fonts lack (Chromium on Linux draws them as empty boxes): pictographs,
    dingbats and miscellaneous symbols (U+2600-U+27BF, U+2B00-U+2BFF, U+1F000 up) and emoji selectors."""
    return sorted({ch for ch in text if 0x2600 <= ord(ch) <= 0x27BF or 0x2B00 <= ord(ch) <= 0x2BFF
                   or ord(ch) >= 0x1F000 or ord(ch) in (0xFE0F, 0x200D)})


@pytest.mark.parametrize("name", EXPLORER_NAMES)
def test_what_the_learner_reads_has_no_emoji(name):
    import ipywidgets as widgets

    explorer = EXPLORERS[name].factory()
    try:
        texts = [c.description for c in explorer.challenges]
        texts += [getattr(c, "description", "") for c in [*explorer.controls.values(), *explorer.buttons.values()]]
        texts += [str(o) for c in explorer.controls.values() for o in getattr(c, "options", ())]
        texts += [w.value for w in vars(explorer).values() if isinstance(w, widgets.HTML)]  # status lines
        texts += [t.get_text() for t in explorer.figure.findobj(matplotlib.text.Text)]
        assert emoji_in(" ".join(texts)) == [], f"{name} shows characters that default fonts lack"
    finally:
        explorer.close()
