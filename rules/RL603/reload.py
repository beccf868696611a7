"""Does the new version's worker still know the task a queued message names?

The running version queues one call of the task through the framework's own
API on its in-memory transport; the deploy swaps in the new version; a fresh
process (the new workers, importing the module that now defines the task)
runs the framework's real worker on the message (tests/oldmessages.py).
"Received unregistered task", ``ActorNotFound`` or an import error there is
what RL603 warns about.
"""

from oldmessages import experiment

#: case -> (framework, module, task, args, kwargs[, module the new workers import])
experiment(
    {
        "bad-celery": ("celery", "app.tasks", "send_welcome", [7], {}),
        "bad-celery-moved": ("celery", "app.tasks", "send_welcome", [7], {}, "app.mail.tasks"),
        "good-celery-name": ("celery", "app.tasks", "send_welcome", [7], {}, "app.mail.tasks"),
        "bad-dramatiq": ("dramatiq", "app.tasks", "index_document", [12], {}),
        "good-dramatiq-moved": (
            "dramatiq",
            "app.tasks",
            "index_document",
            [12],
            {},
            "app.search.tasks",
        ),
        "bad-huey": ("huey", "app.tasks", "charge", [3], {}),
        "bad-rq": ("rq", "app.jobs", "resize", [5], {"width": 640}, "app"),
    }
)
