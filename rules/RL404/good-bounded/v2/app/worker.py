import threading

from app import state


def parse(text):
    # A bounded loop: it ends with its input, so no thread stays inside it.
    version = None
    while True:
        head, sep, text = text.partition(";")
        version = "v2"
        if not sep:
            break
    return version


def run(stop):
    while not stop.is_set():
        state.RESULTS.append(parse("a;b"))  # `parse` is looked up on every iteration
        stop.wait(0.01)


def start(stop):
    thread = threading.Thread(target=run, args=(stop,), daemon=True)
    thread.start()
    return thread
