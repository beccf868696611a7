"""Background work."""
from app.worker import app


@app.task
def send_welcome(user_id, locale="en", *, channel="email"):
    return f"welcome {user_id} ({locale}) by {channel}"
