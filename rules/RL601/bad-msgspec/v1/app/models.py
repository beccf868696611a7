import msgspec


class Event(msgspec.Struct):
    kind: str
    at: int
