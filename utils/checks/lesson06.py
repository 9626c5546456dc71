"""Checks for lesson 06 (gradient descent).

Every expected value comes from the references in ``utils``: central
differences from ``utils.gradient_check``, the rule, the path and the largest
stable learning rate from ``utils.gradient_descent``, the mean squared error's
gradient from ``utils.losses``, and the ravine from ``utils.surfaces``. Each
known mistake is computed on the same input, so its hint appears only when
the learner's result is exactly that mistake.
"""

import numpy as np

from ..gradient_check import numerical_gradient as _central_differences
from ..gradient_descent import gradient_descent, gradient_descent_step, gradient_descent_until, max_stable_lr
from ..losses import mse_grad
from .core import Case, call_learner, compare, failure, run_cases, show_value

__all__ = ["check_numerical_gradient", "check_gradient_descent_step", "check_gradient_descent",
           "check_max_stable_lr", "check_mse_gradient", "check_ravine_lr"]

HINTS = {
    "6.1": ("Change one parameter at a time: for parameter i, evaluate f a little above and a little below "
            "theta[i], keeping every other parameter where it is, and divide the difference by the distance "
            "between the two points.",
            "Make a float copy of theta (theta.astype(float)), a result array of zeros of the same shape, and "
            "loop over i. In the loop build e = zeros with a 1 at position i, evaluate f(theta + h * e) and "
            "f(theta - h * e); that pair is 2h apart."),
    "6.2": ("One step moves theta against the gradient, by the learning rate times the gradient, once. "
            "Compute the gradient at theta by calling grad.",
            "Evaluate g = grad(theta) once, then return a new array: theta minus lr times g. No loop, and no "
            "`-=` on theta."),
    "6.3": ("The path starts with theta0 itself, then holds one row per step: steps + 1 rows in all. Each "
            "row is one step from the row before it.",
            "Make an array of shape (steps + 1, P) (float64 for integer theta0, else theta0's dtype), put "
            "theta0 in row 0, and for k in range(steps) fill row k + 1 from row k with the rule of exercise "
            "6.2. Storing a new array in each row avoids rows that all change together."),
    "6.4": ("Along each eigenvector of the Hessian, one step multiplies the distance to the minimum by "
            "(1 - lr * lambda). Which eigenvalue makes that factor leave (-1, 1) first as lr grows?",
            "np.linalg.eigvalsh(H) returns the eigenvalues of a symmetric matrix in ascending order. The "
            "bound is 2 divided by the largest of them; return it as a float."),
    "6.5": ("Write the residuals r = y_hat - y with y_hat = w * x + b. The chain rule gives each partial "
            "derivative as a mean over the samples of 2 * r times the derivative of y_hat.",
            "The derivative of y_hat with respect to w is x, and with respect to b it is 1. So dL/dw is the "
            "mean of 2 * r * x and dL/db the mean of 2 * r; return np.array([dL/dw, dL/db])."),
    "6.6": ("Try learning rates in the explorer first. Too small crawls along the valley floor; too large "
            "bounces between the steep walls, and above 2 / lambda_max it flies off.",
            "Each step multiplies the distance along theta_0 by |1 - lr * 1| and along theta_1 by "
            "|1 - lr * 50|; the larger of the two factors decides the speed. Work out both factors for a few "
            "candidate learning rates below 2 / 50 and take one where the larger factor is smallest."),
}

_PROBE_DTYPES = "float64 for integer input, else the input's dtype"


# -- 6.1 numerical_gradient ---------------------------------------------------------------------

def _quadratic_linear(t):
    return t[0] ** 2 + 3 * t[1]


def _cross_term(t):
    return t[0] * t[1] + np.sin(t[0])


def _rosenbrock(t):
    return (1 - t[0]) ** 2 + 100 * (t[1] - t[0] ** 2) ** 2


def _three_weights(t):
    return float(np.sum(np.array([1.0, 2.0, 3.0]) * t ** 2))


def _cube(t):
    return t[0] ** 3 + 2 * t[1]


def _product(t):
    return t[0] ** 2 * t[1]


def _numgrad_mistakes(f, theta, h):
    theta = theta.astype(np.float64)
    P = theta.size
    eye = np.eye(P)
    forward = np.array([(f(theta + h * eye[i]) - f(theta)) / h for i in range(P)])
    one_h = np.array([(f(theta + h * eye[i]) - f(theta - h * eye[i])) / h for i in range(P)])
    all_at_once = np.full(P, (f(theta + h) - f(theta - h)) / (2 * h))
    default_h = _central_differences(f, theta.copy(), 1e-5)
    return {
        "that is a forward difference, (f(theta + h e_i) - f(theta)) / h: its error shrinks only like h. "
        "Use the central difference, f(theta + h e_i) - f(theta - h e_i), divided by 2h.": forward,
        "the two points theta + h e_i and theta - h e_i are 2h apart: divide by 2h, not h.": one_h,
        "every entry is the same number: you moved all parameters at once (theta + h). Move one "
        "parameter at a time, with a vector that is h at position i and 0 elsewhere.": all_at_once,
        "the signs are flipped: the difference is f(theta + h e_i) - f(theta - h e_i), in that order.":
            -_central_differences(f, theta.copy(), h),
        "you used h = 1e-5 instead of the argument h the function was given.": default_h,
    }


def _perturbed_integer_copies(f, theta, h, integer_result=True):
    """What central differences give when theta + h is stored in an integer copy of theta (h rounds away)."""
    grad = np.zeros_like(theta) if integer_result else np.zeros(theta.shape)
    for i in range(theta.size):
        plus, minus = theta.copy(), theta.copy()
        plus[i], minus[i] = np.trunc(theta[i] + h), np.trunc(theta[i] - h)
        grad[i] = (f(plus) - f(minus)) / (2 * h)
    return np.trunc(grad) if integer_result else grad


def _float32_differences(f, theta, h):
    """Central differences computed on float32 copies: theta + 1e-5 keeps only a few digits of h."""
    grad = np.zeros(theta.shape)
    for i in range(theta.size):
        plus, minus = theta.astype(np.float32), theta.astype(np.float32)
        plus[i] += np.float32(h)
        minus[i] -= np.float32(h)
        grad[i] = (f(plus) - f(minus)) / (2 * h)
    return grad


def _numerical_gradient_cases():
    inputs = [("f(theta) = theta_0^2 + 3 theta_1 at theta = (1, 2): the gradient is (2, 3)",
               _quadratic_linear, np.array([1.0, 2.0]), 1e-5, "f(theta) = theta[0]**2 + 3*theta[1]"),
              ("a cross term: f(theta) = theta_0 theta_1 + sin(theta_0) at (0.5, -1.5)",
               _cross_term, np.array([0.5, -1.5]), 1e-5, "f(theta) = theta[0]*theta[1] + sin(theta[0])"),
              ("Rosenbrock's banana at (-1, 1), where it curves strongly", _rosenbrock, np.array([-1.0, 1.0]),
               1e-5, "f(theta) = (1 - theta[0])**2 + 100*(theta[1] - theta[0]**2)**2"),
              ("three parameters: f(theta) = theta_0^2 + 2 theta_1^2 + 3 theta_2^2", _three_weights,
               np.array([1.0, -0.5, 2.0]), 1e-5, "f(theta) = sum([1, 2, 3] * theta**2)"),
              ("an integer theta = (1, -2) gives a float64 gradient", _product, np.array([1, -2]), 1e-5,
               "f(theta) = theta[0]**2 * theta[1]"),
              ("a large step h = 0.1, whose own error shows: (theta_0 + h)^3 - (theta_0 - h)^3 over 2h is "
               "3 theta_0^2 + h^2", _cube, np.array([1.0, 0.5]), 0.1, "f(theta) = theta[0]**3 + 2*theta[1]"),
              ("a float32 theta = (0.3, -1.7) still gives a float64 gradient, computed in float64",
               _cross_term, np.array([0.3, -1.7], dtype=np.float32), 1e-5,
               "f(theta) = theta[0]*theta[1] + sin(theta[0])")]
    cases = []
    for description, f, theta, h, formula in inputs:
        expected = _central_differences(f, theta.astype(np.float64), h)
        mistakes = _numgrad_mistakes(f, theta, h)
        if theta.dtype.kind == "i":
            mistakes["an integer array cannot hold theta + h: with theta = (1, -2) the copy you perturbed "
                     "rounded h away (or your result array was an integer one). Convert theta to float "
                     "first, theta.astype(float), and make the result with np.zeros(theta.shape)."] = \
                _perturbed_integer_copies(f, theta, h)
            mistakes["an integer array cannot hold theta + h: the integer copies of theta = (1, -2) that you "
                     "perturbed rounded h away, so each difference of f is a whole number over 2h. Convert "
                     "theta to float first, theta.astype(float), and perturb that."] = \
                _perturbed_integer_copies(f, theta, h, integer_result=False)
        if theta.dtype == np.float32:
            mistakes[FLOAT32_HINT] = _float32_differences(f, theta, h)
        cases.append(Case(description, (f, theta, h), expected, names=("f", "theta", "h"), mistakes=mistakes,
                          input_text=f"{formula}, theta = {show_value(theta)}, h = {h:g}"))
    return cases


FLOAT32_HINT = ("you computed in float32: there theta + 1e-5 keeps only two or three digits of h, and the "
                "gradient is off in its third digit. Make a float64 copy first, theta.astype(np.float64), as "
                "for an integer theta.")


def check_numerical_gradient(numerical_gradient):
    """Exercise 6.1: the central-difference gradient of ``f`` at ``theta`` (P,), float64 (P,).

    The one exception to the course's dtype rule: a float32 ``theta`` gives a float64 gradient, computed
    in float64 (in float32, ``theta + 1e-5`` loses most digits of the step), so the dtype message here
    says that instead of the rule.
    """
    title = "Exercise 6.1 numerical_gradient"
    if not callable(numerical_gradient):
        run_cases(title, numerical_gradient, [])  # the usual message for a value that is not a function
    cases = _numerical_gradient_cases()
    for number, case in enumerate(cases, start=1):
        got = call_learner(title, numerical_gradient, case, number, len(cases))
        problem = compare(got, case.expected, check_dtype=True)
        if problem and problem.startswith("expected dtype float64") and case.args[1].dtype == np.float32:
            problem = (f"expected dtype float64, got dtype {np.asarray(got).dtype}. A numerical gradient is the "
                       f"exception to the course's dtype rule: it is computed and returned in float64 even for "
                       f"a float32 theta, because in float32 theta + 1e-5 keeps only a few digits of h.")
        if problem:
            raise AssertionError(failure(title, case, number, len(cases), problem, got))
    print(f"{title}: all {len(cases)} cases passed")


# -- 6.2 gradient_descent_step --------------------------------------------------------------------

def _quadratic_grad(curvatures):
    """The gradient c * theta of L = sum(c_i theta_i^2) / 2, in theta's dtype (float64 for integers)."""
    c = np.asarray(curvatures, dtype=np.float64)

    def grad(theta):
        return c.astype(theta.dtype if theta.dtype.kind == "f" else np.float64) * theta
    grad.text = "grad(theta) = " + ("2 * theta" if np.all(c == 2) else f"{show_value(c).split(' (')[0]} * theta")
    return grad


def _iterate(grad, theta, lr, tol=1e-8, most=1000):
    """The one-step rule repeated until the gradient is small: what a loop in the step gives."""
    theta = theta.astype(np.result_type(theta, np.float64) if theta.dtype.kind != "f" else theta.dtype)
    for _ in range(most):
        g = grad(theta)
        if np.max(np.abs(g)) < tol:  # not the norm: it overflows for huge theta
            break
        theta = theta - lr * g
    return theta


def _step_cases():
    bowl, ravine, line = _quadratic_grad([2.0, 2.0]), _quadratic_grad([1.0, 50.0]), _quadratic_grad([2.0])
    inputs = [("the bowl L = theta_0^2 + theta_1^2 from (1, -2) with lr = 0.25: one step halves theta",
               bowl, np.array([1.0, -2.0]), 0.25),
              ("a ravine, curvatures 1 and 50, lr = 0.03: one step is far from enough", ravine,
               np.array([2.0, 1.0]), 0.03),
              ("one parameter, lr = 0.9: the step overshoots the minimum at 0", line, np.array([3.0]), 0.9),
              ("an integer theta = (2, -4) gives float64", bowl, np.array([2, -4]), 0.1),
              ("float32 theta stays float32", ravine, np.array([1.5, -0.5], dtype=np.float32), 0.01),
              ("at the minimum the gradient is 0: the step returns a new array equal to theta", bowl,
               np.array([0.0, 0.0]), 0.5),
              ("huge parameters, theta = (3e200, -4e200): no norm of theta is needed, and none overflows",
               bowl, np.array([3e200, -4e200]), 0.25)]
    cases = []
    for description, grad, theta, lr in inputs:
        g = grad(theta)
        out = np.result_type(theta, np.float64) if theta.dtype.kind != "f" else theta.dtype
        expected = gradient_descent_step(grad, theta, lr)
        mistakes = {
            "the step went uphill: gradient descent subtracts, theta - lr * grad(theta).": (theta + lr * g),
            "the learning rate is missing: the step is lr * grad(theta).": (theta - g).astype(out),
            "you returned the step lr * grad(theta), not the new theta.": (lr * g).astype(out),
            "you returned the change -lr * grad(theta), not the new theta: add it to theta.": (-lr * g).astype(out),
            "you repeated the rule until the gradient vanished; this function takes exactly one step.":
                _iterate(grad, theta, lr),
            "you took two steps; take exactly one.": gradient_descent(grad, theta, lr, 2)[-1],
        }
        if theta.dtype.kind == "i":
            mistakes["the result was rounded to whole numbers: an integer theta gives a float64 result "
                     "(theta - lr * g makes one; np.zeros_like(theta) or theta.copy() stay integer)."] = \
                (theta - lr * g).astype(theta.dtype)
        cases.append(Case(description, (grad, theta, lr), expected, names=("grad", "theta", "lr"),
                          mistakes={k: v for k, v in mistakes.items() if np.all(np.isfinite(v))},
                          input_text=f"{grad.text}, theta = {show_value(theta)}, lr = {lr:g}"))
    return cases


def check_gradient_descent_step(gradient_descent_step):
    """Exercise 6.2: one step ``theta - lr * grad(theta)``, a new array."""
    run_cases("Exercise 6.2 gradient_descent_step", gradient_descent_step, _step_cases(), check_dtype=True)


# -- 6.3 gradient_descent -----------------------------------------------------------------------

def _path_cases():
    bowl, ravine, line = _quadratic_grad([2.0, 2.0]), _quadratic_grad([1.0, 50.0]), _quadratic_grad([2.0])
    inputs = [("the bowl from (1, -2), lr = 0.25, 3 steps: each step halves theta", bowl,
               np.array([1.0, -2.0]), 0.25, 3),
              ("the ravine from (2, 1), lr = 0.038, 12 steps: the steep direction zig-zags", ravine,
               np.array([2.0, 1.0]), 0.038, 12),
              ("one parameter, lr = 0.9, 5 steps: every step overshoots", line, np.array([3.0]), 0.9, 5),
              ("steps = 0: the path is the start alone, shape (1, P)", bowl, np.array([1.0, 1.0]), 0.1, 0),
              ("an integer theta0 = (3, -1) gives a float64 path", bowl, np.array([3, -1]), 0.1, 4),
              ("float32 theta0 gives a float32 path", ravine, np.array([1.0, 1.0], dtype=np.float32), 0.02, 4),
              ("lr = 0.041 above 2 / 50 on the ravine: the path grows, 8 steps", ravine,
               np.array([1.0, 0.5]), 0.041, 8),
              ("theta0 is the minimum (0, 0): the gradient is 0, and the path still has steps + 1 rows", bowl,
               np.array([0.0, 0.0]), 0.1, 3),
              ("lr = 1 on the ravine, 6 steps: theta_1 grows 49-fold per step, and every row is returned", ravine,
               np.array([1.0, 0.5]), 1.0, 6)]
    cases = []
    for description, grad, theta0, lr, steps in inputs:
        path = gradient_descent(grad, theta0, lr, steps)
        longer = gradient_descent(grad, theta0, lr, steps + 1)
        mistakes = {
            "the path must start with theta0 itself: steps + 1 rows, row 0 = theta0, then one row per step.":
                path[1:],
            "one row short: range(steps) gives steps steps, and with theta0 the path has steps + 1 rows.":
                path[:-1],
            "one step too many: take exactly `steps` steps, steps + 1 rows with theta0.": longer,
            "you returned only where the path ends; return every row, shape (steps + 1, P).": path[-1],
            "every row is the same: you stored one array that you changed in place (theta -= ...), so all "
            "rows are views of it. Store a new array for each step.": np.tile(path[-1], (steps + 1, 1)),
            "the path went uphill: each step subtracts lr * grad(theta).":
                gradient_descent(lambda t: -grad(t), theta0, lr, steps),
            "the path must start with theta0 itself: your row 0 is already one step from it.": longer[1:],
        }
        for rows in range(1, steps):  # a loop that stopped early (a small gradient, a big theta)
            mistakes[f"the path stopped after {rows - 1} steps: this function takes all `steps` steps, even "
                     f"where the gradient is 0 or the path runs away (stopping tests are section 10's "
                     f"subject), so the path has steps + 1 rows."] = path[:rows]
        if theta0.dtype.kind == "i":
            mistakes["the path was rounded to whole numbers: an integer theta0 gives a float64 path "
                     "(np.zeros((steps + 1, P)), not np.zeros(..., dtype=theta0.dtype))."] = \
                _integer_path(grad, theta0, lr, steps)
        cases.append(Case(description, (grad, theta0, lr, steps), path, names=("grad", "theta0", "lr", "steps"),
                          mistakes=mistakes, input_text=f"{grad.text}, theta0 = {show_value(theta0)}, "
                                                        f"lr = {lr:g}, steps = {steps}"))
    return cases


def _integer_path(grad, theta0, lr, steps):
    path = np.zeros((steps + 1, theta0.size), dtype=theta0.dtype)
    path[0] = theta0
    for k in range(steps):
        path[k + 1] = path[k] - lr * grad(path[k])
    return path


def check_gradient_descent(gradient_descent):
    """Exercise 6.3: ``steps`` steps from ``theta0``; the path (steps + 1, P), row 0 the start."""
    run_cases("Exercise 6.3 gradient_descent", gradient_descent, _path_cases(), check_dtype=True)


# -- 6.4 max_stable_lr ----------------------------------------------------------------------------

def _rotated(eigenvalues, angle):
    c, s = np.cos(angle), np.sin(angle)
    R = np.array([[c, -s], [s, c]])
    return R @ np.diag(eigenvalues) @ R.T


def _frobenius(eigenvalues):
    """sqrt(sum(lambda_i^2)) without overflow for huge curvatures (scaled by the largest size)."""
    scale = np.max(np.abs(eigenvalues))
    return scale * np.sqrt(np.sum((eigenvalues / scale) ** 2)) if scale > 0 else 0.0


def _max_lr_cases():
    inputs = [("H = diag(2, 20): the bowl theta_0^2 + 10 theta_1^2", np.diag([2.0, 20.0])),
              ("the same eigenvalues 2 and 20, rotated by 45 degrees: the diagonal holds 11 and 11",
               np.array([[11.0, 9.0], [9.0, 11.0]])),
              ("a rotated ravine, eigenvalues 1 and 50", _rotated([1.0, 50.0], 0.3).round(12)),
              ("one parameter, H = [[4]]", np.array([[4.0]])),
              ("three parameters", np.array([[3.0, 1.0, 0.0], [1.0, 3.0, 1.0], [0.0, 1.0, 3.0]])),
              ("an integer Hessian [[3, 1], [1, 3]]", np.array([[3, 1], [1, 3]])),
              ("a flat direction: eigenvalues 0 and 5", np.diag([0.0, 5.0])),
              ("a saddle, eigenvalues -30 and 2, rotated: the negative curvature never makes a step overshoot, "
               "so the limit is still 2 / lambda_max", _rotated([-30.0, 2.0], 0.4).round(12)),
              ("huge curvatures, 1e200 and 3e199: a formula that squares them overflows",
               np.array([[1e200, 0.0], [0.0, 3e199]]))]
    cases = []
    for description, H in inputs:
        lam = np.linalg.eigvalsh(H.astype(np.float64))
        overflow = {} if np.max(np.abs(H)) < 1e100 else {
            "overflow_hint": "an intermediate value overflowed: a formula that squares the entries of H (the "
                             "trace squared, the determinant) overflows for huge curvatures; "
                             "np.linalg.eigvalsh(H) finds the eigenvalues without squaring them."}
        mistakes = {
            "you used the smallest eigenvalue; the steepest direction (the largest eigenvalue) is the first "
            "to oscillate out of control.": 2 / lam[0] if lam[0] > 0 else np.inf,
            "the bound is 2 / lambda_max, not 1 / lambda_max: at 1 / lambda_max the steep direction lands "
            "exactly on the minimum, and up to twice that it still shrinks.": 1 / lam[-1],
            "you used the largest diagonal entry; that is an eigenvalue only when H is diagonal. Use the "
            "eigenvalues of H (np.linalg.eigvalsh).": 2 / np.max(np.diag(H)),
            "you used the trace (the sum of the eigenvalues); the bound needs the largest one alone.":
                2 / np.trace(H),
            "you returned lambda_max itself; the bound is 2 / lambda_max.": lam[-1],
            "you used the eigenvalue largest in size (np.abs, or np.linalg.norm(H, 2)); take the largest "
            "eigenvalue itself. A negative one is a direction where the loss curves down, as at a saddle: "
            "there 1 - lr * lambda is above 1 for every lr, so it never sets the limit.": 2 / np.max(np.abs(lam)),
            "np.linalg.norm(H) is the Frobenius norm, the square root of the sum of the squared eigenvalues, "
            "not the largest eigenvalue: use np.linalg.eigvalsh(H).": 2 / _frobenius(lam),
        }
        cases.append(Case(description, (H,), max_stable_lr(H), names=("H",),
                          mistakes={k: v for k, v in mistakes.items() if np.isfinite(v)}, **overflow))
    return cases


def check_max_stable_lr(max_stable_lr):
    """Exercise 6.4: ``2 / lambda_max`` of a symmetric Hessian ``H`` (P, P), a float."""
    run_cases("Exercise 6.4 max_stable_lr", max_stable_lr, _max_lr_cases())


# -- 6.5 mse_gradient -----------------------------------------------------------------------------

def _mse_gradient(w, b, x, y):
    """The reference: dL/dy_hat from utils.losses.mse_grad, then the chain rule through y_hat = w x + b."""
    y_hat = w * x + b
    d_y_hat = mse_grad(y_hat, y)
    return np.array([np.sum(d_y_hat * x), np.sum(d_y_hat)], dtype=d_y_hat.dtype)


def _mse_cases():
    rng = np.random.default_rng(6)
    x20 = rng.uniform(-3, 3, size=20).round(2)
    y20 = (0.8 * x20 - 0.5 + rng.normal(0, 0.3, size=20)).round(2)
    inputs = [("x = (1, 2), y = (3, 5), w = 1, b = 0: residuals (-2, -3), gradient (-8, -5)",
               1.0, 0.0, np.array([1.0, 2.0]), np.array([3.0, 5.0])),
              ("20 noisy points near y = 0.8 x - 0.5, at w = 0.5, b = 0.2", 0.5, 0.2, x20, y20),
              ("one sample", -1.0, 2.0, np.array([1.5]), np.array([0.5])),
              ("points exactly on y = 2x + 1, at w = 2, b = 1: the gradient is 0", 2.0, 1.0,
               np.array([-1.0, 0.0, 2.0]), np.array([-1.0, 1.0, 5.0])),
              ("integer data and parameters give float64", 2, -1, np.array([1, 2, 3]), np.array([2, 2, 7])),
              ("float32 data stays float32", 0.5, 0.2, x20[:6].astype(np.float32), y20[:6].astype(np.float32))]
    cases = []
    for description, w, b, x, y in inputs:
        expected = _mse_gradient(w, b, x, y)
        r = (w * x + b - y).astype(expected.dtype)
        dw, db = expected
        mistakes = {
            "the factor 2 from the square is missing: d(r^2)/dr = 2r.": expected / 2,
            "the signs are flipped: with r = y_hat - y the gradient is the mean of 2 r x and of 2 r; "
            "(y - y_hat) gives the opposite direction.": -expected,
            "you summed over the samples; L is a mean, so divide the sums by N.": expected * x.size,
            "the order is (dL/dw, dL/db): w first, then b.": np.array([db, dw]),
            "dL/dw needs the factor x: y_hat = w x + b changes by x when w changes by 1.": np.array([db, db]),
            "the bias is missing from the prediction: y_hat = w * x + b.": _mse_gradient(w, 0, x, y),
            "dL/dw is the mean of the products 2 r_i x_i, not mean(2 r) times mean(x).":
                np.array([db * np.mean(x), db]),
        }
        if x.size > 1:
            mistakes["you divided by N - 1, as for a sample variance; the mean squared error divides by N."] = \
                expected * x.size / (x.size - 1)
        del r
        cases.append(Case(description, (w, b, x, y), expected, names=("w", "b", "x", "y"), mistakes=mistakes))
    return cases


def check_mse_gradient(mse_gradient):
    """Exercise 6.5: ``(dL/dw, dL/db)`` of the mean squared error of ``y_hat = w x + b``, shape (2,)."""
    run_cases("Exercise 6.5 mse_gradient", mse_gradient, _mse_cases(), check_dtype=True)


# -- 6.6 ravine_lr --------------------------------------------------------------------------------

#: Exercise 6.6's target: a loss at most RAVINE_TOL within RAVINE_STEPS steps, from every start below.
RAVINE_TOL, RAVINE_STEPS = 1e-6, 300


def _ravine_starts(surface):
    return [surface.start, np.array([9.0, -2.5]), np.array([-2.0, 2.8])]


def _learning_rate_from(title, case, result):
    """The learner's learning rate as a float, or a failure that says what was returned instead."""
    if isinstance(result, (bool, np.bool_)) or isinstance(result, str) or result is None:
        raise AssertionError(failure(title, case, 1, 1, f"ravine_lr() must return a number, the learning "
                                                        f"rate; got {result!r}"))
    lr = np.asarray(result)
    if isinstance(result, (list, tuple)) or lr.ndim > 0:
        raise AssertionError(failure(title, case, 1, 1, f"ravine_lr() must return one number, the learning "
                                                        f"rate itself (e.g. `return 0.01`), not "
                                                        f"{_kind(result)}; got {show_value(result)}"))
    if lr.dtype.kind not in "iuf" or lr.size != 1:
        raise AssertionError(failure(title, case, 1, 1, f"ravine_lr() must return one number, the learning "
                                                        f"rate; got {show_value(lr)}"))
    lr = float(lr.reshape(()))
    if not np.isfinite(lr) or lr <= 0:
        raise AssertionError(failure(title, case, 1, 1, f"a learning rate must be a number > 0; got {lr:g}"))
    return lr


def _kind(value):
    return f"a Python {type(value).__name__}" if isinstance(value, (list, tuple)) else f"an array of shape {value.shape}"


def _ravine_problem(run, lr, surface):
    """Why the run missed the target, in terms of the ravine's two curvatures."""
    lam = np.linalg.eigvalsh(surface.hessian(surface.start))
    slow, steep = abs(1 - lr * lam[0]), abs(1 - lr * lam[-1])
    bound = 2 / lam[-1]
    if run.status == "diverged":
        return (f"the run diverged at step {run.step}: lr = {lr:g} is above 2 / lambda_max = {bound:g}, so each "
                f"step multiplies theta_1's distance from the minimum by |1 - lr * {lam[-1]:g}| = {steep:.3g} > 1.")
    if slow >= steep:
        return (f"after {run.step} steps the loss is still {run.losses[-1]:.3g}: lr = {lr:g} is too small. Along "
                f"the shallow direction theta_0 each step keeps a factor 1 - lr * {lam[0]:g} = {slow:.4g} of the "
                f"distance. Take a larger learning rate, still below 2 / lambda_max = {bound:g}.")
    return (f"after {run.step} steps the loss is still {run.losses[-1]:.3g}: lr = {lr:g} is so close to "
            f"2 / lambda_max = {bound:g} that the steep direction theta_1 bounces from wall to wall, keeping a "
            f"factor |1 - lr * {lam[-1]:g}| = {steep:.4g} per step. Take a slightly smaller learning rate.")


def check_ravine_lr(ravine_lr):
    """Exercise 6.6: a learning rate that reaches a loss below 1e-6 within 300 steps on the ravine."""
    from ..surfaces import DIVERGENCE_BOUND, ravine

    title = "Exercise 6.6 ravine_lr"
    surface = ravine()
    starts = _ravine_starts(surface)
    target = f"a loss <= {RAVINE_TOL:g} within {RAVINE_STEPS} steps"
    first = Case(f"gradient descent on the ravine from {show_value(starts[0])}", (), target,
                 input_text="the learning rate your ravine_lr() returns")
    lr = _learning_rate_from(title, first, call_learner(title, ravine_lr, first, 1, len(starts)))
    reached = []
    for number, theta0 in enumerate(starts, start=1):
        case = Case(f"gradient descent on the ravine from theta0 = ({theta0[0]:g}, {theta0[1]:g})", (), target,
                    input_text=f"lr = {lr:g}, L(theta) = (theta_0^2 + 50 theta_1^2) / 2")
        run = gradient_descent_until(surface.value, surface.grad, theta0, lr, max_steps=RAVINE_STEPS,
                                     loss_tol=RAVINE_TOL, limit=DIVERGENCE_BOUND)
        if run.status != "converged":
            raise AssertionError(failure(title, case, number, len(starts), _ravine_problem(run, lr, surface)))
        reached.append(run.step)
    print(f"{title}: all {len(starts)} cases passed (lr = {lr:g} reaches a loss below {RAVINE_TOL:g} "
          f"in {max(reached)} steps at most)")
