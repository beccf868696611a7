"""Registrations a reload replaces: by key, or held weakly."""

import signal

from app.dispatch import receiver
from app.i18n import translated
from app.lookups import Field, router
from app.signals import user_created


@receiver(user_created)
def welcome(sender):
    return "welcome"


def audit(sender):
    return "welcome audit"


user_created.connect(audit)


@Field.register_lookup
class Exact:
    lookup_name = "exact"

    def describe(self):
        return "welcome exact"


@router.route("/welcome")
@translated
def page():
    return "welcome page"


def on_usr1(signum, frame):
    return ["welcome usr1"]


signal.signal(signal.SIGUSR1, on_usr1)  # one handler per signal: the new one replaces it
