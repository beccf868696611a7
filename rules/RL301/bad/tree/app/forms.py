"""The other places import time reaches: class bodies, defaults, decorators."""

import configparser
import functools
import json

with open("forms.json") as handle:
    FIELDS = json.load(handle)

parser = configparser.ConfigParser()
parser.read("setup.cfg")


class Form:
    template = open("form.html").read()

    def render(self, banner=open("banner.txt").read()):
        return banner + self.template


@functools.lru_cache(maxsize=int(open("cache-size.txt").read()))
def lookup(name):
    return FIELDS[name]
