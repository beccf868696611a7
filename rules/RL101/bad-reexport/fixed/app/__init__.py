"""The package re-exports its public API."""
from app.db import connect

__all__ = ["connect"]
