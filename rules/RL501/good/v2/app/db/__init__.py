from app.db.pool import Pool


def connect(url):
    return f"connected to {url} through {Pool.__name__}"
