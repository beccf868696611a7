"""Views: the documentation changed, the code did not."""
from app import db


def home():
    # Connect on each request.
    return db.connect("sqlite://")
