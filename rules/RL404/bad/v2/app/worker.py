import threading

from app import state


def run(stop):
    while not stop.is_set():
        state.RESULTS.append("v2")
        stop.wait(0.01)


def start(stop):
    thread = threading.Thread(target=run, args=(stop,), daemon=True)
    thread.start()
    return thread
