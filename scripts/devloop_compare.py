"""``reloadlint run`` next to uvicorn --reload, IPython's autoreload and jurigged, on the
same edits of the same small web app (docs/devloop-compared.md).

    python scripts/devloop_compare.py                  # every tool, every edit, 3 runs each
    python scripts/devloop_compare.py --repeat 1 --tools reloadlint jurigged
    python scripts/devloop_compare.py --out results.md

The app keeps state in a reload-guarded object (``store.STATE``: a hit count and
the recent hits) and answers ``/hit`` with ``GREETING vN hits=... recent=...``;
``/code`` names the version of each module's code that runs (``views.CODE``...,
read through the module, so that every tool updates it). Each run starts the
tool in a fresh copy of the app, hits it twice (``hits=2``), saves one edit
(``--save in-place``, the default: one write into the file; ``--save
rename``: written next to it and renamed over it, as some editors save), asks
``/code`` every 20 ms until the new version answers (the time from save to new
code; 30 s without it: "never"), then asks ``/hit`` once and compares the answer
with what a correct process answers: the new code on the kept state
(``hits=3``), or the new code on a fresh state (``hits=1``: correct, state lost).
Anything else is wrong (an error, or the old value answered by new code).

The edits:

- ``body``: a function's body changes (the answer says ``v2``);
- ``vsn``: the state's class changes shape with a ``__vsn__`` bump and a
  ``__code_change__`` that converts the live instance (the recent hits become a
  bounded deque printed with ``|``);
- ``shape``: the state's class gains an attribute set in ``__init__`` and read
  by a method, without a version bump (unsafe to hot-apply: old instances lack it);
- ``constant``: a constant that another module imports by value
  (``from webapp.config import GREETING``) changes.

The tools: ``reloadlint run -- uvicorn ...``; ``uvicorn --reload``; ``jurigged
-m uvicorn ...`` (every module of the app watched); IPython with ``%autoreload
2``, where a "request" is a cell that calls the view (autoreload runs before
each cell, so its time from save to new code is the time to the next cell).
Everything runs from this Python's environment (the dev extras install them).
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import platform
import queue
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

# -- the app -------------------------------------------------------------------------------

SERVER = """\
from reloadlint.devloop.safepoints import ASGIMiddleware

from webapp import config, store, views


async def _app(scope, receive, send) -> None:
    status, body = answer(scope["path"])
    await send({"type": "http.response.start", "status": status,
                "headers": [(b"content-type", b"text/plain")]})
    await send({"type": "http.response.body", "body": body.encode()})


def answer(path: str) -> tuple[int, str]:
    if path == "/code":
        return 200, f"{views.CODE} {store.CODE} {config.CODE}"
    try:
        return views.route(path, store.STATE)
    except Exception as error:
        return 500, f"{type(error).__name__}: {error}"


app = ASGIMiddleware(_app)
"""

CONFIG = 'CODE = "config-1"\nGREETING = "hello"\n'

VIEWS = """\
from webapp.config import GREETING

CODE = "views-1"


def route(path: str, state) -> tuple[int, str]:
    if path == "/hit":
        return 200, f"{GREETING} v1 hits={state.hit()} recent={state.recent()}"
    return 404, "not found"
"""

STORE = """\
CODE = "store-1"


class Visits:
    __vsn__ = 1

    def __init__(self) -> None:
        self.hits = 0
        self.log = []

    def hit(self) -> int:
        self.hits += 1
        self.log.append(self.hits)
        return self.hits

    def recent(self) -> str:
        return ",".join(map(str, self.log[-3:]))


STATE = globals().get("STATE") or Visits()
"""

STORE_VSN = """\
import collections

CODE = "store-2"


class Visits:
    __vsn__ = 2

    def __init__(self) -> None:
        self.hits = 0
        self.recent_hits = collections.deque(maxlen=3)

    def __code_change__(self, old_vsn, extra) -> None:
        if old_vsn == 1:
            self.recent_hits = collections.deque(self.log, maxlen=3)
            del self.log

    def hit(self) -> int:
        self.hits += 1
        self.recent_hits.append(self.hits)
        return self.hits

    def recent(self) -> str:
        return "|".join(map(str, self.recent_hits))


STATE = globals().get("STATE") or Visits()
"""

STORE_SHAPE = (
    STORE.replace('"store-1"', '"store-2"')
    .replace("        self.log = []\n", "        self.log = []\n        self.window = 3\n")
    .replace("self.log[-3:]", "self.log[-self.window:]")
)

APP = {
    "webapp/__init__.py": "",
    "webapp/server.py": SERVER,
    "webapp/config.py": CONFIG,
    "webapp/views.py": VIEWS,
    "webapp/store.py": STORE,
}


@dataclass(frozen=True)
class Edit:
    name: str
    what: str
    path: str
    text: str
    code: str  # what /code answers once the new code runs
    kept: str  # /hit's correct answer on the kept state (the third hit)
    fresh: str  # /hit's correct answer on a fresh state (the first hit)


EDITS = [
    Edit(
        "body",
        "a function's body",
        "webapp/views.py",
        VIEWS.replace('"views-1"', '"views-2"').replace(" v1 ", " v2 "),
        "views-2 store-1 config-1",
        "hello v2 hits=3 recent=1,2,3",
        "hello v2 hits=1 recent=1",
    ),
    Edit(
        "vsn",
        "`__vsn__` bump with `__code_change__`",
        "webapp/store.py",
        STORE_VSN,
        "views-1 store-2 config-1",
        "hello v1 hits=3 recent=1|2|3",
        "hello v1 hits=1 recent=1",
    ),
    Edit(
        "shape",
        "new attribute, no `__vsn__` bump",
        "webapp/store.py",
        STORE_SHAPE,
        "views-1 store-2 config-1",
        "hello v1 hits=3 recent=1,2,3",
        "hello v1 hits=1 recent=1",
    ),
    Edit(
        "constant",
        "constant imported by value",
        "webapp/config.py",
        CONFIG.replace('"config-1"', '"config-2"').replace('"hello"', '"hi"'),
        "views-1 store-1 config-2",
        "hi v1 hits=3 recent=1,2,3",
        "hi v1 hits=1 recent=1",
    ),
]

# -- the tools -----------------------------------------------------------------------------

BIN = Path(sys.executable).parent


def _script(name: str) -> list[str]:
    found = shutil.which(name, path=str(BIN))
    if found is None:
        raise SystemExit(
            f"{name} is not installed next to {sys.executable} (pip install -e '.[dev]')"
        )
    return [found]


def _uvicorn_args(port: int) -> list[str]:
    return [
        "webapp.server:app",
        "--host",
        "127.0.0.1",
        "--port",
        str(port),
        "--lifespan",
        "off",
        "--log-level",
        "warning",
    ]


class Tool:
    """A running tool with the app; ``ask(path)`` -> (status, body), status 0: no answer."""

    name = ""

    def __init__(self, project: Path) -> None:
        self.project = project
        self.process: subprocess.Popen[str] | None = None

    def start(self) -> None:
        raise NotImplementedError

    def ask(self, path: str) -> tuple[int, str]:
        raise NotImplementedError

    def _spawn(self, argv: list[str], **kwargs: object) -> None:
        env = {**os.environ, "PYTHONDONTWRITEBYTECODE": "1"}
        env.pop("RELOADLINT_RUN", None)
        self.process = subprocess.Popen(  # type: ignore[call-overload]
            argv, cwd=self.project, env=env, text=True, start_new_session=True, **kwargs
        )

    def stop(self) -> None:
        if self.process is None:
            return
        try:
            os.killpg(self.process.pid, signal.SIGINT)
            self.process.wait(timeout=30)
        except (OSError, subprocess.TimeoutExpired):
            pass
        with contextlib.suppress(OSError):
            os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait()


class HTTPTool(Tool):
    def __init__(self, project: Path) -> None:
        super().__init__(project)
        self.port = _free_port()

    def ask(self, path: str) -> tuple[int, str]:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{self.port}{path}", timeout=30) as r:
                return r.status, r.read().decode()
        except urllib.error.HTTPError as error:
            return error.code, error.read().decode()
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            return 0, ""


class ReloadlintRun(HTTPTool):
    name = "reloadlint run"

    def start(self) -> None:
        argv = [*_script("reloadlint"), "run", "--isolated", "--", *_script("uvicorn")]
        self._spawn([*argv, *_uvicorn_args(self.port)], stderr=subprocess.PIPE)
        self.lines: queue.Queue[str] = queue.Queue()
        threading.Thread(target=_pump, args=(self.process.stderr, self.lines), daemon=True).start()
        _wait_for(self.lines, "reloadlint run: watching ")

    def notes(self) -> list[str]:
        found = []
        while True:
            try:
                line = self.lines.get_nowait()
            except queue.Empty:
                return found
            if line.startswith("reloadlint run: ") or ": RL" in line:
                found.append(line)


class UvicornReload(HTTPTool):
    name = "uvicorn --reload"

    def start(self) -> None:
        self._spawn(
            [
                *_script("uvicorn"),
                *_uvicorn_args(self.port),
                "--reload",
                "--reload-dir",
                str(self.project),
            ],
            stderr=subprocess.DEVNULL,
        )


class Jurigged(HTTPTool):
    name = "jurigged"

    def start(self) -> None:
        argv = [*_script("jurigged"), "-w", str(self.project / "webapp"), "-m", "uvicorn"]
        self._spawn([*argv, *_uvicorn_args(self.port)], stderr=subprocess.DEVNULL)


IPYTHON_DRIVER = """\
import json, sys
from IPython.core.interactiveshell import InteractiveShell

shell = InteractiveShell.instance()
shell.run_line_magic("load_ext", "autoreload")
shell.run_line_magic("autoreload", "2")
shell.run_cell("from webapp import server")
print("@@ready", flush=True)
for line in sys.stdin:
    result = shell.run_cell(f"_answer = server.answer({line.strip()!r})")
    if result.error_before_exec or result.error_in_exec:
        error = result.error_before_exec or result.error_in_exec
        answer = [500, f"{type(error).__name__}: {error}"]
    else:
        answer = list(shell.user_ns["_answer"])
    print("@@" + json.dumps(answer), flush=True)
"""


class IPythonAutoreload(Tool):
    name = "IPython %autoreload 2"

    def start(self) -> None:
        self._spawn(
            [sys.executable, "-c", IPYTHON_DRIVER],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            bufsize=1,
        )
        self.lines: queue.Queue[str] = queue.Queue()
        threading.Thread(target=_pump, args=(self.process.stdout, self.lines), daemon=True).start()
        _wait_for(self.lines, "@@ready")

    def ask(self, path: str) -> tuple[int, str]:
        assert self.process is not None and self.process.stdin is not None
        self.process.stdin.write(path + "\n")
        self.process.stdin.flush()
        line = _wait_for(self.lines, "@@")
        status, body = json.loads(line[2:])
        return int(status), str(body)


TOOLS: dict[str, Callable[[Path], Tool]] = {
    "reloadlint": ReloadlintRun,
    "uvicorn": UvicornReload,
    "jurigged": Jurigged,
    "ipython": IPythonAutoreload,
}

# -- one run -------------------------------------------------------------------------------

NEVER = 30.0


@dataclass
class Outcome:
    seconds: float | None  # save to new code; None: never within NEVER
    answer: tuple[int, str]
    verdict: str  # kept | reset | wrong | old (the new code never answered)
    notes: list[str]


def one_run(tool_name: str, edit: Edit, save: str) -> Outcome:
    with tempfile.TemporaryDirectory(prefix="reloadlint-compare-") as tmp:
        project = Path(tmp)
        for relative, text in APP.items():
            (project / relative).parent.mkdir(parents=True, exist_ok=True)
            (project / relative).write_text(text)
        tool = TOOLS[tool_name](project)
        tool.start()
        try:
            _until(lambda: tool.ask("/code")[0] == 200, 120)
            for expected in ("hits=1", "hits=2"):
                status, body = tool.ask("/hit")
                if expected not in body:
                    raise SystemExit(f"{tool.name}: unexpected first answer {status} {body!r}")
            time.sleep(1.0)  # mtimes of the save differ from the start's (autoreload compares them)
            saved = time.monotonic()
            _save(project / edit.path, edit.text, save)
            seconds: float | None = None
            while time.monotonic() - saved < NEVER:
                status, body = tool.ask("/code")
                if status == 200 and body == edit.code:
                    seconds = time.monotonic() - saved
                    break
                time.sleep(0.02)
            time.sleep(0.5)  # a reloader that applies in steps has finished
            answer = tool.ask("/hit")
            if answer[0] == 0:  # restarting: wait for it
                _until(lambda: tool.ask("/code")[0] == 200, 60)
                answer = tool.ask("/hit")
            if seconds is None:
                verdict = "old"  # whatever it answers, it is not the new code
            elif answer == (200, edit.kept):
                verdict = "kept"
            elif answer == (200, edit.fresh):
                verdict = "reset"
            else:
                verdict = "wrong"

            notes = tool.notes() if isinstance(tool, ReloadlintRun) else []
            return Outcome(seconds, answer, verdict, notes)
        finally:
            tool.stop()


def _save(path: Path, text: str, how: str) -> None:
    """``in-place``: one write into the file (truncated first); ``rename``: written next
    to it and renamed over it (an editor's "atomic" save)."""
    if how == "in-place":
        path.write_text(text)
        return
    temporary = path.with_name(f".{path.name}.saving~")
    temporary.write_text(text)
    os.replace(temporary, path)


def _until(condition: Callable[[], bool], timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise SystemExit("the tool did not answer in time")
        time.sleep(0.05)


def _pump(stream: object, sink: queue.Queue[str]) -> None:
    for line in stream:  # type: ignore[attr-defined]
        sink.put(line.rstrip("\n"))


def _wait_for(sink: queue.Queue[str], prefix: str, timeout: float = 120) -> str:
    deadline = time.monotonic() + timeout
    while True:
        line = sink.get(timeout=max(0.1, deadline - time.monotonic()))
        if line.startswith(prefix):
            return line


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


# -- the table -----------------------------------------------------------------------------

VERDICTS = {
    "kept": "correct, state kept",
    "reset": "correct, state lost",
    "wrong": "WRONG",
    "old": "WRONG: the old code still answers",
}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--tools", nargs="+", choices=list(TOOLS), default=list(TOOLS))
    parser.add_argument(
        "--edits", nargs="+", choices=[e.name for e in EDITS], default=[e.name for e in EDITS]
    )
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument(
        "--save",
        choices=["in-place", "rename"],
        default="in-place",
        help="how the edit is saved (jurigged 0.6 misses renames)",
    )
    parser.add_argument("--out", type=Path)
    args = parser.parse_args()
    before = os.getloadavg()[0]
    rows = [
        "| edit | tool | result | answer after the save | save to new code (median, min-max) |",
        "| --- | --- | --- | --- | --- |",
    ]
    details = []
    for edit in [e for e in EDITS if e.name in args.edits]:
        for tool_name in args.tools:
            outcomes = [one_run(tool_name, edit, args.save) for _ in range(args.repeat)]
            verdicts = sorted({VERDICTS[o.verdict] for o in outcomes})
            # A table cell: a pipe, even in code, ends it unless escaped.
            answers = sorted({f"{o.answer[0]} {o.answer[1]}".replace("|", "\\|") for o in outcomes})
            times = [o.seconds for o in outcomes if o.seconds is not None]
            never = len(outcomes) - len(times)
            timing = (
                f"{statistics.median(times) * 1000:.0f} ms ({min(times) * 1000:.0f}-"
                f"{max(times) * 1000:.0f})"
                if times
                else "never"
            ) + (f", never in {never} of {len(outcomes)}" if times and never else "")
            row = (
                f"| {edit.what} | {TOOLS[tool_name].__dict__.get('name') or tool_name} "
                f"| {' / '.join(verdicts)} | `{' / '.join(answers)}` | {timing} |"
            )
            rows.append(row)
            print(row, flush=True)
            for outcome in outcomes[:1]:
                if outcome.notes:
                    details.append(f"{edit.name}, {tool_name}:\n" + "\n".join(outcome.notes))
    after = os.getloadavg()[0]
    header = (
        f"`python scripts/devloop_compare.py --repeat {args.repeat} --save {args.save}`: Python "
        f"{platform.python_version()}, {os.cpu_count()} CPUs, load average {before:.1f} "
        f"before and {after:.1f} after."
    )
    text = "\n".join(
        [header, "", *rows, "", "What reloadlint run said (first run of each):", ""]
        + [f"```text\n{d}\n```\n" for d in details]
    )
    print(text)
    if args.out:
        args.out.write_text(text + "\n")


if __name__ == "__main__":
    main()
