"""Background work."""
from app.worker import huey


@huey.task()
def charge(order_id, amount, currency):
    return f"charged {order_id}: {amount} {currency}"
