from app import base


class Session:
    __vsn__ = 3

    def __init__(self, user):
        self.user = user
        self.roles = ["reader"]

    def __code_change__(self, old_vsn, extra):
        if old_vsn < 3:
            self.roles = ["reader"]

    def describe(self):
        return f"{self.user} ({', '.join(self.roles)})"


class Account(base.Versioned):
    __vsn__ = 3
    defaults = {"tags": []}

    def __init__(self, owner):
        self.owner = owner
        self.tags = []

    def describe(self):
        return f"{self.owner} {self.tags}"


# A first __vsn__ on unchanged state: nothing to migrate.
class Cart:
    __vsn__ = 1

    def __init__(self, owner):
        self.owner = owner

    def describe(self):
        return self.owner.upper()


def make():
    return [Session("ann"), Account("bob"), Cart("cy")]
