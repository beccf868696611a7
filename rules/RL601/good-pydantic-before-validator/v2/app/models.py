from typing import Any

from pydantic import BaseModel, model_validator


class OrderPlaced(BaseModel):
    order_id: int
    amount: float
    currency: str

    @model_validator(mode="before")
    @classmethod
    def _from_version_1(cls, data: Any) -> Any:
        if isinstance(data, dict) and "currency" not in data:
            return {**data, "currency": "EUR"}
        return data
