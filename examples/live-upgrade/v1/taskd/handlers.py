"""What each kind of job does. The server calls ``handlers.handle`` through the
module, so a reload of this module reaches the very next job."""

from __future__ import annotations

from taskd import jobs

#: Which version of the handlers ran a job (recorded on the job).
VERSION = "handlers v1"


def echo(text: str) -> str:
    return text


def upper(text: str) -> str:
    return text.upper()


def count(text: str) -> str:
    return f"{len(text)} chars"


HANDLERS = {"echo": echo, "upper": upper, "count": count}


def handle(job: jobs.Job) -> str:
    """The result of ``job``; an unknown kind raises ``LookupError``."""
    try:
        handler = HANDLERS[job.kind]
    except KeyError:
        raise LookupError(f"no handler for job kind {job.kind!r}") from None
    return handler(job.text)
