#!/usr/bin/env python3
"""Summarises PIT's target/pit-reports/mutations.xml as the tables of reports/mutation.md.

Usage (from the repository root, after the PIT run of README.md):
    python3 reports/tools/pit_summary.py [target/pit-reports/mutations.xml]
Standard library only.
"""
import collections
import sys
import xml.etree.ElementTree as ET


def main(path):
    muts = ET.parse(path).getroot().findall('mutation')
    by_pkg = collections.defaultdict(collections.Counter)
    by_cls = collections.defaultdict(collections.Counter)
    examples = collections.defaultdict(list)
    for m in muts:
        cls = m.findtext('mutatedClass')
        pkg = cls.rsplit('.', 1)[0].replace('ghostunits.', '')
        short = cls.replace('ghostunits.', '')
        status = m.get('status')
        by_pkg[pkg][status] += 1
        by_cls[short][status] += 1
        if status in ('SURVIVED', 'NO_COVERAGE') and len(examples[short]) < 3:
            mutator = m.findtext('mutator').rsplit('.', 1)[-1]
            examples[short].append(f"{m.findtext('mutatedMethod')}:{m.findtext('lineNumber')} {mutator}")

    def row(name, c):
        total = sum(c.values())
        killed = c['KILLED'] + c['TIMED_OUT'] + c['MEMORY_ERROR'] + c['RUN_ERROR']
        covered = total - c['NO_COVERAGE']
        score = 100 * killed / total if total else 0
        strength = 100 * killed / covered if covered else 0
        return (f"| {name} | {total} | {killed} | {c['SURVIVED']} | {c['NO_COVERAGE']} | {score:.0f}% | "
                f"{strength:.0f}% |")

    print('| package | mutants | killed | survived | no coverage | score | test strength (covered only) |')
    print('|---|---|---|---|---|---|---|')
    total = collections.Counter()
    for pkg in sorted(by_pkg):
        print(row(pkg, by_pkg[pkg]))
        total.update(by_pkg[pkg])
    print(row('**all**', total))
    print()
    print('| class | survived | no coverage | examples (method:line mutator) |')
    print('|---|---|---|---|')
    worst = sorted(by_cls, key=lambda k: -(by_cls[k]['SURVIVED'] + by_cls[k]['NO_COVERAGE']))
    for cls in worst:
        c = by_cls[cls]
        if c['SURVIVED'] + c['NO_COVERAGE'] == 0:
            continue
        print(f"| {cls} | {c['SURVIVED']} | {c['NO_COVERAGE']} | {'; '.join(examples[cls])} |")
    return 0


if __name__ == '__main__':
    sys.exit(main(sys.argv[1] if len(sys.argv) > 1 else 'target/pit-reports/mutations.xml'))
