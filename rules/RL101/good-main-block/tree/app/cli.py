"""A module that is also a script: its main block runs only as ``python -m app.cli``."""
import app.db


def main():
    return app.db.connect()


if __name__ == "__main__":
    from app.db import connect  # never runs when the module is imported or reloaded

    print(connect())
