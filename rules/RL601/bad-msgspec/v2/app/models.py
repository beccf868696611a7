import msgspec


class Event(msgspec.Struct):
    kind: str
    source: str
    at: int
