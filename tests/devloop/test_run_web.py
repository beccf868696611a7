"""``reloadlint run`` on web apps served by real servers: uvicorn (ASGI) and werkzeug's
development server (WSGI), each request a unit of work through the middleware."""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

import apps
import pytest
from devsession import DevSession, free_port, get, get_until
from helpers import write_tree

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="reloadlint run is POSIX-only")


def _uvicorn(port: int) -> list[str]:
    """The console script, as a user types it, when it is installed next to this Python."""
    script = shutil.which("uvicorn", path=str(Path(sys.executable).parent))
    command = [script] if script else [sys.executable, "-m", "uvicorn"]
    return [*command, "webapp.server:app", "--host", "127.0.0.1", "--port", str(port),
            "--lifespan", "off"]  # fmt: skip


def test_uvicorn_app_hot_edit_migration_and_restart(tmp_path: Path) -> None:
    write_tree(tmp_path, apps.WEBAPP)
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    with DevSession(tmp_path, _uvicorn(port)) as run:
        assert get(f"{url}/version") == "v1"
        run.watching()
        assert get(f"{url}/hit") == "v1 hits=1 recent=1"
        assert get(f"{url}/hit") == "v1 hits=2 recent=1,2"

        # A body-only edit: the state is kept and the new code answers.
        run.write("webapp/views.py", apps.WEB_VIEWS_V2)
        run.err.wait_for(r"^reloadlint run: hot: reloaded webapp\.views in \d+ ms$")
        assert get(f"{url}/hit") == "v2 hits=3 recent=1,2,3"

        # A version bump: the live state is migrated by __code_change__.
        run.write("webapp/store.py", apps.WEB_STORE_V2)
        run.err.wait_for(
            r"^reloadlint run: hot: reloaded webapp\.store; "
            r"migrated webapp\.store\.Visits 1 -> 2 \(1 instance\) in \d+ ms$"
        )
        assert get(f"{url}/hit") == "v2 hits=4 recent=2|3|4"

        # Unsafe: new state without a version bump. The reason first, then a restart.
        run.write("webapp/views.py", apps.WEB_VIEWS_V3)
        run.write("webapp/store.py", apps.WEB_STORE_V3)
        reason = run.err.wait_for(r"RL202")
        assert reason.startswith("webapp/store.py:")
        assert "`last`" in reason
        run.err.wait_for(r"^reloadlint run: restarting the program$")
        assert get_until(f"{url}/version", "^v3$") == "v3"
        assert get(f"{url}/hit") == "v3 hits=1 recent=1:1"
        assert "Traceback" not in run.err.text(), run.transcript()


def test_werkzeug_wsgi_app_hot_edit_keeps_state(tmp_path: Path) -> None:
    write_tree(tmp_path, apps.WSGIAPP)
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    with DevSession(tmp_path, [sys.executable, "wsgi_main.py"], env={"PORT": str(port)}) as run:
        assert get(f"{url}/version") == "v1"
        run.watching()
        assert get(f"{url}/hit") == "v1 hits=1 recent=1"
        run.write("webapp/views.py", apps.WEB_VIEWS_V2)
        run.err.wait_for(r"^reloadlint run: hot: reloaded webapp\.views in \d+ ms$")
        assert get(f"{url}/hit") == "v2 hits=2 recent=1,2"
        # The program's own file runs once, as __main__: a change to it restarts.
        run.write("wsgi_main.py", apps.WSGI_MAIN.replace('X"', 'OK"'))
        reason = run.err.wait_for(r"not-reloadable")
        assert reason.startswith("wsgi_main.py:1:1: not-reloadable ")
        run.err.wait_for(r"^reloadlint run: restarting the program$")
        assert get_until(f"{url}/hit", "hits=1 ") == "v2 hits=1 recent=1"
