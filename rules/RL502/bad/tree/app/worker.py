"""A stand-in for a task queue: tasks are registered under a name."""


class Queue:
    def __init__(self):
        self.tasks = {}

    def task(self, name):
        def register(function):
            self.tasks[name] = function
            return function

        return register


queue = Queue()
