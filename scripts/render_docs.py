"""Render the generated pages of the documentation site.

- docs/rules/: a page per rule, its docstring (What it does / Why is this
  bad? / Known problems / Example / Use instead / Fix safety / Options /
  References), the reloaders it applies under and why (``Rule.profiles``),
  then its corpus cases: the files of each bad and good tree and the findings
  expected in them under each reloader's profile, which the test suite proves
  with the linter and a real reload under each reloader. Settings named in Options link to the
  configuration reference; links to the published site (``DOCS_URL``) become
  links between the pages, which the strict site build checks.
- docs/configuration.md: the configuration reference, from the documented
  fields of ``reloadlint.config.Settings`` and the CLI's options.
- docs/cli.md: the command-line reference, every option with its help from
  the click command, and what the command does around the findings.

``--check`` exits 1 when a page on disk is out of date (CI runs it through
tests/test_docs.py).

    python scripts/render_docs.py          # write the pages
    python scripts/render_docs.py --check  # fail if they are stale
"""

from __future__ import annotations

import dataclasses
import re
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
RULES = REPO / "rules"
OUT = REPO / "docs" / "rules"
sys.path.insert(0, str(REPO))

from reloadlint import config  # noqa: E402
from reloadlint.cli import command  # noqa: E402
from reloadlint.docsite import DOCS_URL  # noqa: E402
from reloadlint.profiles import RELOADERS, applying, markdown_section  # noqa: E402
from reloadlint.rules.registry import all_rules  # noqa: E402

CONFIGURATION = REPO / "docs" / "configuration.md"
CLI = REPO / "docs" / "cli.md"
_SITE_LINK = re.compile(re.escape(DOCS_URL) + r"([\w/.-]+)\.html(#[\w-]+)?")
_SETTING = re.compile(r"``([a-z-]+)``")

_FIX = {
    "none": "no automatic fix",
    "sometimes": "a fix is sometimes available",
    "always": "a fix is always available",
}


def _files(tree: Path) -> list[Path]:
    return sorted(p for p in tree.rglob("*") if p.is_file() and "__pycache__" not in p.parts)


def _file(label: str, path: Path, tree: Path) -> list[str]:
    text = path.read_text(encoding="utf-8")
    if not text.strip():
        return []
    language = "python" if path.suffix == ".py" else "toml" if path.suffix == ".toml" else ""
    name = path.relative_to(tree).as_posix()
    return [f"{label}`{name}`", "", f"```{language}", text.rstrip("\n"), "```", ""]


def _case(case: Path) -> list[str]:
    lines = [f"### `{case.name}`", ""]
    trees = (
        [("", case / "tree")]
        if (case / "tree").is_dir()
        else [("v1 (base revision): ", case / "v1"), ("v2 (working tree): ", case / "v2")]
    )
    for label, tree in trees:
        for path in _files(tree):
            lines += _file(label, path, tree)
    findings = _findings(case / "expected.txt")
    if findings:
        lines += ["Findings (`--output-format concise`):", "", "```text", *findings, "```", ""]
    else:
        lines += ["No findings.", ""]
    for reloader in RELOADERS[1:]:
        under = _findings(case / f"expected.{reloader}.txt")
        if under:
            lines += [f"Under `--reloader {reloader}`:", "", "```text", *under, "```", ""]
        else:
            lines += [f"Under `--reloader {reloader}`: no findings.", ""]
    fixed, tree = case / "fixed", case / "tree"
    if fixed.is_dir():
        for path in _files(fixed):
            before = tree / path.relative_to(fixed)
            if not before.is_file() or before.read_bytes() != path.read_bytes():
                lines += _file("After `--fix`: ", path, fixed)
    return lines


def _findings(path: Path) -> list[str]:
    if not path.is_file():
        return []
    return [line for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def _doc_lines(doc: str) -> list[str]:
    """The docstring as page lines: site links made relative, settings in
    ``## Options`` linked to their entry of the configuration reference."""
    lines, section = [], ""
    for line in _SITE_LINK.sub(lambda m: f"../{m[1]}.md{m[2] or ''}", doc).splitlines():
        if line.startswith("## "):
            section = line[3:].strip()
        elif section == "Options":
            line = _SETTING.sub(
                lambda m: (
                    f"[`{m[1]}`](../configuration.md#{m[1]})" if m[1] in config.KNOWN_KEYS else m[0]
                ),
                line,
            )
        lines.append(line)
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
    lines += _doc_lines(rule.doc())
    lines += [
        "",
        *markdown_section(rule.profiles).splitlines(),
        "",
        "Which reloader the project uses is the `reloader` setting (or `--reloader`); "
        "[Reloaders](../reloaders.md) describes each. The corpus below proves every line of "
        "this table: its experiments run under each reloader.",
    ]
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
            f"From `rules/{rule.code}/`: each case is linted and run under a real reload, "
            "with each reloader, by the test suite.",
            "",
        ]
        for case in cases:
            lines += _case(case)
    return "\n".join(lines).rstrip("\n") + "\n"


def index() -> str:
    lines = [
        "# Rules",
        "",
        "The reloaders column says under which `reloader` profiles a rule runs "
        "([Reloaders](../reloaders.md)); each rule's page says why.",
        "",
        "| code | name | default | fix | mode | reloaders | summary |",
        "| --- | --- | --- | --- | --- | --- | --- |",
    ]
    for rule in all_rules():
        default = "on" if rule.default_enabled else "off"
        reloaders = ", ".join(applying(rule.profiles)) or "none"
        lines.append(
            f"| [{rule.code}]({rule.code}.md) | {rule.name} | {default} | {rule.fix} "
            f"| {rule.mode} | {reloaders} | {rule.summary} |"
        )
    # The site's navigation under this page (GitHub shows it as a code block).
    lines += ["", "```{toctree}", ":hidden:", ""] + [rule.code for rule in all_rules()] + ["```"]
    return "\n".join(lines) + "\n"


def _toml(value) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return f'"{value}"'
    if isinstance(value, tuple):
        return "[" + ", ".join(_toml(v) for v in value) + "]"
    if isinstance(value, dict):
        return "{}" if not value else str(value)
    return str(value)


def configuration() -> str:
    """The configuration reference, one entry per documented settings field."""
    options = {opt for param in command.params for opt in getattr(param, "opts", ())}
    kinds = [
        (config._LIST_KEYS, "list of strings"),
        (config._STRING_KEYS, "string"),
        (config._BOOL_KEYS, "boolean"),
        (config._TABLE_KEYS, "table of glob = list of strings"),
    ]
    lines = [
        "# Configuration",
        "",
        "<!-- Generated by scripts/render_docs.py from reloadlint/config.py: edit the "
        "settings there. -->",
        "",
        "reloadlint reads `[tool.reloadlint]` from the nearest `pyproject.toml` that has "
        "that table, or a `reloadlint.toml` (the same keys at its top level): in the "
        "working directory or a directory above it, else from the first path linted "
        "upwards. `--config FILE` "
        "names the file; `--isolated` ignores every file. Paths in settings are relative "
        "to the file's directory. An unknown key or a value of the wrong type is an error "
        "that names the key and the file (exit 2), never a setting silently ignored; "
        "a `reloadable`, `not-reloadable` or `src` entry that matches nothing is a warning. "
        "`reloadlint --show-settings` prints the settings a run uses "
        "([Command line](cli.md#settings-you-can-see)).",
        "",
        "```toml",
        "# pyproject.toml",
        "[tool.reloadlint]",
        'select = ["RL"]',
        'reloadable = ["app.*"]',
        'not-reloadable = ["app.state"]',
        "```",
        "",
        "| setting | type | default |",
        "| --- | --- | --- |",
    ]
    entries: list[str] = []
    for f in dataclasses.fields(config.Settings):
        if not f.metadata:
            continue
        key = f.name.replace("_", "-")
        kind = next(name for keys, name in kinds if key in keys)
        value = f.default if f.default is not dataclasses.MISSING else f.default_factory()
        default = f.metadata["shown_default"] or f"`{_toml(value)}`"
        lines.append(f"| [`{key}`](#{key}) | {kind} | {default} |")
        entries += [
            f"## `{key}`",
            "",
            f.metadata["help"],
            "",
            f"- Type: {kind}",
            f"- Default: {default}",
        ]
        if f"--{key}" in options:
            entries.append(f"- Command line: `--{key}` (wins over the file)")
        entries += ["", "```toml", "[tool.reloadlint]", f.metadata["example"], "```", ""]
    return "\n".join([*lines, "", *entries]).rstrip("\n") + "\n"


#: What the command does besides printing findings (docs/cli.md, after the options).
CLI_BEHAVIOUR = """\
## Exit status

`0` no findings (or `--exit-zero`), `1` findings (or a `restart` plan), `2` a
usage, configuration or internal error, always as one line on stderr naming the
problem (a traceback only with `--verbose`).

## Output, messages and pipes

Findings go to stdout (or to `--output-file`), followed in the `full` and
`concise` formats by the summary line (`Found 3 problems in 2 files.` or `All
checks passed!`, with what was treated as reloadable), where ruff prints it;
`-q` leaves it out. Every other message (warnings, errors, the progress bar) goes
to stderr, one line each. Output
piped into a reader that stops early (`reloadlint src | head`, `reloadlint
--list-rules | head -3`) ends quietly with exit status 0, as ruff does: the
reader had what it wanted, so there is no error message and no traceback. This
holds for every printing mode: findings in any format, `--diff`, `--plan`,
`--explain`, `--list-rules`, `--show-files`, `--statistics`.

## Suppressing findings

`# noqa: RL101` (or a list, `# noqa: RL101, RL102`) on a finding's line
suppresses those codes there, a bare `# noqa` every code, `# reloadlint: noqa`
anywhere in a file the whole file, in flake8's grammar. A malformed directive
is a warning worded as ruff's: `# noqa RL101` (no colon) and `# noqa: XYZ` (no
code) would suppress every finding on the line in that grammar
(``Invalid `# noqa` directive on app/views.py:3: expected `:` followed by a
comma-separated list of codes ...``), and an `RL` code that names no rule
(`# noqa: RL10`, a prefix) is ``Invalid rule code provided to `# noqa` at
app/views.py:3: RL10``. Codes of other tools (`F401`) are not judged.

## JUnit

`--output-format junit` writes what ruff writes: a test suite per file with
findings and a failed test case per finding (named `RL101 stale-function-import
at 3:20`, with `file`, `line` and `column` attributes), so a CI dashboard counts
findings; a clean run is one empty suite.

## Editors: stdin

`reloadlint -` and `--stdin-filename PATH` lint the buffer read from stdin as
the file `PATH`, judged against the project on disk: the rest of the project is
read from disk, this file's content from stdin (an unsaved new file too). `-`
without a file name lints the buffer alone, shown as `-`. `--fix`, `--diff` and
`--base` work on files only. Set-ups for VS Code and Neovim:
[Editors](integrations/editors.md).

## The project

A file is judged against the rest of its project: reloadlint reads every module
under the file's project root (and the `src` folders configured), so a file
gets the same findings whichever files are named (pre-commit names one) and
whichever front end runs (the flake8 and pylint plugins walk the same
project). The project root is decided as ruff decides it for its settings: the
nearest directory at or above the file that holds a `pyproject.toml`,
`setup.cfg`, `setup.py` or `reloadlint.toml`, or the repository root (`.git`);
no walk goes above it. Without any of them, the walk stays in the file's
top-level package: `reloadlint .` run inside a package whose parent directory
holds unrelated trees analyses only that package. Module names still come
from each file's source root (the first directory above it that is not a
package, or `src`). [One answer per file](integrations/one-answer.md) compares
the four ways on real projects.

## Settings you can see

`--show-settings` prints what a run would use, then exits 0: the configuration
file read, the project root, the source roots walked, the files reported and
in the project, the reloader, how many first-party modules are reloadable and
the `reloadable`/`not-reloadable` patterns that decide it (with `-v`, every
reloadable module by name), and the rules in effect (after `select`, `ignore`
and the reloader's profile). `-v` names the configuration file on every run.

A `reloadable` or `not-reloadable` pattern that matches no module of the
project, or a `src` folder that holds none, is a warning on stderr naming the
file and the key (the run goes on): a typo there would otherwise make a run
that checks nothing end with "All checks passed!".

## Progress

A run that takes more than a second shows a progress bar on stderr (summarising
the files, then applying the rules), erased when the run ends so that the
terminal shows only the findings and the summary line. Only when stderr is a
terminal (and `TERM` is not `dumb`): in CI logs, editors, pre-commit and pipes
nothing is printed.
"""


def cli() -> str:
    """The command-line reference: the click command's usage and options, then
    :data:`CLI_BEHAVIOUR`."""
    import click

    ctx = click.Context(command, info_name="reloadlint")
    rows = []
    for param in command.get_params(ctx):
        record = param.get_help_record(ctx)
        if record is None or isinstance(param, click.Argument):
            continue
        names, text = (part.replace("|", "\\|") for part in record)
        rows.append(f"| `{names}` | {text} |")
    lines = [
        "# Command line",
        "",
        "<!-- Generated by scripts/render_docs.py from reloadlint/cli.py: edit the options "
        "there. -->",
        "",
        "```text",
        "reloadlint [OPTIONS] [PATHS]...",
        "```",
        "",
        "With no path, reloadlint lints the working directory. Settings come from the "
        "configuration file ([Configuration](configuration.md)); an option given on the "
        "command line wins over the file.",
        "",
        "| option | what it does |",
        "| --- | --- |",
        *rows,
        "",
        CLI_BEHAVIOUR,
    ]
    return "\n".join(lines).rstrip("\n") + "\n"


def rendered() -> dict[Path, str]:
    pages = {OUT / f"{rule.code}.md": page(rule) for rule in all_rules()}
    pages[OUT / "index.md"] = index()
    pages[CONFIGURATION] = configuration()
    pages[CLI] = cli()
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
    print(f"wrote {len(pages)} pages ({OUT.relative_to(REPO)}/, {CONFIGURATION.name}, {CLI.name})")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
