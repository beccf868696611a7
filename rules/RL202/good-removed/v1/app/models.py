class Session:
    def __init__(self, user):
        self.user = user
        self.legacy_token = "t"

    def describe(self):
        return f"{self.user} {self.legacy_token}"


def make():
    return [Session("ann")]
