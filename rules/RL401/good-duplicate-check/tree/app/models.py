from app.validators import validator


def check_name(value):
    return value.strip()


def install():
    validator(check_name)


def clean(value):
    return check_name(value)
