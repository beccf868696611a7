"""Background work."""
from app.worker import huey


@huey.task()
def charge(order_id, amount):
    return f"charged {order_id}: {amount}"
