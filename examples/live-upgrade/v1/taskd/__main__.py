"""``python -m taskd SPOOL [--max-seconds N]``: run the job server."""

from taskd import server

server.main()
