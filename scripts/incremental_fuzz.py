"""Differential check of the incremental cache on a real tree: random edits, and
after each one the cached run must print exactly what ``--no-cache`` prints.

    python scripts/incremental_fuzz.py PATH [--steps 40] [--seed 1]

PATH is copied to a temporary directory first (the original is never edited);
the edits are the kinds that move cross-module facts: a function appended, a
line inserted at the top (every span moves), a top-level definition deleted,
a new ``from m import name``, a file deleted, copied to a new module or
renamed, a module ``__getattr__`` or ``__all__`` added, a class given a
long-lived base, another module's state mutated, a syntax error made and
mended. On a mismatch it prints the edits so far and the differing findings,
keeps the copy, and exits 1.

Slow (two full lints per step) and random: a tool, not a test; the tests in
``tests/test_incremental.py`` pin the cases it found.
"""

from __future__ import annotations

import argparse
import ast
import random
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path


def lint(root: Path, package: str, *, cache: bool) -> list[str]:
    """The findings as ``concise`` lines (JSON would compute every fix's edits)."""
    command = [sys.executable, "-m", "reloadlint", "--isolated", "--exit-zero", "-q"]
    command += ["--output-format", "concise", *([] if cache else ["--no-cache"]), package]
    completed = subprocess.run(command, cwd=root, capture_output=True, text=True, check=False)
    if completed.returncode != 0:
        raise SystemExit(f"reloadlint failed: {completed.stderr.strip()[-500:]}")
    return sorted(completed.stdout.splitlines())


class Editor:
    def __init__(self, root: Path, package: str, rng: random.Random) -> None:
        self.root, self.package, self.rng = root, package, rng
        self.counter = 0

    def files(self) -> list[Path]:
        return sorted((self.root / self.package).rglob("*.py"))

    def module_of(self, path: Path) -> str:
        top = self.root / self.package
        # A package is named from its parent; a source root (``lib/``) from itself.
        base = self.root if (top / "__init__.py").is_file() else top
        parts = path.relative_to(base).with_suffix("").parts
        return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)

    def parsed(self) -> tuple[Path, str, ast.Module]:
        for _ in range(20):
            path = self.rng.choice(self.files())
            text = path.read_text(encoding="utf-8", errors="surrogateescape")
            try:
                return path, text, ast.parse(text)
            except SyntaxError:
                continue
        raise SystemExit("no parsable file found")

    def top_names(self, tree: ast.Module) -> list[str]:
        return [
            node.name
            for node in tree.body
            if isinstance(node, (ast.FunctionDef, ast.ClassDef)) and not node.name.startswith("_")
        ]

    def step(self) -> str:
        self.counter += 1
        kind = self.rng.choice(
            [
                self.append_function,
                self.insert_at_top,
                self.delete_definition,
                self.add_from_import,
                self.delete_file,
                self.copy_file,
                self.rename_file,
                self.add_module_getattr,
                self.add_all,
                self.add_long_lived_base,
                self.mutate_other_module,
                self.break_and_mend,
            ]
        )
        return kind()

    def write(self, path: Path, text: str) -> None:
        path.write_text(text, encoding="utf-8", errors="surrogateescape")

    def append_function(self) -> str:
        path, text, _ = self.parsed()
        self.write(path, text + f"\n\ndef _fuzz_{self.counter}(value):\n    return value\n")
        return f"append a function to {path.name}"

    def insert_at_top(self) -> str:
        path, text, _ = self.parsed()
        self.write(path, f"# fuzz {self.counter}\n" + text)
        return f"insert a line at the top of {path}"

    def delete_definition(self) -> str:
        path, text, tree = self.parsed()
        nodes = [n for n in tree.body if isinstance(n, (ast.FunctionDef, ast.ClassDef))]
        if not nodes:
            return self.append_function()
        node = self.rng.choice(nodes)
        first = min([node.lineno, *(d.lineno for d in node.decorator_list)])
        lines = text.splitlines(keepends=True)
        del lines[first - 1 : node.end_lineno]
        self.write(path, "".join(lines))
        return f"delete {node.name} from {path}"

    def add_from_import(self) -> str:
        source, _, tree = self.parsed()
        names = self.top_names(tree)
        if not names:
            return self.append_function()
        name = self.rng.choice(names)
        path, text, _ = self.parsed()
        line = f"from {self.module_of(source)} import {name} as _fuzz_{self.counter}\n"
        body = f"\n\ndef _use_{self.counter}():\n    return _fuzz_{self.counter}()\n"
        self.write(path, line + text + body)
        return f"import {self.module_of(source)}.{name} into {path}"

    def delete_file(self) -> str:
        path = self.rng.choice(self.files())
        if path.name == "__init__.py":
            return self.append_function()
        path.unlink()
        return f"delete {path}"

    def copy_file(self) -> str:
        path = self.rng.choice(self.files())
        target = path.with_name(f"fuzz_copy_{self.counter}.py")
        shutil.copyfile(path, target)
        return f"copy {path} to {target.name}"

    def rename_file(self) -> str:
        path = self.rng.choice(self.files())
        if path.name == "__init__.py":
            return self.copy_file()
        target = path.with_name(f"fuzz_renamed_{self.counter}.py")
        path.rename(target)
        return f"rename {path} to {target.name}"

    def add_module_getattr(self) -> str:
        path, text, _ = self.parsed()
        self.write(path, text + "\n\ndef __getattr__(name):\n    raise AttributeError(name)\n")
        return f"add __getattr__ to {path}"

    def add_all(self) -> str:
        path, text, tree = self.parsed()
        names = self.top_names(tree)[:3]
        self.write(path, text + f"\n__all__ = {names!r}\n")
        return f"add __all__ = {names} to {path}"

    def add_long_lived_base(self) -> str:
        path, text, tree = self.parsed()
        classes = [n for n in tree.body if isinstance(n, ast.ClassDef) and not n.bases]
        if not classes:
            return self.append_function()
        node = self.rng.choice(classes)
        lines = text.splitlines(keepends=True)
        old = lines[node.lineno - 1]
        lines[node.lineno - 1] = old.replace(
            f"class {node.name}:", f"class {node.name}(threading.Thread):", 1
        )
        self.write(path, "import threading\n" + "".join(lines))
        return f"make {node.name} in {path} a threading.Thread"

    def mutate_other_module(self) -> str:
        source, _, tree = self.parsed()
        targets = [
            t.id
            for n in tree.body
            if isinstance(n, ast.Assign)
            for t in n.targets
            if isinstance(t, ast.Name)
        ]
        module = self.module_of(source)
        path, text, _ = self.parsed()
        name = self.rng.choice(targets) if targets else "REGISTRY"
        body = f"\n\ndef _mutate_{self.counter}(k, v):\n    {module}.{name}[k] = v\n"
        self.write(path, f"import {module}\n" + text + body)
        return f"mutate {module}.{name} from {path}"

    def break_and_mend(self) -> str:
        broken = [p for p in self.files() if p.read_bytes().startswith(b"def broken(:\n")]
        if broken:
            path = broken[0]
            self.write(path, path.read_text(encoding="utf-8").replace("def broken(:\n", "", 1))
            return f"mend {path}"
        path, text, _ = self.parsed()
        self.write(path, "def broken(:\n" + text)
        return f"break {path}"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("path", type=Path, help="a package directory to copy and edit")
    parser.add_argument("--steps", type=int, default=40)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="reloadlint-fuzz-"))
    package = args.path.resolve().name
    shutil.copytree(args.path, work / package, ignore=shutil.ignore_patterns("__pycache__"))
    editor = Editor(work, package, random.Random(args.seed))
    lint(work, package, cache=True)  # fill the cache
    log: list[str] = []
    for number in range(1, args.steps + 1):
        log.append(editor.step())
        cached, fresh = lint(work, package, cache=True), lint(work, package, cache=False)
        print(f"{number:3} {log[-1]}: {len(fresh)} findings", flush=True)
        if cached != fresh:
            print("\nMISMATCH after:\n  " + "\n  ".join(log))
            for finding in sorted(set(cached) - set(fresh))[:20]:
                print("  only cached:   ", finding)
            for finding in sorted(set(fresh) - set(cached))[:20]:
                print("  only no-cache: ", finding)
            print(f"\nthe edited tree is kept in {work}")
            return 1
    shutil.rmtree(work)
    print(f"{args.steps} steps: the cached run matched --no-cache after every edit")
    return 0


if __name__ == "__main__":
    sys.exit(main())
