from typing_extensions import TypedDict


class Payload(TypedDict):
    user_id: int
