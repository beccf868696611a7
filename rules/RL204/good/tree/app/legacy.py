"""Configured `not-reloadable`: a restart, never a reload, replaces this code."""
VERSION = (1, 0)


class Cache:
    __vsn__ = VERSION

    def __code_change__(self):
        pass
