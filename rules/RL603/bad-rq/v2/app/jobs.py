"""Background work."""
def resize_photo(photo_id, width):
    return f"{photo_id} at {width}px"
