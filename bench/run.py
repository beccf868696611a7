"""Benchmark reloadlint against its peers on Django's source and the standard library.

    python bench/run.py                      # both corpora, 5 repetitions
    python bench/run.py --corpus django --repeat 3 --skip pylint
    python bench/run.py --out bench/results.md
    python bench/run.py --synthetic 1000 5000 20000 --repeat 1   # scaling (bench/scaling.py)

What it does (see bench/README.md for how to read the table):

1. Corpora, copied into a temporary directory that is a git repository with
   one commit (upgrade mode needs a base revision): Django's source from the
   wheel on PyPI (``pip download django --no-deps``), and the ``.py`` files of
   the running Python's standard library (without ``site-packages``).
2. Every command runs in a fresh process on the same package directory, is
   repeated ``--repeat`` times, and its median wall time is reported with
   its CPU time (user + system, the process and its workers) and its peak
   resident memory (the largest process of the run). The machine's load
   average is printed before and after: on a busy machine wall times are
   long and noisy, CPU times much less so.
3. reloadlint runs: ``cold`` (``--no-cache``), ``cold, writing the cache``
   (an empty cache directory), ``warm`` (the cache is current), ``one file
   changed`` (a different edit of one module before each run, cache warm
   otherwise), ``upgrade`` (``--base HEAD`` with that one module changed
   since the commit, cold and warm).
4. Peers: the ``ast.parse`` floor (every file parsed once in one process),
   pyflakes, ``flake8 --select F``, ``ruff check --select ALL --no-cache``
   and pylint with one cheap check (``unused-import``). Missing peers are
   installed into a temporary virtual environment from PyPI.

Nothing here is a test: timings never decide whether the test suite passes.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import subprocess
import sys
import sysconfig
import tempfile
import time
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

from samples import Medians

PEERS = {
    "pyflakes": "pyflakes",
    "flake8": "flake8",
    "ruff": "ruff",
    "pylint": "pylint",
}
#: The module edited for "one file changed" and upgrade mode (imported by many others).
CHANGED = {"django": "utils/functional.py", "stdlib": "json/encoder.py"}
#: pylint takes minutes on the standard library: it runs once unless asked for more.
SLOW = {"pylint", "flake8"}


@dataclass
class Corpus:
    name: str
    root: Path  # the git repository; commands run here
    package: str  # the directory linted, relative to root
    files: int = 0
    lines: int = 0
    detail: str = ""


@dataclass
class Measure(Medians):
    label: str
    corpus: str
    walls: list[float] = field(default_factory=list)
    cpus: list[float] = field(default_factory=list)
    rss_kb: int = 0
    failed: str = ""


# ---------------------------------------------------------------- corpora


def git(root: Path, *args: str) -> None:
    env = {
        **os.environ,
        "GIT_AUTHOR_NAME": "bench",
        "GIT_AUTHOR_EMAIL": "bench@example.invalid",
        "GIT_COMMITTER_NAME": "bench",
        "GIT_COMMITTER_EMAIL": "bench@example.invalid",
    }
    subprocess.run(["git", *args], cwd=root, check=True, env=env, stdout=subprocess.DEVNULL)


def commit(root: Path) -> None:
    """The tree as one commit; a ``--work`` directory reused from an earlier run
    already has it (nothing to commit), and its runs' edits are undone first."""
    git(root, "init", "-q")
    if (root / ".git" / "HEAD").exists() and _has_commit(root):
        git(root, "checkout", "-q", "--", ".")
        return
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "base")


def _has_commit(root: Path) -> bool:
    done = subprocess.run(
        ["git", "rev-parse", "--verify", "-q", "HEAD"], cwd=root, capture_output=True, check=False
    )
    return done.returncode == 0


def fetch_django(work: Path) -> Corpus:
    download = work / "download"
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "download",
            "django",
            "--no-deps",
            "--only-binary=:all:",
            "-q",
            "-d",
            str(download),
        ],
        check=True,
    )
    wheel = next(download.glob("[Dd]jango-*.whl"))
    root = work / "django"
    with zipfile.ZipFile(wheel) as archive:
        for member in archive.namelist():
            if member.startswith("django/") and member.endswith(".py"):
                archive.extract(member, root)
    commit(root)
    return _counted(Corpus("django", root, "django", detail=wheel.name.split("-py3")[0]))


def copy_stdlib(work: Path) -> Corpus:
    source = Path(sysconfig.get_paths()["stdlib"])
    root = work / "stdlib"
    target = root / "lib"
    for path in source.rglob("*.py"):
        relative = path.relative_to(source)
        if relative.parts[0] in ("site-packages", "dist-packages"):
            continue
        destination = target / relative
        destination.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(path, destination)
    commit(root)
    return _counted(Corpus("stdlib", root, "lib", detail=f"Python {platform.python_version()}"))


def _counted(corpus: Corpus) -> Corpus:
    files = list((corpus.root / corpus.package).rglob("*.py"))
    corpus.files = len(files)
    corpus.lines = sum(path.read_bytes().count(b"\n") for path in files)
    return corpus


# ---------------------------------------------------------------- tools


#: Always from the bench's own virtual environment: flake8 runs every installed
#: extension whatever ``--select`` says, and here that includes reloadlint's own.
ISOLATED = {"flake8"}


def peer_commands(venv_bin: Path | None) -> dict[str, list[str]]:
    """How to run each peer: from the bench venv if there, else from this environment."""
    found: dict[str, list[str]] = {}
    for name in PEERS:
        if venv_bin is not None and (venv_bin / name).exists():
            found[name] = [str(venv_bin / name)]
        elif shutil.which(name) and name not in ISOLATED:
            found[name] = [shutil.which(name)]  # type: ignore[list-item]
    return found


def install_peers(work: Path, missing: list[str]) -> Path | None:
    if not missing:
        return None
    venv = work / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    pip = venv / "bin" / "pip"
    subprocess.run([str(pip), "install", "-q", *[PEERS[name] for name in missing]], check=True)
    return venv / "bin"


def version_of(command: list[str]) -> str:
    try:
        out = subprocess.run(
            [*command, "--version"], capture_output=True, text=True, timeout=60
        ).stdout
    except (OSError, subprocess.SubprocessError):
        return "?"
    return out.strip().splitlines()[0] if out.strip() else "?"


#: Environment of the measured commands. Bytecode is written: an installed tool
#: has its .pyc files, even where PYTHONDONTWRITEBYTECODE is set.
ENV = {k: v for k, v in os.environ.items() if k not in ("PYTHONDONTWRITEBYTECODE", "PYTHONPATH")}
#: The Python that runs reloadlint (see :func:`install_reloadlint`).
RELOADLINT_PYTHON = sys.executable


def install_reloadlint(work: Path) -> str:
    """Install the checkout into a virtual environment of its own, as a user has it.

    Not the checkout itself: others may edit it meanwhile (and the cache is
    stamped with the source files' modification times), and a development
    environment's start-up pays for editable-install hooks (``.pth`` files
    run at every start: 14 ms measured here) that an installed tool does not.
    """
    global RELOADLINT_PYTHON
    checkout = Path(__file__).resolve().parent.parent
    venv = work / "reloadlint-venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    python = venv / "bin" / "python"
    subprocess.run(
        [str(python), "-m", "pip", "install", "-q", "--disable-pip-version-check", str(checkout)],
        check=True,
    )
    RELOADLINT_PYTHON = str(python)
    return str(checkout)


def run_once(command: list[str], cwd: Path) -> tuple[float, float, int, str]:
    """Wall seconds, CPU seconds (the process tree), peak RSS in KB of its largest process,
    error."""
    start = time.perf_counter()
    process = subprocess.Popen(
        command, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=ENV
    )
    assert process.stderr is not None
    error = process.stderr.read()
    _, status, usage = os.wait4(process.pid, 0)
    wall = time.perf_counter() - start
    process.returncode = os.waitstatus_to_exitcode(status)
    process.stderr.close()
    failed = ""
    if process.returncode not in (0, 1):
        failed = f"exit {process.returncode}: {error.decode(errors='replace').strip()[-300:]}"
    return wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss, failed


def measure(
    label: str,
    corpus: Corpus,
    command: list[str],
    repeat: int,
    prepare: object = None,
    warmup: bool = False,
) -> Measure:
    """``repeat`` timed runs, each after ``prepare()``; ``warmup``: one untimed run first."""
    result = Measure(label, corpus.name)
    if warmup:
        run_once(command, corpus.root)
    for _ in range(repeat):
        if callable(prepare):
            prepare()
        wall, cpu, rss, failed = run_once(command, corpus.root)
        if failed:
            result.failed = failed
            break
        result.walls.append(wall)
        result.cpus.append(cpu)
        result.rss_kb = max(result.rss_kb, rss)
    print(
        f"  {corpus.name:7} {label:34} {result.wall:8.3f} s  cpu {result.cpu:7.3f} s  "
        f"{result.rss_kb / 1024:6.0f} MB" + (f"  FAILED {result.failed}" if result.failed else ""),
        flush=True,
    )
    return result


def floor_script(package: str) -> list[str]:
    code = (
        "import ast, pathlib, warnings\n"
        "warnings.simplefilter('ignore')\n"
        f"for p in sorted(pathlib.Path({package!r}).rglob('*.py')):\n"
        "    try:\n"
        "        ast.parse(p.read_bytes())\n"
        "    except (SyntaxError, ValueError):\n"
        "        pass\n"
    )
    return [sys.executable, "-c", code]


class Edits:
    """A different, real edit of one module before each run (a new top-level function)."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.original = path.read_bytes()
        self.count = 0

    def __call__(self) -> None:
        self.count += 1
        self.path.write_bytes(
            self.original
            + (
                f"\n\ndef _bench_edit_{self.count}(value):\n    return value + {self.count}\n"
            ).encode()
        )

    def restore(self) -> None:
        self.path.write_bytes(self.original)


def bench_corpus(
    corpus: Corpus, peers: dict[str, list[str]], args: argparse.Namespace
) -> list[Measure]:
    reloadlint = [
        RELOADLINT_PYTHON,
        "-m",
        "reloadlint",
        "--isolated",
        "--exit-zero",
        "-q",
        "--output-format",
        "concise",
    ]
    if args.jobs:
        reloadlint += ["--jobs", str(args.jobs)]
    package = corpus.package
    cache = corpus.root / ".reloadlint_cache"
    repeat = args.repeat
    edits = Edits(corpus.root / package / CHANGED[corpus.name])

    def clear_cache() -> None:
        shutil.rmtree(cache, ignore_errors=True)

    found = [measure("ast.parse floor (1 process)", corpus, floor_script(package), repeat)]
    found.append(
        measure(
            "reloadlint cold (--no-cache)", corpus, [*reloadlint, "--no-cache", package], repeat
        )
    )
    found.append(
        measure(
            "reloadlint cold, writing the cache",
            corpus,
            [*reloadlint, package],
            repeat,
            clear_cache,
        )
    )
    found.append(measure("reloadlint warm", corpus, [*reloadlint, package], repeat))
    found.append(
        measure("reloadlint one file changed", corpus, [*reloadlint, package], repeat, edits)
    )
    edits.restore()
    edits()  # upgrade mode: one module differs from the base commit
    found.append(
        measure(
            "reloadlint --base HEAD cold",
            corpus,
            [*reloadlint, "--no-cache", "--base", "HEAD", package],
            repeat,
        )
    )
    found.append(
        measure(
            "reloadlint --base HEAD warm",
            corpus,
            [*reloadlint, "--base", "HEAD", package],
            repeat,
            warmup=True,  # the first run fills the cache
        )
    )
    found.append(  # the tree the upgrade rows saw: that module still edited
        measure(
            "reloadlint tree mode warm (same tree)",
            corpus,
            [*reloadlint, package],
            repeat,
            warmup=True,
        )
    )
    edits.restore()
    for name, command in peers.items():
        if name in args.skip:
            continue
        times = (
            1
            if name in SLOW and args.slow_repeat is None
            else (args.slow_repeat or repeat)
            if name in SLOW
            else repeat
        )
        if name == "pyflakes":
            line = [*command, package]
        elif name == "flake8":
            line = [*command, "--isolated", "--select", "F", "--exit-zero", package]
        elif name == "ruff":
            line = [
                *command,
                "check",
                "--isolated",
                "--select",
                "ALL",
                "--no-cache",
                "--exit-zero",
                "-q",
                package,
            ]
        else:
            line = [
                *command,
                "--disable=all",
                "--enable=unused-import",
                "--score=n",
                "--exit-zero",
                package,
            ]
        label = {
            "pyflakes": "pyflakes",
            "flake8": "flake8 --select F",
            "ruff": "ruff --select ALL --no-cache",
            "pylint": "pylint (unused-import only)",
        }[name]
        found.append(
            measure(label + (f" [{times}x]" if times != repeat else ""), corpus, line, times)
        )
    return found


# ---------------------------------------------------------------- report


def table(corpora: list[Corpus], measures: list[Measure]) -> str:
    by = {(m.corpus, m.label.split(" [")[0]): m for m in measures}
    labels = list(dict.fromkeys(m.label.split(" [")[0] for m in measures))
    head = "| run |" + "".join(f" {c.name} s | x ruff | CPU s | peak MB |" for c in corpora)
    rule = "| --- |" + " ---: | ---: | ---: | ---: |" * len(corpora)
    lines = [head, rule]
    for label in labels:
        row = f"| {label} |"
        for corpus in corpora:
            m = by.get((corpus.name, label))
            ruff = by.get((corpus.name, "ruff --select ALL --no-cache"))
            if m is None or m.failed:
                row += " - | - | - | - |"
                continue
            ratio = f"{m.wall / ruff.wall:.2f}" if ruff and ruff.walls else "-"
            row += f" {m.wall:.3f} | {ratio} | {m.cpu:.2f} | {m.rss_kb / 1024:.0f} |"
        lines.append(row)
    return "\n".join(lines)


def machine() -> str:
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    memory = ""
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal"):
                memory = f", {int(line.split()[1]) // (1024 * 1024)} GiB"
    except OSError:
        pass
    return (
        f"{os.cpu_count()} cores ({cpu}){memory}, {platform.system()} {platform.release()}, "
        f"Python {platform.python_version()}"
    )


def load() -> str:
    try:
        return " ".join(f"{value:.2f}" for value in os.getloadavg())
    except OSError:
        return "?"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--corpus", choices=["django", "stdlib", "both"], default="both")
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument(
        "--slow-repeat",
        type=int,
        default=None,
        help="repetitions of flake8 and pylint [default: 1]",
    )
    parser.add_argument(
        "--jobs", type=int, default=0, help="reloadlint --jobs [default: its own default]"
    )
    parser.add_argument(
        "--skip", nargs="*", default=[], choices=list(PEERS), help="peers not to run"
    )
    parser.add_argument(
        "--work", type=Path, help="keep the corpora here instead of a temporary directory"
    )
    parser.add_argument(
        "--out", type=Path, help="also write the markdown table (and the machine) to this file"
    )
    parser.add_argument(
        "--live",
        action="store_true",
        help="run reloadlint from this Python (the checkout), not installed in a venv of its own",
    )
    parser.add_argument(
        "--synthetic",
        type=int,
        nargs="+",
        metavar="MODULES",
        help="instead of the corpora: synthetic projects of these sizes (bench/scaling.py)",
    )
    parser.add_argument("--seed", type=int, default=0, help="of the synthetic projects")
    parser.add_argument(
        "--timeout", type=float, default=1800, help="seconds per synthetic run [default: 1800]"
    )
    args = parser.parse_args()

    work = args.work or Path(tempfile.mkdtemp(prefix="reloadlint-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    try:
        if not args.live:
            print(f"reloadlint: installed from {install_reloadlint(work)}", flush=True)
        if args.synthetic:
            return synthetic(work, args)
        peers = peer_commands(None)
        missing = [name for name in PEERS if name not in peers and name not in args.skip]
        peers = peer_commands(install_peers(work, missing))
        corpora = []
        if args.corpus in ("django", "both"):
            corpora.append(fetch_django(work))
        if args.corpus in ("stdlib", "both"):
            corpora.append(copy_stdlib(work))
        started = load()
        print(f"machine: {machine()}\nload average before: {started}", flush=True)
        measures = []
        for corpus in corpora:
            print(
                f"{corpus.name}: {corpus.detail}, {corpus.files} files, {corpus.lines} lines",
                flush=True,
            )
            measures.extend(bench_corpus(corpus, peers, args))
        ended = load()
        versions = {
            name: version_of(command) for name, command in peers.items() if name not in args.skip
        }
        report = "\n".join(
            [
                table(corpora, measures),
                "",
                f"Machine: {machine()}. "
                f"Load average (1, 5, 15 min) before: {started}; after: {ended}.",
                "Corpora: "
                + "; ".join(
                    f"{c.name} = {c.detail}, {c.files} files, {c.lines} lines" for c in corpora
                )
                + ".",
                "Peers: " + "; ".join(f"{k} {v}" for k, v in versions.items()) + ".",
                f"Median of {args.repeat} runs (flake8 and pylint: {args.slow_repeat or 1}); "
                "CPU = user + system time of the whole process tree; peak = largest process.",
            ]
        )
        print("\n" + report)
        if args.out:
            args.out.write_text(report + "\n", encoding="utf-8")
        (work / "results.json").write_text(
            json.dumps([m.__dict__ for m in measures], indent=1), encoding="utf-8"
        )
    finally:
        if args.work is None:
            shutil.rmtree(work, ignore_errors=True)
    return 0


def synthetic(work: Path, args: argparse.Namespace) -> int:
    """The synthetic-scaling rows (see bench/scaling.py)."""
    import scaling

    command = [RELOADLINT_PYTHON, "-m", "reloadlint", "--isolated", "--exit-zero", "-q"]
    command += ["--output-format", "concise"] + (["--jobs", str(args.jobs)] if args.jobs else [])
    sizes = sorted(args.synthetic)
    started = load()
    print(f"machine: {machine()}\nload average before: {started}", flush=True)
    rows = []
    for size in sizes:
        rows += scaling.bench_size(
            work,
            size,
            reloadlint=command,
            floor=floor_script,
            git_commit=commit,
            env=ENV,
            repeat=args.repeat,
            seed=args.seed,
            timeout=args.timeout,
        )
    report = "\n".join(
        [
            scaling.table(sizes, rows),
            "",
            f"Machine: {machine()}. Load average (1, 5, 15 min) before: {started}; "
            f"after: {load()}.",
            f"Median of {args.repeat} runs; CPU = user + system time of the process tree; "
            "PSS = peak of the tree's summed proportional set size.",
        ]
    )
    print("\n" + report)
    if args.out:
        args.out.write_text(report + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
