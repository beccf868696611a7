class Session:
    __vsn__ = 2

    def __init__(self, user):
        self.user = user
        self.name = user.title()

    def __code_change__(self, old_vsn, extra):
        if old_vsn == 1:
            self.name = self.user.title()

    def describe(self):
        return self.name


class Profile:
    __vsn__ = "b"

    def __init__(self, email):
        self.email = email

    def describe(self):
        return self.email


def make():
    return [Session("ann"), Profile("ann@example.org")]
