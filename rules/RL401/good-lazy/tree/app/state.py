import platform

# A memo, not state: computed on first use, and again after a reload.
_MACHINE = None


def machine():
    global _MACHINE
    if _MACHINE is not None:
        return _MACHINE
    _MACHINE = f"{platform.system()}-{platform.machine()}"
    return _MACHINE


def remember(key, value):
    machine()


def recall(key):
    return machine()
