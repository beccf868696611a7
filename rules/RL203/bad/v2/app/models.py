class Session:
    __vsn__ = 2

    def __init__(self, user):
        self.user = user
        self.roles = ["reader"]

    def describe(self):
        return f"{self.user} ({', '.join(self.roles)})"


def make():
    return [Session("ann")]
