from app.dispatch import Signal

user_created = Signal()
