def ping():
    return "pong v1"
