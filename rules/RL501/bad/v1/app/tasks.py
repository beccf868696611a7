"""Background jobs, looked up by dotted name from the job queue."""

JOBS = {}


def job(func):
    JOBS[func.__name__] = func
    return func


@job
def send_welcome(user):
    return f"welcome {user}"


@job
def send_reminder(user):
    return f"reminder for {user}"
