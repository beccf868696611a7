"""Registrations that pile up: held strongly, appended, chained."""

import signal

from app.dispatch import receiver
from app.lookups import HOOKS, Model
from app.signals import user_created


@receiver(user_created, weak=False)
def welcome(sender):
    return "welcome"


def audit(sender):
    return "welcome audit"


user_created.connect(audit, weak=False)


@Model.add_check
def check_name():
    return "welcome check"


def hook():
    return "welcome hook"


HOOKS.append(hook)


def on_usr1(signum, frame):
    earlier = _previous(signum, frame) if callable(_previous) else []
    return [*earlier, "welcome usr1"]


_previous = signal.signal(signal.SIGUSR1, on_usr1)  # keeps the previous handler: a chain
