"""Sphinx configuration of the documentation site (docs/site.md says how to build it).

The site is built from the Markdown pages in docs/ (MyST), the pages
scripts/render_docs.py generates (rules, configuration) and the runtime's
docstrings (autodoc). It must build with no network: no intersphinx, no theme
fonts or scripts from a CDN (furo uses the system's fonts), so a test can
build it offline in strict mode (``-W -n``) on every run.
"""

from __future__ import annotations

import sys
from pathlib import Path

DOCS = Path(__file__).resolve().parent
sys.path.insert(0, str(DOCS.parent))  # autodoc imports reloadlint.runtime from this checkout

import reloadlint  # noqa: E402
from reloadlint.docsite import DOCS_URL  # noqa: E402

project = "reloadlint"
release = version = reloadlint.__version__
copyright = "reloadlint developers"

extensions = ["myst_parser", "sphinx.ext.autodoc"]
source_suffix = {".md": "markdown"}
root_doc = "index"
exclude_patterns = ["_build"]

# Markdown: `#anchor` links to headings, as GitHub renders them.
myst_heading_anchors = 3
# Rule and corpus code blocks use names Pygments knows; a block it cannot lex is a warning.
highlight_language = "none"

autodoc_member_order = "bysource"
autodoc_typehints = "description"
# Strict mode (-n) with no intersphinx: standard-library names in signatures
# have no page here to link to; nor have the runtime's private helper modules.
nitpick_ignore_regex = [
    ("py:(class|obj|exc|data)", r"(?!reloadlint\.).*"),
    ("py:mod", r"reloadlint\._runtime\..*"),
]

html_theme = "furo"
html_title = f"reloadlint {release}"
html_baseurl = DOCS_URL
html_copy_source = False
html_show_sourcelink = False


def _public_runtime_name(app, env, node, contnode):
    """Type hints name the runtime's classes where they are defined
    (``reloadlint._runtime.report``); the reference documents them where
    users import them (``reloadlint.runtime``)."""
    target = node.get("reftarget", "")
    if node.get("refdomain") != "py" or not target.startswith("reloadlint._runtime."):
        return None
    public = "reloadlint.runtime." + target.rsplit(".", 1)[1]
    domain = env.get_domain("py")
    return domain.resolve_xref(
        env, node["refdoc"], app.builder, node["reftype"], public, node, contnode
    )


def setup(app):
    app.connect("missing-reference", _public_runtime_name)
