from app.types import AlignMethod, Lines, MaybeWidth, StyleType, T


def align(text: str, method: AlignMethod = "left", width: MaybeWidth = None) -> str:
    return text.ljust(width or 0) if method == "left" else text.rjust(width or 0)


ALIASES = (AlignMethod, StyleType, MaybeWidth, Lines, T)  # read at run time too
