"""The application package; `VERSION` is the installed release."""
from importlib.metadata import version

VERSION = version("app")
