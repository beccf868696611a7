"""Pure-Python versions, used only where the accelerator is not installed."""


def escape(text):
    return text.replace("<", "&lt;")


def quote(text):
    return f'"{text}"'
