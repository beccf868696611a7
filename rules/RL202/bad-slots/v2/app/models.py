class Point:
    __slots__ = ("x",)  # a new layout: a live instance cannot become a new Point

    def __init__(self, x):
        self.x = x

    def describe(self):
        return f"<{self.x}>"


def make():
    return [Point(1)]
