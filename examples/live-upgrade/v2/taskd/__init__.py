"""taskd: a tiny job server that can be upgraded while it runs.

Jobs arrive as JSON files in ``SPOOL/inbox``; an operator talks to the server
through files in ``SPOOL/control`` (``suspend``, ``resume``, ``stop``, or a
reload plan ``*.plan.json`` made by ``reloadlint --plan``). The server
publishes its live state in ``SPOOL/state.json`` after every step.

Run it with ``python -m taskd SPOOL``.
"""
