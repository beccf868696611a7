"""Sessions, pickled into the session store."""
from dataclasses import dataclass


@dataclass
class Session:
    user_id: int
