"""Background work."""
from app.worker import app


@app.task
def send_greeting(user_id):
    return f"welcome {user_id}"
