import logging

# Nothing ever reads it: the registrar only adds to it.
_logged_classes = set()


def class_logger(cls):
    cls.logger = logging.getLogger(f"{cls.__module__}.{cls.__name__}")
    _logged_classes.add(cls)
    return cls
