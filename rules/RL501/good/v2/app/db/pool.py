class Pool:
    size = 4
