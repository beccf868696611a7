"""Selectors: a portable one, and a faster one (which some platforms lack)."""


class SelectSelector:
    def name(self):
        return "select v1"


class PollSelector(SelectSelector):
    def name(self):
        return "poll v1"
