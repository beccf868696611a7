#!/usr/bin/env python3
"""Lint real code and report internal errors, time, memory and findings per code.

What it runs (each as a separate ``reloadlint`` process, as a user would):

1. tree mode over the standard library of the running Python;
2. tree mode over popular packages installed from PyPI into a temporary
   virtual environment (Django, Flask, requests, SQLAlchemy, pydantic, celery
   and their dependencies: the whole ``site-packages``);
3. upgrade mode between two released versions of a package: the older one
   committed to a temporary git repository, the newer one copied over it,
   then ``reloadlint --base HEAD`` (and ``--plan``).

An internal error is reloadlint exiting 2 with ``internal error`` (a bug: a
crash on input it should have reported as RL9xx or analysed). There must be
none; the script exits 1 if there is one, printing the traceback (re-run with
``--verbose``). RL9xx findings are not internal errors: the standard library
ships files that do not parse on purpose (``test/badsyntax_*.py``).

Needs network access to PyPI (pip) and git. Takes a few minutes; see
docs/hardening.md.

    python scripts/real_code.py                      # everything
    python scripts/real_code.py --skip-packages      # the standard library only
    python scripts/real_code.py --json summary.json  # also write the summary as JSON
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import sysconfig
import tempfile
import time
from collections import Counter
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
PACKAGES = ("django", "flask", "requests", "sqlalchemy", "pydantic", "celery")
#: package, older release, newer release: a feature upgrade and a patch upgrade.
UPGRADES = (("django", "4.2.16", "5.0.9"), ("flask", "3.0.3", "3.1.0"))


@dataclass
class Run:
    """One reloadlint process and what it found."""

    name: str
    command: list[str]
    files: int = 0
    seconds: float = 0.0
    peak_mb: int = 0
    exit_code: int = 0
    internal_error: str = ""
    refused: str = ""
    by_code: dict[str, int] = field(default_factory=dict)
    by_top: dict[str, int] = field(default_factory=dict)

    @property
    def findings(self) -> int:
        return sum(self.by_code.values())


def reloadlint_command(*args: str) -> list[str]:
    return [sys.executable, "-m", "reloadlint", "--isolated", "--no-cache", *args]


def environment() -> dict[str, str]:
    """This checkout first on the path, so the script tests it even when it is not installed."""
    path = os.pathsep.join(p for p in (str(REPO), os.environ.get("PYTHONPATH", "")) if p)
    return {**os.environ, "PYTHONPATH": path}


def run_measured(command: list[str], cwd: Path) -> tuple[int, str, str, float, int]:
    """Exit status, stdout, stderr, wall seconds and peak memory in MB (of the
    process and its worker processes: ``wait4`` reports the largest)."""
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        start = time.monotonic()
        proc = subprocess.Popen(command, cwd=cwd, stdout=out, stderr=err, env=environment())
        _, status, usage = os.wait4(proc.pid, 0)
        seconds = time.monotonic() - start
        proc.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        stdout = out.read().decode("utf-8", "replace")
        stderr = err.read().decode("utf-8", "replace")
    return proc.returncode, stdout, stderr, seconds, usage.ru_maxrss // 1024


def count_files(targets: list[str], cwd: Path, extra: list[str]) -> int:
    proc = subprocess.run(
        reloadlint_command("--show-files", *extra, *targets),
        cwd=cwd,
        capture_output=True,
        text=True,
        env=environment(),
    )
    return len([line for line in proc.stdout.splitlines() if line.strip()])


#: ``json`` computes the fix edits of every fixable finding too (what CI
#: formats do); ``concise`` measures the lint alone.
OUTPUT_FORMAT = "json"
CONCISE = re.compile(r"^(?P<path>.+?):\d+:\d+: (?P<code>RL\d+) ", re.MULTILINE)


def lint(name: str, targets: list[str], cwd: Path, extra: Sequence[str] = ()) -> Run:
    """Lint ``targets`` with every rule and collect the numbers."""
    extra = list(extra)
    command = reloadlint_command(
        "--select", "ALL", "--output-format", OUTPUT_FORMAT, *extra, *targets
    )
    run = Run(name, command)
    run.files = count_files(targets, cwd, [e for e in extra if e != "--plan"])
    print(f"[{name}] {run.files} files ...", flush=True)
    code, stdout, stderr, run.seconds, run.peak_mb = run_measured(command, cwd)
    run.exit_code = code
    if "internal error" in stderr or code not in (0, 1, 2):
        run.internal_error = stderr.strip() or f"exit status {code}"
        verbose = subprocess.run(
            [*command, "--verbose"], cwd=cwd, capture_output=True, text=True, env=environment()
        )
        run.internal_error += "\n" + verbose.stderr[-4000:]
    elif code == 2:
        run.refused = stderr.strip()  # a one-line refusal (--plan of code that does not load)
    else:
        found = _findings(stdout)
        run.by_code = dict(sorted(Counter(code for _, code in found).items()))
        run.by_top = dict(Counter(_top(path, cwd, targets) for path, _ in found).most_common(12))
    print("   ", line(run), flush=True)
    return run


def _findings(stdout: str) -> list[tuple[str, str]]:
    """(path, code) per finding, from either output format."""
    if OUTPUT_FORMAT == "json":
        items = json.loads(stdout) if stdout.strip().startswith("[") else []
        return [(item["filename"], item["code"]) for item in items]
    return [(m["path"], m["code"]) for m in CONCISE.finditer(stdout)]


def _top(filename: str, cwd: Path, targets: list[str]) -> str:
    """The first path component under the linted directory: the package a finding is in."""
    path = Path(filename) if os.path.isabs(filename) else cwd / filename
    for target in targets:
        base = (cwd / target).resolve()
        try:
            return path.resolve().relative_to(base).parts[0]
        except (ValueError, IndexError):
            continue
    return "?"


# ---------------------------------------------------------------- the targets


def stdlib(work: Path) -> Run:
    root = Path(sysconfig.get_paths()["stdlib"])
    return lint(f"stdlib {sys.version.split()[0]}", [str(root)], work)


def make_venv(work: Path, packages: tuple[str, ...]) -> Path:
    """A virtual environment with ``packages`` installed; its site-packages directory."""
    venv = work / "venv"
    print(f"[venv] installing {' '.join(packages)} ...", flush=True)
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    python = venv / "bin" / "python"
    pip = [str(python), "-m", "pip", "install", "--quiet", "--disable-pip-version-check"]
    subprocess.run([*pip, *packages], check=True)
    out = subprocess.run(
        [str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
        check=True,
        capture_output=True,
        text=True,
    )
    return Path(out.stdout.strip())


def installed(work: Path, site: Path) -> dict[str, str]:
    python = site.parents[2] / "bin" / "python"
    out = subprocess.run(
        [str(python), "-m", "pip", "list", "--format", "json", "--disable-pip-version-check"],
        capture_output=True,
        text=True,
        check=True,
        cwd=work,
    )
    return {p["name"].lower(): p["version"] for p in json.loads(out.stdout)}


def packages(work: Path, site: Path) -> Run:
    # site-packages is excluded by default (it is nobody's first-party code);
    # named on the command line, it is linted.
    return lint("site-packages", [str(site)], work)


def upgrade(work: Path, package: str, old: str, new: str) -> list[Run]:
    """Two releases of ``package`` in a git repository: the old one committed,
    the new one copied over it, linted with ``--base HEAD`` and ``--plan``."""
    repo = work / f"upgrade-{package}"
    versions = {}
    for version in (old, new):
        target = work / f"{package}-{version}"
        subprocess.run(
            [
                sys.executable,
                "-m",
                "pip",
                "install",
                "--quiet",
                "--disable-pip-version-check",
                "--no-deps",
                "--target",
                str(target),
                f"{package}=={version}",
            ],
            check=True,
        )
        versions[version] = target
    repo.mkdir()
    env = {
        **os.environ,
        "GIT_AUTHOR_NAME": "real-code",
        "GIT_AUTHOR_EMAIL": "real-code@example.invalid",
        "GIT_COMMITTER_NAME": "real-code",
        "GIT_COMMITTER_EMAIL": "real-code@example.invalid",
    }
    git = ["git", "-C", str(repo)]
    subprocess.run([*git, "init", "-q"], check=True, env=env)
    _copy_package(versions[old], repo, package)
    subprocess.run([*git, "add", "-A"], check=True, env=env)
    subprocess.run([*git, "commit", "-q", "-m", f"{package} {old}"], check=True, env=env)
    shutil.rmtree(repo / package)
    _copy_package(versions[new], repo, package)
    name = f"upgrade {package} {old} -> {new}"
    runs = [lint(name, ["."], repo, ["--base", "HEAD"])]
    plan = lint(f"{name} (--plan)", ["."], repo, ["--base", "HEAD", "--plan"])
    if plan.exit_code in (0, 1):
        plan.by_code = {}  # the plan is a document, not findings
    runs.append(plan)
    return runs


def _copy_package(site: Path, repo: Path, package: str) -> None:
    for candidate in (package, package.replace("-", "_")):
        if (site / candidate).is_dir():
            shutil.copytree(
                site / candidate, repo / candidate, ignore=shutil.ignore_patterns("__pycache__")
            )
            return
    raise SystemExit(f"{package} not found in {site}")


# ---------------------------------------------------------------- the report


def report(runs: list[Run], versions: dict[str, str]) -> str:
    lines = [
        f"reloadlint real-code run: Python {sys.version.split()[0]}, {os.cpu_count()} cores",
        "packages: "
        + ", ".join(f"{name} {versions[name]}" for name in PACKAGES if name in versions),
        "",
        f"{'run':<42} {'files':>6} {'findings':>9} {'seconds':>8} {'peak MB':>8}  internal errors",
    ]
    lines += [line(run) for run in runs]
    total = sum(r.files for r in runs if "--plan" not in r.name)
    errors = sum(1 for r in runs if r.internal_error)
    lines += ["", f"total: {total} files linted, {errors} internal errors", ""]
    for run in runs:
        if run.by_code:
            codes = ", ".join(f"{code} {count}" for code, count in run.by_code.items())
            lines.append(f"{run.name}: {codes}")
    for run in runs:
        if run.refused:
            lines.append(f"{run.name}: refused: {run.refused}")
        if run.internal_error:
            lines += ["", f"INTERNAL ERROR in {run.name}:", run.internal_error]
    return "\n".join(lines)


def line(run: Run) -> str:
    errors = 1 if run.internal_error else 0
    numbers = f"{run.files:>6} {run.findings:>9} {run.seconds:>8.1f} {run.peak_mb:>8}"
    return f"{run.name:<42} {numbers}  {errors}"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--skip-stdlib", action="store_true")
    parser.add_argument(
        "--skip-packages", action="store_true", help="no PyPI install: no package or upgrade runs"
    )
    parser.add_argument("--skip-upgrade", action="store_true")
    parser.add_argument(
        "--keep", action="store_true", help="keep the temporary directory (printed)"
    )
    parser.add_argument("--json", type=Path, help="also write the runs as JSON here")
    parser.add_argument(
        "--format",
        choices=("json", "concise"),
        default="json",
        help="reloadlint's output format: json also computes every fix (slower)",
    )
    args = parser.parse_args(argv)
    global OUTPUT_FORMAT
    OUTPUT_FORMAT = args.format
    work = Path(tempfile.mkdtemp(prefix="reloadlint-real-code-"))
    runs: list[Run] = []
    versions: dict[str, str] = {}
    try:
        if not args.skip_stdlib:
            runs.append(stdlib(work))
        if not args.skip_packages:
            site = make_venv(work, PACKAGES)
            versions = installed(work, site)
            runs.append(packages(work, site))
            if not args.skip_upgrade:
                for package, old, new in UPGRADES:
                    runs.extend(upgrade(work, package, old, new))
    finally:
        if args.keep:
            print(f"kept {work}")
        else:
            shutil.rmtree(work, ignore_errors=True)
    text = report(runs, versions)
    print("\n" + text)
    if args.json:
        args.json.write_text(
            json.dumps({"versions": versions, "runs": [asdict(r) for r in runs]}, indent=2)
        )
    return 1 if any(r.internal_error for r in runs) else 0


if __name__ == "__main__":
    sys.exit(main())
