"""How the process starts (`gunicorn 'app.factory:create_app()'`), and what it serves."""
from app import factory, state


def boot():
    state.APP = factory.create_app()
    return state.APP


def probe(app):
    return [factory.handle(app, path) for path in ("/", "/health", "/audit", "/metrics")]
