class Versioned:
    """Instances of subclasses gain the fields their class lists, at their defaults."""

    defaults = {}

    def __code_change__(self, old_vsn, extra):
        pass
