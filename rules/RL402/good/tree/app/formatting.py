import functools


@functools.singledispatch
def render(value):
    return repr(value)
