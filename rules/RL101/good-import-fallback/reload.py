"""Are names bound by value to what an accelerator provides still the current ones
after the modules with the pure-Python fallbacks reload?

`app_speedups` stands for a C extension (made here as a module object, as an
extension module is one that no reload replaces). The change edits the
fallbacks in `app.pure` and the module around them, `app.markup`; both reload.
"""
import importlib
import sys
import types

from reloadkit import edit, reload, verdict

speedups = types.ModuleType("app_speedups")
exec("def escape(text):\n    return 'C:' + text\n\ndef quote(text):\n    return 'C\"' + text", speedups.__dict__)
speedups.__all__ = ["quote"]
sys.modules["app_speedups"] = speedups

views = importlib.import_module("app.views")
markup = importlib.import_module("app.markup")
importlib.import_module("app.pure")
before = views.render("<b>")
edit("app/pure.py", '"&lt;"', '"&#60;"')
edit("app/markup.py", "f'\"{text}\"'", "f'\"{text}\" '")
reload("app.pure", "app.markup")
same = views.escape is markup.escape and views.quote is markup.quote
verdict(not same, f"views' escape and quote are the current ones: {same}; render -> {views.render('<b>')!r} (was {before!r})")
