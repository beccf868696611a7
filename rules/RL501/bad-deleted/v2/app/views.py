def signup(user):
    return f"welcome {user}"
