class Router:
    def __init__(self):
        self.table = {}

    def route(self, path):
        def register(func):
            self.table[path] = func
            return func

        return register
