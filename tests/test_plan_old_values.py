"""The plan's "values made by the old version" section: RL6 findings are listed with what must
happen, in text and JSON, and never change the verdict (a restart does not change queued
messages or stored values)."""

from __future__ import annotations

from pathlib import Path

import pytest
from gitrepo import isolate_git
from test_plan import Repo

V1 = {
    "app/__init__.py": "",
    "app/views.py": """
        from redis import Redis
        from rq import Queue

        from app import tasks

        queue = Queue(connection=Redis())


        def signed_up(user_id):
            queue.enqueue(tasks.send_welcome, user_id=user_id)
    """,
    "app/tasks.py": """
        def send_welcome(user_id):
            return user_id
    """,
}


@pytest.fixture(autouse=True)
def isolated_git(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    isolate_git(tmp_path, monkeypatch)


def test_a_changed_task_signature_is_listed_and_the_plan_stays_hot(tmp_path: Path) -> None:
    repo = Repo(tmp_path / "repo", V1)
    repo.write(
        {
            "app/tasks.py": """
                def send_welcome(account_id):
                    return account_id
            """
        }
    )
    _, plan = repo.plan()
    assert plan["verdict"] == "hot"
    assert plan["restart_reasons"] == []
    [value] = plan["old_values"]
    assert (value["code"], value["path"], value["line"]) == ("RL602", "app/tasks.py", 2)
    assert "`user_id` removed or renamed" in value["message"]
    assert value["what_to_do"].startswith("drain the queue")
    code, text, _ = repo.run()
    assert code == 0
    section = text.split("Values made by the old version")[1].split("Verdict:")[0]
    assert "RL602 app/tasks.py:2:" in section
    assert "what must happen: drain the queue" in section


def test_a_compatible_change_lists_nothing(tmp_path: Path) -> None:
    repo = Repo(tmp_path / "repo", V1)
    repo.write(
        {
            "app/tasks.py": """
                def send_welcome(user_id, *, locale="en"):
                    return user_id, locale
            """
        }
    )
    _, plan = repo.plan()
    assert (plan["verdict"], plan["old_values"]) == ("hot", [])
    assert "Values made by the old version" not in repo.run()[1]


def test_rl6_rules_switched_off_are_named_in_not_done(tmp_path: Path) -> None:
    repo = Repo(tmp_path / "repo", V1)
    repo.write({"app/tasks.py": "def send_welcome(account_id):\n    return account_id\n"})
    _, plan = repo.plan("--ignore", "RL602")
    disabled = [n["message"] for n in plan["not_done"] if n["kind"] == "rule-disabled"]
    assert any(m.startswith("RL602 (task-signature-changed)") for m in disabled)
    assert (plan["verdict"], plan["old_values"]) == ("hot", [])
