def render(path):
    return f"page {path}"
