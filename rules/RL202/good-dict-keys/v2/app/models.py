class Base:
    def __init__(self):
        self.config = self.make_config()

    def make_config(self):
        return dict(self.default_config)


class App(Base):
    default_config = {"DEBUG": False, "TIMEOUT": 30}

    def describe(self):
        return f"debug={self.config['DEBUG']} timeout={self.config.get('TIMEOUT', 30)}"


def make():
    return [App()]
