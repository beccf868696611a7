import threading


class Worker(threading.Thread):
    def __init__(self):
        super().__init__(name="app-worker", daemon=True)
        self.stopped = threading.Event()

    def run(self):
        self.stopped.wait()
