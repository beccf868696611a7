import os


def driver(kind):
    # A computed name is not a variable RL303 can name; this one is APP_DB.
    url = os.environ.get("APP_" + kind, "sqlite://")
    return url.partition(":")[0]
