class Frame:
    def __init__(self, name):
        self.name = name


def render_stack(frames):
    # Changed, and reads `.name`: of stack frames (this module knows no spinner).
    return " > ".join(frame.name for frame in frames)
