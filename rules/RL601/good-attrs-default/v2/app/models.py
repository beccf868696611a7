import attrs


@attrs.define
class Invoice:
    number: str
    total: int
    customer_id: int = attrs.field(default=0, kw_only=True)
