#!/usr/bin/env python3
"""A second, independent implementation of the ghost-unit network in float64 (numpy only).

It reads a network file (ghost-units/network@1), computes the MLP pass, backprop, the free and the
nudged equilibria and the estimates, and writes a candidate file (ghost-units/result@1) that
`java -jar target/ghost-units.jar oracle verify` checks against the certified reference.

The equations are those of specs/model.md (layers k = 1..N, Python index k-1):
    s^k = W^k r^{k-1} + e^k,  g^k = Gamma^k r^k                      (equilibrium)
    e^k = B^k r^{k+1} - Omega^k rho(g^k)   (hidden),   e^N = beta (y - r^N)
The equilibrium is found by iterating that map (the Euler map with h = 1) from the MLP state.
"""
import argparse
import gzip
import json

import numpy as np


def load(path):
    with (gzip.open if path.endswith(".gz") else open)(path, "rt") as f:
        net = json.load(f)
    if net.get("format") != "ghost-units/network@1":
        raise SystemExit(f"{path}: not a ghost-units/network@1 file")
    mat = lambda m: np.array([[float(v) for v in row] for row in m])  # strings or numbers
    vec = lambda v: np.array([float(a) for a in v])
    W = [mat(m) for m in net["W"]]
    n = len(W)
    if "B" in net:
        B = [mat(m) for m in net["B"]]
    else:
        B = [W[k + 1].T for k in range(n - 1)]  # PLANT:transpose  (TF: B^k = (W^{k+1})^T)
    Gamma = [mat(m) for m in net["Gamma"]] if "Gamma" in net else [W[k + 1] for k in range(n - 1)]
    Omega = [mat(m) for m in net["Omega"]] if "Omega" in net else B
    return W, B, Gamma, Omega, vec(net["x"]), vec(net["y"])


def rho(s):
    return 1.0 / (1.0 + np.exp(-s))


def rho_prime(s):
    return rho(s) * (1.0 - rho(s))


class Network:
    def __init__(self, W, B, Gamma, Omega, x, y):
        self.W, self.B, self.Gamma, self.Omega, self.x, self.y = W, B, Gamma, Omega, x, y
        self.n = len(W)

    def mlp(self):
        s, r = [], [self.x]
        for k in range(self.n):
            s.append(self.W[k] @ r[-1])
            r.append(rho(s[-1]))
        return s, r  # s^1..s^N, r^0..r^N

    def backprop(self, s, r):
        delta = [r[-1] - self.y]
        for k in range(self.n - 2, -1, -1):
            delta.insert(0, self.W[k + 1].T @ (rho_prime(s[k + 1]) * delta[0]))  # PLANT:rho-prime
        dW = [np.outer(rho_prime(s[k]) * delta[k], r[k]) for k in range(self.n)]
        return delta, dW

    def errors(self, s, g, beta):
        e = [self.B[k] @ rho(s[k + 1]) - self.Omega[k] @ rho(g[k]) for k in range(self.n - 1)]
        e.append(beta * (self.y - rho(s[-1])))  # PLANT:sign
        return e

    def equilibrium(self, beta, tol=1e-15, max_steps=100000):
        s, r = self.mlp()
        g = [self.Gamma[k] @ r[k + 1] for k in range(self.n - 1)]
        for _ in range(max_steps):
            rates = [self.x] + [rho(v) for v in s]
            e = self.errors(s, g, beta)
            s_new = [self.W[k] @ rates[k] + e[k] for k in range(self.n)]
            g_new = [self.Gamma[k] @ rates[k + 1] for k in range(self.n - 1)]
            change = max(np.max(np.abs(a - b)) for a, b in zip(s_new + g_new, s + g))
            s, g = s_new, g_new
            if change <= tol * max(1.0, max(np.max(np.abs(v)) for v in s)):
                return s, g, self.errors(s, g, beta)
        raise SystemExit(f"no equilibrium at beta = {beta} after {max_steps} steps")


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--network", required=True)
    ap.add_argument("--beta", required=True, help="nudging strength, as a decimal string")
    ap.add_argument("--out", required=True)
    args = ap.parse_args()
    beta = float(args.beta)
    net = Network(*load(args.network))
    s_hat, r_hat = net.mlp()
    delta, dW = net.backprop(s_hat, r_hat)
    free = net.equilibrium(0.0)
    nudged = net.equilibrium(beta)
    s, g, e = nudged
    r = [net.x] + [rho(v) for v in s]
    # Eq. 6 (rate-difference form) divided by -eta_W: an estimate of dC/dW^k.
    dW_est = [-np.outer(rho(s[k]) - rho(net.W[k] @ r[k]), r[k]) / beta for k in range(net.n)]
    lists = lambda vs: [v.tolist() for v in vs]
    candidate = {
        "format": "ghost-units/result@1",
        "implementation": "examples/python/candidate.py (numpy float64)",
        "beta": args.beta,
        "free": {"s": lists(free[0]), "g": lists(free[1]), "e": lists(free[2])},
        "nudged": {"s": lists(s), "g": lists(g), "e": lists(e)},
        "mlp": {"s": lists(s_hat), "r": lists(r_hat[1:])},
        "backprop": {"delta": lists(delta), "dW": lists(dW)},
        "estimate": {"e_over_beta": lists([v / beta for v in e]), "dW": lists(dW_est)},
    }
    with open(args.out, "w") as f:
        json.dump(candidate, f)
    print(f"wrote {args.out}")


if __name__ == "__main__":
    main()
