class Base:
    def __init__(self, name):
        self.name = name
        self.tags = []


class Tagged(Base):
    def describe(self):
        return f"{self.name} {self.tags}"


def make():
    return [Tagged("a")]
