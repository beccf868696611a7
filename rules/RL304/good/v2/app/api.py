from app import settings


def snapshot():
    return {"max_items": settings.limits()["items"], "page": settings.DEFAULTS["page"]}
