"""Incremental tree-mode runs: re-check only the modules whose findings may have changed.

A module's findings depend on its own summary and on the cross-module facts
its rules read through the project model: the bindings of the names they
resolved (with the classes under them), star imports, ``__getattr__``, whole
summaries read through ``project.modules``, and the keys of project indexes
they looked up (:class:`reloadlint.project.ProjectModel` notes each as a
*touch* while a module is checked). The state kept in
``.reloadlint_cache/incremental.pack`` is, per checked module, its summary
key, its findings (noqa and per-file ignores applied) and its touches, each
with the summary key of the module touched and a digest of the fact read.

On the next run a module's findings are reused when its own file is
unchanged and every fact it touched is the same: trivially when the touched
module's summary key is unchanged, else by recomputing that one fact's
digest from the new summary (appending a function to ``utils.py`` does not
change the ``cached_property`` binding its importers resolved). Only the
summaries of changed files and of the modules re-checked (and what their
checks reach) are loaded. Project-index contributions (a module's part of
"who mutates what", :func:`reloadlint.project.project_index`) are kept the
same way, so an index is rebuilt from cached parts plus the changed modules'.

Everything that affects every module at once is in the state's key, and a
different key starts from an empty state: reloadlint's own code and version,
the settings, the rule selection, the working directory (paths are printed
relative to it) and the set of modules (a file added, removed or renamed
changes what names resolve to everywhere).
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any

from reloadlint import cache, fileindex, progress, source, steps
from reloadlint.cache import decode_findings, dumps, encode_findings, loads
from reloadlint.context import CheckContext, ProjectContext
from reloadlint.diagnostics import Diagnostic
from reloadlint.project import GETATTR, STAR, WHOLE, ProjectModel, Touch
from reloadlint.request import FileEntry, LintRequest
from reloadlint.rules.base import Rule
from reloadlint.rules.registry import all_rules
from reloadlint.selection import PerFileIgnores
from reloadlint.steps import RunResult
from reloadlint.summary import SummaryResult
from reloadlint.summary.model import ModuleSummary

PACK = "incremental.pack"
#: Bump when the layout of the state changes.
STATE_FORMAT = 3

#: What a module's findings depend on, grouped by module touched:
#: (module, its summary key then, ((key, digest of that fact), ...)).
StoredDependencies = tuple[tuple[str, str, tuple[tuple[str, str], ...]], ...]
#: A checked module: (its summary key, what its findings depend on).
ModuleRecord = tuple[str, StoredDependencies]
#: A project-index contribution: (summary key, dependencies, value).
ContributionRecord = tuple[str, StoredDependencies, Any]


def _digest(value: object) -> str:
    return hashlib.blake2b(
        repr(value).encode("utf-8", "surrogateescape"), digest_size=12
    ).hexdigest()


#: The digest of a key a project index does not have.
_ABSENT = _digest(None)


def fact_digest(summary: ModuleSummary, key: str) -> str:
    """The digest of one fact of a module, as a touch ``(summary.name, key)`` read it."""
    if key == WHOLE:
        return _digest((summary.digest, summary.path, summary.is_package))
    if key == STAR:
        return _digest([(f.module, f.scope) for f in summary.imports if f.name == "*"])
    if key == GETATTR:
        return str(summary.has_getattr)
    classes = [c for c in summary.classes if c.qualname.partition(".")[0] == key]
    return _digest((summary.bindings.get(key), classes))


class State:
    """What the last run with the same key knew; see the module docstring.

    Three separately pickled parts, so that a run decodes only what it needs:
    the findings of every checked file (``rows``: all a run whose inputs are
    all unchanged reads; each file's pickled on its own, so that a run
    re-pickles only the files it checked), the records of what each module's findings depend
    on, and the project-index contributions. ``run_key`` names the inputs of
    the run that wrote the state (:func:`reloadlint.steps.run_key`).
    """

    def __init__(self, key: str, run_key: str = "") -> None:
        self.key = key
        self.run_key = run_key
        self.rows: dict[str, bytes] = {}
        self.records: dict[str, ModuleRecord] = {}
        self.contributions: dict[tuple[str, str], ContributionRecord] = {}
        self._blobs: tuple[bytes, bytes] | None = None

    @classmethod
    def read(cls, payload: object) -> State | None:
        """A state from a pack's payload; None for anything else (a foreign or older pack)."""
        if not (isinstance(payload, tuple) and len(payload) == 6 and payload[0] == STATE_FORMAT):
            return None
        _, key, run_key, rows, records, contributions = payload
        if not all(isinstance(x, str) for x in (key, run_key)):
            return None
        if not all(isinstance(x, bytes) for x in (rows, records, contributions)):
            return None
        state = cls(key, run_key)
        try:
            state.rows = _dict(loads(rows))
        except ValueError:
            return None
        state._blobs = (records, contributions)
        return state

    def load_records(self) -> None:
        """Decode the dependency records and contributions (an incremental run needs them)."""
        if self._blobs is None:
            return
        records, contributions = self._blobs
        self._blobs = None
        try:
            self.records = _dict(loads(records))
            self.contributions = _dict(loads(contributions))
        except ValueError:
            self.rows, self.records, self.contributions = {}, {}, {}

    def findings(self, ident: str, path: str) -> list[Diagnostic]:
        """The findings of file ``ident`` as this run names it (``path``).

        [] if the file is unknown or its rows do not decode.
        """
        data = self.rows.get(ident)
        if data is None:
            return []
        try:
            return decode_findings(loads(data), path)
        except (ValueError, TypeError):
            return []

    def set_findings(self, ident: str, found: list[Diagnostic]) -> None:
        self.rows[ident] = dumps(encode_findings(found))

    def keep(self, old: State, *, files: Iterable[str], modules: Iterable[str]) -> None:
        """Carry over ``old``'s records this run did not redo, for files and
        modules that still exist (linting one file keeps the rest's records)."""
        for ident in files:
            if ident not in self.records and ident in old.records and ident in old.rows:
                self.records[ident] = old.records[ident]
                self.rows[ident] = old.rows[ident]
        present = set(modules)
        for (index, module), record in old.contributions.items():
            if module in present:
                self.contributions.setdefault((index, module), record)

    def payload(self) -> tuple[object, ...]:
        return (
            STATE_FORMAT, self.key, self.run_key,
            dumps(self.rows), dumps(self.records), dumps(self.contributions),
        )  # fmt: skip


def _dict(value: object) -> dict[Any, Any]:
    if not isinstance(value, dict):
        raise ValueError("not a dict")
    return value


class Dependencies:
    """Turns touches into stored dependencies and checks stored ones against this run.

    ``keys``: the summary key of every module of this run by name;
    ``summaries``: loads a module's summary (lazily) by name.
    """

    def __init__(
        self,
        project: ProjectModel,
        keys: Mapping[str, str],
        summaries: Mapping[str, ModuleSummary],
    ) -> None:
        self.project = project
        self.keys = keys
        self.summaries = summaries
        self._digests: dict[Touch, str] = {}
        self._indexes: dict[str, dict[str, object]] = {}
        self._names: dict[str, str] = {name: name for name in keys}

    def current(self, module: str, key: str) -> str:
        """The digest of the fact ``(module, key)`` in this run."""
        touch = (module, key)
        found = self._digests.get(touch)
        if found is None:
            if module.startswith("@"):
                entries = self._index_entries(module[1:])
                found = _digest(entries[key]) if key in entries else _ABSENT
            else:
                found = fact_digest(self.summaries[module], key)
            self._digests[touch] = found
        return found

    def _index_entries(self, name: str) -> dict[str, object]:
        """Every entry of a project index by the ``repr`` of its key, made once per run.

        Only the entries a stored dependency names are digested: a run that
        re-checks one module asks about a few keys of indexes of the whole project.
        """
        found = self._indexes.get(name)
        if found is None:
            entries = self.project.index(name).entries
            found = self._indexes[name] = {repr(key): value for key, value in entries.items()}
        return found

    def store(self, touched: Iterable[Touch]) -> StoredDependencies:
        """Touches as stored dependencies, grouped by module (few modules, many keys each)."""
        grouped: dict[str, list[tuple[str, str]]] = {}
        for module, key in touched:
            grouped.setdefault(module, []).append((key, self.current(module, key)))
        return tuple(
            (self._module_name(module), self.keys.get(module, ""), tuple(sorted(facts)))
            for module, facts in sorted(grouped.items())
        )

    def _module_name(self, module: str) -> str:
        """The one string object for a module name, so that pickling stores it once."""
        return self._names.setdefault(module, module)

    def valid(self, dependencies: StoredDependencies) -> bool:
        """Whether every stored dependency still holds.

        The module set is the same (it is part of the state key).
        """
        keys = self.keys
        for module, summary_key, facts in dependencies:
            if keys.get(module) == summary_key and summary_key:
                continue
            if module not in keys and not module.startswith("@"):
                return False
            for key, digest in facts:
                if self.current(module, key) != digest:
                    return False
        return True


class Contributions:
    """:class:`reloadlint.project.ContributionStore` over the state: reuse what still holds."""

    def __init__(self, state: State, fresh: State, keys: Mapping[str, str]) -> None:
        self.state, self.fresh, self.keys = state, fresh, keys
        self.dependencies: Dependencies | None = None  # set once the project exists
        self.computed = 0  # contributions computed (not reused) this run

    def get(self, index: str, module: str) -> tuple[Any] | None:
        record = self.state.contributions.get((index, module))
        deps = self.dependencies
        if record is None or deps is None or record[0] != self.keys.get(module):
            return None
        if not deps.valid(record[1]):
            return None
        self.fresh.contributions[(index, module)] = record
        return (record[2],)

    def put(self, index: str, module: str, value: Any, touched: set[Touch]) -> None:
        deps = self.dependencies
        self.computed += 1
        if deps is not None:
            self.fresh.contributions[(index, module)] = (
                self.keys[module],
                deps.store(touched),
                value,
            )


def check_modules(
    project: ProjectModel,
    dependencies: Dependencies,
    targets: Sequence[tuple[str, str]],
    summaries: Mapping[str, ModuleSummary],
    check: Callable[[ModuleSummary], list[Diagnostic]],
    state: State,
    fresh: State,
    keys_by_path: Mapping[str, str],
) -> list[str]:
    """Fill ``fresh`` with the findings of ``targets`` (display path, file
    identity): reused where ``state``'s still hold, else from ``check``
    (``summaries`` by display path, loaded only for those). Returns the display
    paths that were checked."""
    rechecked: list[str] = []
    progress.start("checking modules", len(targets))
    for path, ident in targets:
        progress.advance()
        key = keys_by_path[path]
        record = state.records.get(ident)
        rows = state.rows.get(ident)
        if (
            record is not None
            and rows is not None
            and record[0] == key
            and dependencies.valid(record[1])
        ):
            fresh.records[ident], fresh.rows[ident] = record, rows
            continue
        with project.recording() as touched:
            diagnostics = check(summaries[path])
        rechecked.append(path)
        fresh.records[ident] = (key, dependencies.store(touched))
        fresh.set_findings(ident, diagnostics)
    return rechecked


# ---------------------------------------------------------------- the run


def applies(codes: frozenset[str]) -> bool:
    """Whether these rules can run module by module (none looks at the whole project at once)."""
    return not any(
        rule.check_project is not Rule.check_project for rule in all_rules() if rule.code in codes
    )


def lint(
    request: LintRequest,
    codes: frozenset[str],
    per_file: PerFileIgnores,
    entries: Sequence[FileEntry],
    directory: cache.CacheDir,
    store: cache.SummaryCache,
) -> RunResult:
    """Tree mode reusing the findings of every module whose inputs did not change
    (see the module docstring); a run whose inputs are all unchanged only
    decodes the last run's findings, and files whose ``stat`` did not change
    are not even read (:mod:`reloadlint.fileindex`)."""
    run = _Run(request, codes, per_file, entries, directory, store)
    state = State.read(directory.read(PACK))
    if state is not None and state.run_key == run.key and run.targets_known(state):
        return run.result(state, run.lazy_summaries(), None, [])
    summaries, errors = run.summarise()
    names = run.module_names(errors)
    state_key = run.state_key(names)
    if state is None or state.key != state_key:
        state = State(state_key)
    state.load_records()
    fresh = State(state_key, run.key)
    project, dependencies = run.project(names, summaries, state, fresh)
    targets = sorted((p, run.ident[p]) for p in run.target_paths if p not in errors)
    check = run.checker(project, summaries)
    checked = check_modules(
        project, dependencies, targets, summaries, check, state, fresh, run.summary_keys
    )
    run.record_unreadable(errors, fresh)
    fresh.keep(state, files=run.ident.values(), modules=names.keys())
    directory.write(PACK, fresh.payload())
    return run.result(fresh, summaries, project, checked)


class _Run:
    """What the steps of one incremental run share: the files, their contents (from the
    file index), and the run's key."""

    def __init__(
        self,
        request: LintRequest,
        codes: frozenset[str],
        per_file: PerFileIgnores,
        entries: Sequence[FileEntry],
        directory: cache.CacheDir,
        store: cache.SummaryCache,
    ) -> None:
        self.request, self.codes, self.per_file = request, codes, per_file
        self.entries, self.store = entries, store
        self.by_path = {entry.display: entry for entry in entries}
        # Files by what they are, not how this run names them (`app/x.py`, `/repo/app/x.py`).
        self.ident = {entry.display: os.path.abspath(entry.path) for entry in entries}
        self.target_paths = {entry.display for entry in entries if entry.target}
        index = fileindex.FileIndex(directory)
        self.contents: dict[str, str | source.SourceError] = {}
        self._read: dict[str, bytes] = {}
        for entry in entries:
            digest, data = index.content(entry.path)
            self.contents[entry.display] = digest
            if data is not None:
                self._read[entry.display] = data
        index.save()
        #: the files that may hold a malformed noqa directive (their bytes mention it)
        self.noqa_paths = [e.display for e in entries if index.mentions_noqa(e.path)]
        contents = [steps.content(self.contents[entry.display]) for entry in entries]
        self.key = steps.run_key(request, codes, entries, contents)
        #: each readable file's summary key by display path (its module's part of the state)
        self.summary_keys: dict[str, str] = {}

    def blob(self, path: str) -> bytes | source.SourceError:
        """The file's bytes (read now if the index answered for it)."""
        found = self._read.get(path)
        return found if found is not None else source.read_bytes(self.by_path[path].path)

    def targets_known(self, state: State) -> bool:
        return all(self.ident[path] in state.rows for path in self.target_paths)

    def lazy_summaries(self) -> Mapping[str, ModuleSummary]:
        return steps.lazy_summaries(self.entries, self.blob, self.store)

    def summarise(self) -> tuple[cache.LazySummaries, dict[str, SummaryResult]]:
        """Every module's summary, loaded when first asked for, and the files that could
        not be analysed. Files the summary cache lacks (new, changed, unreadable or
        unparsable) are summarised now."""
        pending: list[FileEntry] = []
        for entry in self.entries:
            digest = self.contents[entry.display]
            if isinstance(digest, str):
                self.summary_keys[entry.display] = cache.summary_key(
                    digest, entry.name, entry.is_package, False
                )
                if self.store.has_summary(digest, entry.name, entry.is_package):
                    continue
            pending.append(entry)
        progress.start("summarising files", len(pending))
        results = steps.summarize_entries(
            pending,
            jobs=self.request.jobs,
            cache=self.store,
            data=[self.blob(entry.display) for entry in pending],
        )
        errors = {path: result for path, result in results.items() if result[1] is not None}

        def load(path: str) -> ModuleSummary:
            found = steps.summarize_entries(
                [self.by_path[path]], cache=self.store, data=[self.blob(path)]
            )
            return found[path][0]

        made = {path: summary for path, (summary, error) in results.items() if error is None}
        readable = (entry.display for entry in self.entries if entry.display not in errors)
        return cache.LazySummaries(dict.fromkeys(readable), load, made), errors

    def module_names(self, errors: Mapping[str, SummaryResult]) -> dict[str, str]:
        """Module name -> display path; the first of two files claiming one name wins,
        as in :class:`~reloadlint.project.ProjectModel`."""
        names: dict[str, str] = {}
        for entry in self.entries:
            if entry.display not in errors:
                names.setdefault(entry.name, entry.display)
        return names

    def state_key(self, names: Mapping[str, str]) -> str:
        """What every module's findings depend on at once (see the module docstring)."""
        modules = (
            f"{name}\0{self.ident[path]}\0{self.by_path[path].is_package}"
            for name, path in sorted(names.items())
        )
        return cache.hash_parts([*steps.settings_key(self.request, self.codes), *modules])

    def project(
        self,
        names: Mapping[str, str],
        summaries: Mapping[str, ModuleSummary],
        state: State,
        fresh: State,
    ) -> tuple[ProjectModel, Dependencies]:
        """The project model over lazily loaded summaries, recording what each check reads."""
        keys = {name: self.summary_keys[path] for name, path in names.items()}
        contributions = Contributions(state, fresh, keys)
        by_name = cache.LazySummaries(dict.fromkeys(names), lambda name: summaries[names[name]])
        project = steps.build_project(by_name, self.request.settings, contributions, names)
        dependencies = contributions.dependencies = Dependencies(project, keys, by_name)
        return project, dependencies

    def checker(
        self, project: ProjectModel, summaries: Mapping[str, ModuleSummary]
    ) -> Callable[[ModuleSummary], list[Diagnostic]]:
        """The findings of one module, filtered (the rules are made once for the run)."""
        rules: list[Rule] = [rule() for rule in all_rules() if rule.code in self.codes]
        settings = self.request.settings

        def check(summary: ModuleSummary) -> list[Diagnostic]:
            shared = ProjectContext(project, settings)
            # As steps.run_rules: tests, docs and examples only by the rules that matter there.
            application = project.is_application(summary.name)
            for rule in rules:
                if not (application or rule.outside_application):
                    continue
                shared.rule = type(rule)
                rule.check(CheckContext(summary, shared))
            return steps.filter_diagnostics(shared.found, summaries, self.codes, self.per_file)

        return check

    def record_unreadable(self, errors: Mapping[str, SummaryResult], fresh: State) -> None:
        """The RL9xx findings of the reported files that could not be analysed."""
        placeholders = {path: summary for path, (summary, _) in errors.items()}
        found = steps.input_errors(errors, self.target_paths)
        by_path: dict[str, list[Diagnostic]] = {}
        for diagnostic in steps.filter_diagnostics(found, placeholders, self.codes, self.per_file):
            by_path.setdefault(diagnostic.path, []).append(diagnostic)
        for path, diagnostics in by_path.items():
            fresh.set_findings(self.ident[path], diagnostics)

    def result(
        self,
        state: State,
        summaries: Mapping[str, ModuleSummary],
        project: ProjectModel | None,
        checked: list[str],
    ) -> RunResult:
        """The reported files' findings as ``state`` holds them."""
        paths = sorted(self.target_paths)
        found = [d for path in paths for d in state.findings(self.ident[path], path)]
        return RunResult(
            diagnostics=found,
            files=paths,
            summaries=summaries,
            project=project,
            codes=self.codes,
            checked=checked,
            noqa_paths=self.noqa_paths,
            run_key=self.key,
        )
