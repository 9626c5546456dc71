"""Checks for lesson 08 (training a network).

Every expected value comes from a reference in ``utils``: ``training_loop`` (one epoch,
evaluation, the loop with validation, predictions), ``training.accuracy`` and
``metrics.confusion_matrix``. The training exercises are checked with *stand-in* models and
optimizers: real ``Sequential`` networks and ``utils.optimizers`` classes that also write down
every call (which rows each forward pass saw and in which mode, whether the gradients were
cleared before each backward pass, when each step was taken). So a loop that does not shuffle,
drops the last batch, forgets ``zero_grad``, steps before the backward pass or trains in
evaluation mode is named, not merely found to give other weights.
"""

import numpy as np

from ..layers import Dense, Dropout, ReLU
from ..losses import LOSSES
from ..metrics import confusion_matrix
from ..models import Sequential
from ..optimizers import SGD, Adam
from ..training import accuracy
from ..training_loop import evaluate, predict_classes, train, train_epoch
from .core import Case, call_learner, compare, diagnose, failure, require_callable, run_cases, show_value

__all__ = ["check_train_epoch", "check_accuracy", "check_evaluate", "check_train", "check_confusion_matrix",
           "check_predict_digits"]

HINTS = {
    "8.1": ("Switch the model to training mode, draw one random order of the rows from `rng`, and walk "
            "through it batch_size rows at a time. Each batch: forward, loss, clear the gradients, backward, "
            "step.",
            "rng.permutation(N) gives the order; its slices from 0, batch_size, 2 * batch_size, ... are the "
            "batches (the last one may be smaller: keep it). Per batch: the scores from the model's forward "
            "pass, the batch loss from loss(scores, y_batch), then the optimizer's zero_grad, the model's "
            "backward with loss.grad(scores, y_batch), and the optimizer's step. Add each batch's loss times its "
            "size; divide by N at the end."),
    "8.2": ("The predicted class of a sample is the position of its largest logit. Compare the predictions "
            "with the labels and take the fraction that agree.",
            "np.argmax over axis 1 (the classes) gives one prediction per row, shape (N,). Comparing with y "
            "gives booleans; their mean is the fraction of True. No softmax is needed: it does not change "
            "which logit is largest."),
    "8.3": ("Evaluation only looks: switch the model to evaluation mode, run one forward pass over all the "
            "rows, and compute the loss and the accuracy. No backward pass, no step.",
            "model.eval() first (Dropout then passes everything through), then the scores of all of X, then "
            "loss(scores, y) and your accuracy(scores, y). Return them as a pair (loss, accuracy), in that "
            "order."),
    "8.4": ("Each epoch: train once over the training set with your train_epoch, then evaluate on the "
            "validation set with your evaluate, and append the three numbers to the history's lists.",
            "Start from a dict of three empty lists, 'train_loss', 'val_loss' and 'val_accuracy'. Pass the same "
            "rng to every train_epoch call (so every epoch gets a new order), and evaluate on X_val, y_val after "
            "the epoch's training, not before. Return the dict after the last epoch."),
    "8.5": ("Start from a C x C table of zeros and add 1 in row (true class), column (predicted class) for "
            "every sample.",
            "np.zeros((C, C), dtype=np.int64), then a loop over zip(y_true, y_pred) that adds 1 at [t, p]. "
            "(M[y_true, y_pred] += 1 in one go counts a repeated pair only once.) Rows are the true classes, "
            "columns the predicted ones; C is num_classes, not the largest label seen."),
    "8.6": ("The model takes flattened images, one row of H * W pixels per image, and returns one logit per "
            "class. The predicted digit is the class with the largest logit.",
            "images.reshape(N, -1) flattens each image row by row (as the training data were). Predict in "
            "evaluation mode (model.eval(), or model.predict), then take np.argmax over axis 1: one class per "
            "image, shape (N,), integers."),
}

_CE, _MSE = LOSSES["cross_entropy"], LOSSES["mse"]


# ---------------------------------------------------------------------------------------------
# Stand-ins: real models and optimizers that write down what the learner's code does with them


class _Spy(Sequential):
    """A ``Sequential`` that logs each forward pass (the rows it saw, the mode) and backward pass."""

    def __init__(self, layers, log):
        super().__init__(*layers)
        self.log = log

    def forward(self, x):
        x_arr = np.asarray(x)
        rows = x_arr.reshape(len(x_arr), -1)[:, 0].astype(np.float64).tolist() if x_arr.ndim >= 2 else []
        self.log.append(("forward", rows, self.training))
        return super().forward(x)

    def backward(self, dout, *, input_grad=True):
        cleared = all(not p.grad.any() for p in self.parameters())
        self.log.append(("backward", cleared, np.array(dout, dtype=np.float64, copy=True)))
        return super().backward(dout, input_grad=input_grad)

    def zero_grad(self):
        self.log.append(("zero_grad",))
        super().zero_grad()


def _spy_optimizer(cls, params, log, **options):
    class Spy(cls):
        def step(self):
            log.append(("step",))
            super().step()

        def zero_grad(self):
            log.append(("zero_grad",))
            super().zero_grad()
    Spy.__name__ = Spy.__qualname__ = cls.__name__
    return Spy(params, **options)


def _numbered(n, d, seed):
    """X (n, d) whose column 0 numbers the rows 0..n-1, so a forward pass tells which rows it saw."""
    X = np.random.default_rng(seed).normal(size=(n, d)).round(2)
    X[:, 0] = np.arange(n)
    return X


# ---------------------------------------------------------------------------------------------
# Exercise 8.1 train_epoch

#: (description, N, D, C (0: regression with mse), batch_size, hidden, dropout, optimizer, starts in eval mode)
_EPOCH_INPUTS = [
    ("10 samples in batches of 4, plain SGD: the last batch holds the 2 rows left over", 10, 3, 3, 4, 0, 0.0,
     ("SGD", {"lr": 0.05}), False),
    ("12 samples in batches of 3, a hidden ReLU layer, SGD with momentum 0.9", 12, 3, 2, 3, 5, 0.0,
     ("SGD", {"lr": 0.02, "momentum": 0.9}), False),
    ("batch_size larger than N: one batch with every row", 5, 2, 2, 8, 0, 0.0, ("SGD", {"lr": 0.05}), False),
    ("a network with Dropout, left in evaluation mode by an earlier evaluation: training needs training mode",
     9, 3, 3, 4, 6, 0.5, ("Adam", {"lr": 0.01}), True),
    ("regression: mean squared error, targets of shape (N, 1), Adam", 7, 3, 0, 2, 0, 0.0,
     ("Adam", {"lr": 0.01}), False),
]


def _setup(spec, seed, log):
    """A fresh (model, X, y, loss, optimizer) for an input of ``_EPOCH_INPUTS``; the same seed, the same objects."""
    _, n, d, c, _, hidden, dropout, (opt, options), in_eval = spec
    rng = np.random.default_rng(seed)
    X = _numbered(n, d, seed)
    X[:, 0] /= n  # the row number, kept readable (round(x * n)) but of moderate size as a feature
    out = c or 1
    if hidden:
        layers = [Dense(d, hidden, rng=rng, dtype=np.float64), ReLU()]
        if dropout:
            layers.append(Dropout(dropout, rng=np.random.default_rng(seed + 1)))
        layers.append(Dense(hidden, out, rng=rng, dtype=np.float64))
    else:
        layers = [Dense(d, out, rng=rng, dtype=np.float64)]
    model = _Spy(layers, log)
    if in_eval:
        model.eval()
    for p in model.parameters():  # gradients left over from an earlier backward pass: the epoch must clear them
        p.grad[...] = rng.normal(size=p.shape)
    y = (np.arange(n) % c) if c else rng.normal(size=(n, 1)).round(2)
    optimizer = _spy_optimizer({"SGD": SGD, "Adam": Adam}[opt], model.parameters(), log, **options)
    return model, X, y, (_CE if c else _MSE), optimizer


def _rows_seen(log, n):
    return [[int(round(r * n)) for r in entry[1]] for entry in log if entry[0] == "forward"]


def _epoch_reference(spec, seed):
    """The reference's loss, weights and log, and its batch losses, on a fresh copy of the input."""
    log = []
    model, X, y, loss, optimizer = _setup(spec, seed, log)
    batch_losses = []
    recording = type(loss)(lambda s, t: batch_losses.append(loss(s, t)) or batch_losses[-1], loss.grad)
    value = train_epoch(model, X, y, recording, optimizer, spec[4], np.random.default_rng(seed + 2))
    return value, [p.data.copy() for p in model.parameters()], log, batch_losses


def _epoch_problem(log, expected_log, n, batch_size):
    """(problem, hint) for what the learner's loop did with the model, or None."""
    forwards = [e for e in log if e[0] == "forward"]
    if not forwards:
        return "your function never called model.forward", None
    if any(not e[2] for e in forwards):
        return ("a forward pass ran in evaluation mode",
                "the model was in evaluation mode (Dropout switched off): switch it to training mode (its train "
                "method) at the start of the epoch, as PyTorch's training loops do")
    seen = [[int(round(r * n)) for r in e[1]] for e in forwards]
    expected = [[int(round(r * n)) for r in e[1]] for e in expected_log if e[0] == "forward"]
    sizes, expected_sizes = [len(b) for b in seen], [len(b) for b in expected]
    if sizes != expected_sizes:
        if sizes == expected_sizes[:-1] and expected_sizes[-1] < batch_size:
            return (f"batch sizes {sizes}, expected {expected_sizes}",
                    f"the last, smaller batch is missing: N = {n} is not a multiple of the batch size, and the "
                    f"{expected_sizes[-1]} rows left over must be trained on too")
        problem = f"the forward passes saw batches of {sizes} rows, expected {expected_sizes}"
        if sum(sizes) < n:
            return (problem, f"the batches hold {sum(sizes)} rows but X has N = {n}: some rows were never trained "
                             f"on. Slice the permutation from 0 up to N in steps of batch_size: "
                             f"order[start:start + batch_size] for start in range(0, N, batch_size)")
        if len(sizes) == 2 * len(expected_sizes):
            return (problem, "two forward passes per batch: take the batch's loss from the scores of its one "
                             "forward pass, before the step, not from a second pass after it")
        return problem, "one forward pass per batch, on that batch's rows only"
    rows = [r for b in seen for r in b]
    if sorted(rows) != list(range(n)):
        return ("the batches do not hold every row exactly once",
                "cut one permutation of all N row indices into batches, instead of drawing each batch at random")
    if rows == list(range(n)) and n > 1:
        return ("the rows came in their original order 0, 1, 2, ...",
                "the rows are not shuffled: draw the order with rng.permutation(N) at the start of the epoch")
    if seen != expected:
        return ("the rows came in another order than rng.permutation(N) gives",
                "draw the order from the `rng` argument, once per epoch, with rng.permutation(N) (not "
                "np.random, not a new generator, not one call per batch)")
    return _step_problem(log, expected_log)


def _step_problem(log, expected_log=None):
    """Per batch: cleared gradients, a backward pass of the loss's gradient, then one step."""
    starts = [i for i, e in enumerate(log) if e[0] == "forward"] + [len(log)]
    expected_douts = [e[2] for e in expected_log or [] if e[0] == "backward"]
    for k, (a, b) in enumerate(zip(starts, starts[1:]), start=1):
        events = [e[0] for e in log[a:b]]
        if "backward" not in events:
            return f"batch {k}: no backward pass", "call model.backward(loss.grad(scores, y_batch)) on every batch"
        if "step" not in events:
            return f"batch {k}: no optimizer step", "call the optimizer's step method after each backward pass"
        if events.index("step") < events.index("backward"):
            return (f"batch {k}: the optimizer stepped before the backward pass",
                    "you updated before backward: the optimizer's step then uses the gradients of the previous "
                    "batch (or none). The order is forward, loss, backward, then step")
        if events.count("backward") > 1 or events.count("step") > 1:
            return f"batch {k}: {events.count('backward')} backward passes and {events.count('step')} steps", \
                "one backward pass and one step per batch"
        backward_at = a + events.index("backward")
        step_at = a + events.index("step")
        if any(e[0] == "zero_grad" for e in log[backward_at:step_at]):
            return (f"batch {k}: the gradients were cleared between the backward pass and the step",
                    "zero_grad after backward throws the new gradients away, so the step sees zeros and the "
                    "weights do not move. The order is zero_grad, backward, step")
        if not log[backward_at][1]:
            cleared_later = any(e[0] == "zero_grad" for e in log[step_at:])
            if k == 1 and cleared_later:
                return ("batch 1: the gradients were not cleared before the backward pass (they are cleared only "
                        "after each step)",
                        "the model arrived with gradients left over from an earlier backward pass (as after the "
                        "lesson's step by hand): clearing after the step leaves them for the first batch. Call "
                        "zero_grad right before each backward pass: zero_grad, backward, step")
            return (f"batch {k}: the gradients were not cleared before the backward pass",
                    "you forgot zero_grad: backward *adds* to each parameter's .grad, so unless the optimizer's "
                    "zero_grad runs before it, every step also follows the gradients of all earlier batches "
                    "(and the first batch those left over from before the epoch)")
        if k <= len(expected_douts):
            dout, expected_dout = log[backward_at][2], expected_douts[k - 1]
            if dout.shape != expected_dout.shape or not np.allclose(dout, expected_dout, rtol=1e-6, atol=1e-9):
                return (f"batch {k}: model.backward got another gradient than loss.grad(scores, y_batch)",
                        "backward takes the gradient of the batch's loss with respect to its scores, "
                        "loss.grad(scores, y_batch), where y_batch = y[idx] holds the labels of the same rows as "
                        "X[idx] (not the scores, not the loss, not labels in another order)")
    return None


def check_train_epoch(train_epoch):
    """Exercise 8.1: one epoch of shuffled mini-batches, forward, loss, backward, step; returns the mean loss."""
    title = "Exercise 8.1 train_epoch"
    require_callable(title, train_epoch)
    total = len(_EPOCH_INPUTS)
    for number, spec in enumerate(_EPOCH_INPUTS, start=1):
        seed = 10 + number
        value, weights, expected_log, batch_losses = _epoch_reference(spec, seed)
        log = []
        model, X, y, loss, optimizer = _setup(spec, seed, log)
        case = Case(spec[0], (model, X, y, loss, optimizer, spec[4], np.random.default_rng(seed + 2)), value,
                    input_text=(f"a {model!r} ({'in evaluation mode' if spec[8] else 'in training mode'}), "
                                f"X of shape {X.shape} (column 0 numbers the rows), y of shape {y.shape}, "
                                f"loss = LOSSES[{'cross_entropy' if spec[3] else 'mse'!r}], {_article(spec[7][0])} {spec[7][0]} "
                                f"optimizer {spec[7][1]}, batch_size = {spec[4]}, "
                                f"rng = np.random.default_rng({seed + 2}); every parameter's .grad holds "
                                f"gradients left over from an earlier backward pass"),
                    names=("model", "X", "y", "loss", "optimizer", "batch_size", "rng"))
        sizes = [len(b) for b in _rows_seen(expected_log, spec[1])]
        case.mistakes = {
            "you returned the mean of the batch losses without weighting each by its size: the last batch "
            "is smaller, so its loss must count less (sum of loss * batch size, divided by N).":
                float(np.mean(batch_losses)),
            "you returned the sum of the batch losses: divide the size-weighted sum by N.": float(np.sum(batch_losses)),
            "you returned the last batch's loss: the epoch's loss is the mean over all its samples.":
                float(batch_losses[-1]),
            "you summed the batch losses times their sizes but did not divide by N.":
                float(np.dot(batch_losses, sizes)),
            "you weighted every batch's loss by batch_size, but the last batch may hold fewer rows: weight each "
            "by its own size, len(idx).": float(np.sum(batch_losses) * spec[4] / spec[1]),
        }
        got = call_learner(title, train_epoch, case, number, total)
        found = _epoch_problem(log, expected_log, spec[1], spec[4])
        if found is None:
            if not isinstance(got, (float, np.floating)) and not (isinstance(got, np.ndarray) and got.ndim == 0):
                found = (f"expected one number (the epoch's mean loss), got {type(got).__name__}", None)
            elif compare(float(got), value, rtol=1e-6, check_dtype=False):
                found = ("the returned loss differs", None)
            elif any(compare(p.data, w, rtol=1e-6, check_dtype=False) for p, w in zip(model.parameters(), weights)):
                found = ("the weights after the epoch differ from the reference's", None)
        if found is not None:
            problem, hint = found
            message = failure(title, case, number, total, problem, got if _is_number(got) else None)
            if hint and "hint:" not in message:
                message += f"\n  hint:     {hint}"
            raise AssertionError(message)
    print(f"{title}: all {total} cases passed")


def _article(word):
    return "an" if word[0] in "AEFHILMNORSX" else "a"  # read letter by letter: an SGD, an Adam


def _is_number(x):
    return isinstance(x, (int, float, np.number)) and not isinstance(x, bool)


# ---------------------------------------------------------------------------------------------
# Exercise 8.2 accuracy

def _accuracy_cases():
    rng = np.random.default_rng(8)
    square = rng.normal(size=(10, 10)).round(2)
    inputs = [
        ("5 samples, 5 classes, by hand: predictions 0, 1, 2, 0, 0 against labels 0, 1, 2, 3, 4",
         np.array([[4.5, -0.5, 0.5, -1.5, 1.5], [0.5, 3.5, -1.5, 1.5, -0.5], [-1.5, 1.5, 2.5, -0.5, 0.5],
                   [3.5, 0.5, -0.5, 2.5, -1.5], [2.5, -1.5, 1.5, 0.5, -2.5]]), np.arange(5)),
        ("4 samples, 3 classes: predictions 0, 1, 2, 1 against labels 0, 1, 2, 2",
         np.array([[2.0, 0.5, -1.0], [0.1, 1.5, 0.2], [-1.0, 0.0, 3.0], [0.3, 0.9, 0.8]]), np.array([0, 1, 2, 2])),
        ("10 samples and 10 classes: a square array, so the axis matters", square, square.argmax(axis=1)[::-1].copy()),
        ("25 samples, 4 classes", rng.normal(size=(25, 4)).round(2), rng.integers(0, 4, size=25)),
        ("one sample, predicted right", np.array([[0.1, 2.0, -0.3]]), np.array([1])),
        ("float32 logits", rng.normal(size=(6, 3)).astype(np.float32), np.array([0, 1, 2, 0, 1, 2])),
        ("huge logits (1e4): no softmax is needed, and a naive one overflows",
         np.array([[1e4, 0.0, -1e4], [0.0, 1e4, 5e3], [-1e4, 1e4, 9999.0]]), np.array([0, 2, 1])),
        ("integer logits", np.array([[3, 1], [0, 2], [5, 5], [-1, 4]]), np.array([0, 1, 0, 1])),
    ]
    cases = []
    for description, Z, y in inputs:
        pred = Z.argmax(axis=1)
        mistakes = {
            "you counted the correct predictions; accuracy is their fraction (divide by N, or use np.mean).":
                float(np.sum(pred == y)),
            "you returned the error rate, 1 - accuracy: the fraction of *correct* predictions is asked for.":
                1.0 - float(np.mean(pred == y)),
            "you compared the largest logit's value with the label; the predicted class is its *position* "
            "(np.argmax), not its value.": float(np.mean(Z.max(axis=1) == y)),
            "you took the position of the *smallest* logit (np.argmin); the predicted class has the largest.":
                float(np.mean(Z.argmin(axis=1) == y)),
            "you called np.argmax without an axis: that gives one position in the flattened array; "
            "axis=1 gives one class per row.": float(np.mean(Z.argmax() == y)),
            "you returned a percentage: accuracy is a fraction between 0 and 1 (do not multiply by 100).":
                100.0 * float(np.mean(pred == y)),
            "`//` is integer division, which rounds the fraction down to 0: divide with `/`, or use np.mean.":
                float(np.sum(pred == y) // len(y)),
        }
        if len(y) > 1:
            mistakes["you divided by N - 1: the fraction of correct predictions divides by N, the number of "
                     "samples."] = float(np.sum(pred == y) / (len(y) - 1))
        if Z.shape[0] == Z.shape[1]:
            mistakes["the arg-max ran over axis 0, the samples: each row holds one sample's logits, so the "
                     "prediction is the arg-max over axis 1, the classes."] = float(np.mean(Z.argmax(axis=0) == y))
        cases.append(Case(description, (Z, y), accuracy(Z, y), names=("logits", "y"), mistakes=mistakes,
                          overflow_hint="you computed a softmax (or exp) of huge logits: the arg-max of the logits "
                                        "is already the predicted class, no exponential is needed."))
    return cases


def check_accuracy(accuracy):
    """Exercise 8.2: the fraction of rows whose largest logit is at the label's position."""
    run_cases("Exercise 8.2 accuracy", accuracy, _accuracy_cases(), check_dtype=False)


# ---------------------------------------------------------------------------------------------
# Exercise 8.3 evaluate

#: (description, N, D, C, hidden, dropout, starts in training mode, float32)
_EVAL_INPUTS = [
    ("6 samples, 3 classes, a linear model", 6, 4, 3, 0, 0.0, False, False),
    ("a network with Dropout, in training mode: evaluation switches it to evaluation mode", 8, 3, 3, 6, 0.5, True,
     False),
    ("10 samples and 10 classes, a hidden ReLU layer", 10, 5, 10, 7, 0.0, False, False),
    ("a float32 network (the layers' default dtype)", 7, 3, 4, 5, 0.0, True, True),
]


def _eval_setup(spec, seed, log):
    _, n, d, c, hidden, dropout, in_train, f32 = spec
    dtype = np.float32 if f32 else np.float64
    rng = np.random.default_rng(seed)
    X = _numbered(n, d, seed).astype(dtype)
    layers = [Dense(d, hidden or c, rng=rng, dtype=dtype)]
    if hidden:
        layers += [ReLU()] + ([Dropout(dropout, rng=np.random.default_rng(seed + 1))] if dropout else []) + \
                  [Dense(hidden, c, rng=rng, dtype=dtype)]
    model = _Spy(layers, log)
    model.train() if in_train else model.eval()
    for p in model.parameters():  # gradients left over from training: evaluation must leave them alone
        p.grad[...] = rng.normal(size=p.shape)
    y = (np.arange(n) * 7 + 1) % c
    return model, X, y


def _eval_variant(spec, seed, mode):
    log = []
    model, X, y = _eval_setup(spec, seed, log)
    if mode == "train":
        model.train()
        scores = model.forward(X)
        return float(_CE(scores, y)), accuracy(scores, y)
    return evaluate(model, X, y, _CE)


def check_evaluate(evaluate):
    """Exercise 8.3: ``(loss, accuracy)`` on held-out data, in evaluation mode, leaving the model unchanged."""
    title = "Exercise 8.3 evaluate"
    require_callable(title, evaluate)
    total = len(_EVAL_INPUTS)
    for number, spec in enumerate(_EVAL_INPUTS, start=1):
        seed = 30 + number
        expected = _eval_variant(spec, seed, "eval")
        log = []
        model, X, y = _eval_setup(spec, seed, log)
        before = [(p.data.copy(), p.grad.copy()) for p in model.parameters()]
        loss_value, acc = expected
        case = Case(spec[0], (model, X, y, _CE), expected, returns=("loss", "accuracy"),
                    input_text=f"a {model!r} in {'training' if spec[6] else 'evaluation'} mode, X of shape "
                               f"{X.shape}, y = {show_value(y)}, loss = LOSSES['cross_entropy']",
                    names=("model", "X", "y", "loss"),
                    mistakes={"you returned the number of correct predictions, not their fraction.":
                              (loss_value, acc * len(y)),
                              "you returned the summed loss: loss(scores, y) is already the mean over the N "
                              "rows.": (loss_value * len(y), acc)})
        got = call_learner(title, evaluate, case, number, total)
        problem, hint = None, None
        if any(e[0] == "forward" and e[2] for e in log):
            problem, hint = ("a forward pass ran in training mode",
                             "call model.eval() before the forward pass: in training mode Dropout drops units at "
                             "random, and the test score would change from run to run")
        elif any(e[0] in ("backward", "step") for e in log) or any(
                not (np.array_equal(p.data, d) and np.array_equal(p.grad, g))
                for p, (d, g) in zip(model.parameters(), before)):
            problem, hint = ("the model's weights or gradients changed",
                             "evaluation must not change the model: no backward pass, no zero_grad, no step")
        if problem is None:
            from .core import order_problem
            problem = order_problem(got, case) or compare(
                tuple(got) if isinstance(got, list) else got, expected, rtol=1e-5, check_dtype=False)
            # the tuple's values by name and Python index: "value 1" would read as got[1], the accuracy
            problem = problem and problem.replace("value 1 of the tuple", "got[0] (the loss)").replace(
                "value 2 of the tuple", "got[1] (the accuracy)")
        if problem is None and model.training:
            problem, hint = ("the model is in training mode after your evaluate",
                             "leave the model in evaluation mode, as the exercise asks: call model.eval(), then "
                             "model.forward (model.predict switches back to the mode it found, and so does a "
                             "model.train() at the end). train_epoch switches to training mode itself")
        if problem:
            message = failure(title, case, number, total, problem, got if isinstance(got, tuple) else None)
            if hint:
                message += f"\n  hint:     {hint}"
            raise AssertionError(message)
    print(f"{title}: all {total} cases passed")


# ---------------------------------------------------------------------------------------------
# Exercise 8.4 train

#: (description, N_train, N_val, D, C, hidden, dropout, epochs, batch_size)
_TRAIN_INPUTS = [
    ("12 training and 6 validation samples, 3 epochs in batches of 5", 12, 6, 3, 3, 0, 0.0, 3, 5),
    ("a network with Dropout, 4 epochs in batches of 4: training in training mode, validation in evaluation mode",
     10, 5, 3, 2, 6, 0.5, 4, 4),
    ("one epoch", 8, 4, 2, 2, 0, 0.0, 1, 3),
]


def _train_setup(spec, seed, log):
    _, n, n_val, d, c, hidden, dropout, _, _ = spec
    rng = np.random.default_rng(seed)
    X_all = _numbered(n + n_val, d, seed)
    X_all[:, 0] /= n + n_val
    layers = [Dense(d, hidden or c, rng=rng, dtype=np.float64)]
    if hidden:
        layers += [ReLU(), Dropout(dropout, rng=np.random.default_rng(seed + 1)), Dense(hidden, c, rng=rng,
                                                                                         dtype=np.float64)]
    model = _Spy(layers, log)
    y_all = (np.arange(n + n_val) * 5 + 2) % c
    optimizer = _spy_optimizer(SGD, model.parameters(), log, lr=0.1, momentum=0.5)
    return model, X_all[:n], y_all[:n], X_all[n:], y_all[n:], optimizer


def _train_variant(spec, seed, variant=None, log=None):
    log = [] if log is None else log
    model, X, y, X_val, y_val, optimizer = _train_setup(spec, seed, log)
    rng, epochs, batch_size = np.random.default_rng(seed + 2), spec[7], spec[8]
    if variant is None:
        return train(model, X, y, X_val, y_val, _CE, optimizer, epochs, batch_size, rng)
    history = {"train_loss": [], "val_loss": [], "val_accuracy": []}
    for _ in range(epochs):
        if variant == "before":
            val = evaluate(model, X_val, y_val, _CE)
        history["train_loss"].append(train_epoch(model, X, y, _CE, optimizer, batch_size, rng))
        if variant == "train_evaluated":
            history["train_loss"][-1] = evaluate(model, X, y, _CE)[0]
        if variant == "on_train":
            val = evaluate(model, X, y, _CE)
        elif variant != "before":
            val = evaluate(model, X_val, y_val, _CE)
        history["val_loss"].append(val[0])
        history["val_accuracy"].append(val[1])
    if variant == "swapped":
        history["val_loss"], history["val_accuracy"] = history["val_accuracy"], history["val_loss"]
    return history


_TRAIN_MISTAKES = {
    "before": "you evaluated before each epoch's training: the history's entry for an epoch must describe the "
              "model after that epoch (train first, then evaluate).",
    "on_train": "you evaluated on the training data: validation uses X_val and y_val, which training never sees.",
    "train_evaluated": "history['train_loss'] must hold what train_epoch returned (the mean loss of the epoch's "
                       "batches, during training), not a new evaluation on the training data after the epoch.",
    "swapped": "'val_loss' and 'val_accuracy' are swapped: evaluate returns (loss, accuracy), in that order.",
}
_KEYS = ("train_loss", "val_loss", "val_accuracy")


def _history_problem(got, expected):
    if not isinstance(got, dict):
        return f"expected a dict with the keys {list(_KEYS)}, got {type(got).__name__}"
    missing = [k for k in _KEYS if k not in got]
    if missing:
        return f"the history has no key {missing[0]!r}; expected the keys {list(_KEYS)}"
    for key in _KEYS:
        g, e = got[key], expected[key]
        if isinstance(g, np.ndarray):
            return (f"history[{key!r}] must be a list, got an array: start from an empty list and append one "
                    f"float per epoch (arrays do not grow with append, and `+=` adds to them elementwise)")
        if not hasattr(g, "__len__") or len(g) != len(e):
            return f"history[{key!r}] must hold one number per epoch ({len(e)}), got {g!r}"
        try:
            same = np.allclose(np.asarray(g, dtype=float), e, rtol=1e-6, atol=1e-9)
        except (TypeError, ValueError):
            return f"history[{key!r}] must hold numbers, got {g!r}"
        if not same:
            return (f"history[{key!r}] differs: expected {np.round(e, 4).tolist()}, "
                    f"got {np.round(np.asarray(g, dtype=float), 4).tolist()}")
    return None


def check_train(train):
    """Exercise 8.4: epochs of your train_epoch, each followed by your evaluate on the validation data."""
    title = "Exercise 8.4 train"
    require_callable(title, train)
    total = len(_TRAIN_INPUTS)
    for number, spec in enumerate(_TRAIN_INPUTS, start=1):
        seed = 50 + number
        expected_log = []
        expected = _train_variant(spec, seed, log=expected_log)
        log = []
        model, X, y, X_val, y_val, optimizer = _train_setup(spec, seed, log)
        args = (model, X, y, X_val, y_val, _CE, optimizer, spec[7], spec[8], np.random.default_rng(seed + 2))
        case = Case(spec[0], args, expected,
                    input_text=f"a {model!r}, X of shape {X.shape}, X_val of shape {X_val.shape}, "
                               f"loss = LOSSES['cross_entropy'], SGD(lr=0.1, momentum=0.5), epochs = {spec[7]}, "
                               f"batch_size = {spec[8]}, rng = np.random.default_rng({seed + 2})",
                    names=("model", "X", "y", "X_val", "y_val", "loss", "optimizer", "epochs", "batch_size", "rng"))
        got = call_learner(title, train, case, number, total)
        problem = _history_problem(got, expected)
        hint = None
        if problem:
            hint = next((h for v, h in _TRAIN_MISTAKES.items()
                         if _history_problem(got, _train_variant(spec, seed, v)) is None), None)
            if hint is None:
                hint = _order_hint(log, spec, expected_log)
        if problem:
            message = failure(title, case, number, total, problem)
            if hint:
                message += f"\n  hint:     {hint}"
            raise AssertionError(message)
    print(f"{title}: all {total} cases passed")


def _epoch_orders(log, n):
    """The rows each epoch trained on, in order: the training-mode forward passes between evaluations."""
    epochs, current = [], []
    for entry in log:
        if entry[0] == "forward" and entry[2]:
            current += [int(round(r * n)) for r in entry[1]]
        elif entry[0] == "forward" and current:
            epochs.append(current)
            current = []
    return epochs + ([current] if current else [])


def _order_hint(log, spec, expected_log=()):
    """A hint from what the loop did with the model: the modes and the order of the rows, or None."""
    n, n_train, n_val = spec[1] + spec[2], spec[1], spec[2]
    forwards = [e for e in log if e[0] == "forward"]
    if any(e[2] and len(e[1]) == n_val and set(int(round(r * n)) for r in e[1]) >= set(range(n_train, n))
           for e in forwards):
        return ("the validation data went through the network in training mode: your evaluate must call "
                "model.eval() before its forward pass (exercise 8.3)")
    epochs = _epoch_orders(log, n)
    if epochs and all(e == list(range(n_train)) for e in epochs):
        return ("every epoch trained on the rows in their original order 0, 1, 2, ...: your train_epoch does not "
                "shuffle (exercise 8.1 must pass first)")
    if len(epochs) > 1 and all(e == epochs[0] for e in epochs):
        return ("every epoch visited the rows in the same order: pass the one `rng` you were given to every "
                "train_epoch call, so that each epoch draws a new order from it")
    if any(not e[2] and len(e[1]) == n_train for e in forwards) and not any(
            not e[2] and len(e[1]) == n_val for e in forwards):
        return _TRAIN_MISTAKES["on_train"]
    expected = _epoch_orders(expected_log, n)
    if epochs and expected and len(epochs) == len(expected) and epochs != expected \
            and all(sorted(e) == list(range(n_train)) for e in epochs):
        return ("the epochs visited the rows in other orders than the one `rng` gives: pass the `rng` argument "
                "itself to every train_epoch call (not a new generator made from it), and draw nothing else "
                "from it")
    return None


# ---------------------------------------------------------------------------------------------
# Exercise 8.5 confusion_matrix

def _confusion_cases():
    rng = np.random.default_rng(5)
    y20, p20 = rng.integers(0, 4, size=20), rng.integers(0, 4, size=20)
    p20[:10] = y20[:10]
    inputs = [
        ("4 samples, 3 classes, checkable by hand", np.array([0, 1, 1, 2]), np.array([0, 2, 1, 2]), 3),
        ("20 samples, 4 classes: many samples share a (true, predicted) pair", y20, p20, 4),
        ("every prediction right: only the diagonal is filled", np.array([2, 0, 1, 2, 2]), np.array([2, 0, 1, 2, 2]),
         3),
        ("class 3 never occurs, neither as a label nor as a prediction: it still gets a row and a column",
         np.array([0, 1, 2, 2, 1]), np.array([1, 1, 2, 0, 1]), 4),
        ("one sample", np.array([1]), np.array([0]), 2),
        ("10 classes, as for the digits", np.arange(30) % 10, (np.arange(30) * 3) % 10, 10),
        ("300 samples: counts above 255, more than a uint8 or int8 table can hold", (np.arange(300) % 10 == 0).astype(np.int64),
         (np.arange(300) % 15 == 0).astype(np.int64), 2),
    ]
    cases = []
    for description, t, p, c in inputs:
        M = confusion_matrix(t, p, c)
        once = np.zeros((c, c), dtype=np.int64)
        once[t, p] += 1
        mistakes = {"rows and columns are swapped (the transpose): row i must count the samples whose TRUE class "
                    "is i, column j those PREDICTED as j.": M.T,
                    "M[y_true, y_pred] += 1 counts each (true, predicted) pair only once, however often it occurs: "
                    "numpy's fancy-index += does not accumulate repeats. Loop over the samples, or use "
                    "np.add.at.": once,
                    "you counted only the right predictions, the diagonal: every sample adds 1 at [true class, "
                    "predicted class], right or wrong.": np.diag(np.diag(M))}
        with np.errstate(invalid="ignore", divide="ignore"):
            mistakes["you divided each row by its sum: the exercise asks for the counts themselves."] = \
                M / np.maximum(M.sum(axis=1, keepdims=True), 1)
        cases.append(Case(description, (t, p, c), M, names=("y_true", "y_pred", "num_classes"), mistakes=mistakes))
    return cases


def check_confusion_matrix(confusion_matrix):
    """Exercise 8.5: ``M[i, j]`` counts the samples of true class i predicted as j; shape (C, C), integers."""
    title = "Exercise 8.5 confusion_matrix"
    require_callable(title, confusion_matrix)
    cases = _confusion_cases()
    for number, case in enumerate(cases, start=1):
        got = call_learner(title, confusion_matrix, case, number, len(cases))
        problem = compare(got, case.expected, check_dtype=False)
        c = case.args[2]
        seen = int(max(case.args[0].max(), case.args[1].max())) + 1
        hint = None
        if problem and isinstance(got, np.ndarray) and got.shape == (seen, seen) != (c, c):
            hint = (f"the matrix is {seen} x {seen}: you read the number of classes off the largest label, but "
                    f"a class that never occurs still gets its row and column. Use num_classes = {c}.")
        elif problem and isinstance(got, np.ndarray) and got.shape == (c + 1, c + 1):
            hint = (f"the matrix is {c + 1} x {c + 1}: the classes are 0 .. num_classes - 1, so num_classes rows "
                    f"and columns hold them all.")
        elif problem and isinstance(got, np.ndarray) and got.dtype.kind in "iu" and got.dtype.itemsize < 4:
            hint = (f"your table is {got.dtype}, which holds counts only up to {np.iinfo(got.dtype).max} and then "
                    f"wraps around: start from np.zeros((C, C), dtype=np.int64).")
        elif problem and isinstance(got, np.ndarray) and got.shape == (c, c) and not diagnose(got, case) \
                and got.sum() != len(case.args[0]):
            hint = (f"your counts add up to {got.sum()}, but there are N = {len(case.args[0])} samples: each "
                    f"sample adds exactly 1 (a loop that stops one early, such as range(N - 1)?).")
        elif problem is None and np.asarray(got).dtype.kind not in "iu":
            problem = (f"expected integer counts, got dtype {np.asarray(got).dtype}: counts are whole numbers, "
                       f"so start from np.zeros((C, C), dtype=np.int64)")
        if problem:
            message = failure(title, case, number, len(cases), problem, got)
            if hint:
                message += f"\n  hint:     {hint}"
            raise AssertionError(message)
    print(f"{title}: all {len(cases)} cases passed")


# ---------------------------------------------------------------------------------------------
# Exercise 8.6 predict_digits

#: (description, N, H, W, dropout, training mode, float32)
_PREDICT_INPUTS = [
    ("3 images of 8 x 8 pixels", 3, 8, 8, 0.0, False, False),
    ("10 images, as many as there are classes: the arg-max runs over the classes", 10, 8, 8, 0.0, False, False),
    ("one image, shape (1, 8, 8): the result has shape (1,)", 1, 8, 8, 0.0, False, False),
    ("images of 4 x 6 pixels (H = 4 rows, W = 6 columns): flattened row by row", 5, 4, 6, 0.0, False, False),
    ("a network with Dropout, in training mode: predict in evaluation mode", 6, 8, 8, 0.5, True, False),
    ("float32 images (as load_digits returns them)", 4, 8, 8, 0.0, False, True),
]


def _predict_setup(spec, seed, log):
    _, n, h, w, dropout, in_train, f32 = spec
    rng = np.random.default_rng(seed)
    images = rng.random(size=(n, h, w)).round(2).astype(np.float32 if f32 else np.float64)
    layers = [Dense(h * w, 16, rng=rng, dtype=np.float32), ReLU()]
    layers += [Dropout(dropout, rng=np.random.default_rng(seed + 1))] if dropout else []
    model = _Spy(layers + [Dense(16, 10, rng=rng, dtype=np.float32)], log)
    model.train() if in_train else model.eval()
    return model, images


def check_predict_digits(predict_digits):
    """Exercise 8.6: the predicted class of each image, shape (N,), integers, in evaluation mode."""
    title = "Exercise 8.6 predict_digits"
    require_callable(title, predict_digits)
    total = len(_PREDICT_INPUTS)
    for number, spec in enumerate(_PREDICT_INPUTS, start=1):
        seed = 70 + number
        model, images = _predict_setup(spec, seed, [])
        expected = predict_classes(model, images)
        scores = model.predict(images.reshape(len(images), -1))
        mistakes = {"the images were flattened column by column (transposed): reshape each (H, W) image row by "
                    "row, as the training data were, with images.reshape(N, -1).":
                    model.predict(images.transpose(0, 2, 1).reshape(len(images), -1)).argmax(axis=1)}
        if len(images) == 10:
            mistakes["the arg-max ran over axis 0, the images: it must run over axis 1, the classes."] = \
                scores.argmax(axis=0)
        log = []
        model, images = _predict_setup(spec, seed, log)
        case = Case(spec[0], (model, images), expected, names=("model", "images"), mistakes=mistakes,
                    input_text=f"a {model!r} in {'training' if spec[5] else 'evaluation'} mode, images of shape "
                               f"{images.shape} ({images.dtype})")
        got = call_learner(title, predict_digits, case, number, total)
        problem, hint = compare(got, expected, check_dtype=False), None
        if any(e[0] == "forward" and e[2] for e in log):
            problem = problem or "a forward pass ran in training mode"
            hint = ("predict in evaluation mode (model.eval() first, or model.predict): in training mode Dropout "
                    "drops units at random and the predictions change from run to run")
        elif problem and isinstance(got, np.ndarray) and got.shape == (10,) != expected.shape:
            hint = "the arg-max ran over axis 0, the images: it must run over axis 1, the classes."
        elif problem and isinstance(got, np.ndarray) and got.shape == scores.shape:
            hint = "you returned the logits, one row of 10 per image: the prediction is the arg-max of each row."
        elif problem is None and np.asarray(got).dtype.kind not in "iu":
            problem = (f"expected integer class labels, got dtype {np.asarray(got).dtype}: np.argmax gives "
                       f"integers; do not convert them")
        if problem:
            message = failure(title, case, number, total, problem, got if isinstance(got, np.ndarray) else None)
            if hint and "hint:" not in message:
                message += f"\n  hint:     {hint}"
            raise AssertionError(message)
    print(f"{title}: all {total} cases passed")
