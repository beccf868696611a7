from app.worker import queue


@queue.task(name="app.tasks.send")
def send(payload):
    return payload
