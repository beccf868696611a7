"""Background work."""
from app.worker import huey


@huey.task()
def charge(order_id, amount, currency="EUR", *, receipt=False):
    return f"charged {order_id}: {amount} {currency}" + (" (receipt)" if receipt else "")
