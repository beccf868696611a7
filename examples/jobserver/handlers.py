"""What each kind of job does. ``process`` is the single entry point workers call."""

from __future__ import annotations

import hashlib
import pathlib
from typing import Any

from jobserver import settings

#: Reports this process wrote, by name: what ``reports`` lists.
_reports_written: dict[str, str] = {}


def word_count(text: str) -> int:
    return len(text.split())


def digest(path: str) -> str:
    return hashlib.sha256(pathlib.Path(path).read_bytes()).hexdigest()


def write_report(name: str, lines: list[str]) -> str:
    target = pathlib.Path(settings.REPORT_DIR) / f"{name}.txt"
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text("\n".join(lines) + "\n", encoding="utf-8")
    _reports_written[name] = str(target)
    return str(target)


def reports() -> list[str]:
    return sorted(_reports_written)


HANDLERS = {
    "word_count": word_count,
    "digest": digest,
    "report": write_report,
    "reports": reports,
}


def process(kind: str, args: dict[str, Any]) -> Any:
    """Run the handler of ``kind``; an unknown kind is an error of the job, not of the server."""
    try:
        handler = HANDLERS[kind]
    except KeyError:
        raise ValueError(f"no handler for job kind {kind!r}") from None
    return handler(**args)
