from app import views


def create_app():
    return {"routes": ["/", "/health", "/audit"]}


def handle(app, path):
    return views.render(path) if path in app["routes"] else "404"
