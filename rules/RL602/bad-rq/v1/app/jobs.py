"""Background work."""
def resize(photo_id, width):
    return f"{photo_id} at {width}px"
