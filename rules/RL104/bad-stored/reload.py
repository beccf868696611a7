"""Can a client made before a reload still be opened after it (httpx 0.28's ClientState)?"""

import importlib

from reloadkit import add_logger, reload, verdict

client_module = importlib.import_module("app._client")
client = client_module.Client()
add_logger("app/_client.py")
reload("app._client")
try:
    client.open()
    error = None
except RuntimeError as exc:
    error = exc
verdict(error is not None, f"opening a client made before the reload: {error or 'fine'}")
