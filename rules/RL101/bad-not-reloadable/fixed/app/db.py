def connect():
    return "v1"
