from app.settings import LIMITS


def snapshot():
    return {"max_items": LIMITS["items"]}
