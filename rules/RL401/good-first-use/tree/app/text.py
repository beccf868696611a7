"""Values set up on first use, across functions: a reload sets them up again.
Nothing here records what the process did, so nothing is lost."""

import os
import re

# Compiled on first use by a helper, called only while they are unset.
_word_re = _quote_re = None


def _init_regex():
    global _word_re, _quote_re
    _word_re = re.compile(r"[^'\s]+")
    _quote_re = re.compile(r"'[^']*'")


def split_quoted(text):
    if _word_re is None:
        _init_regex()
    return _quote_re.findall(text) + _word_re.findall(_quote_re.sub(" ", text))


# A probe: turned off once, the first time the fast way fails.
_FAST_PATH_WORKS = hasattr(os, "getpid")


def normalise(text):
    global _FAST_PATH_WORKS
    if _FAST_PATH_WORKS:
        try:
            return text.casefold()
        except AttributeError:
            _FAST_PATH_WORKS = False
    return text.lower()


# A cache filled on a miss by another function, read by key.
cache = {}


def clearcache():
    cache.clear()


def getlines(name):
    if name in cache:
        return cache[name]
    return updatecache(name)


def updatecache(name):
    lines = [line.strip() for line in name.split(",")]
    cache[name] = lines
    return lines


# Patterns compiled from their own source text, once.
p0 = r"\d+"
p1 = r"[a-z]+"
pats_built = False


def numbers_and_words(text):
    global p0, p1, pats_built
    if not pats_built:
        p0 = re.compile(p0)
        p1 = re.compile(p1)
        pats_built = True
    return p0.findall(text), p1.findall(text)
