"""Functions whose docstrings are translated, held weakly (as limnoria's i18n does)."""
import weakref

TRANSLATED = weakref.WeakSet()


def translated(func):
    TRANSLATED.add(func)
    return func
