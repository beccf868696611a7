from app.registry import handler, register


@register
def audit(event):
    return f"audit {event}"


@handler("user")
def welcome(event):
    return f"welcome {event}"
