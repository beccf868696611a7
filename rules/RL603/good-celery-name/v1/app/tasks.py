"""Background work."""
from app.worker import app


@app.task
def send_welcome(user_id):
    return f"welcome {user_id}"
