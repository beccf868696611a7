"""Background work."""
from app.worker import app


@app.task
def send_welcome(account_id, locale="en"):
    return f"welcome {account_id} ({locale})"
