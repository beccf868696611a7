"""Mail tasks (moved from app.tasks)."""
from app.worker import app


@app.task(name="app.tasks.send_welcome")
def send_welcome(user_id):
    return f"welcome {user_id}"
