"""The module summary: everything the rules need to know about one file.

Plain, picklable data (no AST nodes), so that it can cross process
boundaries, be cached on disk and be compared between two versions of a
module. Qualified names (``"app.db.connect"``, ``"os.environ.get"``) are
resolved through the module's own imports; resolving them further through
first-party re-exports is the project model's job.

Positions: ``line`` is 1-based, ``col`` is the 1-based *character* column.
"""

from __future__ import annotations

import ntpath
import posixpath
from dataclasses import dataclass, field

#: Summary format version; bump when any field changes (it keys the cache).
SUMMARY_VERSION = 27
#: How many classes deep an inheritance chain is followed. A module whose own
#: classes chain deeper is RL904 (not analysed); ancestor walks across modules
#: stop after this many ancestors. Rules ask about every class's ancestors, so
#: a chain of N classes cost N*N steps: 1,000 classes took 15 s, 10,000 never
#: ended. Real hierarchies stay far below (Django's deepest: about 10).
MAX_INHERITANCE_DEPTH = 100


@dataclass(frozen=True, slots=True)
class Span:
    line: int
    col: int
    end_line: int
    end_col: int


@dataclass(slots=True)
class Use:
    """A load of a module-level name; ``where`` is runtime, annotation or type-checking."""

    span: Span
    where: str


@dataclass(slots=True)
class ImportFact:
    """One imported name. ``name`` is None for ``import a.b`` (binds ``a``)."""

    module: str  # absolute module name ("" if a relative import could not be resolved)
    name: str | None
    bound: str  # the local name it binds ("*" for star imports)
    span: Span  # the alias
    stmt_span: Span  # the whole statement
    scope: str  # "module", "class" or "function"
    type_checking: bool
    uses: list[Use] = field(default_factory=list)
    #: in an ``except ImportError:`` handler: bound only when the preferred import
    #: failed (a pure-Python fallback for an accelerator, an optional dependency)
    fallback: bool = False

    @property
    def target(self) -> str:
        """The qualified name bound: ``pkg.mod.name`` or, for ``import a.b as m``, ``a.b``."""
        if self.name is None:
            return self.module
        return f"{self.module}.{self.name}" if self.module else self.name


@dataclass(slots=True)
class Binding:
    """A top-level name of the module and what it is bound to.

    ``kind``: function, class, value, import. For values, ``value`` says what
    the right-hand side is: ``mutable`` (a new container; ``value_name`` is its
    type: ``dict``, ``deque``), ``sentinel`` (``object()``), ``constant``,
    ``lambda``, ``type-alias`` (``Union[str, Style]``, ``Literal["a"]``), ``type-of``
    (``type(sys)``: a builtin type),
    ``alias`` (another name; ``value_name`` is its qualified
    name), ``call`` (a call's result; ``value_name`` is the callee's
    qualified name), ``other``.
    """

    name: str
    kind: str
    span: Span
    value: str = ""
    value_name: str = ""
    target: str = ""  # imports: the qualified name imported
    guarded: bool = False  # bound under a reload guard (globals() check etc.)
    type_checking: bool = False
    #: bound only in a branch that does not run here: another platform's, a feature
    #: probe's fallback, an ``except ImportError:`` fallback (summary/branches.py)
    elsewhere: bool = False


@dataclass(slots=True)
class Ref:
    """A load of an attribute chain rooted at an imported name (``db.connect``), by the
    qualified name it denotes."""

    qualified: str
    span: Span


@dataclass(slots=True)
class Store:
    """A named value put where it outlives the statement (RL104): ``how`` is ``runtime``
    (stored inside a function: live objects keep it) or ``import`` (stored while the
    module is imported)."""

    qualified: str
    span: Span
    how: str


@dataclass(slots=True)
class Capture:
    """A name stored by value at import time (RL103): ``how`` it is kept is ``default``
    (a default argument value), ``base`` (a base class), ``metaclass``, ``hook``
    (assigned to the process-wide hook ``target``: ``sys.excepthook``),
    ``module-name`` (bound to a module-level name), ``class-attribute``,
    ``container`` (in a container literal), ``argument`` (passed to the call
    ``target``) or ``method-argument`` (passed to a ``.target()`` method)."""

    qualified: str
    span: Span
    how: str
    target: str = ""
    #: the callee keeps it to call it later (a callback)
    callable_required: bool = False


@dataclass(slots=True)
class TypeCheck:
    """A class a check compares objects against (RL105): ``how`` is ``except``,
    ``type-comparison`` (``type(x) is C``), ``isinstance``, ``issubclass`` or
    ``singledispatch`` (a ``.register`` of a single-dispatch function)."""

    qualified: str
    span: Span
    how: str


@dataclass(slots=True)
class CodeChange:
    """How ``__code_change__`` is declared and which old versions it tests.

    ``problem`` says why the runtime cannot call it as ``(self, old_vsn,
    extra)``: ``static`` (a static or class method), ``async``, ``generator``,
    ``required`` (more than three required positional parameters:
    ``required`` says how many), ``too-few`` (parameters), ``keyword-only``
    (without defaults); "" when it can.
    """

    span: Span
    callable_ok: bool
    problem: str = ""
    required: int = 0
    literals: list[object] = field(default_factory=list)
    orderings: list[tuple[str, object]] = field(default_factory=list)  # ("<", 3): old_vsn < 3
    untestable: bool = False  # old_vsn used in a way we cannot read statically


@dataclass(slots=True)
class ClassFact:
    name: str
    qualname: str
    span: Span  # the class name in the ``class`` statement
    bases: list[str]  # qualified names ("" for an expression we cannot name)
    metaclass: str
    decorators: list[str]
    methods: list[str]
    self_attrs: dict[str, list[str]]  # attribute -> methods that assign it
    annotated: dict[str, bool]  # class-body annotated names -> is ClassVar
    field_calls: list[str]  # class-body names bound to attr.ib()/attrs.field()/dataclasses.field()
    slots: list[str]
    body_names: list[str]
    vsn: object = None
    vsn_span: Span | None = None
    #: "unassigned" (annotated only), "not-literal" (not an int or str literal), "" when valid
    vsn_problem: str = ""
    has_vsn: bool = False
    vsn_annotated: bool = False
    code_change: CodeChange | None = None
    import_time: bool = True
    #: method -> methods of this class that call it as ``self.method(...)`` (RL2 init helpers)
    self_calls: dict[str, list[str]] = field(default_factory=dict)
    #: class-body names annotated without a value (``x: int``): no class attribute
    annotated_only: list[str] = field(default_factory=list)
    #: class-body name -> the string keys of the dict literal it is bound to
    #: (``defaults = {"a": 1}``, also wrapped: ``ImmutableDict({"a": 1})``, ``dict(a=1)``)
    dict_defaults: dict[str, list[str]] = field(default_factory=dict)
    #: attribute -> methods that read ``self.attribute`` (attributes the class neither
    #: assigns on ``self`` nor defines as methods: class-level or inherited ones)
    self_reads: dict[str, list[str]] = field(default_factory=dict)
    #: attribute -> string keys read as ``self.attribute["key"]``
    key_reads: dict[str, list[str]] = field(default_factory=dict)


@dataclass(slots=True)
class Mutation:
    """A change to a module-level name after import: ``how`` is ``global`` (rebound in a
    function), ``item`` (``X[k] = v``), ``del-item`` (``del X[k]``) or ``method``
    (``X.append(v)``: ``method`` is the method's name)."""

    qualified: str
    span: Span
    how: str
    function: str
    method: str = ""
    #: the plain name whose value is put into the container (``REG.append(func)``,
    #: ``REG[k] = func``: ``func``), "" for anything else (``REG.add(func.__code__)``)
    stores: str = ""
    #: a memo's fill or a reset (``if k not in CACHE: CACHE[k] = compute(k)``; ``global X;
    #: X = {}``): a reload costs a recomputation, not recorded state (summary.lazy_init)
    memo: bool = False


@dataclass(slots=True)
class Effect:
    """An import-time side effect a reload repeats (RL402), by ``kind``:

    - ``call``: a process-wide call; ``callee`` (``atexit.register``), or
      ``method`` (``addHandler``; ``bind`` or ``listen`` on a new socket);
    - ``sys-path``: an edit of the process list ``owner`` (``sys.path``): ``how`` is
      ``method`` (``method`` names it), ``item`` (assigns into it) or ``replace``;
    - ``start``: ``.start()`` on an object made by ``callee``;
    - ``monkeypatch``: ``owner.attribute = ...`` on an object of another module;
    - ``decorator``: a registering decorator ``callee`` (``atexit.register``);
    - ``registration``: ``@owner.method`` with ``owner`` an imported object (the
      project model tells whether it registers);
    - ``adds``: ``owner.method(x)`` adding an entry to a container of another module
      (``other.HANDLERS.append(f)``);
    - ``receiver-strong``, ``receiver-uid``, ``receiver-uid-strong``: a signal receiver
      connected with ``weak=False``, a ``dispatch_uid``, or both, by the call ``callee``
      (the source text of what is called) as ``how``: ``call`` (``signal.connect(f)``)
      or ``decorator`` (``@receiver(signal)``).
    """

    kind: str
    span: Span
    callee: str = ""
    owner: str = ""
    method: str = ""
    attribute: str = ""
    how: str = ""
    #: under a guard on the module's namespace (``if "X" not in globals():``, ``try: X``
    #: / ``except NameError:``): once per process, unless a reload clears the namespace
    #: first (IPython's full reload does)
    namespace_guarded: bool = False


@dataclass(slots=True)
class Decoration:
    """A decorator applied at import time to a top-level function or class (or a method).

    Whether it registers the definition somewhere (RL402) depends on what
    ``decorator`` is, which the project model answers, not this module.
    """

    decorator: str  # the qualified name of the decorator, or of the factory called
    span: Span
    target: str  # the qualified name of the decorated definition in this module
    called: bool  # ``@register("tag")``: a decorator factory


@dataclass(slots=True)
class ConfigRead:
    """A file read at import time (RL301; RL304 compares the files between versions)."""

    span: Span
    #: ``call`` (``callee`` reads the file: ``builtins.open``, ``json.load``), ``method``
    #: (``Path.read_text``: ``method`` names it), ``path-open`` (``Path.open``),
    #: ``configparser`` (``ConfigParser.read``: ``method`` names it)
    how: str
    path: str | None  # literal path when it can be read ("../x.toml": above the module's directory)
    relative_to_module: bool = False
    import_time: bool = True
    callee: str = ""
    method: str = ""

    def file_path(self, module_path: str, root: str = "") -> str | None:
        """Where the file read lives, normalised with ``/`` separators; None when not literal.

        A module-relative path (``Path(__file__).parent / "x.toml"``) is joined to
        the directory of ``module_path``; any other relative path is relative to
        the working directory the application runs in, taken to be the project
        ``root``. Absolute paths are returned as they are.
        """
        if self.path is None:
            return None
        path = self.path.replace("\\", "/")
        if posixpath.isabs(path) or ntpath.isabs(self.path):
            return posixpath.normpath(path)
        base = module_path if self.relative_to_module else ""
        base = posixpath.dirname(base.replace("\\", "/")) if base else root.replace("\\", "/")
        return posixpath.normpath(posixpath.join(base, path)) if base else posixpath.normpath(path)


@dataclass(slots=True)
class EnvRead:
    """A read of the environment: ``how`` is ``item`` (``os.environ[...]``), ``membership``
    (``in os.environ``), ``copy`` (``dict(os.environ)``, ``{**os.environ}``), ``call``
    (``callee``: ``os.getenv``) or ``method`` (``os.environ.get``: ``method`` names it);
    ``var`` is the variable when it is literal."""

    span: Span
    how: str
    var: str | None
    import_time: bool
    callee: str = ""
    method: str = ""


@dataclass(slots=True)
class DottedString:
    """A string that names a dotted path (RL502).

    ``value`` is absolute (relative ``import_module``/``__import__`` names are
    resolved); entry strings keep their ``pkg.mod:attr`` form.
    """

    value: str
    span: Span
    how: str  # module, object, entry, task-name, reference (a task/scheduler/resolver argument)
    callee: str = ""  # the call or decorator the string is given to ("" for entry strings)


@dataclass(slots=True)
class LoopFunction:
    """A function that runs a loop which cannot end (RL404): ``how`` is ``while`` (``code``
    is its condition's source: ``True``, ``not stop.is_set()``) or ``call`` (``code`` is
    the method that serves forever: ``serve_forever``)."""

    qualname: str
    span: Span
    how: str
    code: str = ""
    loop_line: int = 0  # the ``while`` (or ``serve_forever()``) statement's line
    #: upgrade mode: fingerprint of that statement alone (a thread inside the loop runs it)
    fingerprint: str = ""


@dataclass(slots=True)
class Param:
    """One parameter of a top-level function (RL602 compares task signatures)."""

    name: str
    kind: str  # posonly, pos, kwonly, *args, **kwargs
    default: bool


@dataclass(slots=True)
class TaskFact:
    """A function registered as a background task, or handed to a queue by reference.

    ``function`` is the qualname of a function of this module, or for a reference
    (``queue.enqueue(f)``, arq's ``functions=[f]``) the qualified name of ``f``.
    ``owner`` is the decorator's object (``app.celery.app`` for ``@app.task``), which
    the rules resolve to a framework when ``framework`` is ``task`` (Celery and Huey
    both spell it so).
    """

    function: str
    framework: str  # celery, huey, task, dramatiq, rq, arq
    span: Span
    name: str | None = None  # the explicit registered name (``name=``, ``actor_name=``)
    dynamic_name: bool = False  # ``name=`` given but not a literal string
    reference: bool = False
    owner: str = ""
    skip_first: bool = False  # ``bind=True`` / arq's ``ctx``: not a message argument
    hidden: list[str] = field(default_factory=list)  # keywords the framework passes (huey ``task``)


@dataclass(slots=True)
class RecordField:
    """A field of a record class, as values of the record carry it."""

    name: str  # the name old values use (attrs strips a leading underscore)
    default: bool | None  # None: the library decides (pydantic ``Optional`` without default)
    positional: bool  # can be given positionally (and stored so: NamedTuple, msgspec pickles)
    aliases: list[str] = field(default_factory=list)  # other names validation accepts


@dataclass(slots=True)
class RecordFact:
    """A class that may be a record (RL601): its own fields and options.

    ``kind`` is what the class's own decorators and bases say (dataclass, attrs,
    namedtuple, typeddict, pydantic, msgspec), "" when only a first-party base can
    tell; the rules complete it, and the inherited fields, through the project model.
    """

    qualname: str
    span: Span
    kind: str
    fields: list[RecordField]
    #: extra (pydantic), forbid_unknown_fields / array_like (msgspec), kw_only, total
    options: dict[str, str] = field(default_factory=dict)
    #: what accepts old shapes: __setstate__, a before-validator, a custom __init__
    hooks: list[str] = field(default_factory=list)


@dataclass(slots=True)
class EnumMember:
    name: str
    value: str  # repr of a literal value, "auto()" or "" when it cannot be read
    span: Span


@dataclass(slots=True)
class EnumFact:
    """A class with member-like assignments (RL604 keeps those whose ancestors make it an enum)."""

    qualname: str
    span: Span
    members: list[EnumMember]
    hooks: list[str] = field(default_factory=list)  # _missing_, _generate_next_value_


@dataclass(slots=True)
class ModuleSummary:
    path: str
    name: str
    is_package: bool
    digest: str
    bindings: dict[str, list[Binding]] = field(default_factory=dict)
    imports: list[ImportFact] = field(default_factory=list)
    all_names: list[str] | None = None
    has_getattr: bool = False
    classes: list[ClassFact] = field(default_factory=list)
    captures: list[Capture] = field(default_factory=list)
    type_checks: list[TypeCheck] = field(default_factory=list)
    module_refs: list[Ref] = field(default_factory=list)
    mutations: list[Mutation] = field(default_factory=list)
    #: Named values put where they outlive the statement (RL104: can a member or a
    #: sentinel be held by state made before a reload?): the value of an attribute or
    #: item assignment or of ``setattr`` (how "runtime" inside a function, "import"
    #: otherwise); a name bound, a default argument or a call argument while the
    #: module is imported ("import").
    stores: list[Store] = field(default_factory=list)
    #: Operands of ``is`` / ``is not`` comparisons (RL104: identity-sensitive uses).
    identities: list[Ref] = field(default_factory=list)
    #: top-level functions that only run at import time: every use in the
    #: module is a call or decorator at import time (a reload re-runs them).
    init_functions: list[str] = field(default_factory=list)
    #: Module-level containers the module reads only in one harmless way (RL401):
    #: name -> ``memo``, ``duplicate-check`` or ``unread`` (summary/facts/state_reads.py).
    state_reads: dict[str, str] = field(default_factory=dict)
    #: top-level functions the module itself never loads (others may: a registrar).
    unused_functions: list[str] = field(default_factory=list)
    #: ``Class.helper``: functions of a class body used there only as decorators, so
    #: they run only at import time (like ``init_functions``).
    class_init_functions: list[str] = field(default_factory=list)
    effects: list[Effect] = field(default_factory=list)
    decorations: list[Decoration] = field(default_factory=list)
    #: function qualname -> how it keeps what it is given: replaces, weak or adds
    #: (RL402: does a registration through it pile up? summary.facts.keeps)
    keeps: dict[str, str] = field(default_factory=dict)
    config_reads: list[ConfigRead] = field(default_factory=list)
    env_reads: list[EnvRead] = field(default_factory=list)
    dotted_strings: list[DottedString] = field(default_factory=list)
    loops: list[LoopFunction] = field(default_factory=list)
    #: RL6: values made by the old version (reloadlint.summary.facts.values)
    signatures: dict[str, list[Param]] = field(default_factory=dict)
    tasks: list[TaskFact] = field(default_factory=list)
    records: list[RecordFact] = field(default_factory=list)
    enums: list[EnumFact] = field(default_factory=list)
    #: RL601: callees given positional rows (``cls(*row)``) and ``astuple`` calls, qualified.
    positional_calls: list[str] = field(default_factory=list)
    #: other modules' attributes this one assigns, patches or names in a string
    #: (``mod.f = x``, ``setattr(mod, "f", x)``, ``"pkg.mod.f"``), qualified: their
    #: bindings there must stay (``--fix``; reloadlint.summary.facts.attributes)
    named_attributes: list[str] = field(default_factory=list)
    noqa: dict[int, frozenset[str] | None] = field(default_factory=dict)
    file_noqa: bool = False
    main_block: Span | None = None
    #: upgrade mode: fingerprints of the code, docstrings and layout ignored.
    fingerprint: str = ""
    def_fingerprints: dict[str, str] = field(default_factory=dict)
    #: upgrade mode: attribute name -> the innermost definitions that read it
    #: (``x.name``, ``getattr(x, "name")``; "" for module-level code; RL202)
    attribute_reads: dict[str, list[str]] = field(default_factory=dict)
    main_fingerprint: str = ""
    #: Every def/class as (qualname, first line, last line), decorators included, in
    #: source order: the enclosing definition of a finding (baselines key on it).
    definitions: list[tuple[str, int, int]] = field(default_factory=list)

    def binding(self, name: str) -> Binding | None:
        found = self.bindings.get(name)
        if not found:
            return None
        # The binding this process makes: not one of a branch that does not run here.
        return next((b for b in reversed(found) if not b.elsewhere), found[-1])

    @property
    def package(self) -> str:
        """The package relative imports are resolved against."""
        if self.is_package:
            return self.name
        return self.name.rpartition(".")[0]
