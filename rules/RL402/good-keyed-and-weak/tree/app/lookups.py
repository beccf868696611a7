"""Registries keyed by name: registering again under a name replaces the entry."""


class RegisterLookupMixin:
    def register_class_lookup(cls, lookup, lookup_name=None):
        if lookup_name is None:
            lookup_name = lookup.lookup_name
        if "class_lookups" not in cls.__dict__:
            cls.class_lookups = {}
        cls.class_lookups[lookup_name] = lookup
        return lookup

    register_lookup = classmethod(register_class_lookup)


class Field(RegisterLookupMixin):
    pass


class Router:
    def __init__(self):
        self.routes = {}

    def route(self, path):
        def decorate(view):
            self.routes[path] = view
            return view

        return decorate


router = Router()
