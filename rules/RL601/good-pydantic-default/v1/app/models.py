from pydantic import BaseModel


class OrderPlaced(BaseModel):
    order_id: int
    amount: float
