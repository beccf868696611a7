def rebuild_index():
    return "rebuilt"
