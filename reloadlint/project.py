"""The project model: every first-party module's summary, and the questions
rules ask across modules (what does ``app.db.connect`` name? is that module
reloadable? which classes derive from ``threading.Thread``?).
"""

from __future__ import annotations

import fnmatch
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import cached_property

from reloadlint.summary.model import Binding, ClassFact, ModuleSummary
from reloadlint.summary.patterns import CLASS_FACTORIES


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


class ProjectModel:
    def __init__(
        self,
        modules: Iterable[ModuleSummary],
        *,
        reloadable: tuple[str, ...] = (),
        not_reloadable: tuple[str, ...] = (),
    ) -> None:
        self.modules: dict[str, ModuleSummary] = {}
        for module in modules:
            # The first of two files claiming one name wins (as on sys.path).
            self.modules.setdefault(module.name, module)
        self.by_path = {m.path: m for m in modules}
        self.reloadable_globs = reloadable
        self.not_reloadable_globs = not_reloadable
        self.top_level = frozenset(name.partition(".")[0] for name in self.modules)
        self._classes: dict[str, ClassFact] = {}
        self._resolved: dict[str, Resolved] = {}
        for module in self.modules.values():
            for cls in module.classes:
                self._classes[f"{module.name}.{cls.qualname}"] = cls

    # ------------------------------------------------------------ modules
    def is_first_party(self, qualified: str) -> bool:
        return qualified.partition(".")[0] in self.top_level

    def is_reloadable(self, module: str) -> bool:
        if module not in self.modules:
            return False
        if self.reloadable_globs and not _matches(module, self.reloadable_globs):
            return False
        return not _matches(module, self.not_reloadable_globs)

    def split(self, qualified: str) -> tuple[str, list[str]] | None:
        """The longest first-party module prefix of ``qualified`` and the attribute path after it."""
        parts = qualified.split(".")
        for cut in range(len(parts), 0, -1):
            module = ".".join(parts[:cut])
            if module in self.modules:
                return module, parts[cut:]
        return None

    @cached_property
    def importers(self) -> dict[str, set[str]]:
        """Module -> first-party modules that import it (any form, any scope)."""
        graph: dict[str, set[str]] = {}
        for module in self.modules.values():
            for target in self.imported_modules(module):
                graph.setdefault(target, set()).add(module.name)
        return graph

    def imported_modules(self, module: ModuleSummary) -> set[str]:
        """First-party modules ``module`` imports (``from a import b`` counts a, and a.b if a module)."""
        found: set[str] = set()
        for fact in module.imports:
            if not fact.module:
                continue
            if fact.name and f"{fact.module}.{fact.name}" in self.modules:
                found.add(f"{fact.module}.{fact.name}")
            split = self.split(fact.module)
            if split is not None:
                found.add(split[0])
        found.discard(module.name)
        return found

    # ------------------------------------------------------------ names
    def resolve(self, qualified: str) -> Resolved:
        # Memoised: rules ask about the same names (bases, imports) again and
        # again, and the modules never change once the model is built.
        found = self._resolved.get(qualified)
        if found is None:
            found = self._resolved[qualified] = self._resolve(qualified, 0)
        return found

    def _resolve(self, qualified: str, hops: int) -> Resolved:
        if hops > _MAX_HOPS:
            return Resolved("unknown")
        split = self.split(qualified)
        if split is None:
            return Resolved("missing") if self.is_first_party(qualified) else _EXTERNAL
        module_name, attrs = split
        if not attrs:
            return Resolved("module", module_name)
        module = self.modules[module_name]
        first, rest = attrs[0], attrs[1:]
        binding = module.binding(first)
        if binding is None:
            return self._not_bound(module, first, rest, hops)
        if binding.kind == "import":
            if binding.target == qualified or not binding.target:
                return Resolved("unknown", module_name, first, binding)
            return self._resolve(".".join([binding.target, *rest]), hops + 1)
        if binding.kind == "value" and binding.value.startswith("alias:") and not rest:
            aliased = binding.value[len("alias:") :]
            target = self._resolve(aliased, hops + 1)
            if target.kind in ("function", "class"):
                return Resolved(target.kind, module_name, first, binding, "alias")
        kind = binding.kind
        if kind == "value" and (binding.value == "lambda" or binding.value.removeprefix("call:") in CLASS_FACTORIES):
            # `handler = lambda ...` is a function; `Point = namedtuple(...)` a class.
            kind = "function" if binding.value == "lambda" else "class"
        if rest:
            return Resolved("attribute", module_name, first, binding, kind)
        return Resolved(kind, module_name, first, binding, binding.value)

    def _not_bound(self, module: ModuleSummary, first: str, rest: list[str], hops: int) -> Resolved:
        for star in _star_modules(module):
            if self.split(star) is None:
                return Resolved("unknown", module.name, first)
            found = self._resolve(".".join([star, first, *rest]), hops + 1)
            if found.kind != "missing":
                return found
        if module.has_getattr:
            return Resolved("unknown", module.name, first)
        return Resolved("missing", module.name, first)

    # ------------------------------------------------------------ classes
    def class_fact(self, qualified: str) -> ClassFact | None:
        resolved = self.resolve(qualified)
        if resolved.kind != "class":
            return None
        return self._classes.get(f"{resolved.module}.{resolved.name}")

    def ancestors(self, module: str, cls: ClassFact) -> Iterator[str]:
        """Qualified names of every base, following first-party classes (external ones as named)."""
        seen: set[str] = set()
        stack = [(module, base) for base in cls.bases if base]
        while stack:
            owner, base = stack.pop()
            resolved = self.resolve(base)
            key = f"{resolved.module}.{resolved.name}" if resolved.kind == "class" else base
            if key in seen:
                continue
            seen.add(key)
            yield key
            if resolved.kind == "class":
                parent = self._classes.get(key)
                if parent is not None:
                    stack.extend((resolved.module, b) for b in parent.bases if b)

    def derives_from(self, module: str, cls: ClassFact, bases: Iterable[str]) -> str | None:
        wanted = set(bases)
        for ancestor in self.ancestors(module, cls):
            if ancestor in wanted:
                return ancestor
        return None


def _star_modules(module: ModuleSummary) -> list[str]:
    return [fact.module for fact in module.imports if fact.name == "*" and fact.scope == "module"]


def _matches(name: str, globs: tuple[str, ...]) -> bool:
    return any(fnmatch.fnmatchcase(name, glob) for glob in globs)
