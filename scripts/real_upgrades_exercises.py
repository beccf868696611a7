"""What the live process of ``scripts/real_upgrades.py`` holds and runs, per package.

Each package has a ``setup()`` that builds long-lived objects the way an
application would (instances of the package's classes, functions imported by
value, objects that hold other objects), and a ``check(state)`` that uses
them and returns plain values. The live process calls ``check`` before the
upgrade and again after it, on the *same* objects: an exception afterwards
means a live object stopped working; a different value is reported (the new
release may legitimately behave differently).

Only public APIs that both versions of each pair have; nothing touches the
network except the loopback server started for urllib3. No ``from __future__
import annotations``: SQLAlchemy's declarative classes evaluate their
annotations where they are defined.
"""

import http.server
import io
import threading
from collections.abc import Callable
from typing import Any

State = dict[str, Any]


# -- werkzeug ------------------------------------------------------------------


def werkzeug_setup() -> State:
    from werkzeug.datastructures import Headers, MultiDict
    from werkzeug.http import parse_options_header
    from werkzeug.routing import Map, Rule
    from werkzeug.test import Client, EnvironBuilder
    from werkzeug.wrappers import Request, Response

    url_map = Map([Rule("/", endpoint="index"), Rule("/user/<int:uid>", endpoint="user")])

    def app(environ: dict, start_response: Callable) -> Any:
        request = Request(environ)
        endpoint, args = url_map.bind_to_environ(environ).match()
        body = f"{endpoint} {args} {request.args.getlist('a')}"
        return Response(body)(environ, start_response)

    environ = EnvironBuilder(path="/user/3", query_string="a=1&a=2", headers={"X-Test": "y"})
    return {
        "map": url_map,
        "adapter": url_map.bind("example.com"),
        "request": Request(environ.get_environ()),
        "multidict": MultiDict([("a", "1"), ("a", "2")]),
        "headers": Headers({"X": "1"}),
        "response": Response("hello", mimetype="text/plain"),
        "client": Client(app),
        "parse_options_header": parse_options_header,
    }


def werkzeug_check(s: State) -> dict[str, Any]:
    return {
        "match": s["adapter"].match("/user/3"),
        "build": s["adapter"].build("user", {"uid": 4}),
        "args": s["request"].args.getlist("a"),
        "header": s["request"].headers.get("X-Test"),
        "multidict": s["multidict"].getlist("a"),
        "headers": list(s["headers"].items()),
        "response": s["response"].get_data(as_text=True),
        "client": s["client"].get("/user/5?a=x").get_data(as_text=True),
        "options": s["parse_options_header"]('text/html; charset="utf-8"'),
    }


# -- jinja2 --------------------------------------------------------------------


def jinja2_setup() -> State:
    from jinja2 import DictLoader, Environment, Template
    from jinja2.sandbox import SandboxedEnvironment

    templates = {
        "base.html": "<p>{% block body %}{% endblock %}</p>",
        "page.html": "{% extends 'base.html' %}{% block body %}"
        "{% for x in items %}{{ x|upper }},{% endfor %}{% endblock %}",
    }
    env = Environment(loader=DictLoader(templates), autoescape=True)
    return {
        "env": env,
        "page": env.get_template("page.html"),
        "sandbox": SandboxedEnvironment(),
        "Template": Template,
    }


def jinja2_check(s: State) -> dict[str, Any]:
    return {
        "page": s["page"].render(items=["a", "<b>"]),
        "string": s["env"].from_string("{{ 1 + 2 }} {{ x|default('d') }}").render(),
        "sandbox": s["sandbox"].from_string("{{ x.upper() }}").render(x="s"),
        "template": s["Template"]("{% if x %}{{ x }}{% endif %}").render(x=5),
    }


# -- httpx ---------------------------------------------------------------------


def httpx_setup() -> State:
    import httpx

    def handler(request: Any) -> Any:
        return httpx.Response(200, json={"path": request.url.path, "q": request.url.query.decode()})

    return {
        "client": httpx.Client(transport=httpx.MockTransport(handler), base_url="http://test"),
        "url": httpx.URL("http://example.com/a/b?c=1"),
        "headers": httpx.Headers({"a": "1", "B": "2"}),
        "Request": httpx.Request,
    }


def httpx_check(s: State) -> dict[str, Any]:
    response = s["client"].get("/x", params={"q": "1"})
    return {
        "get": response.json(),
        "status": response.status_code,
        "join": str(s["url"].join("d")),
        "params": str(s["url"].copy_merge_params({"e": "2"})),
        "headers": list(s["headers"].items()),
        "request": s["Request"]("POST", "http://h/", json={"a": 1}).read().decode(),
    }


# -- rich ----------------------------------------------------------------------


def rich_setup() -> State:
    from rich.console import Console
    from rich.panel import Panel
    from rich.pretty import pretty_repr
    from rich.table import Table
    from rich.text import Text

    table = Table(title="t")
    table.add_column("name")
    table.add_column("n", justify="right")
    table.add_row("a", "1")
    text = Text("hello world")
    text.stylize("bold", 0, 5)
    console = Console(file=io.StringIO(), width=50, color_system=None, force_terminal=False)
    return {
        "console": console,
        "table": table,
        "text": text,
        "panel": Panel("inside", title="p"),
        "pretty_repr": pretty_repr,
    }


def rich_check(s: State) -> dict[str, Any]:
    console = s["console"]
    with console.capture() as capture:
        console.print(s["table"])
        console.print(s["text"])
        console.print(s["panel"])
    return {"printed": capture.get(), "pretty": s["pretty_repr"]({"a": [1, 2, {"b": None}]})}


# -- starlette -----------------------------------------------------------------


def starlette_setup() -> State:
    from starlette.applications import Starlette
    from starlette.datastructures import URL, QueryParams
    from starlette.responses import JSONResponse
    from starlette.routing import Route
    from starlette.testclient import TestClient

    async def home(request: Any) -> Any:
        return JSONResponse({"path": request.url.path, "q": request.query_params.get("q")})

    app = Starlette(routes=[Route("/", home), Route("/x/{n:int}", home)])
    return {
        "app": app,
        "client": TestClient(app),
        "url": URL("http://example.com/a?b=1"),
        "params": QueryParams("a=1&a=2"),
    }


def starlette_check(s: State) -> dict[str, Any]:
    response = s["client"].get("/x/3?q=1")
    return {
        "get": response.json(),
        "missing": s["client"].get("/nope").status_code,
        "url": str(s["url"].replace(path="/c")),
        "params": s["params"].getlist("a"),
    }


# -- pydantic (1.x) ------------------------------------------------------------


def pydantic_setup() -> State:
    from pydantic import BaseModel, ValidationError, validator

    class User(BaseModel):
        id: int
        name: str = "anonymous"
        tags: list[str] = []

        @validator("name")
        def strip(cls, value: str) -> str:
            return value.strip()

    return {"User": User, "user": User(id="3", name=" bob "), "ValidationError": ValidationError}


def pydantic_check(s: State) -> dict[str, Any]:
    user_class = s["User"]
    try:
        user_class(id="x")
        error: Any = None
    except s["ValidationError"] as exc:
        error = exc.errors()
    return {
        "dict": s["user"].dict(),
        "json": user_class(id=4, tags=["a"]).json(),
        "copy": s["user"].copy(update={"id": 5}).dict(),
        "error": error,
        "schema": sorted(user_class.schema()["properties"]),
    }


# -- sqlalchemy (2.0) ----------------------------------------------------------


def sqlalchemy_setup() -> State:
    from sqlalchemy import String, create_engine, select, text
    from sqlalchemy.orm import DeclarativeBase, Mapped, Session, mapped_column

    class Base(DeclarativeBase):
        pass

    class Item(Base):
        __tablename__ = "item"
        id: Mapped[int] = mapped_column(primary_key=True)
        name: Mapped[str] = mapped_column(String(30))

    engine = create_engine("sqlite://")
    Base.metadata.create_all(engine)
    session = Session(engine)
    session.add_all([Item(name="a"), Item(name="b")])
    session.commit()
    return {
        "engine": engine,
        "session": session,
        "Item": Item,
        "select": select,
        "text": text,
        "query": select(Item).where(Item.name == "a"),
    }


def sqlalchemy_check(s: State) -> dict[str, Any]:
    item, select = s["Item"], s["select"]
    with s["engine"].connect() as connection:
        scalar = connection.execute(s["text"]("select 1 + 1")).scalar()
    return {
        "names": [i.name for i in s["session"].scalars(select(item).order_by(item.id))],
        "query": [i.name for i in s["session"].scalars(s["query"])],
        "sql": str(s["query"]).split(),
        "scalar": scalar,
    }


# -- urllib3 -------------------------------------------------------------------


class _Handler(http.server.BaseHTTPRequestHandler):
    def do_GET(self) -> None:
        body = f"path={self.path}".encode()
        self.send_response(200)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: Any) -> None:
        pass


def urllib3_setup() -> State:
    import urllib3
    from urllib3.util import Retry, Timeout, parse_url

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    headers = urllib3.HTTPHeaderDict({"a": "1"})
    headers.add("a", "2")
    return {
        "server": server,
        "pool": urllib3.PoolManager(num_pools=2),
        "retry": Retry(total=3, backoff_factor=0.1),
        "timeout": Timeout(connect=1.0, read=2.0),
        "headers": headers,
        "parse_url": parse_url,
    }


def urllib3_check(s: State) -> dict[str, Any]:
    port = s["server"].server_address[1]
    url = s["parse_url"]("http://user@host:81/p?q=1#f")
    response = s["pool"].request("GET", f"http://127.0.0.1:{port}/hello", retries=s["retry"])
    return {
        "url": [url.scheme, url.auth, url.host, url.port, url.path, url.query, url.fragment],
        "retry": s["retry"].new(total=1).total,
        "timeout": [s["timeout"].connect_timeout, s["timeout"].read_timeout],
        "headers": s["headers"].getlist("a"),
        "get": [response.status, response.data.decode()],
    }


# -- markdown ------------------------------------------------------------------

_MARKDOWN = """# Title

Some *text* with a footnote[^1].

| a | b |
|---|---|
| 1 | 2 |

```python
x = 1
```

[^1]: The note.
"""


def markdown_setup() -> State:
    import markdown

    md = markdown.Markdown(extensions=["tables", "fenced_code", "toc", "footnotes"])
    return {"md": md, "markdown": markdown.markdown}


def markdown_check(s: State) -> dict[str, Any]:
    md = s["md"]
    html = md.reset().convert(_MARKDOWN)
    return {"html": html, "toc": md.toc, "plain": s["markdown"]("a **b** <c>")}


# -- anyio ---------------------------------------------------------------------


def anyio_setup() -> State:
    import anyio

    return {
        "anyio": anyio,
        "limiter": anyio.CapacityLimiter(2),
        "run": anyio.run,
        "streams": anyio.create_memory_object_stream,
    }


def anyio_check(s: State) -> dict[str, Any]:
    anyio, limiter = s["anyio"], s["limiter"]

    async def main() -> list[int]:
        send, receive = s["streams"](10)
        results: list[int] = []

        async def worker(n: int) -> None:
            async with limiter:
                await anyio.sleep(0)
                await send.send(n * n)

        async with anyio.create_task_group() as group:
            for n in range(4):
                group.start_soon(worker, n)
        send.close()
        async for value in receive:
            results.append(value)
        return sorted(results)

    return {"squares": s["run"](main), "tokens": limiter.total_tokens}


EXERCISES: dict[str, tuple[Callable[[], State], Callable[[State], dict[str, Any]]]] = {
    name: (globals()[f"{name}_setup"], globals()[f"{name}_check"])
    for name in (
        "werkzeug",
        "jinja2",
        "httpx",
        "rich",
        "starlette",
        "pydantic",
        "sqlalchemy",
        "urllib3",
        "markdown",
        "anyio",
    )
}
