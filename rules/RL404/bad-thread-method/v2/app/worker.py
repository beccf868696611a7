import threading
import time

from app import state


class Worker(threading.Thread):
    __vsn__ = 1

    def __init__(self, stop):
        super().__init__(daemon=True)
        self.stop = stop

    def run(self):
        while not self.stop.is_set():
            state.RESULTS.append("v2")
            time.sleep(0.01)


def start(stop):
    worker = Worker(stop)
    worker.start()
    return worker
