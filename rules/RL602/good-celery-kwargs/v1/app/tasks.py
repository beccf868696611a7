"""Background work."""
from app.worker import app


@app.task(bind=True)
def send_welcome(self, user_id, locale="en"):
    return f"welcome {user_id} ({locale})"
