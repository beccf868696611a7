import threading

from app import state


def process_one():
    state.RESULTS.append("v1")


def run(stop):
    while not stop.is_set():
        process_one()
        stop.wait(0.01)


def drain(queue):
    while queue:
        queue.pop()


def start(stop):
    thread = threading.Thread(target=run, args=(stop,), daemon=True)
    thread.start()
    return thread
