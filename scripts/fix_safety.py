#!/usr/bin/env python3
"""``--fix`` on whole released packages changes nothing they do: every module
imports and the package's own test suite gives the same results before and
after.

    python scripts/fix_safety.py --venv /work/realcode/fixsafe/venvs \\
        /work/realcode/sdists/jinja2-3.1.5.tar.gz [SDIST ...]

For each sdist (its name and version pick the test set-up from
:data:`PACKAGES`): the tree is unpacked afresh under ``--workdir``; a venv
per package (under ``--venv``, kept and reused across runs) gets the package
installed editable from that tree plus its test requirements. Then, BEFORE:
every module of the package is imported, each in a fresh interpreter (an
import cycle breaks only when a particular module is imported first), and
the test suite runs (pytest, per-test outcomes read from its JUnit XML;
unittest where the project's suite needs it). Then ``reloadlint --fix``
(the console script beside this Python, the checkout under test, unless
``--reloadlint`` names another: an older release, to show what it broke)
runs on the whole tree, tests included, and AFTER repeats both. A module
that imported before and does not after, or a test whose outcome changed,
is a failure (exit 1), listed by name.

Fixes applied are counted per rule as the findings of that rule before
``--fix`` minus those after (``--statistics``). Results: docs/hardening.md.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import os
import re
import shutil
import subprocess
import sys
import tarfile
import venv
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from pathlib import Path

#: the reloadlint under test: the console script beside this Python (--reloadlint)
RELOADLINT = Path(sys.executable).parent / "reloadlint"
RULES = ("RL101", "RL102")


@dataclass(frozen=True)
class Setup:
    """How one package is installed and tested."""

    #: requirements besides the package itself (its runtime ones come with it)
    requirements: tuple[str, ...]
    #: pytest arguments, relative to the tree
    tests: tuple[str, ...] = ("tests",)
    #: extras installed with the package
    extras: str = ""
    #: pytest, or unittest for a suite pytest cannot collect (markdown's sets
    #: warnings to errors while it is collected)
    runner: str = "pytest"


#: the pytest of the packages' time (pytest 8.4 made a collection warning an
#: error that markdown's unittest-style suite raises)
PYTEST = "pytest==8.3.3"

PACKAGES: dict[str, Setup] = {
    "jinja2": Setup((PYTEST, "trio==0.26.2")),
    "markdown": Setup(("pyyaml",), runner="unittest"),
    "itsdangerous": Setup((PYTEST, "freezegun")),
    "pluggy": Setup((PYTEST, "pytest-benchmark==4.0.0"), ("testing",)),
    "starlette": Setup(
        (PYTEST, "trio==0.26.2", "typing_extensions", "anyio==4.6.2", "httpx==0.27.2"),
        extras="full",
    ),
    "werkzeug": Setup(
        (
            PYTEST,
            "pytest-timeout==2.3.1",
            "cryptography==43.0.3",
            "ephemeral-port-reserve==1.1.4",
            "watchdog==5.0.3",
        ),
    ),
    "httpx": Setup(
        (
            PYTEST,
            "trio==0.27.0",
            "anyio==4.7.0",
            "uvicorn==0.32.1",
            "trustme==1.2.0",
            "chardet==5.2.0",
            "cryptography==44.0.0",
        ),
        extras="brotli,zstd,cli,http2,socks",
    ),
    "anyio": Setup(("pytest", "trio", "trustme", "hypothesis", "psutil", "uvloop"), extras="trio"),
}


@dataclass
class Outcome:
    """What one side (before or after the fix) observed."""

    imports_ok: list[str] = field(default_factory=list)
    imports_failed: dict[str, str] = field(default_factory=dict)
    #: test id -> passed, failed, error, skipped
    tests: dict[str, str] = field(default_factory=dict)
    collected_ok: bool = True

    def count(self, what: str) -> int:
        return sum(1 for v in self.tests.values() if v == what)


@dataclass
class Report:
    name: str
    version: str
    fixes: dict[str, int]
    files_changed: int
    before: Outcome
    after: Outcome
    differences: list[str]


def parse_sdist(path: Path) -> tuple[str, str]:
    match = re.fullmatch(r"(.+)-([0-9][^-]*)\.tar\.gz", path.name)
    if not match:
        raise SystemExit(f"fix_safety: not an sdist name: {path.name}")
    return match.group(1).lower().replace("_", "-"), match.group(2)


def unpack(sdist: Path, into: Path) -> Path:
    """A fresh copy of the sdist's tree under ``into``."""
    root = into / sdist.name.removesuffix(".tar.gz")
    if root.exists():
        shutil.rmtree(root)
    with tarfile.open(sdist) as archive:
        archive.extractall(into, filter="data")
    return root


def package_dirs(root: Path, name: str) -> list[Path]:
    """The package's import roots in the tree (``src/jinja2``, ``markdown``)."""
    base = root / "src" if (root / "src").is_dir() else root
    found = [p for p in base.iterdir() if (p / "__init__.py").is_file() and p.name.lower() == name]
    if not found:
        raise SystemExit(f"fix_safety: no package {name!r} in {root}")
    return found


def modules_of(package: Path) -> list[str]:
    names = []
    for path in sorted(package.rglob("*.py")):
        parts = path.relative_to(package.parent).with_suffix("").parts
        if parts[-1] == "__init__":
            parts = parts[:-1]
        if all(part.isidentifier() for part in parts):
            names.append(".".join(parts))
    return names


def ensure_venv(where: Path, root: Path, setup: Setup) -> Path:
    """The venv's python, with the package installed editable from ``root``."""
    python = where / "bin" / "python"
    if not python.exists():
        venv.create(where, with_pip=True)
    target = f"{root}[{setup.extras}]" if setup.extras else str(root)
    run([str(python), "-m", "pip", "install", "-q", *setup.requirements], cwd=where)
    run([str(python), "-m", "pip", "install", "-q", "-e", target], cwd=where)
    return python


def run(command: list[str], cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(command, cwd=cwd, text=True, capture_output=True, check=True)


#: Imports one module in this fresh interpreter; prints the error's last line.
IMPORT_ONE = """
import importlib, sys
try:
    importlib.import_module(sys.argv[1])
except BaseException as error:
    print(f"{type(error).__name__}: {error}"[:300])
    sys.exit(1)
"""


def check_imports(python: Path, modules: list[str], cwd: Path, outcome: Outcome) -> None:
    for module in modules:
        done = subprocess.run(
            [str(python), "-c", IMPORT_ONE, module], cwd=cwd, text=True, capture_output=True,
            timeout=120,
        )  # fmt: skip
        if done.returncode == 0:
            outcome.imports_ok.append(module)
        else:
            lines = (done.stdout or done.stderr).strip().splitlines()
            outcome.imports_failed[module] = lines[-1] if lines else "failed"


#: Runs a unittest suite (argv: start directory, output file); writes test id -> outcome.
UNITTEST = """
import json, sys, unittest

class Recorder(unittest.TestResult):
    outcomes = {}
    def addSuccess(self, test): self.outcomes[test.id()] = "passed"
    def addFailure(self, test, err): self.outcomes[test.id()] = "failed"
    def addError(self, test, err): self.outcomes[test.id()] = "error"
    def addSkip(self, test, reason): self.outcomes[test.id()] = "skipped"
    def addExpectedFailure(self, test, err): self.outcomes[test.id()] = "passed"
    def addUnexpectedSuccess(self, test): self.outcomes[test.id()] = "failed"

suite = unittest.defaultTestLoader.discover(sys.argv[1], top_level_dir=".")
suite.run(Recorder())
with open(sys.argv[2], "w") as out:
    json.dump(Recorder.outcomes, out)
"""


def run_tests(python: Path, root: Path, setup: Setup, junit: Path, outcome: Outcome) -> None:
    env = {**os.environ, "PYTHONDONTWRITEBYTECODE": "1"}
    if setup.runner == "unittest":
        found = junit.with_suffix(".json")
        subprocess.run(
            [str(python), "-c", UNITTEST, *setup.tests, str(found)],
            cwd=root, text=True, capture_output=True, env=env, timeout=3600,
        )  # fmt: skip
        if not found.exists():
            outcome.collected_ok = False
            return
        outcome.tests.update(json.loads(found.read_text(encoding="utf-8")))
        found.unlink()
        return
    subprocess.run(
        [str(python), "-m", "pytest", "-q", "-p", "no:cacheprovider", f"--junitxml={junit}",
         *setup.tests],
        cwd=root, text=True, capture_output=True, env=env, timeout=3600,
    )  # fmt: skip
    if not junit.exists():
        outcome.collected_ok = False
        return
    for case in ET.parse(junit).getroot().iter("testcase"):
        test = f"{case.get('classname')}::{case.get('name')}"
        state = "passed"
        for child in case:
            if child.tag in ("failure", "error", "skipped"):
                state = {"failure": "failed"}.get(child.tag, child.tag)
                break
        outcome.tests[test] = state
    junit.unlink()


def statistics(root: Path) -> dict[str, int]:
    done = subprocess.run(
        [str(RELOADLINT), "--statistics", "--no-cache", "--exit-zero", "."],
        cwd=root, text=True, capture_output=True,
    )  # fmt: skip
    counts = {}
    for line in done.stdout.splitlines():
        match = re.match(r"\s*(\d+)\s+(RL\d+)\b", line)
        if match:
            counts[match.group(2)] = int(match.group(1))
    return counts


def snapshot(root: Path) -> dict[str, bytes]:
    return {str(p.relative_to(root)): p.read_bytes() for p in root.rglob("*.py")}


def side(python: Path, root: Path, name: str, setup: Setup, workdir: Path) -> Outcome:
    outcome = Outcome()
    modules = [m for d in package_dirs(root, name) for m in modules_of(d)]
    check_imports(python, modules, workdir, outcome)
    run_tests(python, root, setup, workdir / f"{name}-junit.xml", outcome)
    return outcome


def check(sdist: Path, workdir: Path, venvs: Path) -> Report:
    name, version = parse_sdist(sdist)
    setup = PACKAGES.get(name)
    if setup is None:
        raise SystemExit(f"fix_safety: no test set-up for {name} (see PACKAGES)")
    trees = workdir / "trees"
    trees.mkdir(parents=True, exist_ok=True)
    root = unpack(sdist, trees)
    say(f"{name} {version}: installing")
    python = ensure_venv(venvs / name, root, setup)
    say(f"{name} {version}: before")
    before = side(python, root, name, setup, workdir)
    counts = statistics(root)
    old = snapshot(root)
    say(f"{name} {version}: reloadlint --fix")
    subprocess.run(
        [str(RELOADLINT), "--fix", "--no-cache", "--exit-zero", "-q", "."],
        cwd=root, text=True, capture_output=True,
    )  # fmt: skip
    new = snapshot(root)
    left = statistics(root)
    fixes = {code: counts.get(code, 0) - left.get(code, 0) for code in RULES}
    changed = sum(1 for path, data in new.items() if old.get(path) != data)
    say(f"{name} {version}: after")
    after = side(python, root, name, setup, workdir)
    return Report(name, version, fixes, changed, before, after, differences(before, after))


def differences(old: Outcome, after: Outcome) -> list[str]:
    before = old.tests
    found = [
        f"module {m} no longer imports: {after.imports_failed.get(m, '?')}"
        for m in old.imports_ok
        if m not in after.imports_ok
    ]
    if old.collected_ok and not after.collected_ok:
        found.append("the test suite no longer runs")
    for test, state in sorted(before.items()):
        now = after.tests.get(test, "missing")
        if now != state:
            found.append(f"test {test}: {state} -> {now}")
    found += [f"test {t}: new, {s}" for t, s in sorted(after.tests.items()) if t not in before]
    return found


def say(text: str) -> None:
    print(f"fix_safety: {text}", file=sys.stderr, flush=True)


def table(reports: list[Report]) -> str:
    lines = [
        "| package | fixes applied (RL101 / RL102) | files changed "
        "| modules importing before -> after | tests passed / failed before | after | verdict |",
        "| --- | ---: | ---: | ---: | ---: | ---: | --- |",
    ]
    for r in reports:
        total = len(r.before.imports_ok) + len(r.before.imports_failed)
        verdict = "identical" if not r.differences else f"{len(r.differences)} differences"
        lines.append(
            f"| {r.name} {r.version} | {r.fixes['RL101']} / {r.fixes['RL102']} | {r.files_changed} "
            f"| {len(r.before.imports_ok)}/{total} -> {len(r.after.imports_ok)}/{total} "
            f"| {r.before.count('passed')} / {r.before.count('failed') + r.before.count('error')} "
            f"| {r.after.count('passed')} / {r.after.count('failed') + r.after.count('error')} "
            f"| {verdict} |"
        )
    return "\n".join(lines)


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("sdists", nargs="+", type=Path, help="sdist archives (.tar.gz)")
    parser.add_argument("--workdir", type=Path, default=Path("/work/realcode/fixsafe"),
                        help="where the trees are unpacked (each afresh)")  # fmt: skip
    parser.add_argument("--venv", type=Path, default=None,
                        help="directory of the per-package venvs, kept and reused "
                        "[default: WORKDIR/venvs]")  # fmt: skip
    parser.add_argument("--json", type=Path, default=None, help="also write the results here")
    parser.add_argument("--reloadlint", type=Path, default=RELOADLINT,
                        help="the reloadlint console script to test "
                        "[default: this checkout's]")  # fmt: skip
    args = parser.parse_args(argv)
    for sdist in args.sdists:
        parse_sdist(sdist)
    if args.venv is None:
        args.venv = args.workdir / "venvs"
    return args


def main(argv: list[str] | None = None) -> int:
    global RELOADLINT
    args = parse_args(argv)
    RELOADLINT = args.reloadlint.absolute()
    reports = [check(s.resolve(), args.workdir.resolve(), args.venv.resolve()) for s in args.sdists]
    print(table(reports))
    for report in reports:
        for difference in report.differences:
            print(f"{report.name}: {difference}")
    if args.json:
        data = [dataclasses.asdict(r) for r in reports]
        args.json.write_text(json.dumps(data, indent=1), encoding="utf-8")
    return 1 if any(r.differences for r in reports) else 0


if __name__ == "__main__":
    raise SystemExit(main())
