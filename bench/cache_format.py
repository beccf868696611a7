"""Which on-disk layout of the summary cache is faster: one packed file, or one file per entry?

    python bench/cache_format.py [DIR]     # default: the running Python's standard library

Summarises every ``.py`` file under DIR once (about 1,800 files for the
standard library), then times, median of 7 runs each, in this process:

- writing the cache (atomically: a temporary file and ``os.replace``);
- a warm run's reads: every entry read and unpickled;
- a one-file-changed run's reads when only the entries are needed, not
  unpickled (the findings cache answers; summaries load lazily).

The cache format is reloadlint's own (``reloadlint.cache.dumps``/``loads``).
"""

from __future__ import annotations

import hashlib
import os
import shutil
import statistics
import sys
import sysconfig
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from reloadlint import cache
from reloadlint.summary import summarize_bytes


def summaries(root: Path) -> dict[str, bytes]:
    entries = {}
    for path in sorted(root.rglob("*.py")):
        if "site-packages" in path.parts:
            continue
        data = path.read_bytes()
        summary, error = summarize_bytes(data, "", path.stem, path.name == "__init__.py")
        if error is None:
            key = cache.summary_key(
                summary.digest, str(path.relative_to(root)), summary.is_package, False
            )
            entries[key] = cache.dumps((summary, None))
    return entries


def timed(action: Callable[[], object], runs: int = 7) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        action()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def write_atomic(path: Path, data: bytes) -> None:
    handle, temporary = tempfile.mkstemp(dir=path.parent)
    with os.fdopen(handle, "wb") as out:
        out.write(data)
    os.replace(temporary, path)


def main() -> int:
    root = Path(sys.argv[1]) if len(sys.argv) > 1 else Path(sysconfig.get_paths()["stdlib"])
    entries = summaries(root)
    total = sum(len(v) for v in entries.values())
    work = Path(tempfile.mkdtemp(prefix="reloadlint-cache-format-"))
    packed = cache.CacheDir(work / "packed")
    single = work / "single"
    single.mkdir()

    def write_packed() -> None:
        packed.write(cache.SUMMARIES, entries)

    def write_single() -> None:
        for key, data in entries.items():
            write_atomic(single / hashlib.blake2b(key.encode(), digest_size=16).hexdigest(), data)

    def read_packed(unpickle: bool) -> None:
        found = packed.read(cache.SUMMARIES)
        if unpickle:
            for data in found.values():
                cache.loads(data)

    def read_single(unpickle: bool) -> None:
        for key in entries:
            data = (single / hashlib.blake2b(key.encode(), digest_size=16).hexdigest()).read_bytes()
            if unpickle:
                cache.loads(data)

    try:
        rows = [
            ("write every entry", timed(write_packed, 3), timed(write_single, 3)),
            (
                "read every entry (bytes only)",
                timed(lambda: read_packed(False)),
                timed(lambda: read_single(False)),
            ),
            (
                "read and unpickle every entry",
                timed(lambda: read_packed(True)),
                timed(lambda: read_single(True)),
            ),
        ]
    finally:
        shutil.rmtree(work, ignore_errors=True)
    print(
        f"{len(entries)} summaries of {root}, {total / 1e6:.1f} MB pickled; "
        f"load average {os.getloadavg()[0]:.2f}\n"
    )
    print("| operation | one packed file | one file per entry |")
    print("| --- | ---: | ---: |")
    for label, pack, per_entry in rows:
        print(f"| {label} | {pack * 1000:.0f} ms | {per_entry * 1000:.0f} ms |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
