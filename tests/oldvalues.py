"""Values made by one version of a record class or enum, read by the next (RL601, RL604 proofs).

:func:`store` runs in the process that has the base version loaded: it
builds a value with the real library and stores it the way applications do
for that kind (pydantic: ``model_dump_json``; msgspec: ``msgspec.json`` and
pickle; dataclasses and attrs: pickle, and ``asdict`` rows built back with
``cls(**row)`` unless the class defines ``__setstate__``, which says its
values are pickles, and where a case asks for them (``forms``) ``astuple``
rows built back with ``cls(*row)``; ``NamedTuple``: JSON arrays and pickle; ``TypedDict``:
JSON objects, validated with pydantic's ``TypeAdapter`` and read key by key;
enums: member values as JSON and pickles), or only the forms a case's
application uses (``forms``: a session store keeps pickles, an export keeps
rows). :func:`load` runs in a fresh process started on the new version (a
restart) and reads every stored form back: an exception, or a field that
comes back with another field's value, is a problem.
"""

from __future__ import annotations

import base64
import dataclasses
import enum
import importlib
import json
import pickle
import typing
from typing import Any

import typing_extensions


def store(
    module: str, name: str, sample: dict[str, Any] | None = None, forms: tuple[str, ...] = ()
) -> str:
    """The stored forms of a value of ``module.name`` (all the kind's forms, or ``forms``)."""
    cls = getattr(importlib.import_module(module), name)
    kind = _kind(cls)
    stored: dict[str, Any] = {"kind": kind}
    if kind == "enum":
        stored["values"] = {m.name: m.value for m in cls}
        stored["pickles"] = [_pickle(m) for m in cls]
        return json.dumps(stored)
    assert sample is not None
    value = cls(**sample) if kind != "typeddict" else dict(sample)
    stored["fields"] = sample
    if kind == "pydantic":
        stored["json"] = value.model_dump_json()
    elif kind == "msgspec":
        import msgspec

        stored["json"] = msgspec.json.encode(value).decode()
        stored["pickle"] = _pickle(value)
    elif kind in ("dataclass", "attrs"):
        stored["pickle"] = _pickle(value)
        if "__setstate__" not in vars(cls):
            stored["row"] = dict(sample)
        if "tuple" in forms:  # only where the case's application stores rows by position
            stored["tuple"] = list(_astuple(kind, value))
    elif kind == "namedtuple":
        stored["json"] = json.dumps(list(value))
        stored["pickle"] = _pickle(value)
    elif kind == "typeddict":
        stored["json"] = json.dumps(value)
    if forms:
        stored = {k: v for k, v in stored.items() if k in ("kind", "fields", *forms)}
    return json.dumps(stored)


def load(module: str, name: str, blob: str) -> list[str]:
    """What goes wrong reading the stored values with the class as it is now."""
    cls = getattr(importlib.import_module(module), name)
    stored = json.loads(blob)
    kind = stored["kind"]
    if kind == "enum":
        return _load_enum(cls, stored)
    problems: list[str] = []
    fields = stored["fields"]
    readers: list[tuple[str, Any]] = []
    if kind == "pydantic":
        readers.append(("model_validate_json", lambda: cls.model_validate_json(stored["json"])))
    elif kind == "msgspec":
        import msgspec

        readers.append(
            ("msgspec.json.decode", lambda: msgspec.json.decode(stored["json"], type=cls))
        )
    elif kind == "namedtuple":
        readers.append(("cls(*row)", lambda: cls(*json.loads(stored["json"]))))
    elif kind == "typeddict":
        readers.append(("TypeAdapter", lambda: _typeddict(cls, json.loads(stored["json"]))))
    if "row" in stored:
        readers.append(("cls(**row)", lambda: cls(**stored["row"])))
    if "tuple" in stored:
        readers.append(("cls(*astuple)", lambda: cls(*stored["tuple"])))
    if "pickle" in stored:
        readers.append(("pickle.loads", lambda: pickle.loads(base64.b64decode(stored["pickle"]))))
    for how, read in readers:
        try:
            value = read()
            now = _fields(cls, value)
        except Exception as error:  # the library's own error is the finding
            problems.append(f"{how}: {type(error).__name__}: {error}".splitlines()[0])
            continue
        for field, old in fields.items():
            if field in now and now[field] != old:
                problems.append(f"{how}: `{field}` reads {now[field]!r}, stored {old!r}")
    return problems


def _load_enum(cls: Any, stored: dict[str, Any]) -> list[str]:
    problems = []
    for member_name, value in stored["values"].items():
        try:
            member = cls(value)
        except Exception as error:
            problems.append(f"{cls.__name__}({value!r}): {type(error).__name__}: {error}")
            continue
        if member_name in cls.__members__ and member.name != member_name:
            problems.append(f"{cls.__name__}({value!r}) is {member.name}, stored as {member_name}")
    for data in stored["pickles"]:
        try:
            pickle.loads(base64.b64decode(data))
        except Exception as error:
            problems.append(f"pickle.loads: {type(error).__name__}: {error}")
    return problems


def _kind(cls: Any) -> str:
    if isinstance(cls, type) and issubclass(cls, enum.Enum):
        return "enum"
    if typing.is_typeddict(cls) or typing_extensions.is_typeddict(cls):
        return "typeddict"
    if dataclasses.is_dataclass(cls):
        return "dataclass"
    try:
        import attrs

        if attrs.has(cls):
            return "attrs"
    except ImportError:
        pass
    if isinstance(cls, type) and issubclass(cls, tuple) and hasattr(cls, "_fields"):
        return "namedtuple"
    module = type(cls).__module__
    if module.startswith("pydantic"):
        return "pydantic"
    if module.startswith("msgspec"):
        return "msgspec"
    raise TypeError(f"not a record: {cls!r}")


def _fields(cls: Any, value: Any) -> dict[str, Any]:
    """Every field of ``value`` as the new class declares them (reading each, as code does)."""
    kind = _kind(cls)
    if kind == "typeddict":
        return dict(value)
    if kind == "pydantic":
        names = list(cls.model_fields)
    elif kind == "msgspec":
        names = list(cls.__struct_fields__)
    elif kind == "dataclass":
        names = [f.name for f in dataclasses.fields(cls)]
    elif kind == "attrs":
        import attrs

        names = [f.name for f in attrs.fields(cls)]
    else:
        names = list(cls._fields)
    return {name: getattr(value, name) for name in names}


def _astuple(kind: str, value: Any) -> tuple[Any, ...]:
    """The library's own positional form of a dataclass or attrs value (a CSV or SQL row)."""
    if kind == "attrs":
        import attrs

        return tuple(attrs.astuple(value))
    return dataclasses.astuple(value)


def _typeddict(cls: Any, data: dict[str, Any]) -> dict[str, Any]:
    from pydantic import TypeAdapter

    checked: dict[str, Any] = TypeAdapter(cls).validate_python(data)
    for key in cls.__required_keys__:
        checked[key] = data[key]  # code reads required keys without .get()
    return checked


def _pickle(value: Any) -> str:
    return base64.b64encode(pickle.dumps(value)).decode()
