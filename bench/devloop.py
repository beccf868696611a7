"""Time from save to new code answering under ``reloadlint run``, in a generated project.

    python bench/devloop.py                          # 1,000 modules, 10 edits
    python bench/devloop.py --modules 200 --edits 5
    python bench/devloop.py --out bench/devloop_results.md

A package of ``--modules`` modules (packages of 50 modules; each module defines
a few functions and a class and imports two earlier modules as modules) and a
job server, ``python -m big``, that imports all of them at start-up and answers
each line of its standard input with the answer of one module's function. It
runs under ``reloadlint run`` (the console script beside this Python). Each
edit changes that function's body (a hot plan: one module reloaded), saved as
editors save (written next to the file, renamed over it); the clock starts
just before the rename and stops at the first answer of the new code (the
job is asked again every 5 ms). The supervisor's own figure (from the end of
the burst of saves to the new code in place) is reported next to it: the
difference is the watcher noticing the save and the debounce (50 ms). So is
the supervisor's CPU time per edit (user + system, read from ``/proc`` on
Linux): the plan's own cost, which a loaded machine inflates far less than
wall time.

The target (docs/devloop.md): under 0.5 s for a one-file hot edit in a project
of 1,000 modules. The machine's load average is printed: on a shared machine
the figures are only as good as the quiet they were measured in. Nothing here
is a test.
"""

from __future__ import annotations

import argparse
import os
import platform
import queue
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

PER_PACKAGE = 50
EDITED = "big/p00/m0007.py"


def module_source(index: int, version: int = 1) -> str:
    """One generated module: imports two earlier modules (as modules), a few functions,
    a class with state; ``answer()`` says which version of the code runs."""
    package, number = divmod(index, PER_PACKAGE)
    imports = []
    for other in (index - 1, index // 2):
        if 0 <= other < index:
            p, n = divmod(other, PER_PACKAGE)
            imports.append(f"from big.p{p:02d} import m{n:04d}\n")
    uses = (
        " + ".join(
            f"m{divmod(o, PER_PACKAGE)[1]:04d}.weight()"
            for o in {index - 1, index // 2}
            if 0 <= o < index
        )
        or "0"
    )
    return (
        f'"""Generated module {index} (package {package})."""\n\n'
        + "".join(imports)
        + "\n\n"
        + f"def weight() -> int:\n    return {number % 7}\n\n\n"
        + f"def combined() -> int:\n    return weight() + {uses}\n\n\n"
        + f"def answer() -> str:\n    return 'v{version}'\n\n\n"
        + "class Counter:\n    def __init__(self) -> None:\n        self.count = 0\n\n"
        + "    def bump(self) -> int:\n        self.count += 1\n        return self.count\n\n\n"
        + "COUNTER = globals().get('COUNTER') or Counter()\n"
    )


MAIN = """\
import importlib
import sys

NAMES = [f"big.p{i // %(per)d:02d}.m{i %% %(per)d:04d}" for i in range(%(count)d)]
MODULES = [importlib.import_module(name) for name in NAMES]
edited = importlib.import_module("%(edited)s")
print("ready", len(MODULES), flush=True)
for line in sys.stdin:
    print(edited.answer(), flush=True)
"""


def make_project(root: Path, count: int) -> None:
    packages = (count + PER_PACKAGE - 1) // PER_PACKAGE
    (root / "big").mkdir()
    (root / "big/__init__.py").write_text("")
    edited = EDITED.removesuffix(".py").replace("/", ".")
    (root / "big/__main__.py").write_text(
        MAIN % {"per": PER_PACKAGE, "count": count, "edited": edited}
    )
    for package in range(packages):
        directory = root / f"big/p{package:02d}"
        directory.mkdir()
        (directory / "__init__.py").write_text("")
    for index in range(count):
        package, number = divmod(index, PER_PACKAGE)
        (root / f"big/p{package:02d}/m{number:04d}.py").write_text(module_source(index))
    (root / "pyproject.toml").write_text('[project]\nname = "big"\nversion = "0"\n')


def save(path: Path, text: str) -> None:
    temporary = path.with_name(f".{path.name}.saving~")
    temporary.write_text(text)
    os.replace(temporary, path)


def reloadlint_command() -> list[str]:
    script = shutil.which("reloadlint", path=str(Path(sys.executable).parent))
    return [script] if script else [sys.executable, "-m", "reloadlint"]


def run(count: int, edits: int) -> list[tuple[float, float, float]]:
    with tempfile.TemporaryDirectory(prefix="reloadlint-bench-devloop-") as tmp:
        root = Path(tmp)
        make_project(root, count)
        subprocess.run(["git", "init", "-q"], cwd=root, check=True)
        env = {**os.environ, "PYTHONDONTWRITEBYTECODE": "1"}
        env.pop("RELOADLINT_RUN", None)
        process = subprocess.Popen(
            [*reloadlint_command(), "run", "--", sys.executable, "-m", "big"],
            cwd=root,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            bufsize=1,
            env=env,
            start_new_session=True,
        )
        out: queue.Queue[str] = queue.Queue()
        err: queue.Queue[str] = queue.Queue()
        for stream, sink in ((process.stdout, out), (process.stderr, err)):
            threading.Thread(target=_pump, args=(stream, sink), daemon=True).start()
        try:
            _expect(out, r"^ready ")
            _expect(err, r"^reloadlint run: watching ")
            assert process.stdin is not None
            results = []
            path = root / EDITED
            index = int(path.stem[1:]) + PER_PACKAGE * int(path.parent.name[1:])
            for edit in range(edits):
                version = edit + 2
                cpu_before = _cpu_seconds(process.pid)
                save_at = time.monotonic()
                save(path, module_source(index, version))
                while True:
                    process.stdin.write("q\n")
                    process.stdin.flush()
                    answer = out.get(timeout=120)
                    if answer == f"v{version}":
                        answered = time.monotonic() - save_at
                        break
                    time.sleep(0.005)
                line = _expect(err, r"^reloadlint run: (hot|restart)")
                found = re.search(r" in (\d+) ms$", line)
                if not found:
                    raise SystemExit(f"not a hot plan: {line}")
                cpu = _cpu_seconds(process.pid) - cpu_before
                results.append((answered, int(found.group(1)) / 1000, cpu))
                print(
                    f"  edit {edit + 1}: {answered * 1000:.0f} ms to the new answer "
                    f"(supervisor: {found.group(1)} ms, {cpu * 1000:.0f} ms of CPU)",
                    flush=True,
                )
                time.sleep(0.5)  # let the previous plan's messages settle
            return results
        finally:
            process.send_signal(2)
            try:
                process.wait(timeout=60)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, 9)
                process.wait()


def _cpu_seconds(pid: int) -> float:
    """User + system CPU time of process ``pid`` so far (Linux ``/proc``; 0 elsewhere)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _pump(stream: object, sink: queue.Queue[str]) -> None:
    for line in stream:  # type: ignore[attr-defined]
        sink.put(line.rstrip("\n"))


def _expect(sink: queue.Queue[str], pattern: str) -> str:
    while True:
        line = sink.get(timeout=300)
        if re.search(pattern, line):
            return line


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--modules", type=int, default=1000)
    parser.add_argument("--edits", type=int, default=10)
    parser.add_argument("--out", type=Path)
    args = parser.parse_args()
    load_before = os.getloadavg()
    print(f"{args.modules} modules, {args.edits} edits; load average {load_before[0]:.2f}")
    results = run(args.modules, args.edits)
    load_after = os.getloadavg()
    answered = [a for a, _, _ in results]
    planned = [p for _, p, _ in results]
    cpu = [c for _, _, c in results]
    lines = [
        f"`python bench/devloop.py --modules {args.modules} --edits {args.edits}`: "
        f"Python {platform.python_version()}, {os.cpu_count()} CPUs, load average "
        f"{load_before[0]:.2f} before, {load_after[0]:.2f} after.",
        "",
        "| measure | median | min | max |",
        "| --- | --- | --- | --- |",
        _row("save to new answer", answered),
        _row("supervisor: end of burst to code in place", planned),
        _row("supervisor's CPU time per edit", cpu),
    ]
    print("\n".join(lines))
    if args.out:
        args.out.write_text("\n".join(lines) + "\n")


def _row(name: str, values: list[float]) -> str:
    cells = [statistics.median(values), min(values), max(values)]
    return f"| {name} | " + " | ".join(f"{v * 1000:.0f} ms" for v in cells) + " |"


if __name__ == "__main__":
    main()
