def connect(url):
    return f"connected to {url}"
