from redis import Redis
from rq import Queue

from app import jobs

queue = Queue(connection=Redis())


def resize_later(photo_id):
    queue.enqueue(jobs.resize, photo_id, width=640)
