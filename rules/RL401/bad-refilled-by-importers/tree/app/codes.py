# Filled only by `@internal` on the functions of the modules that import it.
internal_code = set()


def internal(func):
    internal_code.add(func.__code__)
    return func


def is_internal(func):
    return func.__code__ in internal_code
