from app.codes import internal


@internal
def render(name):
    return f"<p>{name}</p>"
