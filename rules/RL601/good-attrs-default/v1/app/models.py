import attrs


@attrs.define
class Invoice:
    number: str
    total: int
