"""``reloadlint run`` on a job server: state kept through a hot edit, migrated through a
version bump, reset by the restart an unsafe edit needs; a broken save waits."""

from __future__ import annotations

import sys
from pathlib import Path

import apps
import pytest
from devsession import DevSession
from helpers import write_tree

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="reloadlint run is POSIX-only")


@pytest.fixture
def jobs(tmp_path: Path) -> DevSession:
    write_tree(tmp_path, apps.JOBSERVER)
    with DevSession(tmp_path, [sys.executable, "-m", "jobserver"]) as session:
        session.out.wait_for("^ready$")
        session.watching()
        yield session


def test_body_only_edit_keeps_the_state_and_new_code_answers(jobs: DevSession) -> None:
    assert jobs.ask("push:a") == "v1 count=1 queue=a"
    jobs.write("jobserver/handlers.py", apps.JOBS_HANDLERS_V2)
    jobs.err.wait_for(r"^reloadlint run: hot: reloaded jobserver\.handlers in \d+ ms$")
    assert jobs.ask("push:b") == "v2 count=2 queue=a,b"


def test_version_bump_migrates_the_live_state(jobs: DevSession) -> None:
    assert jobs.ask("push:a") == "v1 count=1 queue=a"
    assert jobs.ask("push:b") == "v1 count=2 queue=a,b"
    jobs.write("jobserver/store.py", apps.JOBS_STORE_V2)
    jobs.err.wait_for(
        r"^reloadlint run: hot: reloaded jobserver\.store; "
        r"migrated jobserver\.store\.State 1 -> 2 \(1 instance\) in \d+ ms$"
    )
    # The queue was converted by __code_change__, the count kept, the new methods run.
    assert jobs.ask("pop") == "v1 count=3 queue=b@0"
    assert jobs.ask("push:c") == "v1 count=4 queue=b@0,c@0"


def test_unsafe_edit_restarts_with_the_reason_printed(jobs: DevSession) -> None:
    assert jobs.ask("push:a") == "v1 count=1 queue=a"
    jobs.write("jobserver/handlers.py", apps.JOBS_HANDLERS_ENV)
    reason = jobs.err.wait_for(r"RL303")
    assert reason.startswith("jobserver/handlers.py:1:1: RL303 ")
    assert "`JOBS_GREETING`" in reason
    jobs.err.wait_for(r"^reloadlint run: restart needed: 1 reason above$")
    jobs.err.wait_for(r"^reloadlint run: restarting the program$")
    jobs.out.wait_for("^ready$")
    # New code answers; the state is the new process's.
    assert jobs.ask("push:b") == "v3 count=1 queue=b"


def test_a_save_that_does_not_parse_is_reported_and_nothing_applied(jobs: DevSession) -> None:
    assert jobs.ask("push:a") == "v1 count=1 queue=a"
    jobs.write("jobserver/handlers.py", apps.JOBS_HANDLERS_BROKEN)
    error = jobs.err.wait_for(r"RL9\d\d")
    assert error.startswith("jobserver/handlers.py:")
    jobs.err.wait_for(r"^reloadlint run: nothing applied until the files above parse$")
    assert jobs.ask("push:b") == "v1 count=2 queue=a,b"
    jobs.write("jobserver/handlers.py", apps.JOBS_HANDLERS_V2)
    jobs.err.wait_for(r"^reloadlint run: hot: reloaded jobserver\.handlers in \d+ ms$")
    assert jobs.ask("push:c") == "v2 count=3 queue=a,b,c"
    assert "restarting" not in jobs.err.text()
