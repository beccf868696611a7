"""Background work."""
from app.worker import app


@app.task(bind=True)
def send_welcome(self, account_id=None, locale="en", **old):
    account_id = old.get("user_id", account_id)
    return f"welcome {account_id} ({locale})"
