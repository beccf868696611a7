class Order:
    kind = "order"
