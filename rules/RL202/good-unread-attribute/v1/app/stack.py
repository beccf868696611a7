class Frame:
    def __init__(self, name):
        self.name = name


def render_stack(frames):
    return ", ".join(f"<{frame.name}>" for frame in frames)
