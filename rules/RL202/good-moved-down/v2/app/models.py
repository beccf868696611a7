class Base:
    def __init__(self, name):
        self.name = name


# `tags` moved down from `Base`: every live `Tagged` already has it.
class Tagged(Base):
    def __init__(self, name):
        super().__init__(name)
        self.tags = []

    def describe(self):
        return f"{self.name} {self.tags}"


def make():
    return [Tagged("a")]
