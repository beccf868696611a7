from app.markup import escape, quote


def render(text):
    return quote(escape(text))
