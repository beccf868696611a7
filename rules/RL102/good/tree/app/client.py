from app import settings
from app.settings import helper  # a function: RL101's business, not RL102's
from app.settings import json  # a module re-exported by value: modules are not reloaded copies


def timeout():
    return settings.TIMEOUT


def other():
    return helper(), json.dumps({})
