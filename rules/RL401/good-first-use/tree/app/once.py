"""A registry that the accelerator keeps, with a pure-Python fallback for where it is
missing (as `warnings` binds `onceregistry`): where the accelerator imports, the
fallback's dict is never made, and a reload binds the accelerator's dict again."""

try:
    from _warnings import _onceregistry as onceregistry
except ImportError:
    onceregistry = {}


def show_once(message, category):
    key = (message, category)
    if onceregistry.get(key):
        return False
    onceregistry[key] = 1
    return True
