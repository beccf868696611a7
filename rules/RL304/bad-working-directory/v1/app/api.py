import configparser

FEATURES = configparser.ConfigParser()
FEATURES.read("config/app.ini")


def snapshot():
    return {"beta": FEATURES.getboolean("features", "beta")}
