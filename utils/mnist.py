r"""MNIST: download, verify, parse and cache the 70,000 handwritten digits.

MNIST (LeCun, Cortes and Burges, 1998; http://yann.lecun.com/exdb/mnist/) holds
60,000 training and 10,000 test images of handwritten digits, each 28x28 grey
pixels, in four gzip-compressed files of the *IDX* format. :func:`load_mnist`
downloads them over HTTPS from the first mirror that answers, checks each
file's SHA-256 against the values below, parses the IDX format with
:func:`read_idx` (a few lines of numpy: the format is simple) and caches the
arrays in the user's cache directory, so every later call reads the cache
and needs no network.

Every file is written to a temporary name first and renamed only once it is
complete and verified, so an interrupted download never leaves a corrupt
file behind. Without a network, :func:`load_mnist` raises one
:class:`MNISTDownloadError` that says how to go on with the 8x8 digits of
:func:`utils.datasets.load_digits`, which ship with the course.

Progress bars come from ``tqdm`` (a widget in Jupyter, a line in a terminal);
HTTP from the standard library's ``urllib``.
"""

import gzip
import hashlib
import os
import tempfile
from pathlib import Path

import numpy as np

from ._validation import check_positive

#: Where the four files are served, tried in this order: PyTorch's and TensorFlow's mirrors.
MIRRORS = ("https://ossci-datasets.s3.amazonaws.com/mnist/",
           "https://storage.googleapis.com/cvdf-datasets/mnist/")

#: The four files: name -> SHA-256 of the gzip file (as served by every mirror above).
FILES = {
    "train-images-idx3-ubyte.gz": "440fcabf73cc546fa21475e81ea370265605f56be210a4024d2ca8f203523609",
    "train-labels-idx1-ubyte.gz": "3552534a0a558bbed6aed32b30c495cca23d567ec52cac8be1a0730e8010255c",
    "t10k-images-idx3-ubyte.gz": "8d422c7b0a1c1c79245a5bcf07fe86e33eeafee792b84584aec276f5a2dbc4e6",
    "t10k-labels-idx1-ubyte.gz": "f7ae60f92e00ec6debd23a6088c31dbd2371eca3ffa0defaefb259924204aec6",
}

#: IDX type codes (the third byte of the magic number) and the big-endian dtype each stands for.
IDX_DTYPES = {0x08: np.dtype(">u1"), 0x09: np.dtype(">i1"), 0x0B: np.dtype(">i2"),
              0x0C: np.dtype(">i4"), 0x0D: np.dtype(">f4"), 0x0E: np.dtype(">f8")}

_CACHE_NAME = "mnist.npz"
_OFFLINE_ADVICE = ("To go on without MNIST, use the 8x8 digits that ship with the course: "
                   "`X, y = utils.datasets.load_digits()` (1797 images, 64 pixels each); every lesson runs on them.")


class MNISTDownloadError(OSError):
    """No mirror delivered a complete, verified copy of an MNIST file."""


def default_cache_dir():
    """The folder MNIST is cached in: ``$XDG_CACHE_HOME`` (or ``~/.cache``) ``/dl-from-scratch-course/mnist``."""
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base) / "dl-from-scratch-course" / "mnist"


def read_idx(data):
    r"""Parse one file of the IDX format into a numpy array.

    Parameters
    ----------
    data : bytes
        The whole (uncompressed) file.

    Returns
    -------
    ndarray
        Of the shape and type the header gives, in native byte order
        (MNIST: uint8 images of shape (n, 28, 28), uint8 labels of shape (n,)).

    Raises
    ------
    ValueError
        When the magic number, the type code or the length does not fit the format.

    Notes
    -----
    An IDX file is a 4-byte magic number ``0 0 t d`` (``t`` the type code of
    :data:`IDX_DTYPES`, ``d`` the number of dimensions), then ``d`` sizes as
    big-endian 32-bit integers, then the values, big-endian, last index fastest.
    """
    if len(data) < 4 or data[0] != 0 or data[1] != 0:
        raise ValueError(f"not an IDX file: expected the magic number 0 0 <type> <ndim>, got {bytes(data[:4])!r}")
    type_code, ndim = data[2], data[3]
    if type_code not in IDX_DTYPES:
        raise ValueError(f"IDX type code {type_code:#04x} is not one of {sorted(hex(c) for c in IDX_DTYPES)}")
    header = 4 + 4 * ndim
    if len(data) < header:
        raise ValueError(f"IDX file truncated: {len(data)} bytes, but its header alone needs {header}")
    shape = tuple(int(n) for n in np.frombuffer(data, dtype=">u4", count=ndim, offset=4))
    dtype = IDX_DTYPES[type_code]
    expected = header + dtype.itemsize * int(np.prod(shape))
    if len(data) != expected:
        raise ValueError(f"IDX file of shape {shape} and type {dtype} needs {expected} bytes, got {len(data)}"
                         f"{' (truncated)' if len(data) < expected else ''}")
    values = np.frombuffer(data, dtype=dtype, offset=header).reshape(shape)
    return values.astype(dtype.newbyteorder("="))


def load_mnist(cache_dir=None, *, progress=True, timeout=30.0):
    r"""The MNIST digits: 60,000 training and 10,000 test images, downloaded once, then cached.

    Parameters
    ----------
    cache_dir : str or Path, optional
        Where to keep the files; default :func:`default_cache_dir`. Created if missing.
    progress : bool, default True
        Show a progress bar (tqdm) while downloading.
    timeout : float, default 30
        Seconds to wait for a mirror to answer before trying the next one.

    Returns
    -------
    X_train : ndarray, shape (60000, 784), float32
        Pixel intensities scaled to :math:`[0, 1]`, each 28x28 image flattened row by row.
    X_test : ndarray, shape (10000, 784), float32
    y_train : ndarray, shape (60000,), int64
        The digit shown, in ``0 .. 9``.
    y_test : ndarray, shape (10000,), int64

    The order is that of :func:`utils.datasets.train_test_split`.

    Raises
    ------
    MNISTDownloadError
        When no mirror delivers a file whose SHA-256 matches (offline, say); the message lists
        what each mirror answered and how to go on with :func:`utils.datasets.load_digits`.
    ValueError
        When `cache_dir` is not a path, `progress` not a bool or `timeout` not a number > 0
        (raised before any folder is made or any request sent).

    Notes
    -----
    :math:`X = \text{pixels} / 255`. Source: Y. LeCun, C. Cortes and C. J. C. Burges, "The MNIST
    database of handwritten digits", 1998; files as mirrored by PyTorch and TensorFlow.
    """
    _check_arguments(cache_dir, progress, timeout)
    folder = Path(cache_dir) if cache_dir is not None else default_cache_dir()
    cache = folder / _CACHE_NAME
    if not cache.exists():
        folder.mkdir(parents=True, exist_ok=True)
        raw = {name: read_idx(gzip.decompress(fetch(name, folder, progress=progress, timeout=timeout)))
               for name in FILES}
        arrays = {"X_train": raw["train-images-idx3-ubyte.gz"], "y_train": raw["train-labels-idx1-ubyte.gz"],
                  "X_test": raw["t10k-images-idx3-ubyte.gz"], "y_test": raw["t10k-labels-idx1-ubyte.gz"]}
        _atomic_write(cache, lambda f: np.savez(f, **arrays))
    with np.load(cache) as saved:
        arrays = {key: saved[key] for key in ("X_train", "X_test", "y_train", "y_test")}
    X_train, X_test = (arrays[k].reshape(len(arrays[k]), -1).astype(np.float32) / 255 for k in ("X_train", "X_test"))
    return X_train, X_test, arrays["y_train"].astype(np.int64), arrays["y_test"].astype(np.int64)


def fetch(name, folder, *, progress=True, timeout=30.0):
    """The bytes of one MNIST file: from `folder` if a verified copy is there, else from the first good mirror.

    A downloaded file is kept in `folder` only once its SHA-256 matches :data:`FILES`
    (written under a temporary name, then renamed).

    Parameters
    ----------
    name : str
        One of the keys of :data:`FILES`, e.g. ``"t10k-labels-idx1-ubyte.gz"``.
    folder : str or Path
        The cache folder; it must exist.
    progress : bool, default True
        Show a tqdm progress bar while downloading.
    timeout : float, default 30
        Seconds to wait for each mirror.

    Returns
    -------
    bytes
        The gzip-compressed IDX file, verified against its SHA-256.

    Raises
    ------
    MNISTDownloadError
        When every mirror fails; the message says what each one answered.
    """
    from http.client import HTTPException  # imported here: `import utils.datasets` stays light

    path, expected = Path(folder) / name, FILES[name]
    if path.exists() and _sha256(path.read_bytes()) == expected:
        return path.read_bytes()
    failures = []
    for mirror in MIRRORS:
        url = mirror + name
        try:
            data = _download(url, progress=progress, timeout=timeout)
        except (OSError, HTTPException, ValueError) as err:  # refused, timed out, cut short
            failures.append(f"{url}: {getattr(err, 'reason', err)}")
            continue
        digest = _sha256(data)
        if digest != expected:
            failures.append(f"{url}: SHA-256 {digest[:16]}... differs from the expected {expected[:16]}... "
                            f"(a damaged or different file)")
            continue
        _atomic_write(path, lambda f: f.write(data))
        return data
    raise MNISTDownloadError(f"could not download the MNIST file {name}:\n  " + "\n  ".join(failures) +
                             f"\n{_OFFLINE_ADVICE}")


def _download(url, *, progress, timeout):
    """The body of `url`, with a tqdm bar; ValueError when it ends before its announced length."""
    import urllib.request

    from tqdm.auto import tqdm

    with urllib.request.urlopen(url, timeout=timeout) as response:
        total = response.length  # None when the server does not say
        chunks = []
        with tqdm(total=total, unit="B", unit_scale=True, desc=url.rsplit("/", 1)[-1], disable=not progress,
                  leave=False) as bar:
            while chunk := response.read(1 << 16):
                chunks.append(chunk)
                bar.update(len(chunk))
    data = b"".join(chunks)
    if total is not None and len(data) != total:  # http.client usually raises IncompleteRead first
        raise ValueError(f"the download ended after {len(data)} of {total} bytes")
    return data


def _check_arguments(cache_dir, progress, timeout):
    """Refuse bad arguments up front: a bad timeout would otherwise read as "every mirror is down"."""
    if cache_dir is not None and not isinstance(cache_dir, (str, os.PathLike)):
        raise ValueError(f"cache_dir must be a folder (a str or a Path) or None, "
                         f"got {cache_dir!r} of type {type(cache_dir).__name__}")
    if not isinstance(progress, (bool, np.bool_)):
        raise ValueError(f"progress must be True or False, got {progress!r} of type {type(progress).__name__}")
    check_positive(timeout, "timeout (seconds)")


def _sha256(data):
    return hashlib.sha256(data).hexdigest()


def _atomic_write(path, write):
    """Write a file under a temporary name in its folder, then rename it: readers never see half a file."""
    path = Path(path)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".part")
    try:
        with os.fdopen(fd, "wb") as f:
            write(f)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
