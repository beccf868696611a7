import threading

from app import state


def run(stop):
    while True:
        state.RESULTS.append("v2")
        if stop.wait(0.01):  # it can leave, but only when told to: it waits until then
            break


def start(stop):
    thread = threading.Thread(target=run, args=(stop,), daemon=True)
    thread.start()
    return thread
