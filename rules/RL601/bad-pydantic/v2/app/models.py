"""Order events, stored as JSON in the event log."""
from pydantic import BaseModel


class OrderPlaced(BaseModel):
    order_id: int
    amount: float
    currency: str
