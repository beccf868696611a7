"""The rule pages in docs/rules/ are rendered from the rules and the corpus, and kept current."""

from __future__ import annotations

import re
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


def test_rule_options_name_real_settings() -> None:
    """Each ``- ``setting``...`` bullet of a rule's Options section names a key of
    ``[tool.reloadlint]`` (the page links it to the configuration reference)."""
    from reloadlint.config import KNOWN_KEYS
    from reloadlint.output.sarif import doc_section
    from reloadlint.rules.registry import all_rules

    for rule in all_rules():
        options = doc_section(rule.doc(), "Options")
        assert options, rule.code
        for bullet in re.findall(r"^- (.*)$", options, re.MULTILINE):
            named = re.findall(r"``([a-z-]+)``", bullet.split(":", 1)[0])
            assert named and set(named) <= KNOWN_KEYS, (rule.code, bullet)
