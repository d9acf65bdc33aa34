#!/usr/bin/env python3
"""Scratch check, kept so that the numbers reports/table1.md quotes from it can be rerun. It is NOT
the reference implementation (that is the Java code, one algorithm over double and apfloat) and no
test or oracle uses it: numpy, double only, one hidden layer, written to try a reading of the paper
that specs/model.md does not make. Model A, one hidden layer, converged ghosts,
TF, trained on MNIST as configs/table1/MA-TF-<n>.json reads the paper, with two readings of the
output nudge in the weakly-clamped phase:

  SELF: e^N = beta (y - r^N), r^N the nudged output itself (specs/model.md; the Java trainer)
  FREE: e^N = beta (y - r^N_free), a fixed teacher current computed from the free phase

Everything else as the Java MA row: sigmoid, no biases, W ~ U(-init, init), B = W2^T after each
update, eq. 6 rate-difference form not divided by beta, mean over a mini-batch of 100, first
55,000 training images, test accuracy of the feedforward graph. The nudged equilibrium is solved
by Newton with backtracking per example (tolerance 1e-10 on the residual), and by Euler steps
(h = 0.1) where Newton does not converge.

The SELF reading stays within 0.15 pp of the two Java seeds of that row (reports/table1.md),
which is what makes the FREE numbers comparable. Not bitwise the Java run: numpy's generator draws
W and the data order. Needs numpy; reads the MNIST files from ../shared/data/mnist (or $MNIST_DIR).

usage (from the repository root): python3 reports/tools/ma_output_nudge_scratch.py SELF|FREE ETA EPOCHS SEED [HIDDEN]
  e.g. OMP_NUM_THREADS=1 python3 reports/tools/ma_output_nudge_scratch.py FREE 0.1 200 1   (40-60 minutes)
"""
import gzip
import os
import struct
import sys
import time

import numpy as np

MNIST = os.environ.get('MNIST_DIR', '../shared/data/mnist')


def idx(name):
    with open(f'{MNIST}/{name}', 'rb') as f:
        data = f.read()
    if name.endswith('.gz'):
        data = gzip.decompress(data)
    magic, n = struct.unpack('>II', data[:8])
    if magic == 2051:
        rows, cols = struct.unpack('>II', data[8:16])
        return np.frombuffer(data, np.uint8, offset=16).reshape(n, rows * cols)
    return np.frombuffer(data, np.uint8, offset=8)


def load(prefix):
    names = os.listdir(MNIST)
    img = next(x for x in names if x.startswith(prefix + '-images'))
    lab = next(x for x in names if x.startswith(prefix + '-labels'))
    return idx(img).astype(np.float64) / 255.0, idx(lab)


def sig(v):
    return 1.0 / (1.0 + np.exp(-v))


def nudged(W1, W2, x, y, beta, mode):
    """Weakly-clamped equilibrium (s1, s2) for a batch; returns s1, s2, count of Euler fallbacks."""
    B = W2.T
    d1 = x @ W1.T
    s1 = d1.copy()
    s2 = sig(s1) @ W2.T
    teacher = beta * (y - sig(s2))  # FREE: fixed from the free phase

    def residual(s1, s2):
        r1 = sig(s1)
        top = r1 @ W2.T
        e1 = (sig(s2) - sig(top)) @ B.T
        f1 = s1 - d1 - e1
        nudge = beta * (y - sig(s2)) if mode == 'SELF' else teacher
        f2 = s2 - top - nudge
        return np.concatenate([f1, f2], axis=1), r1, top

    n1, n2 = s1.shape[1], s2.shape[1]
    done = np.zeros(len(x), bool)
    for _ in range(100):
        f, r1, top = residual(s1, s2)
        norm = np.linalg.norm(f, axis=1)
        done = norm <= 1e-10 * (1 + np.linalg.norm(np.concatenate([s1, s2], 1), axis=1))
        if done.all():
            break
        ds1 = r1 * (1 - r1)
        dtop = sig(top) * (1 - sig(top))
        ds2 = sig(s2) * (1 - sig(s2))
        m = len(x)
        # Block Newton system, reduced to the 10 outputs: J11 = I + U V (U = B diag(rho'(W2 r1)),
        # V = W2 diag(rho'(s1))) inverted by Woodbury, then the Schur complement on the outputs.
        U = B[None, :, :] * dtop[:, None, :]
        V = W2[None, :, :] * ds1[:, None, :]
        K = np.linalg.inv(np.eye(n2) + V @ U)

        def j11inv(z):  # z: (m, n1, k)
            return z - U @ (K @ (V @ z))

        J12 = -B[None, :, :] * ds2[:, None, :]
        J21 = -V
        J22 = np.broadcast_to(np.eye(n2), (m, n2, n2)).copy()
        if mode == 'SELF':
            J22 += beta * ds2[:, :, None] * np.eye(n2)
        S = J22 - J21 @ j11inv(J12)
        rhs = -f[:, n1:, None] + J21 @ j11inv(f[:, :n1, None])
        b2 = np.linalg.solve(S, rhs)
        a1 = j11inv(-f[:, :n1, None] - J12 @ b2)
        step = np.concatenate([a1[:, :, 0], b2[:, :, 0]], axis=1)
        step[done] = 0
        t = np.ones(m)
        for _ in range(30):  # per-example backtracking on the residual norm
            c1 = s1 + t[:, None] * step[:, :n1]
            c2 = s2 + t[:, None] * step[:, n1:]
            fn = np.linalg.norm(residual(c1, c2)[0], axis=1)
            bad = (fn > (1 - 1e-4 * t) * norm) & ~done
            if not bad.any():
                break
            t[bad] *= 0.5
        s1, s2 = c1, c2
    f, _, _ = residual(s1, s2)
    left = np.linalg.norm(f, axis=1) > 1e-8 * (1 + np.linalg.norm(np.concatenate([s1, s2], 1), axis=1))
    if left.any():  # Euler dynamics of the same equations, h = 0.1
        for _ in range(20000):
            f, _, _ = residual(s1, s2)
            s1[left] -= 0.1 * f[left, :n1]
            s2[left] -= 0.1 * f[left, n1:]
            if (np.linalg.norm(f[left], axis=1) < 1e-10).all():
                break
        else:  # not silently: the caller's step would use an unsettled state
            print(f'warning: Euler fallback left residual {np.linalg.norm(f[left], axis=1).max():.3g} '
                  'after 20000 steps', file=sys.stderr, flush=True)
    return s1, s2, int(left.sum())


def accuracy(W1, W2, x, labels):
    out = sig(sig(x @ W1.T) @ W2.T)
    y = np.eye(10)[labels]
    return 100.0 * np.mean(out.argmax(1) == labels), float(np.mean(np.sum((out - y) ** 2, 1) / 2))


def main():
    mode, eta, epochs, seed = sys.argv[1], float(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
    hidden = int(sys.argv[5]) if len(sys.argv) > 5 else 100
    beta, init, batch = 10.0, 0.2, 100
    xtr, ltr = load('train')
    xtr, ltr = xtr[:55000], ltr[:55000]
    xte, lte = load('t10k')
    ytr = np.eye(10)[ltr]
    rng = np.random.default_rng(seed)
    W1 = rng.uniform(-init, init, (hidden, 784))
    W2 = rng.uniform(-init, init, (10, hidden))
    print(f'{mode} eta {eta} hidden {hidden} beta {beta} seed {seed}', flush=True)
    for epoch in range(1, epochs + 1):
        t0 = time.time()
        order = rng.permutation(55000)
        fallbacks = 0
        for b in range(0, 55000, batch):
            i = order[b:b + batch]
            x, y = xtr[i], ytr[i]
            s1, s2, left = nudged(W1, W2, x, y, beta, mode)
            fallbacks += left
            r1 = sig(s1)
            g1 = (sig(s1) - sig(x @ W1.T)).T @ x / len(i)
            g2 = (sig(s2) - sig(r1 @ W2.T)).T @ r1 / len(i)
            W1 += eta * g1
            W2 += eta * g2
        tr = accuracy(W1, W2, xtr, ltr)
        te = accuracy(W1, W2, xte, lte)
        print(f'epoch {epoch}: train {tr[0]:.2f}% (mse {tr[1]:.5f}), test {te[0]:.2f}% (mse {te[1]:.5f}), '
              f'{time.time() - t0:.1f} s, euler {fallbacks}', flush=True)


if __name__ == '__main__':
    main()
