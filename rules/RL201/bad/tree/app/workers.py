"""Workers whose instances live as long as the process."""
import time
from http.server import HTTPServer
from threading import Thread

from app.base import Service


class Counter:
    def __init__(self) -> None:
        self.count = 0

    def tick(self) -> int:
        self.count += 1
        return self.count


class Clock:
    def __init__(self) -> None:
        self.started = time.time()

    def touch(self) -> None:
        self.last: float = time.time()

    def rename(self, label: str) -> None:
        setattr(self, "label", label)


class Poller(Thread):
    def run(self) -> None:
        time.sleep(0.01)


class Mailer(Service):
    def send(self, message: str) -> None:
        print(message)


class AdminServer(HTTPServer):
    pass
