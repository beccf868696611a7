"""``reloadlint run``: a development loop that hot-applies what is safe and restarts
when it is not (docs/devloop.md).

Two halves that share only :mod:`.protocol`:

- **in the program** (standard library and :mod:`reloadlint.runtime` only, never
  the linter): :mod:`._site` (the bootstrap the program's interpreter runs at
  start-up), :mod:`.agent` (records the sources the program loads, applies the
  plans it is sent), :mod:`.safepoints` (where a program may be upgraded),
  :mod:`.call` (``--module pkg.mod:func``);
- **in the supervisor** (``reloadlint run`` itself): :mod:`.command` (the
  click command), :mod:`.supervisor` (the program's life: start, upgrade,
  restart, stop), :mod:`.watch` (file changes, debounced), :mod:`.planner`
  (the loaded sources -> the files on disk, as ``--plan --base`` plans them).

This file imports nothing: the program's half must stay light.
"""
