#!/usr/bin/env python3
"""Signing beside the bare chain, two builds side by side (issue 15).

Runs `drive` binaries (tools/bench/sign/src/bin/drive.rs, built from different commits)
alternately, round after round, and prints Markdown tables: median CPU ns per operation for each
build, the ratios of each row to the bare chain within each build, and after/before.

    python3 tools/bench/sign/compare.py --drive before=PATH --drive after=PATH \
        [--rounds 9] [--iters 100000] [--callgrind]

Time: about rounds x builds x (6 rows x iters x ~3 us); the defaults take 30-60 s on a quiet
2-core machine. `--callgrind` adds instruction counts per operation under valgrind (another
~1 min), which do not depend on the machine's load. Under valgrind sha2 falls back to its
portable code (no SHA-NI), so the crypto is far dearer there than natively: use those counts
for what is above the crypto (row minus crypto_alone), not for the ratios.
"""

import argparse
import os
import re
import statistics
import subprocess
import sys

ROWS = ["crypto_alone", "bare_chain", "build_uncached", "build_cached",
        "verify_uncached", "verify_cached"]
RATIO_ROWS = ["crypto_alone", "build_uncached", "build_cached", "verify_uncached", "verify_cached"]


def load():
    return "{:.2f} {:.2f} {:.2f}".format(*os.getloadavg())


def run_drive(path, iters):
    out = subprocess.run([path, "--iters", str(iters)], check=True, capture_output=True,
                         text=True, timeout=600).stdout
    result = {}
    for line in out.splitlines():
        name, ns = line.split()
        result[name] = float(ns)
    missing = set(ROWS) - set(result)
    if missing:
        sys.exit(f"compare.py: {path} printed no {sorted(missing)}")
    return result


def callgrind_instructions(path, row, iters):
    proc = subprocess.run(["valgrind", "--tool=callgrind", "--callgrind-out-file=/dev/null",
                           path, "--only", row, "--iters", str(iters)],
                          capture_output=True, text=True, timeout=600)
    match = re.search(r"Collected : (\d+)", proc.stderr)
    if proc.returncode != 0 or not match:
        sys.exit(f"compare.py: callgrind on {path} --only {row} failed: {proc.stderr[-400:]}")
    return int(match.group(1))


def per_op_instructions(path, row, iters):
    # The difference of two runs removes start-up and fixture preparation.
    return (callgrind_instructions(path, row, 2 * iters)
            - callgrind_instructions(path, row, iters)) / iters


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--drive", action="append", required=True, metavar="LABEL=PATH",
                    help="a drive binary to compare; give it once per build")
    ap.add_argument("--rounds", type=int, default=9)
    ap.add_argument("--iters", type=int, default=100_000)
    ap.add_argument("--callgrind", action="store_true")
    ap.add_argument("--callgrind-iters", type=int, default=500)
    args = ap.parse_args()
    builds = []
    for spec in args.drive:
        label, sep, path = spec.partition("=")
        if not sep or not os.access(path, os.X_OK):
            sys.exit(f"compare.py: --drive wants LABEL=PATH to an executable, got {spec!r}")
        builds.append((label, path))

    start_load = load()
    samples = {label: {row: [] for row in ROWS} for label, _ in builds}
    for rnd in range(args.rounds):
        # Alternate, and reverse the order every other round so drift favours neither build.
        order = builds if rnd % 2 == 0 else list(reversed(builds))
        for label, path in order:
            for row, ns in run_drive(path, args.iters).items():
                samples[label][row].append(ns)
    end_load = load()
    med = {label: {row: statistics.median(v) for row, v in rows.items()}
           for label, rows in samples.items()}

    labels = [label for label, _ in builds]
    print(f"Load average (1/5/15 min) at start: {start_load}; at end: {end_load}. "
          f"{args.rounds} rounds x {args.iters} iterations, builds alternated; "
          "median CPU time per operation (thread CPU clock).\n")
    head = "| row | " + " | ".join(f"{l} ns" for l in labels)
    if len(labels) > 1:
        head += " | " + " | ".join(f"{l}/{labels[0]}" for l in labels[1:])
    print(head + " |")
    print("|---" * (head.count("|") - 1) + "|")
    for row in ROWS:
        cells = [f"{med[l][row]:,.0f}" for l in labels]
        cells += [f"{med[l][row] / med[labels[0]][row]:.2f}" for l in labels[1:]]
        print(f"| {row} | " + " | ".join(cells) + " |")

    print("\nRatio to the bare chain (same build, same round medians):\n")
    print("| ratio | " + " | ".join(labels) + " |")
    print("|---" * (len(labels) + 1) + "|")
    for row in RATIO_ROWS:
        cells = [f"{med[l][row] / med[l]['bare_chain']:.2f}" for l in labels]
        print(f"| {row}/bare | " + " | ".join(cells) + " |")

    if args.callgrind:
        print("\nInstructions per operation under callgrind (portable SHA-256, no SHA-NI); "
              "'above crypto' = row minus crypto_alone:\n")
        print("| row | " + " | ".join(f"{l} instr | {l} above crypto" for l in labels) + " |")
        print("|---" * (2 * len(labels) + 1) + "|")
        counts = {l: {row: per_op_instructions(p, row, args.callgrind_iters) for row in ROWS}
                  for l, p in builds}
        for row in ROWS:
            cells = []
            for l in labels:
                above = counts[l][row] - counts[l]["crypto_alone"]
                cells += [f"{counts[l][row]:,.0f}", f"{above:,.0f}"]
            print(f"| {row} | " + " | ".join(cells) + " |")


if __name__ == "__main__":
    main()
