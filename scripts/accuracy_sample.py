"""Findings on real code bases, per code and reloader profile, and the judged sample.

docs/accuracy.md reports how often each code fires on real code (findings per
1,000 lines) and how often it is right (precision, judged by hand against the
rules' documentation). This script makes both reproducible:

    python scripts/accuracy_sample.py NAME=PATH[:GLOB,...] ... [--profiles importlib,ipython]

lints each tree (``NAME=PATH``; ``:GLOB,...`` sets ``reloadable`` to those
module globs, as the project would configure it) under each profile, draws a
sample of at most ``--per-code`` findings per code (all of them when fewer;
the same sample every time: ordered by a hash of the finding, not at random)
and prints the tables in Markdown. The verdicts are in
``scripts/accuracy_judgments.json``, one per sampled finding, keyed by tree,
profile, path, line and code, with the reason; a sampled finding without a
verdict is listed as unjudged, so the tables never claim more than was read.
``--write-sample FILE`` writes the sampled findings (with their messages) as
JSON, to judge new ones. It runs ``reloadlint``, which never executes the code
it reads: the trees need not be installed.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import subprocess
import sys
from collections import Counter, defaultdict
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
JUDGMENTS = HERE / "accuracy_judgments.json"
#: Folders that are not the code base's own source (as reloadlint's discovery skips them).
SKIPPED = {".git", "build", "dist", "__pycache__", ".tox", ".venv", "site-packages"}


@dataclass(frozen=True)
class Tree:
    name: str
    path: Path
    reloadable: tuple[str, ...]


@dataclass(frozen=True)
class Finding:
    tree: str
    profile: str
    path: str  # relative to the tree
    line: int
    code: str
    message: str

    @property
    def key(self) -> str:
        return f"{self.tree}|{self.profile}|{self.path}:{self.line}|{self.code}"

    @property
    def order(self) -> str:
        """A stable pseudo-random order: the sample does not favour any file."""
        return hashlib.sha256(f"{self.path}:{self.line}:{self.message}".encode()).hexdigest()


def parse_tree(spec: str) -> Tree:
    name, _, rest = spec.partition("=")
    path, _, globs = rest.partition(":")
    if not name or not path:
        raise SystemExit(f"tree spec {spec!r}: give NAME=PATH[:GLOB,...]")
    return Tree(name, Path(path).resolve(), tuple(g for g in globs.split(",") if g))


def python_lines(root: Path) -> int:
    """Lines of the Python files under ``root`` (what findings per 1,000 lines divide by)."""
    total = 0
    for folder, dirs, files in os.walk(root):
        dirs[:] = [d for d in dirs if d not in SKIPPED and not d.startswith(".")]
        for file in files:
            if file.endswith(".py"):
                with open(os.path.join(folder, file), "rb") as handle:
                    total += sum(1 for _ in handle)
    return total


def lint(tree: Tree, profile: str) -> list[Finding]:
    command = [
        sys.executable,
        "-m",
        "reloadlint",
        "--isolated",
        "--no-cache",
        "--exit-zero",
        "--output-format",
        "json",
        "--reloader",
        profile,
    ]
    config = tree.path / "reloadlint.toml"
    if tree.reloadable:
        # The setting the project would configure; the file sits at the tree's root,
        # as the project's own would, and is removed afterwards.
        if config.exists():
            raise SystemExit(f"{config} exists: give the tree without a :GLOB list")
        config.write_text(f"reloadable = {json.dumps(list(tree.reloadable))}\n", encoding="utf-8")
        command[command.index("--isolated")] = f"--config={config}"
    try:
        done = subprocess.run(
            [*command, "."], cwd=tree.path, capture_output=True, text=True, check=False
        )
    finally:
        if tree.reloadable:
            config.unlink()
    if done.returncode not in (0, 1):
        raise SystemExit(f"reloadlint failed on {tree.name}:\n{done.stderr[-2000:]}")
    found = []
    for row in json.loads(done.stdout or "[]"):
        path = Path(row["filename"])
        relative = path.relative_to(tree.path) if path.is_absolute() else path
        found.append(
            Finding(
                tree.name,
                profile,
                relative.as_posix(),
                row["location"]["row"],
                row["code"],
                row["message"],
            )
        )
    return found


def sample(findings: list[Finding], per_code: int) -> list[Finding]:
    by_code: dict[str, list[Finding]] = defaultdict(list)
    for finding in findings:
        by_code[finding.code].append(finding)
    chosen = []
    for code in sorted(by_code):
        chosen += sorted(by_code[code], key=lambda f: f.order)[:per_code]
    return chosen


def load_judgments() -> dict[str, dict[str, object]]:
    if not JUDGMENTS.is_file():
        return {}
    rows = json.loads(JUDGMENTS.read_text(encoding="utf-8"))
    return {row["key"]: row for row in rows}


def table(
    tree: Tree,
    profile: str,
    lines: int,
    findings: list[Finding],
    chosen: list[Finding],
    judged: dict[str, dict[str, object]],
) -> list[str]:
    counts = Counter(f.code for f in findings)
    out = [
        f"### {tree.name}, `--reloader {profile}`",
        "",
        f"{lines:,} lines of Python; {len(findings):,} findings, "
        f"{1000 * len(findings) / max(lines, 1):.2f} per 1,000 lines.",
        "",
        "| code | findings | per 1,000 lines | sampled | judged | false | precision |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for code in sorted(counts):
        drawn = [f for f in chosen if f.code == code]
        verdicts = [judged[f.key]["true"] for f in drawn if f.key in judged]
        false = sum(1 for v in verdicts if not v)
        precision = f"{(len(verdicts) - false) / len(verdicts):.2f}" if verdicts else "—"
        out.append(
            f"| {code} | {counts[code]:,} | {1000 * counts[code] / max(lines, 1):.2f} | "
            f"{len(drawn)} | {len(verdicts)} | {false} | {precision} |"
        )
    return [*out, ""]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("trees", nargs="+", metavar="NAME=PATH[:GLOB,...]")
    parser.add_argument("--profiles", default="importlib,ipython")
    parser.add_argument("--per-code", type=int, default=20)
    parser.add_argument("--write-sample", type=Path, help="write the sampled findings as JSON")
    args = parser.parse_args(argv)
    judged = load_judgments()
    drawn_all: list[Finding] = []
    for spec in args.trees:
        tree = parse_tree(spec)
        lines = python_lines(tree.path)
        for profile in args.profiles.split(","):
            findings = lint(tree, profile)
            chosen = sample(findings, args.per_code)
            drawn_all += chosen
            print("\n".join(table(tree, profile, lines, findings, chosen, judged)))
    unjudged = [f for f in drawn_all if f.key not in judged]
    print(f"{len(drawn_all)} findings sampled, {len(drawn_all) - len(unjudged)} judged.")
    if args.write_sample:
        rows = [{"key": f.key, "message": f.message} for f in drawn_all]
        args.write_sample.write_text(json.dumps(rows, indent=1) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
