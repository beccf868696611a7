from app import views


def create_app():
    return {"routes": ["/", "/health"]}


def handle(app, path):
    return views.render(path) if path in app["routes"] else "404"
