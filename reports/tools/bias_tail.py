#!/usr/bin/env python3
"""Which examples carry the stacked W^1 step's departure from backprop's, from the CSV of
`model-b-bias --checkpoint ... --per-example FILE`. Prints, per network: how many examples are
misclassified, |stacked departure|^2 / |stacked backprop step|^2, and what share of the squared
departure (and of backprop's squared step) the k examples with the largest departures carry.
Usage: python3 reports/tools/bias_tail.py FILE.csv"""
import csv
import sys


def main(path):
    rows = list(csv.DictReader(open(path, newline="")))
    for weights in dict.fromkeys(r["weights"] for r in rows):
        net = [r for r in rows if r["weights"] == weights]
        off = [float(r["step_eq6_off"]) ** 2 for r in net]
        bp = [float(r["step_bp"]) ** 2 for r in net]
        wrong = [r["label"] != r["predicted"] for r in net]
        order = sorted(range(len(net)), key=lambda i: -off[i])
        print(f"## {weights}: {len(net)} examples, {sum(wrong)} misclassified;"
              f" |departure|^2 / |backprop step|^2 = {sum(off) / sum(bp):.3f}")
        print()
        print("| largest k | share of departure^2 | share of backprop step^2 | misclassified among them"
              " | departure / backprop step without them |")
        print("|---|---|---|---|---|")
        for k in (1, 5, 10, 20, 50):
            top, rest = order[:k], order[k:]
            print(f"| {k} | {100 * sum(off[i] for i in top) / sum(off):.1f}%"
                  f" | {100 * sum(bp[i] for i in top) / sum(bp):.1f}% | {sum(wrong[i] for i in top)}"
                  f" | {(sum(off[i] for i in rest) / sum(bp[i] for i in rest)) ** 0.5:.3f} |")
        print()
        mis = [i for i in range(len(net)) if wrong[i]]
        print(f"Misclassified examples: {100 * sum(off[i] for i in mis) / sum(off):.1f}% of departure^2,"
              f" {100 * sum(bp[i] for i in mis) / sum(bp):.1f}% of backprop step^2. Largest five (example, label,"
              " predicted, max output error, limit bias):"
              + "".join(f" {net[i]['example']} ({net[i]['label']}, {net[i]['predicted']},"
                        f" {float(net[i]['output_error_max']):.2f}, {100 * float(net[i]['bias_limit']):.0f}%)"
                        for i in order[:5]) + ".")
        print()


if __name__ == "__main__":
    main(sys.argv[1])
