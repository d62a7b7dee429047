#!/usr/bin/env python3
"""Runs a command several times as a whole process; prints its median and worst wall time and
its highest peak resident memory (from wait4, so the child alone is counted).

usage: timed.py RUNS COMMAND [ARG…]     prints: median_ms max_ms peak_rss_kib
The command's output is discarded; a failing run stops with its exit status.
"""

import os
import subprocess
import sys
import time


def run_once(command):
    start = time.perf_counter()
    with open(os.devnull, "wb") as null:
        child = subprocess.Popen(command, stdout=null, stderr=null)
        _, status, usage = os.wait4(child.pid, 0)
    elapsed = time.perf_counter() - start
    if status != 0:
        sys.exit(f"{' '.join(command)} failed with status {status}")
    return elapsed * 1000, usage.ru_maxrss


def main():
    if len(sys.argv) < 3:
        sys.exit(__doc__)
    runs = int(sys.argv[1])
    command = sys.argv[2:]
    times, peak = [], 0
    for _ in range(runs):
        ms, rss = run_once(command)
        times.append(ms)
        peak = max(peak, rss)
    times.sort()
    print(f"{times[len(times) // 2]:.1f} {times[-1]:.1f} {peak}")


if __name__ == "__main__":
    main()
