#!/usr/bin/env python3
"""Plans on real upgrades: lint, plan and apply, on pairs of released sdists.

For each pair (package, older release, newer release):

1. a git repository holds the older sdist, committed, with the newer sdist
   in the working tree (every file of both: tests, docs, examples,
   packaging), as a user upgrading a library in place would have it;
2. ``reloadlint --base HEAD`` and ``reloadlint --plan --base HEAD`` run at
   the repository's root, as a new user would run them (no configuration);
3. when the plan says ``hot`` (or always, with ``--apply-restart``, which
   turns a restart plan into a hot one to see what its reasons protect),
   a live process (``real_upgrades_live.py``) imports every module of the
   older release, builds objects of the package
   (``real_upgrades_exercises.py``), then the newer release is put on disk
   and the process applies the plan with ``reloadlint.runtime``; it checks
   that new code is reached, that every re-export ``pkg.X is pkg.mod.X``,
   that every class of the package derives from its bases' current classes,
   that live objects were re-pointed and still work.

The live process runs in a virtual environment of its own with the pairs'
runtime dependencies (pinned below, created on first use under the work
directory); the package itself is imported from the repository.

Needs git and access to the package index (sdists are downloaded once into
``--sdists``). Results: docs/real-upgrades.md.

    python scripts/real_upgrades.py                       # every pair
    python scripts/real_upgrades.py --only werkzeug jinja2
    python scripts/real_upgrades.py --apply-restart       # apply restart plans anyway
    python scripts/real_upgrades.py --json out.json       # every reason and result
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tarfile
import tempfile
from collections import Counter
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
HERE = Path(__file__).resolve().parent


@dataclass(frozen=True)
class Pair:
    package: str  # distribution name on the index
    old: str
    new: str
    module: str  # import name

    @property
    def name(self) -> str:
        return f"{self.package} {self.old} -> {self.new}"


#: Patch and minor releases of packages with subpackages and class hierarchies.
PAIRS = (
    Pair("werkzeug", "3.0.3", "3.0.4", "werkzeug"),
    Pair("werkzeug", "3.0.6", "3.1.0", "werkzeug"),
    Pair("jinja2", "3.1.4", "3.1.5", "jinja2"),
    Pair("httpx", "0.27.2", "0.28.0", "httpx"),
    Pair("rich", "13.8.1", "13.9.0", "rich"),
    Pair("starlette", "0.38.6", "0.39.0", "starlette"),
    Pair("pydantic", "1.10.17", "1.10.18", "pydantic"),
    Pair("sqlalchemy", "2.0.35", "2.0.36", "sqlalchemy"),
    Pair("urllib3", "2.2.2", "2.2.3", "urllib3"),
    Pair("markdown", "3.6", "3.7", "markdown"),
    Pair("anyio", "4.4.0", "4.5.0", "anyio"),
    # Small patch releases: the kind of upgrade a hot reload is for.
    Pair("jinja2", "3.1.5", "3.1.6", "jinja2"),
    Pair("werkzeug", "3.1.2", "3.1.3", "werkzeug"),
    Pair("rich", "13.9.3", "13.9.4", "rich"),
    Pair("httpx", "0.28.0", "0.28.1", "httpx"),
    Pair("starlette", "0.41.2", "0.41.3", "starlette"),
)

#: The live process's environment: the pairs' runtime dependencies, pinned to
#: releases of the pairs' time (the package under test comes from the repository,
#: ahead of these on ``sys.path``).
LIVE_DEPENDENCIES = (
    "markupsafe==2.1.5",
    "httpcore==1.0.5",
    "httpx==0.27.2",
    "anyio==4.4.0",
    "certifi==2024.8.30",
    "idna==3.8",
    "sniffio==1.3.1",
    "h11==0.14.0",
    "markdown-it-py==3.0.0",
    "mdurl==0.1.2",
    "pygments==2.18.0",
    "typing-extensions==4.12.2",
)

GIT_ENV = {
    "GIT_AUTHOR_NAME": "real-upgrades",
    "GIT_AUTHOR_EMAIL": "real-upgrades@example.invalid",
    "GIT_COMMITTER_NAME": "real-upgrades",
    "GIT_COMMITTER_EMAIL": "real-upgrades@example.invalid",
    "GIT_CONFIG_NOSYSTEM": "1",
}


@dataclass
class Outcome:
    """What happened to one pair."""

    pair: str
    changed_files: int = 0
    findings: dict[str, int] = field(default_factory=dict)
    lint_exit: int | None = None
    verdict: str = ""
    plan_exit: int | None = None
    plan_error: str = ""
    modules: int = 0
    actions: dict[str, int] = field(default_factory=dict)
    restart_reasons: list[dict[str, Any]] = field(default_factory=list)
    not_done: dict[str, int] = field(default_factory=dict)
    applied: str = ""  # "", "hot", "forced" (--apply-restart)
    live: dict[str, Any] = field(default_factory=dict)

    @property
    def consistent(self) -> bool | None:
        """The process after the attempt: fully upgraded, or refused in preflight and
        left untouched on the old release (a refusal is the runtime saying "restart")."""
        if not self.live:
            return None
        runtime = self.live.get("runtime", {})
        broken = any(self.live.get("consistency", {}).values())
        done = runtime.get("outcome") == "applied" and bool(runtime.get("ok"))
        return (
            (done or runtime.get("outcome") == "refused")
            and not broken
            and self.live.get("live_objects", {}).get("status") == "works"
        )


# -- sdists and repositories ---------------------------------------------------------


def sdist(pair_package: str, version: str, sdists: Path) -> Path:
    """The sdist of ``package==version`` in ``sdists``, downloaded when missing."""
    wanted = re.compile(
        rf"^{re.escape(pair_package).replace('_', '[-_]')}-{re.escape(version)}\.(tar\.gz|zip)$",
        re.IGNORECASE,
    )
    for path in sorted(sdists.glob("*")) if sdists.is_dir() else []:
        if wanted.match(path.name):
            return path
    sdists.mkdir(parents=True, exist_ok=True)
    subprocess.run(
        [
            *(sys.executable, "-m", "pip", "download", "--quiet", "--disable-pip-version-check"),
            *("--no-deps", "--no-binary", ":all:", "-d", str(sdists)),
            f"{pair_package}=={version}",
        ],
        check=True,
    )
    return sdist(pair_package, version, sdists)


def unpack(archive: Path, into: Path) -> Path:
    """The sdist's top directory, unpacked once under ``into``."""
    target = into / archive.name.removesuffix(".tar.gz").removesuffix(".zip")
    if not target.is_dir():
        scratch = Path(tempfile.mkdtemp(dir=into))
        if archive.suffix == ".zip":
            shutil.unpack_archive(archive, scratch)
        else:
            with tarfile.open(archive) as tar:
                tar.extractall(scratch, filter="data")
        (top,) = scratch.iterdir()
        top.rename(target)
        scratch.rmdir()
    return target


def git(repo: Path, *args: str) -> str:
    proc = subprocess.run(
        ["git", "-C", str(repo), *args],
        capture_output=True,
        check=True,
        env={**os.environ, **GIT_ENV},
    )
    return proc.stdout.decode("utf-8", "replace")


def put_tree(repo: Path, source: Path) -> None:
    """Make the working tree (everything but ``.git``) a copy of ``source``."""
    for child in repo.iterdir():
        if child.name != ".git":
            shutil.rmtree(child) if child.is_dir() and not child.is_symlink() else child.unlink()
    for child in source.iterdir():
        if child.is_dir() and not child.is_symlink():
            shutil.copytree(child, repo / child.name, symlinks=True)
        else:
            shutil.copy2(child, repo / child.name, follow_symlinks=False)


def make_repo(work: Path, pair: Pair, old: Path, new: Path) -> Path:
    repo = work / "repos" / f"{pair.package}-{pair.old}-{pair.new}"
    if repo.exists():
        shutil.rmtree(repo)
    repo.mkdir(parents=True)
    git(repo, "init", "-q")
    put_tree(repo, old)
    git(repo, "add", "-A", "-f")
    git(repo, "commit", "-q", "-m", pair.name.replace(" -> ", " (base of) "))
    put_tree(repo, new)
    return repo


def source_root(tree: Path, module: str) -> Path:
    for candidate in (tree / "src", tree / "lib", tree):
        if (candidate / module / "__init__.py").is_file():
            return candidate
    raise SystemExit(f"{module} not found in {tree}")


# -- reloadlint -------------------------------------------------------------------


def reloadlint(repo: Path, *args: str) -> subprocess.CompletedProcess[str]:
    path = os.pathsep.join(p for p in (str(REPO), os.environ.get("PYTHONPATH", "")) if p)
    return subprocess.run(
        [sys.executable, "-m", "reloadlint", "--no-cache", *args],
        cwd=repo,
        capture_output=True,
        text=True,
        env={**os.environ, "PYTHONPATH": path},
        check=False,
    )


def lint_and_plan(repo: Path, outcome: Outcome) -> dict[str, Any] | None:
    lint = reloadlint(repo, "--base", "HEAD", "--output-format", "json", ".")
    outcome.lint_exit = lint.returncode
    if lint.returncode in (0, 1):
        outcome.findings = dict(sorted(Counter(d["code"] for d in json.loads(lint.stdout)).items()))
    plan = reloadlint(repo, "--plan", "--base", "HEAD", "--output-format", "json", ".")
    outcome.plan_exit = plan.returncode
    if plan.returncode not in (0, 1):
        outcome.plan_error = (plan.stderr.strip() or f"exit {plan.returncode}")[-2000:]
        return None
    doc = json.loads(plan.stdout)
    modules = [m for g in doc["groups"] for m in g["modules"]]
    outcome.verdict = doc["verdict"]
    outcome.modules = len(modules)
    outcome.actions = dict(Counter(m["action"] for m in modules))
    outcome.restart_reasons = doc["restart_reasons"]
    outcome.not_done = dict(Counter(item["kind"] for item in doc["not_done"]))
    (repo.parent / f"{repo.name}.plan.json").write_text(plan.stdout)
    text = reloadlint(repo, "--plan", "--base", "HEAD", ".")
    (repo.parent / f"{repo.name}.plan.txt").write_text(text.stdout + text.stderr)
    return doc


def forced(doc: dict[str, Any], package: str) -> dict[str, Any]:
    """The plan with its restart reasons dropped, for the package's modules only (the
    live process runs the package, not its tests or examples): what applying it anyway does."""
    doc = json.loads(json.dumps(doc))
    doc["verdict"], doc["restart_reasons"] = "hot", []
    for group in doc["groups"]:
        group["modules"] = [m for m in group["modules"] if m["module"].partition(".")[0] == package]
        for module in group["modules"]:
            if module["action"] == "restart":
                module["action"] = "reload"
            module["reasons"] = []
    doc["groups"] = [g for g in doc["groups"] if g["modules"]]
    return doc


# -- the live process ----------------------------------------------------------------


def live_python(work: Path) -> Path:
    """The live processes' interpreter: a venv with LIVE_DEPENDENCIES, made once."""
    venv = work / "live-venv"
    python = venv / "bin" / "python"
    marker = venv / "dependencies.txt"
    wanted = "\n".join(LIVE_DEPENDENCIES)
    if python.exists() and marker.is_file() and marker.read_text() == wanted:
        return python
    print("[live] creating the live processes' virtual environment ...", flush=True)
    subprocess.run([sys.executable, "-m", "venv", "--clear", str(venv)], check=True)
    pip = [str(python), "-m", "pip", "install", "--quiet", "--disable-pip-version-check"]
    subprocess.run([*pip, *LIVE_DEPENDENCIES], check=True)
    marker.write_text(wanted)
    return python


def run_live(
    python: Path, repo: Path, pair: Pair, old: Path, new: Path, plan: dict[str, Any]
) -> dict[str, Any]:
    """Start the old release in a process, put the new one on disk, apply ``plan``."""
    plan_file = repo.parent / f"{repo.name}.applied.json"
    plan_file.write_text(json.dumps(plan))
    put_tree(repo, old)
    root = source_root(repo, pair.module)
    env = {**os.environ, "PYTHONDONTWRITEBYTECODE": "1", "PYTHONPATH": ""}
    command = [str(python), str(HERE / "real_upgrades_live.py"), pair.module, str(root)]
    proc = subprocess.Popen(
        [*command, str(plan_file)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        cwd=repo.parent,
        env=env,
    )
    try:
        ready = _read_tagged(proc, "READY")
        if ready is None:
            return {"error": "the live process did not start: " + _stderr(proc)}
        put_tree(repo, new)  # the new release, byte for byte what was planned
        assert proc.stdin is not None
        proc.stdin.write("go\n")
        proc.stdin.flush()
        result = _read_tagged(proc, "RESULT")
        if result is None:
            return {"error": "the live process died: " + _stderr(proc)}
        return result
    finally:
        put_tree(repo, new)
        if proc.poll() is None:
            proc.kill()
        proc.wait()


def _read_tagged(proc: subprocess.Popen[str], tag: str) -> dict[str, Any] | None:
    assert proc.stdout is not None
    for line in proc.stdout:
        if line.startswith(f"@@ {tag} "):
            return json.loads(line[len(tag) + 4 :])  # type: ignore[no-any-return]
    return None


def _stderr(proc: subprocess.Popen[str]) -> str:
    proc.kill()
    _, err = proc.communicate()
    return err.strip()[-3000:]


# -- one pair --------------------------------------------------------------------


def run_pair(pair: Pair, work: Path, sdists: Path, apply_restart: bool) -> Outcome:
    outcome = Outcome(pair.name)
    print(f"[{pair.name}] ...", flush=True)
    unpacked = work / "unpacked"
    unpacked.mkdir(parents=True, exist_ok=True)
    old = unpack(sdist(pair.package, pair.old, sdists), unpacked)
    new = unpack(sdist(pair.package, pair.new, sdists), unpacked)
    repo = make_repo(work, pair, old, new)
    outcome.changed_files = len(git(repo, "status", "--porcelain", "-uall").splitlines())
    doc = lint_and_plan(repo, outcome)
    if doc is not None and (doc["verdict"] == "hot" or apply_restart):
        outcome.applied = "hot" if doc["verdict"] == "hot" else "forced"
        plan = doc if doc["verdict"] == "hot" else forced(doc, pair.module)
        outcome.live = run_live(live_python(work), repo, pair, old, new, plan)
    print("   ", row(outcome), flush=True)
    return outcome


# -- the report ------------------------------------------------------------------

HEADER = (
    f"{'pair':<34} {'files':>5} {'findings':>8} {'verdict':<8} {'reasons':>7} "
    f"{'modules':>7}  applied  runtime"
)


def row(o: Outcome) -> str:
    findings = sum(o.findings.values())
    verdict = o.verdict or f"error({o.plan_exit})"
    return (
        f"{o.pair:<34} {o.changed_files:>5} {findings:>8} {verdict:<8} "
        f"{len(o.restart_reasons):>7} {o.modules:>7}  {o.applied or '-':<7}  {live_summary(o)}"
    )


def live_summary(o: Outcome) -> str:
    if not o.live:
        return "-"
    if "error" in o.live:
        return "ERROR " + o.live["error"].splitlines()[-1][:100]
    runtime = o.live.get("runtime", {})
    parts = [runtime.get("outcome", "?")]
    if runtime.get("outcome") in ("applied", "upgrade-error"):
        parts.append(f"{len(runtime.get('modules_reloaded', []))} reloaded")
        parts.append(f"{runtime.get('repointed', 0)} re-pointed")
        if runtime.get("problems"):
            parts.append(f"{len(runtime['problems'])} problems")
    broken = {k: len(v) for k, v in o.live.get("consistency", {}).items() if v}
    parts += [f"{k} {n}" for k, n in broken.items()]
    parts.append("objects " + o.live.get("live_objects", {}).get("status", "?"))
    parts.append("CONSISTENT" if o.consistent else "INCONSISTENT")
    return ", ".join(parts)


def report(outcomes: list[Outcome]) -> str:
    lines = [HEADER, *(row(o) for o in outcomes), ""]
    for o in outcomes:
        lines.append(f"## {o.pair}")
        if o.plan_error:
            lines.append(f"  plan error: {o.plan_error}")
        lines.append(f"  findings: {o.findings}")
        lines.append(f"  actions: {o.actions}; not done: {o.not_done}")
        for reason in o.restart_reasons:
            where = f"{reason['path']}:{reason['line']}" if reason.get("path") else "-"
            lines.append(f"  - {reason['code']} {where}: {reason['message'][:160]}")
        if o.live:
            lines += _live_lines(o.live)
        lines.append("")
    return "\n".join(lines)


def _live_lines(live: dict[str, Any]) -> list[str]:
    if "error" in live:
        return [f"  live: {live['error']}"]
    runtime = live.get("runtime", {})
    lines = [f"  live: imported {live.get('imported')} modules, checked {live.get('checked')}"]
    lines += [f"    import failed: {k}: {v}" for k, v in live.get("import_failures", {}).items()]
    lines.append(f"    runtime: {runtime.get('outcome')} ok={runtime.get('ok')}")
    for key in ("problems", "notes", "error"):
        value = runtime.get(key)
        items = value if isinstance(value, list) else [value] if value else []
        lines += [f"    runtime {key[:-1] if key != 'error' else key}: {i}" for i in items[:20]]
    for key, items in live.get("consistency", {}).items():
        lines += [f"    {key}: {item}" for item in items[:20]]
        if len(items) > 20:
            lines.append(f"    {key}: ... and {len(items) - 20} more")
    objects = live.get("live_objects", {})
    lines.append(f"    live objects: {objects.get('status')} {objects.get('changed_results', '')}")
    if objects.get("error"):
        lines.append("    " + objects["error"].replace("\n", "\n    "))
    return lines


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--work", type=Path, default=REPO / "build" / "real-upgrades", help="scratch directory"
    )
    parser.add_argument("--sdists", type=Path, help="where sdists are kept (default: WORK/sdists)")
    parser.add_argument(
        "--only",
        nargs="+",
        metavar="PACKAGE",
        help="only these packages (PACKAGE, or PACKAGE==OLD for one pair)",
    )
    parser.add_argument(
        "--apply-restart",
        action="store_true",
        help="also apply restart plans, reasons dropped, to see what they protect",
    )
    parser.add_argument("--json", type=Path, help="write every outcome as JSON here")
    args = parser.parse_args(argv)
    work = args.work.resolve()
    work.mkdir(parents=True, exist_ok=True)
    sdists = (args.sdists or work / "sdists").resolve()
    pairs = [
        p for p in PAIRS if not args.only or {p.package, f"{p.package}=={p.old}"} & set(args.only)
    ]
    outcomes = [run_pair(pair, work, sdists, args.apply_restart) for pair in pairs]
    print("\n" + report(outcomes))
    if args.json:
        args.json.write_text(json.dumps([asdict(o) for o in outcomes], indent=2) + "\n")
    failed = [o for o in outcomes if o.plan_error or (o.applied == "hot" and not o.consistent)]
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
