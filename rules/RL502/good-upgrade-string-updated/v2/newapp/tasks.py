def send(user):
    return f"sent to {user}"
