"""Patches that keep nothing of the value they replace: a reload swaps them for the new ones."""
from app import clock
from app.events import bus


def _fixed_now():
    return 100


clock.now = _fixed_now  # the new function replaces the old one; nothing wraps it
bus.name = "main"
