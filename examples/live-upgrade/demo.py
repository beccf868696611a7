"""Upgrade a running job server from v1 to v2 without losing its state.

    python examples/live-upgrade/demo.py

The demo plays a deploy, step by step, and prints what happens:

1. ``v1/`` (the ``taskd`` job server) is copied into a temporary git repository
   and committed: that commit is what the running process has loaded.
2. The server starts as a subprocess and gets three jobs, which it runs with the
   v1 handlers. Then it is suspended and gets two more, which wait in its queue.
3. ``v2/`` is copied over the working tree: a new ``reverse`` handler, a changed
   ``count`` handler, and ``JobQueue.__vsn__ = 2`` with a new ``done_by_kind``
   field that ``__code_change__`` fills from the jobs already done.
4. ``reloadlint --plan --base HEAD`` shows the plan; the same with
   ``--output-format json`` writes ``plan.json``, which is dropped into the
   server's control directory. At its next update point (between two jobs) the
   server applies it with ``reloadlint.runtime.apply_plan`` and logs the report.
5. The server resumes; the waiting jobs run on the new code, on the same queue.

It ends with the facts: the job count before and after, whether the queue is
the same object, the migrated field, and the results of the waiting jobs. Exit
status 0 when the state survived, 1 when it did not, 2 when the demo could not
run (e.g. the plan's verdict was ``restart``).

The server reads files only (no sockets), stops on its own after
``--max-seconds`` and is killed if it outlives the demo. Everything happens
in a temporary directory, removed at the end unless ``--keep`` is given.
"""

from __future__ import annotations

import argparse
import collections
import json
import os
import shlex
import shutil
import subprocess
import sys
import tempfile
import textwrap
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
V1, V2 = HERE / "v1", HERE / "v2"
COPY_IGNORE = shutil.ignore_patterns("__pycache__", "*.pyc", ".reloadlint_cache")

#: Run before the upgrade (v1 code), then while suspended (they wait for v2).
FIRST_JOBS = [("echo", "hello world"), ("upper", "hot upgrade"), ("count", "no restart needed")]
WAITING_JOBS = [("count", "state survives the reload"), ("reverse", "stressed")]

State = dict[str, Any]


class DemoError(Exception):
    """The demo could not go on (not the same as "the state did not survive")."""


class Server:  # noqa: RL201 - this script is never reloaded
    """The taskd subprocess and its spool directory (inbox/, control/, state.json)."""

    def __init__(self, repo: Path, spool: Path, timeout: float) -> None:
        self.repo, self.spool, self.timeout = repo, spool, timeout
        self.log_path = spool / "server.log"
        self.log_offset = 0
        self.sequence = 0
        self.process: subprocess.Popen[bytes] | None = None

    def start(self, max_seconds: float) -> None:
        (self.spool / "inbox").mkdir(parents=True)
        (self.spool / "control").mkdir()
        env = dict(os.environ, PYTHONPATH=os.pathsep.join([str(self.repo), _reloadlint_root()]))
        env["PYTHONDONTWRITEBYTECODE"] = "1"  # no .pyc: a reload always reads the new source
        command = [sys.executable, "-m", "taskd", str(self.spool)]
        command += ["--max-seconds", f"{max_seconds:g}"]
        with self.log_path.open("wb") as log:
            self.process = subprocess.Popen(
                command, cwd=self.repo, env=env, stdout=log, stderr=subprocess.STDOUT
            )

    def submit(self, kind: str, text: str) -> None:
        self._deliver(self.spool / "inbox", "job.json", json.dumps({"kind": kind, "text": text}))

    def control(self, command: str, content: str = "") -> None:
        self._deliver(self.spool / "control", command, content)

    def _deliver(self, directory: Path, name: str, content: str) -> None:
        """Write under a temporary name, then rename: the server never sees half a file."""
        self.sequence += 1
        target = directory / f"{self.sequence:03d}-{name}"
        partial = target.with_name(target.name + ".tmp")
        partial.write_text(content, encoding="utf-8")
        os.replace(partial, target)

    def state(self) -> State | None:
        try:
            return json.loads((self.spool / "state.json").read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None

    def wait(self, what: str, ready: Callable[[State], bool]) -> State:
        """Poll ``state.json`` until ``ready``; fail after ``timeout`` or if the server died."""
        deadline = time.monotonic() + self.timeout
        while time.monotonic() < deadline:
            state = self.state()
            if state is not None and ready(state):
                return state
            if self.process is not None and self.process.poll() is not None:
                status = self.process.returncode
                raise DemoError(f"the server exited (status {status}) before {what}")
            time.sleep(0.05)
        raise DemoError(f"timed out after {self.timeout:g} s waiting for {what}")

    def show_log(self) -> None:
        """Print the server's log lines written since the last call."""
        data = self.log_path.read_bytes()
        new, self.log_offset = data[self.log_offset :], len(data)
        for line in new.decode("utf-8", "replace").splitlines():
            print(f"  server | {line}")

    def stop(self) -> int | None:
        """Ask the server to stop; kill it if it does not. Returns its exit status."""
        if self.process is None:
            return None
        if self.process.poll() is None:
            self.control("stop")
            try:
                self.process.wait(timeout=max(self.timeout, 10.0))
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        return self.process.returncode


def _reloadlint_root() -> str:
    """The directory to put on the server's path so that it imports this reloadlint."""
    import reloadlint

    return str(Path(reloadlint.__file__).resolve().parent.parent)


def step(number: int, title: str) -> None:
    print(f"\n== {number}. {title}")


def run(command: list[str], cwd: Path, *, shown: str | None = None, quiet: bool = False) -> str:
    """Run a command, echo it (as ``shown``) and its output; return its stdout."""
    print(f"$ {shown or shlex.join(command)}")
    done = subprocess.run(command, cwd=cwd, capture_output=True, text=True, timeout=60)
    if not quiet:
        for line in (done.stdout + done.stderr).rstrip().splitlines():
            print(f"  {line}")
    if done.returncode not in (0, 1):
        shown = shown or shlex.join(command)
        raise DemoError(f"`{shown}` failed ({done.returncode}): {done.stderr}")
    return done.stdout


def describe(state: State) -> str:
    queue = state["queue"]
    text = (
        f"{queue['jobs']} jobs ({queue['done']} done, {queue['pending']} pending), "
        f"JobQueue __vsn__ {queue['class_vsn']}, queue object {state['queue_id']:#x}, "
        f"{state['handlers']}"
    )
    if "done_by_kind" in queue:
        text += f", done_by_kind {queue['done_by_kind']}"
    return text


def copy_tree(source: Path, target: Path) -> None:
    """Copy a version of the app, giving every file a fresh modification time.

    Keeping the checkout's times (``copy2``) could give a changed file of the
    same size the same time as its old version, which git's stat cache (and
    so ``reloadlint --base``) would take for unchanged.
    """
    shutil.copytree(
        source, target, ignore=COPY_IGNORE, copy_function=shutil.copy, dirs_exist_ok=True
    )


def commit_v1(repo: Path) -> None:
    copy_tree(V1, repo)
    git = ["git", "-c", "user.name=demo", "-c", "user.email=demo@example.invalid"]
    git += ["-c", "commit.gpgsign=false", "-c", "init.defaultBranch=main"]
    for command in (["init", "-q"], ["add", "-A"], ["commit", "-q", "-m", "taskd v1"]):
        subprocess.run(git + command, cwd=repo, check=True, capture_output=True, timeout=30)
    run(["git", "log", "--oneline", "--stat"], repo)


def make_plan(repo: Path, plan_path: Path) -> dict[str, Any]:
    """Show the human plan, then write the JSON one; refuse to go on with a restart verdict."""
    reloadlint = [sys.executable, "-m", "reloadlint", "--plan", "--base", "HEAD"]
    run(reloadlint, repo, shown="reloadlint --plan --base HEAD")
    text = run(
        [*reloadlint, "--output-format", "json"],
        repo,
        shown=f"reloadlint --plan --base HEAD --output-format json > {plan_path.name}",
        quiet=True,
    )
    plan_path.write_text(text, encoding="utf-8")
    try:
        plan = json.loads(text)
    except ValueError as error:
        raise DemoError(f"reloadlint did not print a JSON plan: {error}") from None
    for group in plan["groups"]:
        for entry in group["modules"]:
            migrate = ", ".join(
                f"{m['class']} {m['old_vsn']} -> {m['new_vsn']}" for m in entry["migrate"]
            )
            print(f"  {plan_path.name}: {entry['module']}: {entry['action']} {migrate}".rstrip())
    print(f"  {plan_path.name}: verdict {plan['verdict']}")
    if plan["verdict"] != "hot":
        raise DemoError("reloadlint says this change needs a restart; not applying it")
    return plan


def demo(work: Path, timeout: float, max_seconds: float) -> bool:
    repo, server = work / "app", Server(work / "app", work / "spool", timeout)
    print("reloadlint live-upgrade demo: taskd v1 -> v2 while it runs")
    print(f"work directory: {work}")
    try:
        states = _play(repo, server, work / "plan.json", max_seconds)
    finally:
        step(9, "Stop the server")
        status = server.stop()
        if server.log_path.exists():
            server.show_log()
        print(f"  server exit status: {status}")
    return verdict(*states) and status == 0


def _play(
    repo: Path, server: Server, plan_path: Path, max_seconds: float
) -> tuple[State, State, State]:
    step(1, "Deploy v1: a git repository with taskd v1, committed")
    commit_v1(repo)

    step(2, f"Start the server: python -m taskd SPOOL --max-seconds {max_seconds:g}")
    server.start(max_seconds)
    server.wait("the server to start", lambda s: True)
    server.show_log()

    step(3, "Feed it three jobs (v1 code runs them)")
    for kind, text in FIRST_JOBS:
        server.submit(kind, text)
    server.wait("the first jobs", lambda s: s["queue"]["done"] == len(FIRST_JOBS))
    server.show_log()

    step(4, "Suspend it and queue two more jobs: they wait (v1 has no `reverse` handler)")
    server.control("suspend")
    server.wait("suspend", lambda s: s["suspended"])
    for kind, text in WAITING_JOBS:
        server.submit(kind, text)
    total = len(FIRST_JOBS) + len(WAITING_JOBS)
    before = server.wait("the waiting jobs", lambda s: s["queue"]["jobs"] == total)
    server.show_log()
    print(f"  live state before: {describe(before)}")

    step(5, "Copy v2 over the working tree (the process still runs v1)")
    copy_tree(V2, repo)
    run(["git", "diff", "--stat"], repo)

    step(6, "Ask reloadlint for the reload plan")
    make_plan(repo, plan_path)

    step(7, "Drop the plan into the control directory; the server applies it between jobs")
    server.control("upgrade.plan.json", plan_path.read_text(encoding="utf-8"))
    after = server.wait("the upgrade", lambda s: len(s["upgrades"]) == 1)
    server.show_log()
    print(f"  live state after:  {describe(after)}")

    step(8, "Resume: the waiting jobs run on the new code")
    server.control("resume")
    final = server.wait("the waiting jobs to run", lambda s: s["queue"]["done"] == total)
    server.show_log()
    print(f"  live state now:    {describe(final)}")
    return before, after, final


def verdict(before: State, after: State, final: State) -> bool:
    """Print the facts the demo is about; True when every one of them holds."""
    print("\n== Result")
    old, new = before["queue"], after["queue"]
    jobs_kept = old["results"] == new["results"] and old["jobs"] == len(FIRST_JOBS + WAITING_JOBS)
    same_object = before["queue_id"] == after["queue_id"]
    new_class = before["queue_class_id"] != after["queue_class_id"]
    finished_kinds = dict(sorted(collections.Counter(kind for kind, _ in FIRST_JOBS).items()))
    facts = [
        (f"jobs before the upgrade: {old['jobs']}, after: {new['jobs']}", jobs_kept),
        (
            f"same JobQueue object: {_yes(same_object)}, new class: {_yes(new_class)}",
            same_object and new_class,
        ),
        (
            f"JobQueue __vsn__: {old['class_vsn']} -> {new['class_vsn']}",
            (old["class_vsn"], new["class_vsn"]) == (1, 2),
        ),
        (
            f"migrated field done_by_kind: {new.get('done_by_kind')}",
            new.get("done_by_kind") == finished_kinds,
        ),
    ]
    for job in final["queue"]["results"][len(FIRST_JOBS) :]:
        text = f"waiting job {job['id']} {job['kind']}({job['text']!r}) -> {job['result']!r}"
        ran_v2 = job["by"] == "handlers v2" and not str(job["result"]).startswith("error")
        facts.append((f"{text} [{job['by']}]", ran_v2))
    for text, holds in facts:
        print(f"  {'ok  ' if holds else 'FAIL'} {text}")
    survived = all(holds for _, holds in facts)
    print("  the live state survived the upgrade" if survived else "  the live state was NOT kept")
    return survived


def _yes(value: bool) -> str:
    return "yes" if value else "no"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=textwrap.dedent(__doc__ or "").split("\n")[0])
    parser.add_argument("--keep", action="store_true", help="keep the temporary directory")
    parser.add_argument("--timeout", type=float, default=10.0, help="seconds to wait per step")
    parser.add_argument(
        "--max-seconds", type=float, default=30.0, help="the server stops itself after this long"
    )
    args = parser.parse_args(argv)
    work = Path(tempfile.mkdtemp(prefix="reloadlint-demo-")).resolve()
    try:
        survived = demo(work, args.timeout, args.max_seconds)
    except DemoError as error:
        print(f"\ndemo stopped: {error}", file=sys.stderr)
        return 2
    finally:
        if args.keep:
            print(f"kept {work}")
        else:
            shutil.rmtree(work, ignore_errors=True)
    return 0 if survived else 1


if __name__ == "__main__":
    sys.exit(main())
