import threading

from app import state

VERSION = "v1"


def run(stop):
    while not stop.is_set():
        state.RESULTS.append(VERSION)  # a module global: read again on every iteration
        stop.wait(0.01)


def start(stop):
    thread = threading.Thread(target=run, args=(stop,), daemon=True)
    thread.start()
    return thread
