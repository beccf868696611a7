"""One answer per file: the findings of each file of a real project, four ways.

1. ``tree``: ``reloadlint`` on the whole project (the paths given, default ``.``);
2. ``alone``: ``reloadlint --force-exclude FILE`` once per file, as pre-commit
   names a single changed file;
3. ``flake8``: ``flake8 --select <the rules in effect>`` with the plugin;
4. ``pylint``: ``pylint --load-plugins=reloadlint.pylint_plugin`` with only the
   rules in effect enabled.

A finding is (file, row, column, code), columns 1-based as reloadlint prints
them. The report counts each way's findings and lists, per file, what one way
found that ``tree`` did not (or the reverse).
The docs promise the same findings every way (docs/integrations/README.md);
docs/integrations/one-answer.md records the results on real sdists.

    python scripts/one_answer.py /work/realcode/adopt/rich-13.9.0
    python scripts/one_answer.py /work/realcode/adopt/jinja2-3.1.5 src tests

Another checkout's reloadlint (a "before"): ``PYTHONPATH=/path/to/checkout``
(its ``reloadlint`` package is imported before the installed one, by the
command and by the flake8 and pylint plugins alike).

Differences that are by design and left out: RL9xx (input errors) are pylint's
own business in pylint (``syntax-error``), so they are compared only among the
first three ways. flake8 and pylint choose files by their own excludes: only
the files ``reloadlint --show-files`` lists are compared.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import subprocess
import sys
import tempfile
from collections import Counter
from pathlib import Path

BIN = Path(sys.executable).parent
Finding = tuple[str, int, int, str]


def _run(argv: list[str], cwd: Path, env: dict[str, str], ok: tuple[int, ...] = (0, 1)) -> str:
    proc = subprocess.run(argv, cwd=cwd, capture_output=True, text=True, env=env, check=False)
    if proc.returncode not in ok:
        raise SystemExit(f"{' '.join(argv[:3])}...: exit {proc.returncode}: {proc.stderr[-2000:]}")
    return proc.stdout


def _norm(path: str) -> str:
    """A file as a path relative to the project (JSON output names files absolutely)."""
    if os.path.isabs(path):
        path = os.path.relpath(path)
    return os.path.normpath(path).replace(os.sep, "/")


def files(cwd: Path, paths: list[str], env: dict[str, str]) -> list[str]:
    out = _run([str(BIN / "reloadlint"), "--show-files", *paths], cwd, env)
    return [_norm(line) for line in out.splitlines() if line.strip()]


def codes_in_effect(cwd: Path, env: dict[str, str]) -> list[str]:
    out = _run([str(BIN / "reloadlint"), "--show-settings", "."], cwd, env)
    lines = out.splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith("rules in effect"))
    return [line.split()[0] for line in lines[start + 1 :] if line.startswith("  RL")]


def tree(cwd: Path, paths: list[str], env: dict[str, str]) -> set[Finding]:
    argv = [str(BIN / "reloadlint"), "--exit-zero", "--output-format", "json", *paths]
    out = _run(argv, cwd, env)
    return {_json(d) for d in json.loads(out)}


def _json(d: dict) -> Finding:
    return (_norm(d["filename"]), d["location"]["row"], d["location"]["column"], d["code"])


def alone(cwd: Path, names: list[str], env: dict[str, str]) -> set[Finding]:
    found: set[Finding] = set()
    for name in names:
        argv = [str(BIN / "reloadlint"), "--exit-zero", "--force-exclude", "--output-format"]
        out = _run([*argv, "json", name], cwd, env)
        found |= {_json(d) for d in json.loads(out)}
    return found


FLAKE8 = re.compile(r"^(.*?):(\d+):(\d+): (RL\d+) ")


def flake8(cwd: Path, paths: list[str], codes: list[str], env: dict[str, str]) -> set[Finding]:
    argv = [str(BIN / "flake8"), "--isolated", f"--select={','.join(codes)}", *paths]
    found = set()
    for line in _run(argv, cwd, env).splitlines():
        match = FLAKE8.match(line)
        if match:
            path, row, column, code = match.groups()
            found.add((_norm(path), int(row), int(column), code))
    return found


def pylint(cwd: Path, paths: list[str], codes: list[str], env: dict[str, str]) -> set[Finding]:
    ids = ",".join(f"W9{code[2:]}" for code in codes if not code.startswith("RL9"))
    argv = [
        str(BIN / "pylint"),
        "--rcfile=/dev/null",
        "--load-plugins=reloadlint.pylint_plugin",
        "--disable=all",
        f"--enable={ids}",
        "--recursive=y",
        "--output-format=json",
        "--score=n",
        *paths,
    ]
    return {
        (_norm(m["path"]), m["line"], m["column"] + 1, "RL" + m["message-id"][2:])
        # pylint's status is a bit mask: 4 warnings were issued; 1 (fatal) and 32 (usage) fail
        for m in json.loads(_run(argv, cwd, env, ok=(0, 2, 4, 6)) or "[]")
    }


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("project", type=Path)
    parser.add_argument("paths", nargs="*", default=["."])
    parser.add_argument(
        "--codes", help="the rules in effect, comma-separated (default: --show-settings's)"
    )
    args = parser.parse_args(argv)
    cwd = args.project.resolve()
    os.chdir(cwd)  # _norm makes paths relative to the project
    with tempfile.TemporaryDirectory() as cache:
        env = {**os.environ, "RELOADLINT_CACHE_DIR": cache, "NO_COLOR": "1"}
        names = files(cwd, args.paths, env)
        codes = args.codes.split(",") if args.codes else codes_in_effect(cwd, env)
        known = set(names)
        ways = {
            "tree": tree(cwd, args.paths, env),
            "alone": alone(cwd, names, env),
            "flake8": flake8(cwd, args.paths, codes, env),
            "pylint": pylint(cwd, args.paths, codes, env),
        }
    ways = {way: {f for f in found if f[0] in known} for way, found in ways.items()}
    plugin_codes = {c for c in codes if not c.startswith("RL9")}
    print(f"{cwd.name}: {len(names)} files, rules {','.join(codes)}")
    for way, found in ways.items():
        print(f"  {way:<7} {len(found):>5} findings in {len({f[0] for f in found})} files")
    base = ways["tree"]
    same = True
    for way, found in ways.items():
        if way == "tree":
            continue
        compared = {f for f in base if way != "pylint" or f[3] in plugin_codes}
        missing, extra = compared - found, found - compared
        if missing or extra:
            same = False
            print(f"  {way}: {len(missing)} missing, {len(extra)} extra (by file and code):")
            for label, diff in (("missing", missing), ("extra", extra)):
                for (path, code), count in sorted(Counter((f[0], f[3]) for f in diff).items()):
                    print(f"    {label} {path} {code} x{count}")
    print("  the same findings all four ways" if same else "  DIFFERENT")
    return 0 if same else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
