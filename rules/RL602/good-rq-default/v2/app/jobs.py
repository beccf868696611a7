"""Background work."""
def resize(photo_id, width, height=None):
    return f"{photo_id} at {width}x{height or width}px"
