import enum


class Choices(enum.Enum):
    """A base for choice enums: it has no members, so no value is ever one of its members."""

    def label(self):
        return self.name.title()
