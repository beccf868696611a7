"""Jobs named by dotted paths that lead to their code, in either form."""
import logging

from app.scheduler import scheduler

scheduler.add_job(func="app.tasks.cleanup.rotate", trigger="interval")
scheduler.add_job(func="app.tasks.cleanup:rotate")
scheduler.send_task("app.tasks.cleanup.purge")
scheduler.periodic_task(name="app.tasks.cleanup.rotate", every=3600)
log = logging.getLogger(name="app.jobs.audit")  # a logger's name, not code to import

BEAT_SCHEDULE = {
    "nightly-purge": {"task": "app.tasks.cleanup.purge", "schedule": 86400},
}
