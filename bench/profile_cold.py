"""Where a cold run's CPU time goes: one process, sampled, grouped by phase.

    python bench/profile_cold.py DIR                 # reloadlint --no-cache --jobs 1 DIR
    python bench/profile_cold.py DIR --cprofile 30   # also cProfile's 30 costliest functions

One process (``--jobs 1``), so that the workers' share shows up too. The
machine this was written on is shared and busy, so the profile is taken in
CPU time, not wall time: ``setitimer(ITIMER_PROF)`` interrupts the process
every millisecond of CPU it uses, and each interrupt charges the CPU used
since the last one to the phase of the code running then (found from the
stack: inside ``ast.parse``, the summary walk, a rule, the project model,
the output...). A long C call such as ``ast.parse`` is charged when it
returns, to its caller, which is where it belongs. The cyclic garbage
collector's own time is measured with ``gc.callbacks``; it is included in
the phases that allocated.

``--cprofile N`` profiles a second run with cProfile (deterministic, but
its per-call overhead weighs on small Python functions and it counts wall
time) and prints its N costliest functions.
"""

from __future__ import annotations

import argparse
import cProfile
import gc
import io
import pstats
import signal
import sys
import time
from pathlib import Path
from types import FrameType

#: A phase by the code on the stack: the innermost frame that matches wins.
PHASES = (
    (
        "ast.parse",
        lambda f: f.f_code.co_filename.endswith("/ast.py") and f.f_code.co_name == "parse",
    ),
    ("summary walk", lambda f: "/reloadlint/summary/" in f.f_code.co_filename),
    ("unpickling results", lambda f: f.f_code.co_name in ("loads", "_load", "decode_findings")),
    ("rules", lambda f: "/reloadlint/rules/" in f.f_code.co_filename),
    ("project model", lambda f: f.f_code.co_filename.endswith(("/project.py", "/context.py"))),
    ("output", lambda f: "/reloadlint/output/" in f.f_code.co_filename),
    (
        "discovery, naming, reading files",
        lambda f: f.f_code.co_filename.endswith(
            ("/discovery.py", "/naming.py", "/ignore_patterns.py", "/source.py", "/safeio.py")
        ),
    ),
    (
        "findings: filter, noqa, sort",
        lambda f: f.f_code.co_filename.endswith(("/steps.py", "/noqa.py", "/baseline.py")),
    ),
)


def phase_of(frame: FrameType | None) -> str:
    while frame is not None:
        for name, test in PHASES:
            if test(frame):
                return name
        frame = frame.f_back
    return "start-up and the rest"


class Sampler:
    """CPU seconds by phase (see the module docstring)."""

    def __init__(self) -> None:
        self.phases: dict[str, float] = {}
        self.last = 0.0

    def __call__(self, signum: int, frame: FrameType | None) -> None:
        now = time.process_time()
        phase = phase_of(frame)
        self.phases[phase] = self.phases.get(phase, 0.0) + now - self.last
        self.last = now

    def start(self) -> None:
        self.last = time.process_time()
        signal.signal(signal.SIGPROF, self)
        signal.setitimer(signal.ITIMER_PROF, 0.001, 0.001)

    def stop(self) -> None:
        signal.setitimer(signal.ITIMER_PROF, 0, 0)
        signal.signal(signal.SIGPROF, signal.SIG_DFL)


class GcTimer:
    """CPU seconds spent in the cyclic collector, and how many collections."""

    def __init__(self) -> None:
        self.total = 0.0
        self.count = 0
        self._start = 0.0

    def __call__(self, phase: str, info: dict[str, int]) -> None:
        if phase == "start":
            self._start = time.process_time()
        else:
            self.total += time.process_time() - self._start
            self.count += 1


def run(path: Path, fmt: str) -> None:
    from reloadlint.cli import command

    argv = ["--isolated", "--exit-zero", "-q", "--no-cache", "--jobs", "1"]
    argv += ["--output-format", fmt, str(path)]
    out = sys.stdout
    sys.stdout = io.StringIO()
    try:
        command.main(argv, standalone_mode=False)
    except SystemExit:
        pass  # the command's exit status
    finally:
        sys.stdout = out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("path", type=Path)
    parser.add_argument("--cprofile", type=int, default=0, metavar="N")
    parser.add_argument("--format", default="concise", help="--output-format [default: concise]")
    args = parser.parse_args()

    started = time.process_time()
    import reloadlint.cli  # noqa: F401  (imports are part of a run's cost)

    imports = time.process_time() - started
    timer, sampler = GcTimer(), Sampler()
    gc.callbacks.append(timer)
    sampler.start()
    try:
        run(args.path, args.format)
    finally:
        sampler.stop()
        gc.callbacks.remove(timer)
    total = time.process_time() - started
    phases = {"imports": imports, **sampler.phases}
    print(
        f"CPU {total:.2f} s in one process; the cyclic garbage collector {timer.total:.2f} s of it "
        f"({timer.count} collections)"
    )
    print("| phase | CPU s | share |")
    print("| --- | ---: | ---: |")
    for name, seconds in sorted(phases.items(), key=lambda item: -item[1]):
        print(f"| {name} | {seconds:.2f} | {seconds / total:.0%} |")
    if args.cprofile:
        profile = cProfile.Profile()
        profile.enable()
        run(args.path, args.format)
        profile.disable()
        pstats.Stats(profile).sort_stats("tottime").print_stats(args.cprofile)
    return 0


if __name__ == "__main__":
    sys.exit(main())
