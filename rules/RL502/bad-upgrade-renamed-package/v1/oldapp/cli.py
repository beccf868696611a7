import importlib

JOB = "oldapp.tasks:send"


def run_job(user):
    module, _, name = JOB.partition(":")
    return getattr(importlib.import_module(module), name)(user)
