"""A receiver connected under a dispatch_uid: a reload's new function is refused."""

from app.dispatch import receiver
from app.signals import user_created


@receiver(user_created, dispatch_uid="greeting")
def welcome(sender):
    return "welcome"


def audit(sender):
    return "welcome audit"


user_created.connect(audit, weak=False, dispatch_uid="audit")
