"""Knobs of the job server, with defaults that can be overridden from the environment."""

import os

#: How often an idle worker looks at the queue again, in seconds.
POLL_INTERVAL = 0.2

#: How many times a failing job is retried before it is given up.
MAX_RETRIES = 3

#: Size of the worker pool.
WORKERS = int(os.environ.get("JOBSERVER_WORKERS", "4"))

#: Where finished reports are written.
REPORT_DIR = os.getenv("JOBSERVER_REPORT_DIR", "/tmp/jobserver-reports")
