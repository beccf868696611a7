"""The rule pages in docs/rules/ are rendered from the rules and the corpus, and kept current."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


def test_rule_pages_are_up_to_date() -> None:
    done = subprocess.run(
        [sys.executable, "scripts/render_docs.py", "--check"],
        cwd=REPO,
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stdout + done.stderr
