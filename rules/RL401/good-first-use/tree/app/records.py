"""Memos of one function each: a record of the directories already made (a dict of
what was done once) and a table of names that falls back to the key itself."""

import os

_path_created = {}


def makedirs(path):
    made = []
    head = os.path.abspath(path)
    if _path_created.get(head):
        return made
    os.makedirs(head, exist_ok=True)
    made.append(head)
    _path_created[head] = 1
    return made


_type_names = {}


def type_name(number):
    if not _type_names:
        for name, value in vars(os).items():
            if name.startswith("SEEK_") and type(value) is int:
                _type_names[value] = name
    return _type_names.setdefault(number, number)
