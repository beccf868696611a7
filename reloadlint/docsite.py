"""Where the documentation site is published, and where a rule's page is on it.

One base URL for everything that links to the site: the ``url`` of a finding
in the ``json``, ``json-lines`` and ``gitlab`` outputs, SARIF's ``helpUri``,
the ``Documentation`` URL in ``pyproject.toml`` and the site's own canonical
links (docs/conf.py). A rule's page is at :func:`rule_page` relative to it, the
path the site builder gives ``docs/rules/RLxxx.md`` (a test builds the site and
checks that every rule's URL names a page it built).
"""

from __future__ import annotations

#: The published site (built from docs/ by Sphinx: docs/site.md).
DOCS_URL = "https://reloadlint.readthedocs.io/en/latest/"


def rule_page(code: str) -> str:
    """The page of rule ``code`` relative to the site's root."""
    return f"rules/{code}.html"


def rule_url(code: str) -> str:
    """The absolute URL of rule ``code``'s page."""
    return DOCS_URL + rule_page(code)
