"""Sessions, pickled into the session store."""
from dataclasses import dataclass


@dataclass
class Session:
    user_id: int
    locale: str

    def __setstate__(self, state):
        state.setdefault("locale", "en")
        self.__dict__.update(state)
