class Session:
    __vsn__ = 2

    def __init__(self, user):
        self.user = user
        self.roles = ["reader"]

    def __code_change__(self, old_vsn, extra):
        if old_vsn == 1:
            self.roles = ["reader"]

    def describe(self):
        return f"{self.user} ({', '.join(self.roles)})"


class Cart:
    __vsn__ = 1

    def __init__(self, owner):
        self.owner = owner
        self.lines = []

    def __code_change__(self, old_vsn, extra):
        if old_vsn is None:
            self.lines = self.__dict__.pop("items")

    def describe(self):
        return f"{self.owner}: {len(self.lines)} line(s)"


def make():
    return [Session("ann"), Cart("bob")]
