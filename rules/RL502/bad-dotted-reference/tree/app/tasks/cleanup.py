def rotate():
    return "rotated"


def purge():
    return "purged"
