class Versioned:
    """Instances of subclasses gain the fields their class lists, at their defaults."""

    defaults = {}

    def __code_change__(self, old_vsn, extra):
        if old_vsn <= 2:
            for name, value in self.defaults.items():
                if not hasattr(self, name):
                    setattr(self, name, list(value))
