# A registry in the module that fills it: a reload rebuilds both together.
PLUGINS = []


def plugin(func):
    PLUGINS.append(func)
    return func


@plugin
def shout(text):
    return text.upper()
