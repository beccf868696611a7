"""Are names bound by value to objects no reload replaces (package metadata, an alias
of a builtin, a module) still equal to the current ones after their module reloads?"""
import importlib

from reloadkit import edit, reload, verdict

package = importlib.import_module("app")
compat = importlib.import_module("app.compat")
client = importlib.import_module("app.client")
edit("app/compat.py", "TIMEOUT = 5", "TIMEOUT = 30")
reload("app.compat")
same = (
    client.text_type is compat.text_type
    and client.json is compat.json
    and client.TimeoutError is compat.TimeoutError
    and client.log is compat.log
    and client.BuiltinFunctionType is compat.BuiltinFunctionType
    and client.__version__ == package.__version__
    and client.timeout() == 30
)
verdict(not same, f"the by-value names are the current objects: {same}")
