# `legacy_token` is gone: live instances keep it, and nothing reads it any more.
class Session:
    def __init__(self, user):
        self.user = user

    def describe(self):
        return self.user


def make():
    return [Session("ann")]
