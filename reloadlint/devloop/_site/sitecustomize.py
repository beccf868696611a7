"""The bootstrap of ``reloadlint run``: started by the program's interpreter itself.

The supervisor puts this directory first on the program's ``PYTHONPATH``, so
``site`` imports this module before the program runs, whatever starts it
(``python -m app``, ``python app.py``, a console script such as ``uvicorn``).
It starts the agent (:mod:`reloadlint.devloop.agent`), puts ``PYTHONPATH`` back
as it was and leaves ``sys.path`` without this directory, then runs the
``sitecustomize`` module this one hid, if there is one. The program's code is
not touched; a program started in a way that skips ``site`` or ignores
``PYTHONPATH`` (``python -I``, ``-E``, ``-S``) calls
``reloadlint.runtime.serve_dev()`` instead.
"""


def _bootstrap() -> None:
    import os
    import sys

    here = os.path.dirname(os.path.abspath(__file__))
    sys.path[:] = [p for p in sys.path if os.path.abspath(p or ".") != here]
    backup = os.environ.pop("RELOADLINT_RUN_PYTHONPATH", None)
    if backup is not None:  # "" when there was none
        if backup:
            os.environ["PYTHONPATH"] = backup
        else:
            os.environ.pop("PYTHONPATH", None)
    if os.environ.get("RELOADLINT_RUN"):
        try:
            from reloadlint import runtime
            from reloadlint.devloop import agent

            agent.start_from_environment(runtime)
        except Exception as exc:  # never stop the program: it runs unsupervised
            sys.stderr.write(
                f"reloadlint run: the program's interpreter could not start the agent "
                f"({type(exc).__name__}: {exc}); every change will restart it\n"
            )
    ours = sys.modules.pop("sitecustomize", None)
    try:
        import sitecustomize  # type: ignore[import-not-found]  # noqa: F401  (the one hidden)
    except ImportError as exc:
        if exc.name != "sitecustomize":
            raise
        if ours is not None:
            sys.modules["sitecustomize"] = ours


_bootstrap()
