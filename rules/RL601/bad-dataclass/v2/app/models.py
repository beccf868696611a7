"""Sessions, pickled into the session store and exported as rows."""
from dataclasses import dataclass


@dataclass
class Session:
    user_id: int
