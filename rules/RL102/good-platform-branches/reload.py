"""After the platform modules change and reload, does `app.platform_settings` still
give the settings of the platform it runs on, with no stale copy of either module's?"""
import importlib

from reloadkit import edit, reload, verdict

settings = importlib.import_module("app.platform_settings")
importlib.import_module("app.windows")  # loaded here too, as a settings page listing both would
edit("app/windows.py", '"cmd.exe"', '"powershell.exe"')
edit("app/posix.py", '"/bin/sh"', '"/bin/bash"')
reload("app.windows")
reload("app.posix")
got = (settings.shell(), settings.line_end(), settings.flavour_shell())
verdict(got != ("/bin/sh", "\n", "/bin/bash"), f"shell, line end and flavour's shell: {got!r}")
