"""Does the entry string still resolve after the package was renamed (oldapp -> newapp)?

The running process has imported the base version (`oldapp`). After the
deploy it imports the new `newapp.cli` and runs the job its entry string
names, as a restarted process would. In the running process the old
`oldapp.tasks` is still in `sys.modules`, so a string that still names it
keeps working here (running the old code) and fails after a restart.
"""
import importlib

from reloadkit import fresh, upgrade, verdict

importlib.import_module("oldapp.cli")
importlib.import_module("oldapp.tasks")
upgrade()
cli = importlib.import_module("newapp.cli")
try:
    here = cli.run_job("ann")
except ImportError as error:
    here = f"{type(error).__name__}: {error}"
restarted = fresh(
    "import newapp.cli\n"
    "try:\n"
    "    print(newapp.cli.run_job('ann'))\n"
    "except ImportError as error:\n"
    "    print(f'{type(error).__name__}: {error}')\n"
)
verdict(here != restarted, f"the running process: {here!r}; a restarted process: {restarted!r}")
