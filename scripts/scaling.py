"""How run time grows with two inputs a repository controls (issue 13).

- ``renames``: a package of N modules, committed, then every module renamed
  (``git mv``); ``reloadlint --base HEAD`` and ``--plan --base HEAD``
  (rename detection pairs every old name with a new one).
- ``chain``: one module defining N classes, each deriving from the one
  before (``class C1(C0)``, ``class C2(C1)``...); a tree-mode run.
- ``module-chain``: the same chain with one class per module.

Each size runs in a fresh temporary directory without the cache; the script
prints seconds per size and the ratio to the previous size, so linear growth
shows as a ratio close to the ratio of sizes. Timings, not tests:
docs/hardening.md has the numbers.

    python scripts/scaling.py renames 750 1500 3000
    python scripts/scaling.py chain 1000 2000 10000
    python scripts/scaling.py module-chain 500 1000 2000
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

RELOADLINT = [sys.executable, "-c", "from reloadlint.cli import main; main()"]


def git(root: Path, *args: str) -> None:
    env = {
        **os.environ,
        "GIT_AUTHOR_NAME": "s",
        "GIT_AUTHOR_EMAIL": "s@s",
        "GIT_COMMITTER_NAME": "s",
        "GIT_COMMITTER_EMAIL": "s@s",
        "GIT_CONFIG_NOSYSTEM": "1",
    }
    subprocess.run(["git", "-C", str(root), *args], check=True, env=env, capture_output=True)


def timed(root: Path, *args: str) -> float:
    start = time.perf_counter()
    proc = subprocess.run(
        [*RELOADLINT, "--no-cache", "--isolated", "--output-format", "concise", *args],
        cwd=root,
        capture_output=True,
        text=True,
        check=False,
    )
    elapsed = time.perf_counter() - start
    if proc.returncode not in (0, 1) or "internal error" in proc.stderr:
        sys.exit(f"reloadlint failed: {proc.stderr.strip()}")
    return elapsed


def renames(root: Path, size: int) -> dict[str, float]:
    package = root / "pkg"
    package.mkdir()
    (package / "__init__.py").write_text("")
    for number in range(size):
        (package / f"m{number}.py").write_text(
            f"import pkg.m{max(number - 1, 0)}\n\n\ndef f{number}():\n    return {number}\n"
        )
    git(root, "init", "-q")
    git(root, "add", "-A")
    git(root, "commit", "-qm", "base")
    for number in range(size):  # renamed in the working tree, not staged: as users edit
        os.rename(package / f"m{number}.py", package / f"n{number}.py")
    return {
        "--base HEAD": timed(root, "--base", "HEAD", "."),
        "--plan --base HEAD": timed(root, "--plan", "--base", "HEAD", "."),
    }


def chain(root: Path, size: int) -> dict[str, float]:
    lines = ["class C0:\n    __vsn__ = 1\n"]
    lines += [f"class C{n}(C{n - 1}):\n    x{n} = {n}\n" for n in range(1, size)]
    (root / "chain.py").write_text("\n\n".join(lines))
    (root / "user.py").write_text(f"from chain import C{size - 1}\n\nX = C{size - 1}()\n")
    return {"tree mode": timed(root, ".")}


def module_chain(root: Path, size: int) -> dict[str, float]:
    """The chain spread over modules: each ``mK.py`` derives ``CK`` from ``m{K-1}.C{K-1}``."""
    package = root / "pkg"
    package.mkdir()
    (package / "__init__.py").write_text("")
    (package / "m0.py").write_text("class C0:\n    __vsn__ = 1\n")
    for number in range(1, size):
        (package / f"m{number}.py").write_text(
            f"from pkg.m{number - 1} import C{number - 1}\n\n\n"
            f"class C{number}(C{number - 1}):\n    x = {number}\n"
        )
    return {"tree mode": timed(root, ".")}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("case", choices=["renames", "chain", "module-chain"])
    parser.add_argument("sizes", nargs="+", type=int)
    args = parser.parse_args()
    build = {"renames": renames, "chain": chain, "module-chain": module_chain}[args.case]
    previous: dict[str, tuple[int, float]] = {}
    for size in args.sizes:
        with tempfile.TemporaryDirectory(prefix="reloadlint-scaling-") as directory:
            for what, seconds in build(Path(directory), size).items():
                ratio = ""
                if what in previous:
                    old_size, old_seconds = previous[what]
                    ratio = f"  x{seconds / old_seconds:.1f} for x{size / old_size:.1f} the size"
                print(f"{args.case} {size:>6} {what:<20} {seconds:7.2f} s{ratio}", flush=True)
                previous[what] = (size, seconds)


if __name__ == "__main__":
    main()
