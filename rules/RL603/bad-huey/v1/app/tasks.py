"""Background work."""
from app.worker import huey


@huey.task()
def charge(order_id):
    return f"charged {order_id}"
