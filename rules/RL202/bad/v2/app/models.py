class Session:
    __vsn__ = 1

    def __init__(self, user):
        self.user = user
        self.roles = ["reader"]

    def describe(self):
        return f"{self.user} ({', '.join(self.roles)})"


class Cart:
    def __init__(self, owner):
        self.owner = owner
        self.lines = []

    def describe(self):
        return f"{self.owner}: {len(self.lines)} line(s)"


def make():
    return [Session("ann"), Cart("bob")]
