from pydantic import BaseModel


class OrderPlaced(BaseModel):
    order_id: int
    amount: float
    currency: str = "EUR"
    nickname: str | None = None
