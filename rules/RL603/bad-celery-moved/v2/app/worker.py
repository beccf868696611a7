from celery import Celery

app = Celery("app", broker="memory://")
