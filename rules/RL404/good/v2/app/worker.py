import threading

from app import state


def process_one():
    state.RESULTS.append("v2")


def run(stop):
    """Process jobs until `stop` is set; the work itself is `process_one`,
    looked up in the module on every iteration, so a reload reaches it."""
    while not stop.is_set():
        process_one()  # the loop stays a thin shell
        stop.wait(0.01)


def drain(queue):
    # Not an endless loop: it ends when the queue is empty.
    while queue:
        queue.pop(0)


def heartbeat(stop):
    # New in this version: no thread can be running it yet.
    while True:
        if stop.wait(1):
            return


def start(stop):
    thread = threading.Thread(target=run, args=(stop,), daemon=True)
    thread.start()
    return thread
