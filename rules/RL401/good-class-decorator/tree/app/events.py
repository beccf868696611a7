# Filled only while the class body runs: a reload of the module fills it again.
_lifecycle_names = set()


class SessionEvents:
    def _lifecycle(fn):
        _lifecycle_names.add(fn.__name__)
        return fn

    @_lifecycle
    def after_begin(self, session):
        return f"began {session}"

    @_lifecycle
    def after_commit(self, session):
        return f"committed {session}"


def is_lifecycle(name):
    return name in _lifecycle_names


def lifecycle_names():
    return sorted(_lifecycle_names)
