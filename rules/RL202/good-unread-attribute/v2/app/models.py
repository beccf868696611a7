FRAMES = {"dots": "⠋⠙⠹", "line": "-\\|/"}


# `name` is new, and nothing reads it from a spinner: live ones work without it.
class Spinner:
    def __init__(self, name):
        self.name = name
        self.frames = FRAMES[name]

    def describe(self):
        return f"spinner of {len(self.frames)} frames"


def make():
    return [Spinner("dots")]
