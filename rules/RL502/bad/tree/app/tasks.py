from app.worker import queue


@queue.task(name="app.tasks.old_send")
def send(payload):
    return payload
