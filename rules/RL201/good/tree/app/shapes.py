"""Classes whose instances never change shape after they are built."""
from dataclasses import dataclass


class Point:
    def __init__(self, x: int, y: int) -> None:
        self.x = x
        self.y = y

    def moved(self, dx: int) -> "Point":
        return Point(self.x + dx, self.y)

    def attach(self, other: object) -> None:
        other.owner = self  # another object's attribute, not this one's


@dataclass
class Span:
    start: int
    end: int

    def __post_init__(self) -> None:
        self.length = self.end - self.start


class Snapshot:
    def __getstate__(self) -> dict:
        return dict(self.__dict__)

    def __setstate__(self, state: dict) -> None:
        self.__dict__.update(state)
        self.restored = True


class Interned:
    def __new__(cls, name: str) -> "Interned":
        self = super().__new__(cls)
        self.name = name
        return self


class Registry:
    plugins: list = []

    @classmethod
    def reset(cls) -> None:
        cls.plugins = []

    def __init_subclass__(cls, **kwargs: object) -> None:
        super().__init_subclass__(**kwargs)
        cls.key = cls.__name__.lower()

    @staticmethod
    def configure(target: object, level: int) -> None:
        target.level = level


class Singleton(type):
    def __call__(cls, *args: object, **kwargs: object) -> object:
        if "_instance" not in cls.__dict__:
            cls._instance = super().__call__(*args, **kwargs)
        return cls._instance


def make_accumulator() -> object:
    class Accumulator:
        def add(self, n: int) -> None:
            self.total = getattr(self, "total", 0) + n

    return Accumulator()


class Panel:
    def __init__(self, title: str) -> None:
        self.title = title
        self._build()

    def _build(self) -> None:
        self.header = f"== {self.title} =="
