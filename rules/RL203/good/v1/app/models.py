class Session:
    __vsn__ = 1

    def __init__(self, user):
        self.user = user

    def describe(self):
        return self.user


def make():
    return [Session("ann")]
