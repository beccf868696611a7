"""Background work."""
def resize(photo_id, *, width, height):
    return f"{photo_id} at {width}x{height}px"
