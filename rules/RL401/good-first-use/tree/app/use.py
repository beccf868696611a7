import os

from app import once, records, text


def summary(value):
    return (
        text.split_quoted(value),
        text.normalise(value),
        text.getlines(value),
        text.numbers_and_words(value),
        made(os.path.join("build", "out")),
        records.type_name(os.SEEK_SET),
        records.type_name(99),
    )


def shown(message):
    return once.show_once(message, "reloadlint-corpus")


def made(path):
    records.makedirs(path)
    return os.path.isdir(path)
