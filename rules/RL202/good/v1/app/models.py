class Session:
    __vsn__ = 1

    def __init__(self, user):
        self.user = user

    def describe(self):
        return self.user


class Cart:
    def __init__(self, owner):
        self.owner = owner
        self.items = []

    def describe(self):
        return f"{self.owner}: {len(self.items)} item(s)"


def make():
    return [Session("ann"), Cart("bob")]
