"""Does a worker thread that is already looping run the new code after a reload?

The running process starts its worker (`app.worker.start`), the deploy swaps
in the new version and the changed modules are reloaded. Each loop iteration
records which version of the work it did (`app.state.RESULTS`, not reloaded):
the iterations after the reload must be the new version's.
"""
import importlib
import threading
import time

from reloadkit import loaded_from, upgrade, upgrade_live, verdict

state = importlib.import_module("app.state")
worker = importlib.import_module("app.worker")
stop = threading.Event()
thread = worker.start(stop)
while not state.RESULTS:
    time.sleep(0.01)
upgrade_live(*loaded_from(upgrade()))
mark = len(state.RESULTS)
deadline = time.monotonic() + 10
while len(state.RESULTS) < mark + 5 and time.monotonic() < deadline:
    time.sleep(0.01)
stop.set()
thread.join(5)
after = sorted(set(state.RESULTS[mark + 1 :]))
verdict(after != ["v2"], f"iterations after the reload did {after}, the new code does 'v2'")
