"""An in-process event bus; subscribers are kept in the bus object."""


class Bus:
    def __init__(self):
        self.handlers = []

    def subscribe(self, event):
        def register(func):
            self.handlers.append((event, func))
            return func

        return register

    def emit(self, event, payload):
        return [func(payload) for name, func in self.handlers if name == event]


bus = Bus()
