"""Sessions live in memory for as long as the user is logged in."""
from dataclasses import dataclass


@dataclass(slots=True)
class Session:
    user: str
    timeout: float = 30.0  # seconds
    __vsn__: int = 1

    def timeout_seconds(self) -> float:
        return self.timeout
