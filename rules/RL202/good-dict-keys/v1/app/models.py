class Base:
    def __init__(self):
        self.config = self.make_config()

    def make_config(self):
        return dict(self.default_config)


class App(Base):
    default_config = {"DEBUG": False}

    def describe(self):
        return f"debug={self.config['DEBUG']}"


def make():
    return [App()]
