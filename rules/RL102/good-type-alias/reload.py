"""After `app.types` is reloaded, are the aliases `app.views` copied equal to the new ones?"""
import importlib
import typing

from reloadkit import add_logger, reload, verdict

views = importlib.import_module("app.views")
add_logger("app/types.py")
types = reload("app.types")
new = (types.AlignMethod, types.StyleType, types.MaybeWidth, types.Lines)
differ = [old for old, fresh in zip(views.ALIASES, new) if old != fresh]
if typing.get_args(views.ALIASES[0]) != typing.get_args(types.AlignMethod):
    differ.append("AlignMethod's arguments")
if views.ALIASES[4].__name__ != types.T.__name__:
    differ.append("T")
verdict(bool(differ), f"aliases that differ from the reloaded ones: {differ or 'none'}")
