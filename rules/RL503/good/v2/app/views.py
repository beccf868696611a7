def render(path):
    return f"<h1>page {path}</h1>"
