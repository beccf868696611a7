from app import choices


class Status(choices.Choices):
    OPEN = "open"
    CLOSED = "closed"
