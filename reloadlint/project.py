"""The project model: every first-party module's summary, and the questions
rules ask across modules (what does ``app.db.connect`` name? is that module
reloadable? which classes derive from ``threading.Thread``?).
"""

from __future__ import annotations

import fnmatch
from collections.abc import Callable, Hashable, Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any, Protocol, TypeVar, cast

from reloadlint.summary.facts.class_kinds import CLASS_FACTORIES
from reloadlint.summary.model import MAX_INHERITANCE_DEPTH, Binding, ClassFact, ModuleSummary

T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class Resolved:
    """What a qualified name denotes.

    ``kind``: module, function, class, value, attribute (of a first-party
    class or value), unknown (first-party but dynamic: ``__getattr__``, a star
    import from outside), missing (first-party and not there), external
    (standard library or third party).
    """

    kind: str
    module: str = ""  # the first-party module the final binding lives in
    name: str = ""  # the name in that module ("" for a module)
    binding: Binding | None = None
    detail: str = ""  # value kind, for values


_EXTERNAL = Resolved("external")
_MAX_HOPS = 32

#: A cross-module fact a question read: (module, key); see :class:`ProjectModel`.
Touch = tuple[str, str]
WHOLE = "*"  # the whole summary (a rule read the module's summary itself)
STAR = "<star>"  # the module's star imports (a name it does not bind may come from them)
GETATTR = "<getattr>"  # whether the module defines ``__getattr__``


class ContributionStore(Protocol):
    """Where an incremental run keeps project-index contributions between runs."""

    def get(self, index: str, module: str) -> tuple[Any] | None: ...

    def put(self, index: str, module: str, value: Any, touched: set[Touch]) -> None: ...


#: Project indexes by name: (contribute(project, summary) -> part, merge({module: part}) -> dict).
INDEXES: dict[str, tuple[Callable[..., Any], Callable[[dict[str, Any]], dict[Hashable, Any]]]] = {}


def project_index(
    name: str, merge: Callable[[dict[str, Any]], dict[Hashable, Any]]
) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Declare a project-wide index built from one contribution per module.

    A rule that needs facts from every module (who mutates this module's
    state?) asks ``project.index(name).get(key)``: each module's contribution
    is computed from that module alone (plus the questions it asks, which are
    touches like any other), so an incremental run recomputes only the
    contributions of changed modules, and a finding depends only on the keys
    it looked up. Contributions must be plain data (they are cached).
    """

    def register(contribute: Callable[..., Any]) -> Callable[..., Any]:
        INDEXES[name] = (contribute, merge)
        return contribute

    return register


class IndexView:
    """Lookups in a project index, each noted as the touch ``("@name", repr(key))``."""

    def __init__(self, project: ProjectModel, name: str, entries: dict[Hashable, Any]) -> None:
        self._project, self._name, self.entries = project, name, entries

    def get(self, key: Hashable, default: Any = None) -> Any:
        self._project.touch(f"@{self._name}", repr(key))
        return self.entries.get(key, default)


class _TrackedModules(Mapping[str, ModuleSummary]):
    """``project.modules``: reading a summary through it touches the whole module;
    membership and iteration over names do not (the module set is fixed per run)."""

    def __init__(self, project: ProjectModel) -> None:
        self._project = project

    def __getitem__(self, name: str) -> ModuleSummary:
        summary = self._project._summaries[name]
        self._project.touch(name, WHOLE)
        return summary

    def __contains__(self, name: object) -> bool:
        return name in self._project._summaries

    def __iter__(self) -> Iterator[str]:
        return iter(self._project._summaries)

    def __len__(self) -> int:
        return len(self._project._summaries)


class ProjectModel:
    """The first-party modules of a run, and cross-module questions about them.

    ``modules`` may be a lazy mapping (name -> summary, loaded on first use):
    an incremental run loads only the summaries its re-checks reach. While
    :meth:`recording`, every cross-module fact a question reads is noted as a
    *touch* ``(module, key)`` — ``key`` a top-level name of ``module`` (its
    binding and the classes under it), :data:`STAR`, :data:`GETATTR`,
    :data:`WHOLE` (the whole summary) or, for a module ``"@<index>"``, a key
    of a project index — so that a module's findings can be reused until one
    of the facts they were computed from changes (see
    :mod:`reloadlint.incremental`). Memoised answers replay their touches.
    """

    def __init__(
        self,
        modules: Iterable[ModuleSummary] | Mapping[str, ModuleSummary],
        *,
        reloadable: tuple[str, ...] = (),
        not_reloadable: tuple[str, ...] = (),
        contributions: ContributionStore | None = None,
        outside: frozenset[str] = frozenset(),
    ) -> None:
        if isinstance(modules, Mapping):
            self._summaries: Mapping[str, ModuleSummary] = modules
        else:
            by_name: dict[str, ModuleSummary] = {}
            for module in modules:
                # The first of two files claiming one name wins (as on sys.path).
                by_name.setdefault(module.name, module)
            self._summaries = by_name
        self.modules = _TrackedModules(self)
        self.reloadable_globs = reloadable
        self.not_reloadable_globs = not_reloadable
        #: modules whose files are not the application (tests, docs: reloadlint.scope)
        self.outside = outside
        self.top_level = frozenset(name.partition(".")[0] for name in self._summaries)
        self._class_index: dict[str, dict[str, ClassFact]] = {}
        self._memo: dict[Hashable, tuple[Any, frozenset[Touch]]] = {}
        self._recordings: list[set[Touch]] = []
        self._contributions = contributions
        self._indexes: dict[str, dict[Hashable, Any]] = {}

    # ------------------------------------------------------------ touches
    @contextmanager
    def recording(self, *, isolated: bool = False) -> Iterator[set[Touch]]:
        """Collect the touches of the questions asked inside the block; they are
        added to an enclosing recording too, unless ``isolated``."""
        touched: set[Touch] = set()
        self._recordings.append(touched)
        try:
            yield touched
        finally:
            self._recordings.pop()
            if self._recordings and not isolated:
                self._recordings[-1].update(touched)

    def touch(self, module: str, key: str) -> None:
        if self._recordings:
            self._recordings[-1].add((module, key))

    def memo(self, key: Hashable, compute: Callable[[], T]) -> T:
        """``compute()`` once per model; later calls replay the touches it made."""
        hit = self._memo.get(key)
        if hit is None:
            if (
                self._contributions is None and not self._recordings
            ):  # not incremental: no bookkeeping
                hit = self._memo[key] = (compute(), frozenset())
                return hit[0]
            with self.recording() as touched:
                value = compute()
            hit = self._memo[key] = (value, frozenset(touched))
        elif self._recordings and hit[1]:
            self._recordings[-1].update(hit[1])
        return cast(T, hit[0])

    def summary(self, name: str) -> ModuleSummary:
        """A module's summary without noting a touch (for the model's own fine-grained reads)."""
        return self._summaries[name]

    def module_names(self) -> Iterable[str]:
        return self._summaries.keys()

    # ------------------------------------------------------------ project indexes
    def index(self, name: str) -> IndexView:
        """The project index ``name`` (see :func:`project_index`): every module's
        contribution merged; a lookup notes the touch ``("@name", key)``."""
        found = self._indexes.get(name)
        if found is None:
            contribute, merge = INDEXES[name]
            parts = {}
            for module in sorted(self._summaries):
                parts[module] = self.contribution(name, module, contribute)
            found = self._indexes[name] = merge(parts)
        return IndexView(self, name, found)

    def contribution(self, name: str, module: str, contribute: Callable[..., Any]) -> Any:
        store = self._contributions
        if store is not None:
            cached = store.get(name, module)
            if cached is not None:
                return cached[0]
        # Isolated: whoever looks the index up depends on the keys it reads, not on
        # what each contribution read.
        with self.recording(isolated=True) as touched:
            value = contribute(self, self._summaries[module])
        if store is not None:
            store.put(name, module, value, touched)
        return value

    # ------------------------------------------------------------ modules
    def is_first_party(self, qualified: str) -> bool:
        return qualified.partition(".")[0] in self.top_level

    def is_reloadable(self, module: str) -> bool:
        if module not in self.modules:
            return False
        return reloadable(module, self.reloadable_globs, self.not_reloadable_globs, self.outside)

    def is_application(self, module: str) -> bool:
        """Whether ``module`` is application code: not a test, documentation or example
        (``plan-exclude``: :mod:`reloadlint.scope`)."""
        return module not in self.outside

    def split(self, qualified: str) -> tuple[str, list[str]] | None:
        """The longest first-party module prefix of ``qualified`` and the attribute
        path after it."""
        parts = qualified.split(".")
        for cut in range(len(parts), 0, -1):
            module = ".".join(parts[:cut])
            if module in self.modules:
                return module, parts[cut:]
        return None

    # ------------------------------------------------------------ names
    def resolve(self, qualified: str) -> Resolved:
        # Memoised: rules ask about the same names (bases, imports) again and
        # again, and the modules never change once the model is built.
        return self.memo(qualified, lambda: self._resolve(qualified, 0))

    def _resolve(self, qualified: str, hops: int) -> Resolved:
        if hops > _MAX_HOPS:
            return Resolved("unknown")
        split = self.split(qualified)
        if split is None:
            return Resolved("missing") if self.is_first_party(qualified) else _EXTERNAL
        module_name, attrs = split
        if not attrs:
            return Resolved("module", module_name)
        module = self._summaries[module_name]
        first, rest = attrs[0], attrs[1:]
        self.touch(module_name, first)
        binding = module.binding(first)
        if binding is None:
            return self._not_bound(module, first, rest, hops)
        if binding.kind == "import":
            if binding.target == qualified or not binding.target:
                return Resolved("unknown", module_name, first, binding)
            return self._resolve(".".join([binding.target, *rest]), hops + 1)
        if binding.kind == "value" and binding.value == "alias" and not rest:
            target = self._resolve(binding.value_name, hops + 1)
            if target.kind in ("function", "class"):
                return Resolved(target.kind, module_name, first, binding, "alias")
        kind = binding.kind
        if kind == "value" and (
            binding.value == "lambda"
            or (binding.value == "call" and binding.value_name in CLASS_FACTORIES)
        ):
            # `handler = lambda ...` is a function; `Point = namedtuple(...)` a class.
            kind = "function" if binding.value == "lambda" else "class"
        if rest:
            return Resolved("attribute", module_name, first, binding, kind)
        return Resolved(kind, module_name, first, binding, binding.value)

    def _not_bound(self, module: ModuleSummary, first: str, rest: list[str], hops: int) -> Resolved:
        self.touch(module.name, STAR)
        self.touch(module.name, GETATTR)
        dynamic = None  # a star module that may have it (``__getattr__``): unless another has
        for star in _star_modules(module):
            if self.split(star) is None:
                return Resolved("unknown", module.name, first)
            found = self._resolve(".".join([star, first, *rest]), hops + 1)
            if found.kind == "unknown" and found.binding is None:
                dynamic = dynamic or found
            elif found.kind != "missing":
                return found
        if dynamic is not None:
            return dynamic
        if module.has_getattr:
            return Resolved("unknown", module.name, first)
        return Resolved("missing", module.name, first)

    # ------------------------------------------------------------ classes
    def class_fact(self, qualified: str) -> ClassFact | None:
        resolved = self.resolve(qualified)
        if resolved.kind != "class":
            return None
        return self._class(resolved.module, resolved.name)

    def class_in(self, module: str, qualname: str) -> ClassFact | None:
        """A first-party class of ``module`` by its qualified name there (``Outer.Inner``)."""
        return self._class(module, qualname)

    def _class(self, module: str, qualname: str) -> ClassFact | None:
        """A first-party class by module and qualified name (touches its top-level name)."""
        summary = self._summaries.get(module)
        if summary is None:
            return None
        self.touch(module, qualname.partition(".")[0])
        classes = self._class_index.get(module)
        if classes is None:
            classes = self._class_index[module] = {cls.qualname: cls for cls in summary.classes}
        return classes.get(qualname)

    def ancestors(self, module: str, cls: ClassFact) -> Iterator[str]:
        """Qualified names of every base, following first-party classes (external ones as named)."""
        seen: set[str] = set()
        stack = [base for base in cls.bases if base]  # qualified already: no owner needed
        while stack and len(seen) < MAX_INHERITANCE_DEPTH:  # see its comment: linear time
            base = stack.pop()
            resolved = self.resolve(base)
            key = f"{resolved.module}.{resolved.name}" if resolved.kind == "class" else base
            if key in seen:
                continue
            seen.add(key)
            yield key
            if resolved.kind == "class":
                parent = self._class(resolved.module, resolved.name)
                if parent is not None:
                    stack.extend(b for b in parent.bases if b)

    def derives_from(self, module: str, cls: ClassFact, bases: Iterable[str]) -> str | None:
        wanted = set(bases)
        for ancestor in self.ancestors(module, cls):
            if ancestor in wanted:
                return ancestor
        return None


def reloadable(
    module: str,
    reloadable_globs: tuple[str, ...],
    not_reloadable_globs: tuple[str, ...],
    outside: frozenset[str],
) -> bool:
    """Whether a first-party module is reloaded: a module of the application (``outside``
    are tests, docs and examples: ``plan-exclude``) in the ``reloadable`` set when one is
    configured, and never one ``not-reloadable`` names."""
    if module in outside:
        return False
    if reloadable_globs and not _matches(module, reloadable_globs):
        return False
    return not _matches(module, not_reloadable_globs)


def _star_modules(module: ModuleSummary) -> list[str]:
    return [fact.module for fact in module.imports if fact.name == "*" and fact.scope == "module"]


def _matches(name: str, globs: tuple[str, ...]) -> bool:
    return any(fnmatch.fnmatchcase(name, glob) for glob in globs)
