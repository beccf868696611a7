from __future__ import annotations

import atexit
import os
import shutil
import sys
import tempfile
from pathlib import Path

TESTS = Path(__file__).parent
REPO = TESTS.parent
sys.path.insert(0, str(TESTS))

# The cache's signing key lives in the user's cache directory
# (reloadlint.cachedir): the suite, and the reloadlint processes it starts,
# use a throwaway one instead of the real ~/.cache.
_USER_CACHE = tempfile.mkdtemp(prefix="reloadlint-tests-xdg-cache-")
os.environ["XDG_CACHE_HOME"] = _USER_CACHE
atexit.register(shutil.rmtree, _USER_CACHE, ignore_errors=True)
