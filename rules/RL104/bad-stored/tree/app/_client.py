import enum


class _State(enum.Enum):  # stored in every live client
    UNOPENED = 1
    OPENED = 2


class Client:
    def __init__(self):
        self._state = _State.UNOPENED

    def open(self):
        if self._state != _State.UNOPENED:
            raise RuntimeError("Cannot open a client instance more than once.")
        self._state = _State.OPENED
        return self
