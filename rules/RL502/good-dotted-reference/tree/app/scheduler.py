"""A stand-in for a scheduler and a task queue: jobs are kept by dotted path and
imported when they run (``pkgutil.resolve_name`` takes both ``a.b.c`` and ``a.b:c``)."""
import pkgutil


class Scheduler:
    def __init__(self):
        self.jobs = []

    def add_job(self, func, trigger=None):
        self.jobs.append(func)

    def send_task(self, name):
        self.jobs.append(name)

    def periodic_task(self, name, every):
        self.jobs.append(name)

    def run(self, reference):
        return pkgutil.resolve_name(reference)()


scheduler = Scheduler()
