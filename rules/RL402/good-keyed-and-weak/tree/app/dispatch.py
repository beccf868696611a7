"""A signal that holds its receivers weakly, as Django's and blinker's do.

A receiver is kept under a lookup key (its ``dispatch_uid``, else its id)
through a weak reference unless ``weak=False``; a receiver that dies leaves.
"""

import weakref


class Signal:
    def __init__(self):
        self.receivers = []

    def connect(self, receiver, weak=True, dispatch_uid=None):
        key = dispatch_uid if dispatch_uid is not None else id(receiver)
        if weak:
            receiver = weakref.ref(receiver)
        self.receivers = [(k, r) for k, r in self.receivers if not _dead(r)]
        if not any(k == key for k, _ in self.receivers):
            self.receivers.append((key, receiver))

    def send(self, sender):
        live = [_live(r) for _, r in self.receivers]
        return [r(sender) for r in live if r is not None]


def _live(receiver):
    return receiver() if isinstance(receiver, weakref.ref) else receiver


def _dead(receiver):
    return _live(receiver) is None


def receiver(signal, **kwargs):
    def _decorator(func):
        signal.connect(func, **kwargs)
        return func

    return _decorator
