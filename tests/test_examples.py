"""The bundled examples: what the README shows must keep working.

- ``reloadlint examples/jobserver`` (the README's first command) finds exactly
  the hazards the example was written with, and nothing else;
- the example server is real code that runs;
- the live-upgrade demo upgrades a running server from v1 to v2 with the real
  ``reloadlint --plan`` and ``reloadlint.runtime.apply_plan``, and its
  transcript shows that the live state survived.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from reloadlint.cli import command

REPO = Path(__file__).resolve().parent.parent
EXAMPLES = REPO / "examples"
DEMO = EXAMPLES / "live-upgrade" / "demo.py"

#: Each hazard written into examples/jobserver, and the near-misses that must stay
#: unreported: ``from jobserver.jobs import JobQueue`` (annotations only), the
#: ``Worker`` thread (declares ``__vsn__``), ``from jobserver import settings``.
JOBSERVER_FINDINGS = {
    ("examples/jobserver/handlers.py", 12, "RL401"),  # _reports_written filled by write_report()
    ("examples/jobserver/jobs.py", 13, "RL102"),  # from jobserver.settings import MAX_RETRIES
    ("examples/jobserver/jobs.py", 16, "RL104"),  # class Status(enum.Enum)
    ("examples/jobserver/jobs.py", 24, "RL201"),  # Job sets self.status in start()
    ("examples/jobserver/settings.py", 12, "RL302"),  # os.environ.get("JOBSERVER_WORKERS")
    ("examples/jobserver/settings.py", 15, "RL302"),  # os.getenv("JOBSERVER_REPORT_DIR")
    ("examples/jobserver/worker.py", 10, "RL101"),  # from jobserver.handlers import process
    ("examples/jobserver/worker.py", 11, "RL101"),  # Status, from jobserver.jobs
}

#: The console script the README runs, installed next to this interpreter.
README_SCRIPT = str(Path(sys.executable).with_name("reloadlint"))

FINDING = re.compile(r"^(?P<path>\S+\.py):(?P<row>\d+):\d+: (?P<code>RL\d{3}) ", re.MULTILINE)


def _env(**extra: str) -> dict[str, str]:
    return {**os.environ, "NO_COLOR": "1", "PYTHONDONTWRITEBYTECODE": "1", **extra}


def test_readme_first_command_reports_the_jobserver_hazards() -> None:
    done = subprocess.run(
        [README_SCRIPT, "examples/jobserver"],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=60,
        env=_env(),
    )
    assert done.returncode == 1, done.stderr
    found = [(m["path"], int(m["row"]), m["code"]) for m in FINDING.finditer(done.stdout)]
    assert len(found) == len(set(found))
    assert set(found) == JOBSERVER_FINDINGS
    assert "Found 8 problems in 4 files." in done.stdout


def test_live_upgrade_versions_are_clean_in_tree_mode() -> None:
    """The demo app is the *good* example: no hazard that would make its plan lie."""
    result = CliRunner().invoke(
        command, ["--no-cache", "--output-format", "json", str(EXAMPLES / "live-upgrade")]
    )
    assert (result.exit_code, result.stdout.strip()) == (0, "[]"), result.output


def test_jobserver_example_runs(tmp_path: Path) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "jobserver.server"],
        cwd=EXAMPLES,
        capture_output=True,
        text=True,
        timeout=60,
        env=_env(JOBSERVER_WORKERS="2", JOBSERVER_REPORT_DIR=str(tmp_path)),
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "{'done': 2, 'failed': 1}"
    assert (tmp_path / "hello.txt").read_text() == "hello\nworld\n"
    assert done.stderr.count("no handler for job kind 'resize'") == 3  # MAX_RETRIES


@pytest.mark.slow
def test_live_upgrade_demo_keeps_the_live_state() -> None:
    done = subprocess.run(
        [sys.executable, str(DEMO), "--timeout", "20", "--max-seconds", "40"],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=90,
        env=_env(),
    )
    out = done.stdout
    print(out)  # the transcript, shown by pytest when an assertion below fails
    assert done.returncode == 0, out + done.stderr

    # The real plan: the changed modules in order, the migration, a hot verdict.
    assert re.search(r"1\. \^ taskd\.jobs\s+reload\+migrate", out), out
    assert re.search(r"2\. ~ taskd\.handlers\s+reload\b", out), out
    assert "migrate JobQueue: __vsn__ 1 -> 2" in out
    assert "Verdict: HOT" in out

    # The state the server published before and after the upgrade, read independently
    # of the demo's own verdict.
    before = _state(out, "before")
    after = _state(out, "after")
    counts = ("jobs", "done", "pending", "vsn")
    assert [before[key] for key in counts] == ["5", "3", "2", "1"]
    assert [after[key] for key in counts] == ["5", "3", "2", "2"]
    assert after["queue"] == before["queue"]  # the same live object
    assert (before["handlers"], after["handlers"]) == ("handlers v1", "handlers v2")
    assert after["rest"] == ", done_by_kind {'count': 1, 'echo': 1, 'upper': 1}"

    # The runtime's report, as the server logged it.
    assert "modules reloaded (2): taskd.jobs, taskd.handlers" in out
    assert "taskd.jobs.JobQueue: 1 instance(s) re-pointed, vsn 1 -> 2, 1 migrated" in out

    # Jobs run by v1 before, and the waiting jobs run by the new code after.
    assert "job 3 count('no restart needed') -> '17 chars'  [handlers v1]" in out
    assert "job 4 count('state survives the reload') -> '4 words, 25 chars'  [handlers v2]" in out
    assert "job 5 reverse('stressed') -> 'desserts'  [handlers v2]" in out
    assert "done_by_kind {'count': 2, 'echo': 1, 'reverse': 1, 'upper': 1}" in out
    assert "server exit status: 0" in out


STATE = re.compile(
    r"live state (?P<when>before|after): +(?P<jobs>\d+) jobs \((?P<done>\d+) done, "
    r"(?P<pending>\d+) pending\), JobQueue __vsn__ (?P<vsn>\d+), queue object "
    r"(?P<queue>0x[0-9a-f]+), (?P<handlers>handlers v\d)(?P<rest>.*)$",
    re.MULTILINE,
)


def _state(transcript: str, when: str) -> dict[str, str]:
    found = [m.groupdict() for m in STATE.finditer(transcript) if m["when"] == when]
    assert len(found) == 1, transcript
    return found[0]
