from app import jobs


def signup(user):
    return jobs.send_welcome(user)
