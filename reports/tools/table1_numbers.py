#!/usr/bin/env python3
"""Prints the numbers that reports/table1.md quotes, from the committed run folders.

Every accuracy, epoch count and time in table1.md's tables can be checked against this output
(run from the repository root: python3 reports/tools/table1_numbers.py). Standard library only.
"""
import csv
import json
import os
import sys

RUNS = 'reports/runs'
ROWS = ['MB-TF-500', 'MB-FA-500', 'MA-TF-500', 'MA-FA-500', 'MA-FA-500-500', 'MB-TF-100', 'MB-FA-100', 'MB-TF-300',
        'MB-FA-300', 'MA-TF-100', 'MA-FA-100', 'MA-TF-300', 'MA-FA-300']
# The 100-unit MA rows beside their explorations at three times the printed rate.
MA_SMALL = ['MA-TF-100', 'explore/MA-TF-100-eta0.3', 'MA-FA-100', 'explore/MA-FA-100-eta0.3']
# The 300-unit MA rows beside theirs (session 16).
MA_MID = ['MA-TF-300', 'explore/MA-TF-300-eta0.3', 'MA-FA-300', 'explore/MA-FA-300-eta0.3']
# MB-TF-100 beside plain backprop of the paper's cost on its network, same rates and batch 1.
MB_SMALL = 'MB-TF-100'
MB_SMALL_BASELINES = ['MB-TF-100-backprop-mse']
BASELINES = ['MA-TF-500-backprop-bce', 'MA-TF-500-backprop-mse', 'explore/MA-TF-500-eta0.3']
MA = 'MA-TF-500'
# MA-FA-500 beside its own exploration at three times the printed rate.
FA = 'MA-FA-500'
FA_EXPLORE = ['explore/MA-FA-500-eta0.3']
# The two-hidden-layer row beside backprop (TF) and feedback alignment (FA, through the row's own B^k)
# of MSE and of BCE on its network.
DEEP = 'MA-FA-500-500'
DEEP_BASELINES = ['MA-FA-500-500-backprop-mse', 'MA-FA-500-500-backprop-bce', 'MA-FA-500-500-backprop-mse-fa',
                  'MA-FA-500-500-backprop-bce-fa']
EPOCHS = [1, 2, 3, 5, 10, 15, 20, 25, 26, 30, 50, 75, 100, 125, 150, 175, 200]
# MB-TF-100 branched (reports/model-b-bias-trained.md, part 4): its own run, with backprop's hidden step from
# the start, branched at epoch 37 with
# backprop's hidden step, plain backprop continued to 60, and backprop's epoch-50 weights branched under
# MB's own rule and with backprop's hidden step. Each branch's metrics carry its source's epochs.
MB_BRANCHES = ['MB-TF-100', 'explore/MB-TF-100-hidden-backprop', 'explore/MB-TF-100-hidden-backprop-from37', 'explore/MB-TF-100-backprop-mse-to60',
               'explore/MB-TF-100-backprop-mse-then-eq6-from50',
               'explore/MB-TF-100-backprop-mse-then-hidden-backprop-from50']
BRANCH_EPOCHS = [1, 10, 20, 30, 37, 38, 40, 43, 45, 50, 51, 52, 55, 60]
# The causal test's second seed (session 15): own rule, backprop's hidden step, plain backprop, from scratch.
MB_SEED2 = ['explore/MB-TF-100', 'explore/MB-TF-100-hidden-backprop', 'explore/MB-TF-100-backprop-mse']
SEED2_EPOCHS = [1, 10, 20, 28, 30, 40, 45, 50]
# Runs repeated at more seeds (sessions 17-23): the seed-to-seed spread of the 100- and 300-unit MA and MB rows and both 500-unit MB rows.
SEEDED = ['MA-FA-100', 'MA-TF-100', 'explore/MA-FA-100-eta0.3', 'explore/MA-FA-300-eta0.3', 'explore/MA-TF-100-eta0.3',
          'MB-TF-100', 'MB-FA-100', 'MB-TF-300', 'MB-FA-300', 'MB-TF-500', 'MB-FA-500']
# Same config and command, kept elsewhere: MB-TF-100's seed 2 is the own-rule arm of the causal test.
SEEDED_ELSEWHERE = {'MB-TF-100': ['explore/MB-TF-100-seed2']}


def metrics(folder):
    with open(os.path.join(folder, 'metrics.csv')) as f:
        # newton_fallbacks (files from 2026-12-03 on) is empty where it was not recorded: None.
        return [{k: float(v) if v != '' else None for k, v in r.items()} for r in csv.DictReader(f)]


def summary(name):
    folder = os.path.join(RUNS, name + '-seed1')
    if not os.path.isfile(os.path.join(folder, 'metrics.csv')):
        return None  # not run, or no epoch finished yet
    rows = metrics(folder)
    with open(os.path.join(folder, 'config.json')) as f:
        cfg = json.load(f)
    last = rows[-1]
    best = max(rows, key=lambda r: r['test_accuracy'])
    secs = sum(r['epoch_seconds'] for r in rows)
    return dict(name=name, rows=rows, epochs=int(last['epoch']), paper_epochs=cfg['epochs'],
                train=last['train_accuracy'], test=last['test_accuracy'], best=best['test_accuracy'],
                best_epoch=int(best['epoch']), secs=secs, per=secs / len(rows),
                paper_train=cfg['paperTrain'], paper_test=cfg['paperTest'])


def first_reach(rows, accuracy):
    """The first epoch whose test accuracy is at least accuracy, or None."""
    return next((int(r['epoch']) for r in rows if r['test_accuracy'] >= accuracy), None)


def by_epoch(found, names):
    """Test (train) accuracy of the runs side by side at EPOCHS and at each run's last epoch."""
    print()
    print('test (train) accuracy, %, by epoch:')
    print('| epoch | ' + ' | '.join(names) + ' |')
    print('|---' * (len(names) + 1) + '|')
    last = max(found[n]['epochs'] for n in names)
    for e in sorted(set(EPOCHS + [found[n]['epochs'] for n in names])):
        if e > last:
            continue
        cells = []
        for n in names:
            r = at_epoch(found[n], e)
            cells.append(f"{r['test_accuracy']:.2f} ({r['train_accuracy']:.2f})" if r else 'not run')
        if any(c != 'not run' for c in cells):
            print(f'| {e} | ' + ' | '.join(cells) + ' |')


def branches(title='MB-TF-100 branches', names=MB_BRANCHES, seed=1, epochs=BRANCH_EPOCHS, best_row=False):
    """Part 4's tables: test (train) % of MB-TF-100's arms (runs of one seed) at the given epochs."""
    runs = {n: metrics(os.path.join(RUNS, f'{n}-seed{seed}')) for n in names
            if os.path.isfile(os.path.join(RUNS, f'{n}-seed{seed}', 'metrics.csv'))}
    if len(runs) < 2:
        return
    print()
    print(f'{title}, test (train) accuracy, %:')
    print('| epoch | ' + ' | '.join(runs) + ' |')
    print('|---' * (len(runs) + 1) + '|')
    for e in epochs:
        cells = []
        for rows in runs.values():
            r = next((r for r in rows if int(r['epoch']) == e), None)
            cells.append(f"{r['test_accuracy']:.2f} ({r['train_accuracy']:.2f})" if r else '')
        print(f'| {e} | ' + ' | '.join(cells) + ' |')
    if not best_row:  # (a branch's carried-over epochs are not its own)
        return
    best = []
    for rows in runs.values():
        b = max(rows, key=lambda r: r['test_accuracy'])
        best.append(f"{b['test_accuracy']:.2f} (epoch {int(b['epoch'])})")
    print('| best test | ' + ' | '.join(best) + ' |')


def at_epoch(run, e):
    """The metrics row of epoch e of a run, or None."""
    return next((r for r in run['rows'] if int(r['epoch']) == e), None)


def first_reaches(found, row, baselines, epochs, label):
    """When each baseline first reaches row's test accuracy at each of epochs (and at row's last)."""
    for b in baselines:
        for e in sorted(set(epochs) | {found[row]['epochs']}):
            r = at_epoch(found[row], e)
            if r is None:
                continue
            reach = first_reach(found[b]['rows'], r['test_accuracy'])
            print(f"{b} first reaches {label}'s epoch-{e} test accuracy ({r['test_accuracy']:.2f}%) at epoch "
                  f"{reach if reach else 'never (in ' + str(found[b]['epochs']) + ' epochs)'}")


def fallbacks(found):
    """Newton's fallbacks per run, where metrics.csv records them (runs from 2026-12-03 on)."""
    lines = []
    for name, s in found.items():
        counts = [r.get('newton_fallbacks') for r in s['rows']]
        known = [int(c) for c in counts if c is not None]
        if known:
            needing = sum(1 for c in known if c > 0)
            first = next((int(r['epoch']) for r in s['rows'] if (r.get('newton_fallbacks') or 0) > 0), None)
            lines.append(f'| {name} | {len(known)} of {len(counts)} | {sum(known)} | {needing} | '
                         f'{first if first is not None else "-"} |')
    table('Newton fallbacks (metrics.csv column newton_fallbacks)',
          ['run', 'epochs recorded', 'solves the Euler dynamics settled', 'epochs with any', 'first such epoch'], lines)


def table(title, columns, lines):
    """A titled markdown table of the given lines, if there are any."""
    if lines:
        print()
        print(title + ':')
        print('| ' + ' | '.join(columns) + ' |')
        print('|---' * len(columns) + '|')
        print('\n'.join(lines))


def seeds(names=SEEDED):
    """Each run of names at every seed found, at the last epoch all its seeds reached, with the spread."""
    lines = []
    for name in names:
        parent, base = os.path.split(os.path.join(RUNS, name))
        found = [(int(d[len(base) + 5:]), metrics(os.path.join(parent, d))) for d in os.listdir(parent)
                 if d.startswith(base + '-seed') and d[len(base) + 5:].isdigit()
                 and os.path.isfile(os.path.join(parent, d, 'metrics.csv'))]
        here = {seed for seed, _ in found}
        # A seed rerun beside the row wins over its copy kept elsewhere (never counted twice).
        found += [(seed, metrics(os.path.join(RUNS, other))) for other in SEEDED_ELSEWHERE.get(name, [])
                  for seed in [int(other.rsplit('-seed', 1)[1])] if seed not in here]
        found = sorted(((seed, rows) for seed, rows in found if rows), key=lambda sr: sr[0])
        if len(found) < 2:
            continue
        common = min(int(rows[-1]['epoch']) for _, rows in found)
        tests = [next(r for r in rows if int(r['epoch']) == common)['test_accuracy'] for _, rows in found]
        mean = sum(tests) / len(tests)
        sd = (sum((t - mean) ** 2 for t in tests) / (len(tests) - 1)) ** 0.5
        cells = ', '.join(f'{t:.2f} (seed {seed})' for t, (seed, _) in zip(tests, found))
        lines.append(f'| {name} | {common} | {cells} | {mean:.2f} | {max(tests) - min(tests):.2f} | {sd:.2f} |')
    table('Seeds (test accuracy at the last epoch every seed reached)',
          ['run', 'epoch', 'test % per seed', 'mean', 'max - min (pp)', 'sample sd (pp)'], lines)


def main():
    print('| run | epochs / paper | train / test (%), last epoch | paper train / test | test gap (pp) '
          '| best test (epoch) | training s, per epoch |')
    print('|---|---|---|---|---|---|---|')
    found = {}
    for name in ROWS + BASELINES + FA_EXPLORE + DEEP_BASELINES + MB_SMALL_BASELINES + MA_SMALL[1::2] + MA_MID[1::2]:
        s = summary(name)
        if s is None:
            print(f'| {name} | not run | | | | | |')
            continue
        found[name] = s
        print(f"| {name} | {s['epochs']} / {s['paper_epochs']} | {s['train']:.2f} / {s['test']:.2f} | "
              f"{s['paper_train']:.2f} / {s['paper_test']:.2f} | {s['test'] - s['paper_test']:+.2f} | "
              f"{s['best']:.2f} ({s['best_epoch']}) | {s['secs']:.0f}, {s['per']:.0f} |")
    small = [n for n in [MB_SMALL] + MB_SMALL_BASELINES if n in found]
    if len(small) > 1:
        by_epoch(found, small)
    branches()
    branches('MB-TF-100 seed 2', MB_SEED2, 2, SEED2_EPOCHS, best_row=True)
    for group in (MA_SMALL, MA_MID):
        ma_group = [n for n in group if n in found]
        if len(ma_group) > 1:
            by_epoch(found, ma_group)
    fallbacks(found)
    seeds()
    if MA not in found:
        return 0
    by_epoch(found, [MA] + [b for b in BASELINES if b in found])
    fa_names = [n for n in [FA] + FA_EXPLORE if n in found]
    if len(fa_names) > 1:
        by_epoch(found, fa_names)
    deep = [n for n in [DEEP] + DEEP_BASELINES if n in found]
    if len(deep) > 1:
        by_epoch(found, deep)
        first_reaches(found, DEEP, deep[1:], [10, 20, 30, 50, 100], DEEP)
    print()
    first_reaches(found, MA, [b for b in BASELINES if b in found], [10, 50, 100], 'MA')
    return 0


if __name__ == '__main__':
    sys.exit(main())
