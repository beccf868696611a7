"""Peak memory of a command's whole process tree (the parent and its workers).

    python bench/tree_memory.py reloadlint --no-cache path/to/stdlib

``bench/run.py`` reports the largest single process (``ru_maxrss``); this
samples every process of the tree every 20 ms and reports the peak of their
summed proportional set size (PSS: a page shared by n processes counts 1/n
in each, so forked workers are not counted twice) and, for comparison, of
their summed RSS. Linux only (``/proc``).
"""

from __future__ import annotations

import os
import subprocess
import sys
import time


def _children(pid: int) -> list[int]:
    found: list[int] = []
    try:
        for thread in os.listdir(f"/proc/{pid}/task"):
            with open(f"/proc/{pid}/task/{thread}/children") as handle:
                found += [int(child) for child in handle.read().split()]
    except OSError:
        pass  # the process ended meanwhile
    return found


def _tree(pid: int) -> list[int]:
    todo, seen = [pid], []
    while todo:
        current = todo.pop()
        seen.append(current)
        todo += _children(current)
    return seen


def _memory_kb(pid: int) -> tuple[int, int]:
    """(PSS, RSS) of one process in KB; zeros if it is gone."""
    pss = rss = 0
    try:
        with open(f"/proc/{pid}/smaps_rollup") as handle:
            for line in handle:
                if line.startswith("Pss:"):
                    pss = int(line.split()[1])
                elif line.startswith("Rss:"):
                    rss = int(line.split()[1])
    except OSError:
        pass
    return pss, rss


def main(command: list[str]) -> int:
    if not command:
        print(__doc__.strip().splitlines()[2].strip(), file=sys.stderr)
        return 2
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    peak_pss = peak_rss = 0
    while process.poll() is None:
        samples = [_memory_kb(pid) for pid in _tree(process.pid)]
        peak_pss = max(peak_pss, sum(pss for pss, _ in samples))
        peak_rss = max(peak_rss, sum(rss for _, rss in samples))
        time.sleep(0.02)
    print(f"peak of the process tree: PSS {peak_pss / 1024:.0f} MB, RSS {peak_rss / 1024:.0f} MB")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
