"""The repeated timings of one benchmark row, and the figure reported for them.

Every row of ``bench/`` is run several times; its figure is the median, so a
single run slowed by another process on the machine does not move it.
"""

from __future__ import annotations

import statistics


class Medians:
    """``wall`` and ``cpu``: the medians of a row's ``walls`` and ``cpus`` (NaN when none ran)."""

    walls: list[float]
    cpus: list[float]

    @property
    def wall(self) -> float:
        return statistics.median(self.walls) if self.walls else float("nan")

    @property
    def cpu(self) -> float:
        return statistics.median(self.cpus) if self.cpus else float("nan")
