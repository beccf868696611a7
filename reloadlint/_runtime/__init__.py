"""The parts of :mod:`reloadlint.runtime` (standard library only, nothing of the linter).

:mod:`reloadlint.runtime` is the public module; these hold its report types
(:mod:`.report`), the plan document (:mod:`.document`), where modules are
found (:mod:`.locate`), what it reads from a module's new source before
reloading it (:mod:`.source`), the class work around a reload
(:mod:`.classes`) and the checks that keep it from overstating
(:mod:`.checks`).
"""
