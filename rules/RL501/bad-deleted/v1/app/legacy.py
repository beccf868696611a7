def old_signup(user):
    return f"hello {user}"
