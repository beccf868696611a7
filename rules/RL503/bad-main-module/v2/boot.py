"""How the process starts (`python -m app`), and what it serves."""
import runpy

from app import factory, state


def boot():
    runpy.run_module("app", run_name="__main__")
    return state.APP


def probe(app):
    return [factory.handle(app, path) for path in ("/", "/health", "/audit", "/metrics")]
