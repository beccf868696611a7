"""Picks the best selector once, as `subprocess` does: the probe's fallback
(`SelectSelector`) runs only where `PollSelector` is missing, so only the
preferred branch captures a class here."""

from app import selectors

if hasattr(selectors, "PollSelector"):
    _Selector = selectors.PollSelector
else:
    _Selector = selectors.SelectSelector


def wait():
    return _Selector().name()
