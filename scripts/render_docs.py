"""Render docs/rules/ from the rules' own documentation and the rule corpus.

Each page is the rule's docstring (What it does / Why is this bad? / ...)
followed by its corpus cases: the files of each bad and good tree and the
findings expected in them, which the test suite proves with the linter and a
real reload. ``--check`` exits 1 when a page on disk is out of date (CI runs
it through tests/test_docs.py).

    python scripts/render_docs.py          # write docs/rules/
    python scripts/render_docs.py --check  # fail if they are stale
"""

from __future__ import annotations

import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
RULES = REPO / "rules"
OUT = REPO / "docs" / "rules"
sys.path.insert(0, str(REPO))

from reloadlint.rules.registry import all_rules  # noqa: E402

_FIX = {
    "none": "no automatic fix",
    "sometimes": "a fix is sometimes available",
    "always": "a fix is always available",
}


def _files(tree: Path) -> list[Path]:
    return sorted(p for p in tree.rglob("*") if p.is_file() and "__pycache__" not in p.parts)


def _case(case: Path) -> list[str]:
    lines = [f"### `{case.name}`", ""]
    trees = (
        [("", case / "tree")]
        if (case / "tree").is_dir()
        else [("v1 (base revision): ", case / "v1"), ("v2 (working tree): ", case / "v2")]
    )
    for label, tree in trees:
        for path in _files(tree):
            text = path.read_text(encoding="utf-8")
            if not text.strip():
                continue
            language = (
                "python" if path.suffix == ".py" else "toml" if path.suffix == ".toml" else ""
            )
            lines += [
                f"{label}`{path.relative_to(tree).as_posix()}`",
                "",
                f"```{language}",
                text.rstrip("\n"),
                "```",
                "",
            ]
    expected = case / "expected.txt"
    findings = (
        [
            line
            for line in expected.read_text(encoding="utf-8").splitlines()
            if line.strip() and not line.startswith("#")
        ]
        if expected.is_file()
        else []
    )
    if findings:
        lines += ["Findings:", ""] + [f"- `{f}`" for f in findings] + [""]
    else:
        lines += ["No findings.", ""]
    return lines


def page(rule) -> str:
    mode = "upgrade mode only (`--base REV`)" if rule.mode == "upgrade" else "tree and upgrade mode"
    default = (
        "on by default" if rule.default_enabled else "off by default (enable with `extend-select`)"
    )
    lines = [
        f"# {rule.code} {rule.name}",
        "",
        f"*{rule.summary}.* {default.capitalize()}; {mode}; {_FIX[rule.fix]}.",
        "",
    ]
    lines += [section.replace("## ", "## ", 1) for section in rule.doc().splitlines()]
    folder = RULES / rule.code
    cases = (
        sorted(
            p for p in folder.iterdir() if p.is_dir() and p.name.split("-")[0] in ("bad", "good")
        )
        if folder.is_dir()
        else []
    )
    if cases:
        lines += [
            "",
            "## Corpus",
            "",
            f"From `rules/{rule.code}/`: each case is linted and run under a real reload "
            "by the test suite.",
            "",
        ]
        for case in cases:
            lines += _case(case)
    return "\n".join(lines).rstrip("\n") + "\n"


def index() -> str:
    lines = [
        "# Rules",
        "",
        "| code | name | default | fix | mode | summary |",
        "| --- | --- | --- | --- | --- | --- |",
    ]
    for rule in all_rules():
        default = "on" if rule.default_enabled else "off"
        lines.append(
            f"| [{rule.code}]({rule.code}.md) | {rule.name} | {default} | {rule.fix} "
            f"| {rule.mode} | {rule.summary} |"
        )
    return "\n".join(lines) + "\n"


def rendered() -> dict[Path, str]:
    pages = {OUT / f"{rule.code}.md": page(rule) for rule in all_rules()}
    pages[OUT / "index.md"] = index()
    return pages


def main(argv: list[str]) -> int:
    pages = rendered()
    if "--check" in argv:
        stale = [
            str(p.relative_to(REPO))
            for p, text in pages.items()
            if not p.is_file() or p.read_text(encoding="utf-8") != text
        ]
        extra = [str(p.relative_to(REPO)) for p in OUT.glob("*.md") if p not in pages]
        if stale or extra:
            print("out of date (run python scripts/render_docs.py):", *stale, *extra)
            return 1
        return 0
    OUT.mkdir(parents=True, exist_ok=True)
    for path in OUT.glob("*.md"):
        if path not in pages:
            path.unlink()
    for path, text in pages.items():
        path.write_text(text, encoding="utf-8")
    print(f"wrote {len(pages)} pages to {OUT.relative_to(REPO)}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
