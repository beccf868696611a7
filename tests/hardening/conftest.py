"""Fixtures for the hardening tests (defined in :mod:`hardening_support`)."""

from hardening_support import project

__all__ = ["project"]
