from app import legacy


def signup(user):
    return legacy.old_signup(user)
