"""Starts its workers when imported: each reload starts another set."""
import re
import threading

from app.worker import Worker

worker = Worker()
worker.start()

heartbeat = threading.Timer(3600, print)
heartbeat.daemon = True
heartbeat.start()

FIRST = re.match("a", "abc").start()  # a match position, not a thread
