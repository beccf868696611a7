"""Does a message the base version queued still run on the new version's worker?

The running version queues one call of the task through the framework's own
API on its in-memory transport (Celery's ``memory://`` broker, Dramatiq's
``StubBroker``, Huey's ``MemoryHuey``, RQ and arq on fakeredis) and the message is
taken out as the broker holds it. The deploy swaps in the new version; a
fresh process (the new workers) puts the message on its transport and runs
the framework's real worker on it (tests/oldmessages.py). A TypeError there
is what RL602 warns about.
"""

from oldmessages import experiment

#: case -> (framework, module, task, args, kwargs): the call the old version queued
experiment(
    {
        "bad-celery": ("celery", "app.tasks", "send_welcome", [], {"user_id": 7}),
        "good-celery-kwonly": ("celery", "app.tasks", "send_welcome", [7], {"locale": "fr"}),
        "good-celery-kwargs": ("celery", "app.tasks", "send_welcome", [], {"user_id": 7}),
        "bad-dramatiq": ("dramatiq", "app.tasks", "index_document", [12], {}),
        "good-dramatiq-default": ("dramatiq", "app.tasks", "index_document", [12], {}),
        "bad-huey": ("huey", "app.tasks", "charge", [3, 10, "EUR"], {}),
        "good-huey-default": ("huey", "app.tasks", "charge", [3, 10, "EUR"], {}),
        "bad-rq": ("rq", "app.jobs", "resize", [5], {"width": 640}),
        "good-rq-default": ("rq", "app.jobs", "resize", [5], {"width": 640}),
        "bad-arq": ("arq", "app.worker", "resize", [5], {"width": 640}),
        "good-arq-default": ("arq", "app.worker", "resize", [5], {"width": 640}),
    }
)
