def rebuild_index():
    return "rebuilt"


if __name__ == "__main__":
    # New: the running process cannot have been started through it.
    print(rebuild_index())
