"""The synthetic-scaling rows of ``bench/run.py --synthetic 1000 5000 20000``.

For each size, a project from :mod:`synth` in a git repository of its own
(one commit: the base of upgrade mode), then, in rounds so that every row of
a size is measured under the same load:

- the ``ast.parse`` floor (every file parsed once, one process);
- cold (``--no-cache``), warm (the cache is current), one file changed (a new
  function appended to a hub module imported by a third of the project);
- then, with 10 % of the modules renamed in the working tree (and every
  import of them following): upgrade mode cold (``--base HEAD --no-cache``)
  next to tree mode cold on the same tree.

Each row reports wall and CPU time (user + system of the process tree), CPU
per module, that cost relative to the smallest size (1.00 is linear growth),
and the peak of the process tree's summed proportional set size (sampled
every 50 ms from ``/proc``, as ``bench/tree_memory.py`` does).
"""

from __future__ import annotations

import os
import resource
import signal
import subprocess
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO

import synth
from samples import Medians
from tree_memory import _memory_kb, _tree

#: The module edited for "one file changed": a hub (see :data:`synth.HUBS`).
HUB = 1
#: The fraction of modules renamed for the upgrade rows.
RENAMED = 0.1


@dataclass
class Row(Medians):
    label: str
    size: int
    walls: list[float] = field(default_factory=list)
    cpus: list[float] = field(default_factory=list)
    pss_kb: int = 0
    failed: str = ""


def run_sampled(
    command: list[str], cwd: Path, env: dict[str, str], timeout: float
) -> tuple[float, int, str]:
    """Wall s, peak summed PSS in KB of the process tree, error (CPU: :func:`measure`)."""
    with tempfile.TemporaryFile() as errors:  # not a pipe: nobody reads it while it runs
        return _run_sampled(command, cwd, env, timeout, errors)


def _run_sampled(
    command: list[str], cwd: Path, env: dict[str, str], timeout: float, errors: IO[bytes]
) -> tuple[float, int, str]:
    start = time.perf_counter()
    process = subprocess.Popen(
        command,
        cwd=cwd,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=errors,
        start_new_session=True,  # its own process group: a timeout ends the workers too
    )
    peak = 0
    failed = ""
    while process.poll() is None:
        peak = max(peak, sum(_memory_kb(pid)[0] for pid in _tree(process.pid)))
        if time.perf_counter() - start > timeout:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()
            failed = f"timed out after {timeout:.0f} s"
            break
        time.sleep(0.05)
    wall = time.perf_counter() - start
    errors.seek(0)
    error = errors.read()
    if not failed and process.returncode not in (0, 1):
        failed = f"exit {process.returncode}: {error.decode(errors='replace').strip()[-300:]}"
    return wall, peak, failed


def _children_cpu() -> float:
    """User + system seconds of every child waited for so far (and of their children)."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def measure(row: Row, command: list[str], cwd: Path, env: dict[str, str], timeout: float) -> None:
    if row.failed:
        return
    before = _children_cpu()
    wall, peak, failed = run_sampled(command, cwd, env, timeout)
    cpu = _children_cpu() - before
    if failed:
        row.failed = failed
    else:
        row.walls.append(wall)
        row.cpus.append(cpu)
        row.pss_kb = max(row.pss_kb, peak)
    print(
        f"  {row.size:6} {row.label:38} {wall:8.2f} s  cpu {cpu:7.2f} s  "
        f"{peak / 1024:6.0f} MB" + (f"  FAILED {failed}" if failed else ""),
        flush=True,
    )


def bench_size(
    work: Path,
    size: int,
    *,
    reloadlint: list[str],
    floor: Callable[[str], list[str]],
    git_commit: Callable[[Path], None],
    env: dict[str, str],
    repeat: int,
    seed: int,
    timeout: float,
) -> list[Row]:
    root = work / f"synth-{size}"
    files = synth.generate(root, size, seed)
    git_commit(root)
    package = synth.TOP
    print(f"synthetic {size} modules: {len(files)} files", flush=True)
    hub = root / (synth.module_name(HUB).replace(".", "/") + ".py")
    original = hub.read_bytes()
    rows = {
        name: Row(name, size)
        for name in (
            "ast.parse floor (1 process)",
            "cold (--no-cache)",
            "warm",
            "one file changed",
            "--base HEAD cold, 10 % renamed",
            "tree mode cold, same tree",
        )
    }
    run = [*reloadlint, package]
    subprocess.run(run, cwd=root, env=env, stdout=subprocess.DEVNULL, check=False)  # fill cache
    for count in range(repeat):
        measure(rows["ast.parse floor (1 process)"], floor(package), root, env, timeout)
        measure(rows["cold (--no-cache)"], [*reloadlint, "--no-cache", package], root, env, timeout)
        measure(rows["warm"], run, root, env, timeout)
        hub.write_bytes(original + f"\n\ndef _bench_edit_{count}():\n    return {count}\n".encode())
        measure(rows["one file changed"], run, root, env, timeout)
    synth.generate(root, size, seed, synth.renamed_modules(size, RENAMED, seed))
    for _ in range(repeat):
        measure(
            rows["--base HEAD cold, 10 % renamed"],
            [*reloadlint, "--no-cache", "--base", "HEAD", package],
            root,
            env,
            timeout,
        )
        measure(
            rows["tree mode cold, same tree"],
            [*reloadlint, "--no-cache", package],
            root,
            env,
            timeout,
        )
    return list(rows.values())


def table(sizes: list[int], rows: list[Row]) -> str:
    """Per size: wall, CPU, CPU per module, growth over linear, peak memory of the tree."""
    by = {(row.label, row.size): row for row in rows}
    labels = list(dict.fromkeys(row.label for row in rows))
    smallest = min(sizes)
    head = "| row |" + "".join(
        f" {n} wall s | CPU s | ms/module | x linear | PSS MB |" for n in sizes
    )
    rule = "| --- |" + " ---: | ---: | ---: | ---: | ---: |" * len(sizes)
    lines = [head, rule]
    for label in labels:
        line = f"| {label} |"
        base = by.get((label, smallest))
        for size in sizes:
            row = by.get((label, size))
            if row is None or row.failed or not row.cpus:
                line += f" {row.failed if row else '-'} | - | - | - | - |"
                continue
            per = row.cpu / size * 1000
            linear = (
                f"{per / (base.cpu / smallest * 1000):.2f}"
                if base is not None and base.cpus
                else "-"
            )
            line += f" {row.wall:.2f} | {row.cpu:.2f} | {per:.2f} | {linear} |"
            line += f" {row.pss_kb / 1024:.0f} |"
        lines.append(line)
    # Ratios side by side at each size: cold over the floor, one file changed over warm,
    # upgrade over tree mode on the same tree.
    ratios = []
    for size in sizes:
        cpu = {label: by[label, size].cpu for label in labels if (label, size) in by}
        pairs = [
            ("cold / floor", "cold (--no-cache)", "ast.parse floor (1 process)"),
            ("one file changed / warm", "one file changed", "warm"),
            ("upgrade / tree mode", "--base HEAD cold, 10 % renamed", "tree mode cold, same tree"),
        ]
        found = [
            f"{name} {cpu.get(top, float('nan')) / cpu.get(bottom, float('nan')):.2f}"
            for name, top, bottom in pairs
        ]
        ratios.append(f"{size}: " + ", ".join(found))
    return "\n".join(lines) + "\n\nCPU ratios: " + "; ".join(ratios) + "."
