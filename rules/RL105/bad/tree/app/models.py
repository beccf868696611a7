class Order:
    kind = "order"


class OrderError(Exception):
    pass
