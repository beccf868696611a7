FRAMES = {"dots": "⠋⠙⠹", "line": "-\\|/"}


class Spinner:
    def __init__(self, name):
        self.frames = FRAMES[name]

    def describe(self):
        return f"spinner of {len(self.frames)} frames"


def make():
    return [Spinner("dots")]
