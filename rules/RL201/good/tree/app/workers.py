"""Workers whose instances live as long as the process: each declares `__vsn__`."""
import time
from threading import Thread


class Counter:
    __vsn__ = 1

    def __init__(self) -> None:
        self.count = 0

    def tick(self) -> int:
        self.count += 1
        return self.count


class Poller(Thread):
    __vsn__ = 1

    def run(self) -> None:
        time.sleep(0.01)
