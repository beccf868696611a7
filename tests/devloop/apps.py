"""The programs the end-to-end tests of ``reloadlint run`` start, and the edits they save.

Both keep state the way docs/guide/state.md says state survives a reload: in a
reload-guarded module-level object of a class with ``__vsn__``, reached through
module attributes (``store.STATE``, ``handlers.handle``) so that a reload
reaches every caller.
"""

from __future__ import annotations

import textwrap

# -- a job server: one job per line of standard input, one answer per line of output ----

JOBS_MAIN = """\
import sys

from reloadlint.devloop import safepoints

from jobserver import handlers, store


def main() -> None:
    print("ready", flush=True)
    for line in safepoints.jobs(sys.stdin):
        print(handlers.handle(line.strip(), store.STATE), flush=True)


main()
"""

JOBS_HANDLERS = '''\
def handle(job: str, state) -> str:
    """push:X queues X, pop takes the oldest; every job is counted."""
    count = state.bump()
    if job.startswith("push:"):
        state.push(job[5:])
    elif job == "pop":
        state.pop()
    return f"v1 count={count} queue={state.waiting()}"
'''

JOBS_STORE = """\
import collections


class State:
    __vsn__ = 1

    def __init__(self) -> None:
        self.count = 0
        self.queue = collections.deque()

    def bump(self) -> int:
        self.count += 1
        return self.count

    def push(self, item: str) -> None:
        self.queue.append(item)

    def pop(self) -> None:
        self.queue.popleft()

    def waiting(self) -> str:
        return ",".join(self.queue)


STATE = globals().get("STATE") or State()
"""

#: A body-only edit: new answers, same state.
JOBS_HANDLERS_V2 = JOBS_HANDLERS.replace('return f"v1 ', 'return f"v2 ')

#: The queue becomes a list of (priority, item): a new state shape, a version bump and a
#: ``__code_change__`` that converts the live queue.
JOBS_STORE_V2 = """\
class State:
    __vsn__ = 2

    def __init__(self) -> None:
        self.count = 0
        self.jobs = []

    def __code_change__(self, old_vsn, extra) -> None:
        if old_vsn == 1:
            self.jobs = [(0, item) for item in self.queue]
            del self.queue

    def bump(self) -> int:
        self.count += 1
        return self.count

    def push(self, item: str) -> None:
        self.jobs.append((0, item))

    def pop(self) -> None:
        self.jobs.pop(0)

    def waiting(self) -> str:
        return ",".join(f"{item}@{priority}" for priority, item in self.jobs)


STATE = globals().get("STATE") or State()
"""

#: Unsafe: the handlers read an environment variable the running process never read
#: (RL303): a reload cannot give it to the process, only a restart can.
JOBS_HANDLERS_ENV = (
    'import os\n\nGREETING = os.environ.get("JOBS_GREETING", "v3")\n\n\n'
    + JOBS_HANDLERS.replace('return f"v1 ', 'return f"{GREETING} ')
)

#: A save in the middle of typing.
JOBS_HANDLERS_BROKEN = JOBS_HANDLERS_V2.replace("return f", "return (f", 1)

JOBSERVER = {
    "jobserver/__init__.py": "",
    "jobserver/__main__.py": JOBS_MAIN,
    "jobserver/handlers.py": JOBS_HANDLERS,
    "jobserver/store.py": JOBS_STORE,
}

# -- a web app: plain ASGI on uvicorn, the middleware marks each request ----------------

WEB_SERVER = """\
from reloadlint.devloop.safepoints import ASGIMiddleware

from webapp import store, views


async def _app(scope, receive, send) -> None:
    status, body = views.route(scope["path"], store.STATE)
    await send(
        {
            "type": "http.response.start",
            "status": status,
            "headers": [(b"content-type", b"text/plain")],
        }
    )
    await send({"type": "http.response.body", "body": body.encode()})


app = ASGIMiddleware(_app)
"""

WEB_VIEWS = """\
def route(path: str, state) -> tuple[int, str]:
    if path == "/version":
        return 200, "v1"
    if path == "/hit":
        return 200, f"v1 hits={state.hit()} recent={state.recent()}"
    return 404, "not found"
"""

WEB_STORE = """\
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

WEB_VIEWS_V2 = WEB_VIEWS.replace('"v1', '"v2')

#: The log becomes a bounded deque: a version bump with a migration.
WEB_STORE_V2 = """\
import collections


class Visits:
    __vsn__ = 2

    def __init__(self) -> None:
        self.hits = 0
        self.log = collections.deque(maxlen=3)

    def __code_change__(self, old_vsn, extra) -> None:
        if old_vsn == 1:
            self.log = collections.deque(self.log, maxlen=3)

    def hit(self) -> int:
        self.hits += 1
        self.log.append(self.hits)
        return self.hits

    def recent(self) -> str:
        return "|".join(map(str, self.log))


STATE = globals().get("STATE") or Visits()
"""

#: Unsafe: a new attribute on live instances without a version bump (RL202); the new
#: views use it.
WEB_STORE_V3 = WEB_STORE_V2.replace(
    "        self.log.append(self.hits)\n",
    "        self.log.append(self.hits)\n        self.last = self.hits\n",
).replace(
    '        return "|".join(map(str, self.log))\n',
    '        return f"{self.last}:" + "|".join(map(str, self.log))\n',
)
WEB_VIEWS_V3 = WEB_VIEWS.replace('"v1', '"v3')

WEBAPP = {
    "webapp/__init__.py": "",
    "webapp/server.py": WEB_SERVER,
    "webapp/views.py": WEB_VIEWS,
    "webapp/store.py": WEB_STORE,
}

# -- the same views behind werkzeug's WSGI server -----------------------------------------

WSGI_MAIN = textwrap.dedent("""\
    import os

    from werkzeug.serving import run_simple

    from reloadlint.devloop.safepoints import WSGIMiddleware

    from webapp import store, views


    def _app(environ, start_response):
        status, body = views.route(environ["PATH_INFO"], store.STATE)
        start_response(f"{status} X", [("Content-Type", "text/plain")])
        return [body.encode()]


    if __name__ == "__main__":
        run_simple("127.0.0.1", int(os.environ["PORT"]), WSGIMiddleware(_app), threaded=True)
""")

WSGIAPP = {
    "webapp/__init__.py": "",
    "webapp/views.py": WEB_VIEWS,
    "webapp/store.py": WEB_STORE,
    "wsgi_main.py": WSGI_MAIN,
}
