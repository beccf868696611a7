class Session:
    __vsn__ = 1

    def __init__(self, user):
        self.user = user
        self._reset()

    def _reset(self):
        # `seen` moved to another method: same state shape.
        self.seen = 0

    def describe(self):
        return f"user {self.user.upper()} (seen {self.seen} times)"


# A new attribute with a class-level default: live instances find it on the class.
class Fetcher:
    retries = 0

    def __init__(self, url):
        self.url = url

    def retry(self):
        self.retries += 1

    def describe(self):
        return f"{self.url} after {self.retries} retries"


class Cart:
    """A shopping cart, with a longer docstring in the new version.

    Docstrings, comments and layout are not changes.
    """

    def __init__(self, owner):
        self.owner = owner
        self.items = []  # the items

    def describe(self):
        return f"{self.owner}: {len(self.items)} item(s)"


def make():
    return [Session("ann"), Fetcher("https://example.org"), Cart("bob")]
