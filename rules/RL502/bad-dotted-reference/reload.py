"""Does every job the schedule names by dotted path import and run?"""
import importlib

from reloadkit import verdict

schedule = importlib.import_module("app.schedule")
scheduler = importlib.import_module("app.scheduler").scheduler
references = [*scheduler.jobs, *(entry["task"] for entry in schedule.BEAT_SCHEDULE.values())]
failures = []
for reference in references:
    try:
        scheduler.run(reference)
    except (ImportError, AttributeError) as error:
        failures.append(f"{reference}: {type(error).__name__}")
verdict(bool(failures), "; ".join(failures) or f"every job ran: {references}")
