from typing_extensions import NotRequired, TypedDict


class Payload(TypedDict):
    user_id: int
    tenant: NotRequired[str]
