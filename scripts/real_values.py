#!/usr/bin/env python3
"""RL601-RL604 on real upgrades: findings, and every shape change they judged, per release pair.

For each pair (package, older release, newer release) of projects that define
Celery tasks or pydantic / attrs / msgspec / dataclass records:

1. a git repository holds the older sdist, committed, with the newer one in
   the working tree (``real_upgrades.make_repo``);
2. ``reloadlint --base HEAD --select RL601,RL602,RL603,RL604`` runs at its root;
3. independently of the rules, every record class, task function and enum of
   the package's modules (the summaries of both versions, compared field by
   field, parameter by parameter, member by member) that changed at all is
   listed, with whether a finding names it (records whose kind only a
   first-party base decides, and enums through first-party bases, are left
   out of this list, not out of the rules): the list a reviewer reads to
   judge that each reported change is incompatible and each unreported one
   compatible.

Results: docs/real-values.md. Needs git and access to the package index
(sdists are downloaded once into ``--sdists``).

    python scripts/real_values.py                 # every pair
    python scripts/real_values.py --only trio
    python scripts/real_values.py --json out.json
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent))

from real_upgrades import Pair, make_repo, reloadlint, sdist, unpack  # noqa: E402

from reloadlint.summary import summarize_bytes  # noqa: E402
from reloadlint.summary.model import ModuleSummary  # noqa: E402

#: Adjacent releases of projects with Celery tasks or record classes.
PAIRS = (
    Pair("celery-director", "0.3.0", "0.4.0", "director"),
    Pair("celery-director", "0.6.0", "0.7.0", "director"),
    Pair("fastapi", "0.109.2", "0.110.0", "fastapi"),
    Pair("trio", "0.25.1", "0.26.0", "trio"),
    Pair("litestar", "2.9.1", "2.10.0", "litestar"),
    Pair("openai", "1.50.0", "1.51.0", "openai"),
    Pair("openai", "1.40.0", "1.50.0", "openai"),
    Pair("fastapi", "0.99.1", "0.100.0", "fastapi"),
)
CODES = "RL601,RL602,RL603,RL604"
#: A base named so (the project's own ``BaseModel``...) puts a class in the review list.
_RECORD_BASE_NAMES = ("BaseModel", "TypedDict", "NamedTuple", "Struct")


def summaries(tree: Path, package: str) -> dict[str, ModuleSummary]:
    """Every module of ``package`` in an unpacked sdist, summarised as the linter does."""
    root = next((c for c in (tree / "src", tree) if (c / package / "__init__.py").is_file()), tree)
    found = {}
    for path in sorted((root / package).rglob("*.py")):
        relative = path.relative_to(root).with_suffix("")
        parts = list(relative.parts)
        is_package = parts[-1] == "__init__"
        if is_package:
            parts = parts[:-1]
        name = ".".join(parts)
        summary, _ = summarize_bytes(path.read_bytes(), str(path), name, is_package)
        found[name] = summary
    return found


def shapes(summary: ModuleSummary) -> dict[str, Any]:
    """What RL6 compares, as plain data: record fields, task parameters, enum members."""
    found: dict[str, Any] = {}
    enum_classes = {
        cls.qualname
        for cls in summary.classes
        if any(base.startswith("enum.") or base.endswith(("Enum", "Flag")) for base in cls.bases)
    }
    bases = {cls.qualname: cls.bases for cls in summary.classes}
    for record in summary.records:
        if not record.kind and not any(
            base.endswith(_RECORD_BASE_NAMES) for base in bases.get(record.qualname, [])
        ):
            continue  # only a first-party base could make it a record: not listed here
        found[f"record {record.qualname}"] = [
            (f.name, f.default, f.positional, tuple(f.aliases)) for f in record.fields
        ] + [("options", sorted(record.options.items())), ("hooks", record.hooks)]
    for task in summary.tasks:
        if not task.reference:
            params = summary.signatures.get(task.function, [])
            found[f"task {task.function}"] = [
                (task.name,),
                *((p.name, p.kind, p.default) for p in params),
            ]
    for enum in summary.enums:
        if enum.qualname not in enum_classes:
            continue
        found[f"enum {enum.qualname}"] = [(m.name, m.value) for m in enum.members]
    return found


def changed_shapes(old: Path, new: Path, package: str) -> list[tuple[str, str, str]]:
    """(module, "record X" / "task f" / "enum E", what changed) for each shape that differs."""
    before, after = summaries(old, package), summaries(new, package)
    found = []
    for name in sorted(before.keys() | after.keys()):
        old_shapes = shapes(before[name]) if name in before else {}
        new_shapes = shapes(after[name]) if name in after else {}
        for key in sorted(old_shapes.keys() | new_shapes.keys()):
            if key in old_shapes and old_shapes.get(key) != new_shapes.get(key):
                found.append((name, key, _difference(old_shapes[key], new_shapes.get(key))))
    return found


def _difference(old: list[Any], new: list[Any] | None) -> str:
    """The items only one version has, for the reviewer (``-`` old, ``+`` new)."""
    if new is None:
        return "removed"
    gone = [item for item in old if item not in new]
    added = [item for item in new if item not in old]
    return "; ".join([*(f"-{item}" for item in gone), *(f"+{item}" for item in added)])


def run(pair: Pair, work: Path, sdists: Path) -> dict[str, Any]:
    old = unpack(sdist(pair.package, pair.old, sdists), work / "unpacked")
    new = unpack(sdist(pair.package, pair.new, sdists), work / "unpacked")
    repo = make_repo(work, pair, old, new)
    lint = reloadlint(repo, "--base", "HEAD", "--select", CODES, "--output-format", "json", ".")
    if lint.returncode not in (0, 1):
        return {"pair": pair.name, "error": lint.stderr.strip()[-2000:]}
    findings = [
        {"code": d["code"], "path": d["filename"], "line": d["location"]["row"], **_msg(d)}
        for d in json.loads(lint.stdout)
    ]
    changes = changed_shapes(old, new, pair.module)
    messages = " ".join(f["message"] for f in findings)
    counts = _counts(summaries(new, pair.module))
    return {
        "pair": pair.name,
        "compared": counts,
        "findings": findings,
        "changed": [
            {
                "module": module,
                "what": what,
                "difference": difference,
                "reported": f"`{_symbol(module, what)}`" in messages,
            }
            for module, what, difference in changes
        ],
    }


def _counts(modules: dict[str, ModuleSummary]) -> dict[str, int]:
    """Candidate records, task registrations and enum candidates of the newer release."""
    return {
        "records": sum(len(m.records) for m in modules.values()),
        "tasks": sum(len(m.tasks) for m in modules.values()),
        "enums": sum(len(m.enums) for m in modules.values()),
    }


def _msg(diagnostic: dict[str, Any]) -> dict[str, str]:
    return {"message": diagnostic["message"]}


def _symbol(module: str, what: str) -> str:
    """The qualified name a finding's message uses for a changed shape."""
    return f"{module}.{what.split(' ', 1)[1]}"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--work", type=Path, default=Path("build/real-values"))
    parser.add_argument("--sdists", type=Path, default=Path("build/sdists"))
    parser.add_argument("--only", nargs="*", default=[])
    parser.add_argument("--json", type=Path)
    args = parser.parse_args()
    results = []
    for pair in PAIRS:
        if args.only and pair.package not in args.only:
            continue
        (args.work / "unpacked").mkdir(parents=True, exist_ok=True)
        result = run(pair, args.work.resolve(), args.sdists.resolve())
        results.append(result)
        print(f"## {result['pair']} {result.get('compared', '')}")
        if "error" in result:
            print(f"  error: {result['error']}")
            continue
        for finding in result["findings"]:
            print(f"  {finding['code']} {finding['path']}:{finding['line']} {finding['message']}")
        for change in result["changed"]:
            mark = "reported" if change["reported"] else "not reported"
            what = f"{change['module']} {change['what']}"
            print(f"  changed: {what} ({mark}): {change['difference']}")
    if args.json:
        args.json.write_text(json.dumps(results, indent=2), encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
