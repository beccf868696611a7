"""jobserver: a tiny in-process job server, as a few hundred real ones are written.

A :class:`~jobserver.jobs.JobQueue` holds the live jobs, a pool of
:class:`~jobserver.worker.Worker` threads takes them off the queue and runs the
matching handler from :mod:`jobserver.handlers`, and :mod:`jobserver.settings`
holds the knobs. Run it with ``python -m jobserver.server``.

This package is reloadlint's bundled example: it works, and it has the reload
hazards that code like it usually has. ``reloadlint examples/jobserver`` finds
them; each finding says what would go stale after a hot reload.
"""

__version__ = "0.3.0"
