RESOLVERS = {}


def resolves(kind):
    def inner(func):
        RESOLVERS[kind] = func
        return func

    return inner


@resolves(int)
def resolve_int(value):
    return int(value)


@resolves(str)
def resolve_str(value):
    return str(value).strip()


def resolve(kind, value):
    return RESOLVERS[kind](value)
