class Session:
    __vsn__ = 1

    def __init__(self, user):
        self.user = user
        self.seen = 0

    def describe(self):
        return self.user


class Fetcher:
    def __init__(self, url):
        self.url = url

    def describe(self):
        return self.url


class Cart:
    """A shopping cart."""

    def __init__(self, owner):
        self.owner = owner
        self.items = []

    def describe(self):
        return f"{self.owner}: {len(self.items)} item(s)"


def make():
    return [Session("ann"), Fetcher("https://example.org"), Cart("bob")]
