"""The real MNIST download code, against small IDX files served on 127.0.0.1 by the test itself.

No test reaches the internet: `MIRRORS` and `FILES` are pointed at a local server that
serves MNIST-shaped files made here (a few images each), with their own SHA-256 sums.
"""

import gzip
import hashlib
import http.server
import socket
import threading

import numpy as np
import pytest

from utils import mnist
from utils.datasets import load_mnist as load_mnist_from_datasets

N_TRAIN, N_TEST = 6, 4


def idx_bytes(array):
    """An IDX file of a uint8 array (the inverse of `mnist.read_idx`)."""
    header = bytes([0, 0, 0x08, array.ndim]) + np.array(array.shape, dtype=">u4").tobytes()
    return header + array.astype(np.uint8).tobytes()


def fake_mnist(seed=0):
    """MNIST-shaped data and its four gzip files: ({name: gz bytes}, arrays)."""
    rng = np.random.default_rng(seed)
    arrays = {"X_train": rng.integers(0, 256, (N_TRAIN, 28, 28)), "y_train": rng.integers(0, 10, N_TRAIN),
              "X_test": rng.integers(0, 256, (N_TEST, 28, 28)), "y_test": rng.integers(0, 10, N_TEST)}
    names = dict(zip(mnist.FILES, ("X_train", "y_train", "X_test", "y_test")))
    files = {name: gzip.compress(idx_bytes(arrays[key]), mtime=0) for name, key in names.items()}
    return files, arrays


class Server:
    """A threaded HTTP server on 127.0.0.1 serving `files`; `broken` maps a name to how to break it."""

    def __init__(self, files):
        self.files, self.broken, self.requests = dict(files), {}, []
        server = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_GET(self):
                name = self.path.rsplit("/", 1)[-1]
                server.requests.append(name)
                if name not in server.files:
                    self.send_error(404)
                    return
                body = server.files[name]
                self.send_response(200)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                if server.broken.get(name) == "truncated":
                    body = body[: len(body) // 2]  # announce all of it, send half, hang up
                self.wfile.write(body)

            def log_message(self, *args):
                pass

        self.httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}/mnist/"
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()

    def stop(self):
        self.httpd.shutdown()
        self.httpd.server_close()


@pytest.fixture
def served(monkeypatch):
    """A local server with fake MNIST files; mnist.FILES holds their checksums."""
    files, arrays = fake_mnist()
    monkeypatch.setattr(mnist, "FILES", {name: hashlib.sha256(data).hexdigest() for name, data in files.items()})
    server = Server(files)
    monkeypatch.setattr(mnist, "MIRRORS", (server.url,))
    yield server, arrays
    server.stop()


def closed_port_url():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    return f"http://127.0.0.1:{port}/mnist/"  # nothing listens there any more


def test_a_good_download_gives_scaled_flat_images_and_integer_labels(served, tmp_path):
    _, arrays = served
    X_train, X_test, y_train, y_test = mnist.load_mnist(tmp_path, progress=False)
    assert X_train.shape == (N_TRAIN, 784) and X_test.shape == (N_TEST, 784)
    assert X_train.dtype == np.float32 and y_train.dtype == np.int64
    np.testing.assert_allclose(X_train, arrays["X_train"].reshape(N_TRAIN, 784) / 255, rtol=1e-6)
    np.testing.assert_array_equal(y_test, arrays["y_test"])
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted([*mnist.FILES, "mnist.npz"])


def test_a_second_call_is_served_from_the_cache(served, tmp_path):
    server, _ = served
    first = mnist.load_mnist(tmp_path, progress=False)
    server.stop()
    requests = len(server.requests)
    second = mnist.load_mnist(tmp_path, progress=False)
    assert len(server.requests) == requests == 4
    for a, b in zip(first, second):
        np.testing.assert_array_equal(a, b)


def test_a_checksum_mismatch_is_refused_and_nothing_is_cached(served, tmp_path):
    server, _ = served
    server.files["t10k-labels-idx1-ubyte.gz"] = gzip.compress(idx_bytes(np.zeros(N_TEST)), mtime=0)
    with pytest.raises(mnist.MNISTDownloadError, match=r"t10k-labels.*\n.*SHA-256 .* differs from the expected"):
        mnist.load_mnist(tmp_path, progress=False)
    assert "t10k-labels-idx1-ubyte.gz" not in {p.name for p in tmp_path.iterdir()}
    assert not (tmp_path / "mnist.npz").exists()
    assert not list(tmp_path.glob("*.part")), "a temporary file was left behind"


def test_a_truncated_download_is_refused_and_leaves_no_partial_file(served, tmp_path):
    server, _ = served
    server.broken["train-images-idx3-ubyte.gz"] = "truncated"
    with pytest.raises(mnist.MNISTDownloadError, match="train-images-idx3-ubyte.gz"):
        mnist.load_mnist(tmp_path, progress=False)
    assert not (tmp_path / "train-images-idx3-ubyte.gz").exists() and not (tmp_path / "mnist.npz").exists()
    assert not list(tmp_path.glob("*.part"))


def test_a_first_mirror_that_is_down_is_skipped(served, tmp_path, monkeypatch):
    server, arrays = served
    monkeypatch.setattr(mnist, "MIRRORS", (closed_port_url(), server.url))
    _, _, y_train, _ = mnist.load_mnist(tmp_path, progress=False)
    np.testing.assert_array_equal(y_train, arrays["y_train"])


def test_a_damaged_first_mirror_falls_back_to_the_second(served, tmp_path, monkeypatch):
    good, arrays = served
    bad = Server({name: b"not the file" for name in mnist.FILES})
    try:
        monkeypatch.setattr(mnist, "MIRRORS", (bad.url, good.url))
        _, _, _, y_test = mnist.load_mnist(tmp_path, progress=False)
    finally:
        bad.stop()
    np.testing.assert_array_equal(y_test, arrays["y_test"])
    assert len(bad.requests) == 4


def test_offline_raises_one_clear_error_that_points_to_the_digits(tmp_path, monkeypatch):
    monkeypatch.setattr(mnist, "MIRRORS", (closed_port_url(), closed_port_url()))
    with pytest.raises(mnist.MNISTDownloadError) as error:
        mnist.load_mnist(tmp_path, progress=False, timeout=5)
    message = str(error.value)
    assert message.count("127.0.0.1") == 2, "each mirror's failure is named"
    assert "load_digits()" in message
    assert isinstance(error.value, OSError)


def test_a_verified_file_already_in_the_cache_is_not_downloaded_again(served, tmp_path):
    server, _ = served
    mnist.load_mnist(tmp_path, progress=False)
    (tmp_path / "mnist.npz").unlink()  # e.g. removed by hand: the .gz files are still good
    mnist.load_mnist(tmp_path, progress=False)
    assert len(server.requests) == 4


def test_the_progress_bar_is_tqdm_and_writes_to_stderr(served, tmp_path, capsys):
    mnist.load_mnist(tmp_path, progress=True)
    assert "train-images-idx3-ubyte.gz" in capsys.readouterr().err


def test_the_default_cache_is_in_the_users_cache_directory(monkeypatch, tmp_path):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    assert mnist.default_cache_dir() == tmp_path / "dl-from-scratch-course" / "mnist"


def test_datasets_offers_the_same_loader():
    assert load_mnist_from_datasets is mnist.load_mnist


@pytest.mark.parametrize("dtype, code", [(">u1", 0x08), (">i1", 0x09), (">i2", 0x0B), (">i4", 0x0C),
                                         (">f4", 0x0D), (">f8", 0x0E)])
def test_read_idx_reads_every_type_in_native_byte_order(dtype, code):
    values = np.arange(-3, 9).reshape(3, 4).astype(dtype) if "u" not in dtype else np.arange(12).reshape(3, 4)
    data = bytes([0, 0, code, 2]) + np.array([3, 4], dtype=">u4").tobytes() + values.astype(dtype).tobytes()
    parsed = mnist.read_idx(data)
    np.testing.assert_array_equal(parsed, values)
    assert parsed.dtype.isnative and parsed.shape == (3, 4)


@pytest.mark.parametrize("data, message", [
    (b"\x01\x00\x08\x01", "magic number"),
    (bytes([0, 0, 0x07, 1, 0, 0, 0, 1, 5]), "type code 0x07"),
    (bytes([0, 0, 0x08, 2, 0, 0, 0, 2]), "header alone needs 12"),
    (bytes([0, 0, 0x08, 1, 0, 0, 0, 3, 1, 2]), r"needs 11 bytes, got 10 \(truncated\)"),
    (bytes([0, 0, 0x08, 1, 0, 0, 0, 1, 1, 2]), "needs 9 bytes, got 10"),
])
def test_read_idx_refuses_what_is_not_idx(data, message):
    with pytest.raises(ValueError, match=message):
        mnist.read_idx(data)


def test_an_interrupted_cache_write_leaves_no_cache_and_the_next_call_recovers(served, tmp_path, monkeypatch):
    server, arrays = served
    real_savez = np.savez

    def savez_cut_short(file, **arrays):  # half a zip archive reaches the disk, then Ctrl+C
        file.write(b"PK\x03\x04 half an archive")
        raise KeyboardInterrupt

    monkeypatch.setattr(np, "savez", savez_cut_short)
    with pytest.raises(KeyboardInterrupt):
        mnist.load_mnist(tmp_path, progress=False)
    assert not (tmp_path / "mnist.npz").exists(), "an interrupted write left a corrupt cache"
    assert not list(tmp_path.glob(".*.part")), "a temporary file was left behind"
    monkeypatch.setattr(np, "savez", real_savez)
    _, _, _, y_test = mnist.load_mnist(tmp_path, progress=False)
    np.testing.assert_array_equal(y_test, arrays["y_test"])
    assert len(server.requests) == 4, "the verified .gz files of the first call are reused"


def test_an_interrupted_file_write_leaves_no_file_of_that_name(served, tmp_path, monkeypatch):
    def replace_interrupted(src, dst):
        raise KeyboardInterrupt

    monkeypatch.setattr(mnist.os, "replace", replace_interrupted)
    with pytest.raises(KeyboardInterrupt):
        mnist.load_mnist(tmp_path, progress=False)
    assert list(tmp_path.iterdir()) == [], "a file was written in place, or its temporary copy kept"


@pytest.mark.parametrize("kwargs, message", [
    ({"timeout": -1}, r"timeout \(seconds\) must be > 0, got -1"),
    ({"timeout": 0}, r"timeout \(seconds\) must be > 0, got 0"),
    ({"timeout": "5"}, "without quotes"),
    ({"progress": "no"}, "progress must be True or False, got 'no'"),
    ({"cache_dir": 5}, "cache_dir must be a folder .* got 5 of type int"),
])
def test_bad_arguments_are_refused_before_any_request(served, tmp_path, kwargs, message):
    server, _ = served
    kwargs = {"cache_dir": tmp_path / "new", **kwargs}
    with pytest.raises(ValueError, match=message):
        mnist.load_mnist(**kwargs)
    assert server.requests == [] and not (tmp_path / "new").exists()


def test_the_array_cache_alone_serves_a_second_call(served, tmp_path):
    server, arrays = served
    mnist.load_mnist(tmp_path, progress=False)
    server.stop()
    for name in mnist.FILES:  # only mnist.npz is left: no download, no parsing of .gz files
        (tmp_path / name).unlink()
    X_train, _, _, _ = mnist.load_mnist(tmp_path, progress=False)
    np.testing.assert_allclose(X_train, arrays["X_train"].reshape(N_TRAIN, 784) / 255, rtol=1e-6)
