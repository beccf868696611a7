"""The summary and findings cache: reuse when nothing changed, never trust a bad entry.

No timings here (bench/ measures speed); these check that a cached run
gives exactly what an uncached one gives, whatever state the cache is in.
"""

from __future__ import annotations

import os
import pickle
from pathlib import Path

import pytest
from helpers import write_tree

from reloadlint import cache, engine, incremental
from reloadlint.config import Settings
from reloadlint.engine import lint
from reloadlint.request import LintRequest
from reloadlint.selection import enabled_codes
from reloadlint.summary import summarize_bytes

PROJECT = {
    "app/__init__.py": "",
    "app/db.py": "def connect():\n    pass\n\nTIMEOUT = 5\nREGISTRY = {}\n",
    "app/views.py": (
        "from app.db import connect, TIMEOUT\n\ndef view():\n    return connect(), TIMEOUT\n"
    ),
    "app/jobs.py": "import app.db\n\ndef register(k, v):\n    app.db.REGISTRY[k] = v\n",
}


def _lint(root: Path, *, use_cache: bool = True, **settings: object) -> engine.RunResult:
    config = Settings(root=root, **settings)  # type: ignore[arg-type]
    codes = enabled_codes(config.select, config.extend_select, config.ignore, upgrade=False)
    return lint(
        LintRequest(paths=[root], settings=config, codes=codes, jobs=1, use_cache=use_cache)
    )


def _found(result: engine.RunResult) -> list[tuple[str, int, str, str]]:
    return [(Path(d.path).name, d.location.row, d.code, d.message) for d in result.diagnostics]


@pytest.fixture
def project(tmp_path: Path) -> Path:
    write_tree(tmp_path, PROJECT)
    return tmp_path


def _counting(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Record every file the summariser is run on."""
    from reloadlint import workers

    seen: list[str] = []
    original = workers.summarize_job

    def counting(job: workers.Job) -> object:
        seen.append(Path(job.path).name)
        return original(job)

    monkeypatch.setattr(workers, "summarize_job", counting)
    return seen


def test_cache_directory_is_tagged_and_ignored_by_git(project: Path) -> None:
    _lint(project)
    directory = project / ".reloadlint_cache"
    assert (
        (directory / "CACHEDIR.TAG")
        .read_text()
        .startswith("Signature: 8a477f597d28d172789f06886806bc55")
    )
    assert (directory / ".gitignore").read_text().splitlines()[-1] == "*"
    assert (directory / cache.SUMMARIES).is_file() and (directory / incremental.PACK).is_file()


def test_warm_run_summarises_nothing_and_finds_the_same(
    project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    cold = _found(_lint(project))
    assert cold, "the project must have findings for this test to mean anything"
    seen = _counting(monkeypatch)
    warm = _lint(project)
    assert seen == []
    assert _found(warm) == cold
    # The summaries a caller asks for (fixes, baselines) are still there, from the cache.
    views = next(p for p in warm.summaries if p.endswith("views.py"))
    assert warm.summaries[views].name == "app.views"
    assert seen == []


def test_one_changed_file_is_the_only_one_summarised_again(
    project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _lint(project)
    (project / "app/db.py").write_text("def connect():\n    pass\n\nREGISTRY = {}\n")
    seen = _counting(monkeypatch)
    warm = _lint(project)
    assert seen == ["db.py"]
    # Cross-module findings follow the change (TIMEOUT is gone from app.db).
    assert _found(warm) == _found(_lint(project, use_cache=False))


def test_cross_module_findings_are_recomputed_when_another_module_changes(project: Path) -> None:
    before = _found(_lint(project))
    assert any(name == "views.py" and code == "RL101" for name, _, code, _ in before)
    # Turning connect into a class changes what views.py's import means.
    (project / "app/db.py").write_text("class connect:\n    pass\n\nTIMEOUT = 5\nREGISTRY = {}\n")
    after = _found(_lint(project))
    assert after == _found(_lint(project, use_cache=False))
    assert after != before


def test_no_cache_neither_reads_nor_writes(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _lint(project, use_cache=False)
    assert not (project / ".reloadlint_cache").exists()
    _lint(project)
    seen = _counting(monkeypatch)
    _lint(project, use_cache=False)
    assert sorted(seen) == ["__init__.py", "db.py", "jobs.py", "views.py"]


def test_cache_dir_setting_moves_the_cache(project: Path) -> None:
    _lint(project, cache_dir="build/lintcache")
    assert (project / "build/lintcache" / cache.SUMMARIES).is_file()
    assert not (project / ".reloadlint_cache").exists()


def test_settings_are_part_of_the_findings_key(project: Path) -> None:
    everything = _found(_lint(project))
    ignored = _found(_lint(project, ignore=("RL101",)))
    assert ignored == [f for f in everything if f[2] != "RL101"]
    assert _found(_lint(project)) == everything


@pytest.mark.parametrize(
    "damage",
    [
        pytest.param(lambda data: data[: len(data) // 2], id="truncated"),
        pytest.param(lambda data: data[:-40] + bytes(40), id="corrupt"),
        pytest.param(lambda data: b"", id="empty"),
        pytest.param(lambda data: b"not a cache at all", id="foreign"),
        pytest.param(
            lambda data: data.replace(cache.stamp().encode(), b"0" * 32, 1), id="other-version"
        ),
    ],
)
def test_a_damaged_cache_is_ignored_and_rewritten(
    project: Path, monkeypatch: pytest.MonkeyPatch, damage: object
) -> None:
    expected = _found(_lint(project))
    directory = project / ".reloadlint_cache"
    for name in (cache.SUMMARIES, incremental.PACK):
        path = directory / name
        path.write_bytes(damage(path.read_bytes()))  # type: ignore[operator]
    seen = _counting(monkeypatch)
    assert _found(_lint(project)) == expected
    assert sorted(seen) == ["__init__.py", "db.py", "jobs.py", "views.py"]
    seen.clear()
    assert _found(_lint(project)) == expected
    assert seen == []  # rebuilt: the next run is warm again


def _rewrite_pack(path: Path, payload: object) -> None:
    """A pack with a valid header and checksum around ``payload`` (pickled as given)."""
    directory = cache.CacheDir(path.parent)
    directory.write(path.name, payload)


def test_an_entry_that_is_not_what_its_key_says_is_ignored(
    project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    expected = _found(_lint(project))
    path = project / ".reloadlint_cache" / cache.SUMMARIES
    entries = cache.CacheDir(path.parent).read(path.name)
    assert isinstance(entries, dict)
    # Swap every entry's value for db.py's summary: each key now holds another file's summary.
    db_key = next(k for k in entries if ":app.db:" in k)
    _rewrite_pack(path, {key: entries[db_key] for key in entries})
    (project / ".reloadlint_cache" / incremental.PACK).unlink()
    seen = _counting(monkeypatch)
    assert _found(_lint(project)) == expected
    assert sorted(seen) == ["__init__.py", "jobs.py", "views.py"]


def test_a_planted_pickle_is_never_executed(
    project: Path, tmp_path_factory: pytest.TempPathFactory
) -> None:
    marker = tmp_path_factory.mktemp("planted") / "ran"

    class Payload:
        def __reduce__(self) -> tuple[object, tuple[str]]:
            return (os.system, (f"touch {marker}",))

    _lint(project)
    directory = project / ".reloadlint_cache"
    entries = cache.CacheDir(directory).read(cache.SUMMARIES)
    planted = {key: pickle.dumps(Payload()) for key in entries}
    cache.CacheDir(directory).write(cache.SUMMARIES, planted)
    # The whole incremental pack too: its payload is unpickled before anything is checked.
    # (Signed with the user's key, as if the user's own run had written it: the
    # allow-list still refuses the payload.)
    cache.CacheDir(directory).write(incremental.PACK, [("key", Payload())])
    expected = _found(_lint(project, use_cache=False))
    assert _found(_lint(project)) == expected
    assert not marker.exists()


def test_an_unwritable_cache_directory_only_disables_the_cache(project: Path) -> None:
    (project / "blocker").write_text("a file where the cache directory would go")
    result = _lint(project, cache_dir="blocker/cache")
    assert _found(result) == _found(_lint(project, use_cache=False))


def test_summaries_do_not_depend_on_the_path(tmp_path: Path) -> None:
    """The summary cache is keyed without the path; this is what makes that sound."""
    data = (Path(engine.__file__)).read_bytes()
    first, _ = summarize_bytes(data, "a/x.py", "pkg.mod", False, fingerprints=True)
    second, _ = summarize_bytes(data, "b/y.py", "pkg.mod", False, fingerprints=True)
    second.path = first.path
    assert first == second


def test_summaries_round_trip_through_the_cache_format() -> None:
    data = (Path(engine.__file__)).read_bytes()
    summary, _ = summarize_bytes(data, "engine.py", "reloadlint.engine", False, fingerprints=True)
    assert cache.loads(cache.dumps(summary)) == summary


def test_pack_keeps_recent_unused_entries_but_not_forever(
    project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(cache, "KEEP_UNUSED", 2)
    _lint(project)
    db = project / "app/db.py"
    for number in range(10):
        db.write_text(f"def connect():\n    pass\n\nTIMEOUT = {number}\n")
        _lint(project)
    entries = cache.CacheDir(project / ".reloadlint_cache").read(cache.SUMMARIES)
    # The 4 files in use, and at most as many unused ones (more than KEEP_UNUSED=2).
    assert len(entries) == 8
    versions = [k for k in entries if ":app.db:" in k]
    assert len(versions) == 5
    assert (
        cache.summary_key(cache.content_digest(db.read_bytes()), "app.db", False, False) in versions
    )


def test_a_few_new_summaries_go_to_the_journal_until_it_is_folded_in(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    tree = dict(PROJECT)
    tree.update({f"app/m{n}.py": f"from app.db import connect\nX = {n}\n" for n in range(12)})
    write_tree(tmp_path, tree)
    directory = tmp_path / ".reloadlint_cache"
    _lint(tmp_path)
    assert not (directory / cache.JOURNAL).exists()  # a cold run writes the pack
    pack = (directory / cache.SUMMARIES).read_bytes()
    for number in range(2):  # 16 entries: the journal takes 16 // 8 = 2
        (tmp_path / "app/m0.py").write_text(f"X = {number}\n")
        _lint(tmp_path)
        assert (directory / cache.SUMMARIES).read_bytes() == pack
        assert len(cache.CacheDir(directory).read(cache.JOURNAL)) == number + 1
    expected = _found(_lint(tmp_path, use_cache=False))
    seen = _counting(monkeypatch)
    (directory / incremental.PACK).unlink()  # every module re-checked: all summaries needed
    assert _found(_lint(tmp_path)) == expected
    assert seen == []  # m0's current summary came from the journal
    (directory / incremental.PACK).unlink()
    (directory / cache.JOURNAL).write_bytes(b"damaged")
    assert _found(_lint(tmp_path)) == expected
    assert seen == ["m0.py"]  # the damaged journal was ignored: m0 summarised again
    (tmp_path / "app/m1.py").write_text("X = 'm1'\n")
    _lint(tmp_path)
    assert len(cache.CacheDir(directory).read(cache.JOURNAL)) == 2
    (tmp_path / "app/m2.py").write_text("X = 'm2'\n")
    _lint(tmp_path)
    assert not (directory / cache.JOURNAL).exists()  # a third entry: folded into a new pack
    entries = cache.CacheDir(directory).read(cache.SUMMARIES)
    assert len(entries) == 16 + 3  # the 16 in use, and the first versions of m0, m1, m2
    assert _found(_lint(tmp_path)) == _found(_lint(tmp_path, use_cache=False))


# ------------------------------------------------------------------ upgrade mode

V1 = {
    "app/__init__.py": "",
    "app/db.py": "def connect():\n    pass\n",
    "app/worker.py": (
        "class Worker:\n"
        "    def __init__(self):\n        self.n = 0\n\n"
        "    def tick(self):\n        self.n += 1\n"
    ),
}


@pytest.fixture
def repository(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    import shutil
    import subprocess

    if shutil.which("git") is None:
        pytest.skip("git is not installed")
    home = tmp_path / "home"
    home.mkdir()
    for name, value in (
        ("HOME", str(home)),
        ("XDG_CONFIG_HOME", str(home)),
        ("GIT_CONFIG_NOSYSTEM", "1"),
        ("GIT_CEILING_DIRECTORIES", str(tmp_path)),
    ):
        monkeypatch.setenv(name, value)
    for role in ("AUTHOR", "COMMITTER"):
        monkeypatch.setenv(f"GIT_{role}_NAME", "t")
        monkeypatch.setenv(f"GIT_{role}_EMAIL", "t@t")
    repo = tmp_path / "repo"
    write_tree(repo, V1)
    for args in (("init", "-q"), ("add", "-A"), ("commit", "-q", "-m", "v1")):
        subprocess.run(["git", "-C", str(repo), *args], check=True, capture_output=True)
    # The deploy: Worker's state grows a field without a __vsn__ (RL201 and RL202 material).
    (repo / "app/worker.py").write_text(
        V1["app/worker.py"].replace("self.n = 0\n", "self.n = 0\n        self.seen = []\n")
        + "\n    def last(self):\n        return self.seen[-1]\n"
    )
    monkeypatch.chdir(repo)
    return repo


def _upgrade(repo: Path, *, use_cache: bool = True) -> engine.RunResult:
    from reloadlint.gitbase import GitRevision

    config = Settings(root=repo)
    codes = enabled_codes(config.select, config.extend_select, config.ignore, upgrade=True)
    request = LintRequest(
        paths=[repo],
        settings=config,
        codes=codes,
        base=GitRevision("HEAD", repo),
        jobs=1,
        use_cache=use_cache,
    )
    return lint(request)


def test_upgrade_mode_reuses_findings_and_base_summaries(
    repository: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    cold = _found(_upgrade(repository, use_cache=False))
    assert any(code == "RL202" for _, _, code, _ in cold)
    seen = _counting(monkeypatch)
    first = _found(_upgrade(repository))
    # The base's unchanged files share the working tree's summaries; only worker.py's old version
    # is new.
    assert sorted(seen) == ["__init__.py", "db.py", "worker.py", "worker.py"]
    seen.clear()
    assert _found(_upgrade(repository)) == first == cold
    assert seen == []


def test_upgrade_findings_follow_the_working_tree_and_the_base(repository: Path) -> None:
    import subprocess

    _upgrade(repository)
    # Bump __vsn__: RL202 goes away, which a stale cache would not notice.
    (repository / "app/worker.py").write_text(
        V1["app/worker.py"].replace("class Worker:\n", "class Worker:\n    __vsn__ = 2\n")
    )
    assert _found(_upgrade(repository)) == _found(_upgrade(repository, use_cache=False))
    # A new base commit is a new key even when the working tree did not change.
    subprocess.run(
        ["git", "-C", str(repository), "commit", "-q", "-am", "v2"], check=True, capture_output=True
    )
    assert _found(_upgrade(repository)) == _found(_upgrade(repository, use_cache=False))
    # So is a changed non-Python file the rules read (a dependency file here).
    (repository / "requirements.txt").write_text("requests==2.0\n")
    assert _found(_upgrade(repository)) == _found(_upgrade(repository, use_cache=False))
