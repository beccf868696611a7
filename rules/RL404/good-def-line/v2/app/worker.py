import threading

from app import state

VERSION = "v2"


def run(stop: threading.Event) -> None:
    # Only the signature changed: the loop a running thread executes is the same.
    while not stop.is_set():
        state.RESULTS.append(VERSION)  # a module global: read again on every iteration
        stop.wait(0.01)


def start(stop: threading.Event) -> threading.Thread:
    thread = threading.Thread(target=run, args=(stop,), daemon=True)
    thread.start()
    return thread
