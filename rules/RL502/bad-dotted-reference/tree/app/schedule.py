"""Jobs named by dotted paths that lead nowhere: `rotate` lives in `app.tasks.cleanup`."""
from app.scheduler import scheduler

scheduler.add_job(func="app.tasks.rotate", trigger="interval")
scheduler.add_job(func="app.tasks:rotate")
scheduler.send_task("app.tasks.cleanup.purge_all")
scheduler.periodic_task(name="app.tasks.cleanups.rotate", every=3600)

BEAT_SCHEDULE = {
    "nightly-purge": {"task": "app.tasks.cleanup.prune", "schedule": 86400},
}
