"""Summarising in worker processes: same results as in-process, and a dying worker never stops
the run."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

from reloadlint import workers
from reloadlint.workers import Job

pytestmark = pytest.mark.skipif(
    not sys.platform.startswith("linux"), reason="the tests patch forked workers"
)


def _jobs(count: int = 12) -> list[Job]:
    """Enough real source for a pool: reloadlint's own modules, under fresh names."""
    sources = sorted(Path(workers.__file__).parent.rglob("*.py"))[:count]
    return [Job(path.read_bytes(), f"m{i}.py", f"m{i}", False) for i, path in enumerate(sources)]


@pytest.fixture(autouse=True)
def small_pool_threshold(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(workers, "MIN_PARALLEL_BYTES", 1)
    monkeypatch.setattr(workers, "CHUNK_BYTES", 4096)


def test_parallel_results_equal_in_process_results_in_order() -> None:
    jobs = _jobs()
    assert workers.summarize_jobs(jobs, 2) == [workers.summarize_job(job) for job in jobs]


def test_small_inputs_stay_in_process(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(workers, "MIN_PARALLEL_BYTES", 10**9)
    assert not workers.worth_a_pool(_jobs(), 2)
    monkeypatch.setattr(workers, "_Parallel", None)  # would fail if a pool were started
    assert len(workers.summarize_jobs(_jobs(), 2)) == 12


def test_one_job_means_in_process() -> None:
    assert not workers.worth_a_pool(_jobs(), 1)


def test_a_file_that_kills_its_worker_becomes_an_input_error(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    original = workers.summarize_job
    parent = os.getpid()

    def crashing(job: Job) -> object:
        if job.name == "m3" and os.getpid() != parent:
            os._exit(70)  # what a segfault or the OOM killer looks like from here
        return original(job)

    monkeypatch.setattr(workers, "summarize_job", crashing)
    jobs = _jobs()
    results = workers.summarize_jobs(jobs, 2)
    expected = [original(job) for job in jobs]
    for index, (result, wanted) in enumerate(zip(results, expected, strict=True)):
        if index == 3:
            summary, error = result
            assert error is not None and error.code == "RL903" and "crashed" in error.message
            assert summary.name == "m3" and summary.path == "m3.py"
        else:
            assert result == wanted


def test_a_worker_that_dies_once_is_retried(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    original = workers.summarize_job
    parent = os.getpid()
    flag = tmp_path / "died"

    def flaky(job: Job) -> object:
        if job.name == "m5" and os.getpid() != parent and not flag.exists():
            flag.write_text("once")
            os._exit(70)
        return original(job)

    monkeypatch.setattr(workers, "summarize_job", flaky)
    jobs = _jobs()
    assert workers.summarize_jobs(jobs, 2) == [original(job) for job in jobs]


def test_a_summariser_exception_is_raised_in_the_parent(monkeypatch: pytest.MonkeyPatch) -> None:
    original = workers.summarize_job

    def buggy(job: Job) -> object:
        if job.name == "m2":
            raise ZeroDivisionError("a bug in the summariser")
        return original(job)

    monkeypatch.setattr(workers, "summarize_job", buggy)
    with pytest.raises(ZeroDivisionError, match="a bug in the summariser"):
        workers.summarize_jobs(_jobs(), 2)


def test_batches_cover_every_job_once_largest_first() -> None:
    jobs = _jobs()
    batches = workers._batches(jobs, 2)
    flat = [index for batch in batches for index in batch]
    assert sorted(flat) == list(range(len(jobs)))
    assert jobs[flat[0]].size == max(job.size for job in jobs)
