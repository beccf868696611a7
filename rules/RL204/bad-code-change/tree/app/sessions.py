"""Sessions live in memory for as long as the user is logged in."""


class Session:
    __vsn__ = 1

    def __init__(self, user: str) -> None:
        self.user = user

    def __code_change__(self, old_vsn):
        pass


class Cart:
    __vsn__ = 1

    def __init__(self) -> None:
        self.items: list[str] = []

    async def __code_change__(self, old_vsn, extra):
        pass


class Basket:
    __vsn__ = 1

    @staticmethod
    def __code_change__(old_vsn, extra):
        pass
