from app import base


class Session:
    __vsn__ = 2

    def __init__(self, user):
        self.user = user

    def describe(self):
        return self.user


class Account(base.Versioned):
    __vsn__ = 2

    def __init__(self, owner):
        self.owner = owner

    def describe(self):
        return self.owner


class Cart:
    def __init__(self, owner):
        self.owner = owner

    def describe(self):
        return self.owner


def make():
    return [Session("ann"), Account("bob"), Cart("cy")]
