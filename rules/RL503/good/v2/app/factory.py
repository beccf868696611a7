from app import views


def create_app():
    """Build the application (the process calls this once, at start-up)."""
    return {"routes": ["/", "/health"]}


def handle(app, path):
    if path not in app["routes"]:
        return "404"
    return views.render(path)
