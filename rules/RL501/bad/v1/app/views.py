from app import tasks


def signup(user):
    return tasks.send_welcome(user)
