"""Configuration facts: files and environment variables a module reads.

Serves RL301 (import-time-config-read) and RL304 (config-file-changed):
:class:`~reloadlint.summary.model.ConfigRead`, with the file's path when the
code spells it (``Path(__file__).parent / "limits.json"``); RL302
(import-time-env-read) and RL303 (new-env-var):
:class:`~reloadlint.summary.model.EnvRead`.
"""

from __future__ import annotations

import ast
import posixpath

from reloadlint.summary.model import ConfigRead, EnvRead
from reloadlint.summary.nodes import argument, literal
from reloadlint.summary.walk import Family, Scope, Walk

#: Calls that open a file.
FILE_OPENERS = frozenset({"builtins.open", "io.open", "codecs.open"})
#: Calls that read and parse a file (a stream, or a path).
CONFIG_LOADERS = frozenset(
    {
        "json.load",
        "tomllib.load",
        "tomli.load",
        "toml.load",
        "yaml.load",
        "yaml.safe_load",
        "yaml.full_load",
        "yaml.unsafe_load",
        "yaml.load_all",
        "yaml.safe_load_all",
        "ruamel.yaml.YAML.load",
        "dotenv.load_dotenv",
        "dotenv.dotenv_values",
        "dotenv.main.load_dotenv",
        "dotenv.main.dotenv_values",
        "configparser.ConfigParser.read",
        "plistlib.load",
        "pickle.load",
    }
)
PATH_CONSTRUCTORS = frozenset(
    {"pathlib.Path", "pathlib.PurePath", "pathlib.PosixPath", "pathlib.WindowsPath"}
)
PATH_READ_METHODS = frozenset({"read_text", "read_bytes"})
#: In-memory streams a loader may read from (no file involved).
MEMORY_STREAMS = frozenset({"io.StringIO", "io.BytesIO"})
CONFIGPARSER_CLASSES = frozenset(
    {"configparser.ConfigParser", "configparser.RawConfigParser", "configparser.SafeConfigParser"}
)
CONFIGPARSER_READS = frozenset({"read", "read_file", "read_string"})
ENVIRON = frozenset({"os.environ", "os.environb"})
GETENV = frozenset({"os.getenv", "os.getenvb"})
ENVIRON_METHODS = frozenset(
    {"get", "copy", "setdefault", "pop", "items", "keys", "values", "__getitem__"}
)
#: ...of which these write when their result is discarded (a statement).
ENVIRON_WRITES = frozenset({"setdefault", "pop"})


class ConfigFacts(Family):
    RULES = ("RL301", "RL302", "RL303", "RL304")
    CALLS = dict.fromkeys([*FILE_OPENERS, *CONFIG_LOADERS, *GETENV, "builtins.dict"], "call")
    METHODS = dict.fromkeys(
        [*ENVIRON_METHODS, *PATH_READ_METHODS, "open", *CONFIGPARSER_READS], "method_call"
    )

    def __init__(self, walk: Walk) -> None:
        super().__init__(walk)
        #: local names bound to a file read at import time (``fh = open(...)``)
        self.open_handles: set[str] = set()
        self._saved_handles: list[set[str]] = []
        #: ids of the calls recorded as reads (``json.load(open(p))`` is one read)
        self.read_calls: set[int] = set()
        #: the call of the expression statement being walked (its result is discarded)
        self.discarded_call: ast.Call | None = None

    # ----------------------------------------------------------------- events
    def call(self, node: ast.Call, callee: str) -> None:
        walk = self.walk
        import_time = walk.import_time
        if callee in FILE_OPENERS and import_time and _opens_for_reading(node):
            self._config_read(node, "call", argument(node, 0, "file"), callee=callee)
        elif callee in CONFIG_LOADERS and import_time:
            source = node.args[0] if node.args else None
            if not self._already_read(source) and not self._memory_stream(source):
                self._config_read(node, "call", source, callee=callee)
        if callee in GETENV:
            self._env_read(node, "call", argument(node, 0, "key"), callee=callee)
        elif callee == "builtins.dict" and node.args and walk.qualify(node.args[0]) in ENVIRON:
            self._env_read(node, "copy", None)

    def method_call(self, node: ast.Call, func: ast.Attribute, callee: str | None) -> None:
        walk, method, owner = self.walk, func.attr, func.value
        if (
            method in ENVIRON_METHODS
            and walk.qualify(owner) in ENVIRON
            and not (method in ENVIRON_WRITES and node is self.discarded_call)
        ):
            key = argument(node, 0, "key") if method in ("get", "setdefault", "pop") else None
            self._env_read(node, "method", key, method=method)
        if not walk.import_time:
            return
        if method in PATH_READ_METHODS:
            self._config_read(node, "method", owner, method=method)
        elif method == "open":
            made_by, called = walk.receiver(owner)
            if (
                made_by in PATH_CONSTRUCTORS
                or (called and made_by.startswith("pathlib"))
                or self._literal_path(owner)[0] is not None
            ) and _opens_for_reading(node, mode_index=0):
                self._config_read(node, "path-open", owner)
        elif method in CONFIGPARSER_READS and walk.receiver(owner)[0] in CONFIGPARSER_CLASSES:
            self._config_read(node, "configparser", argument(node, 0, "filenames"), method=method)

    def on_subscript(self, node: ast.Subscript) -> None:
        if self.walk.qualify(node.value) in ENVIRON:
            self._env_read(node, "item", node.slice)

    def on_compare(self, node: ast.Compare) -> None:
        for op, right in zip(node.ops, node.comparators, strict=True):
            if isinstance(op, (ast.In, ast.NotIn)) and self.walk.qualify(right) in ENVIRON:
                self._env_read(node, "membership", node.left)

    def on_container(self, node: ast.Dict | ast.List | ast.Set | ast.Tuple) -> None:
        if isinstance(node, ast.Dict):
            for key, value in zip(node.keys, node.values, strict=True):
                if key is None and self.walk.qualify(value) in ENVIRON:
                    self._env_read(value, "copy", None)

    def on_statement_call(self, call: ast.Call) -> None:
        # ``os.environ.setdefault("X", "v")`` as a statement provides a default (a
        # write); only a used result is a read.
        self.discarded_call = call

    def on_assign_value(self, node: ast.Assign) -> None:
        if id(node.value) in self.read_calls:
            # ``fh = open(...)``: a later ``json.load(fh)`` is the same read.
            self.open_handles.update(t.id for t in node.targets if isinstance(t, ast.Name))

    def on_with_item(self, item: ast.withitem) -> None:
        if isinstance(item.optional_vars, ast.Name) and id(item.context_expr) in self.read_calls:
            self.open_handles.add(item.optional_vars.id)

    def on_function(
        self, node: ast.FunctionDef | ast.AsyncFunctionDef, enclosing: Scope, scope: Scope
    ) -> None:
        self._saved_handles.append(self.open_handles)
        self.open_handles = set()

    def on_function_exit(
        self, node: ast.FunctionDef | ast.AsyncFunctionDef, enclosing: Scope
    ) -> None:
        self.open_handles = self._saved_handles.pop()

    # ----------------------------------------------------------------- reads
    def _config_read(
        self,
        node: ast.Call,
        how: str,
        path_node: ast.expr | None,
        *,
        callee: str = "",
        method: str = "",
    ) -> None:
        if not self.walk.import_time:
            return
        self.read_calls.add(id(node))
        path, relative = self._literal_path(path_node)
        read = ConfigRead(self.walk.span(node), how, path, relative, True, callee, method)
        self.out.config_reads.append(read)

    def _env_read(
        self,
        node: ast.AST,
        how: str,
        key: ast.expr | None,
        *,
        callee: str = "",
        method: str = "",
    ) -> None:
        var = self._literal_string(key)
        walk = self.walk
        self.out.env_reads.append(
            EnvRead(walk.span(node), how, var, walk.import_time, callee, method)
        )

    def _memory_stream(self, source: ast.expr | None) -> bool:
        """``json.load(io.StringIO(text))`` (or a name bound to one) reads no file."""
        if isinstance(source, ast.Name):
            stmts = self.walk.pre.names.get(source.id)
            source = stmts[-1].value if stmts and len(stmts) == 1 else None
        return isinstance(source, ast.Call) and self.walk.qualify(source.func) in MEMORY_STREAMS

    def _already_read(self, source: ast.expr | None) -> bool:
        if isinstance(source, ast.Call):
            return id(source) in self.read_calls
        return isinstance(source, ast.Name) and source.id in self.open_handles

    def _literal_path(self, node: ast.expr | None) -> tuple[str | None, bool]:
        """The file a path expression names, and whether it is relative to the module's directory.

        Paths built from ``__file__`` (``Path(__file__).parent / "x"``,
        ``os.path.join(os.path.dirname(__file__), "..", "x")``, names bound to
        such directories) are relative to the module's directory, with ``../``
        for each level above it; other relative paths are relative to the
        working directory. ``(None, False)`` when the path is not literal.
        """
        found = self._path_expr(node, 0) if node is not None else None
        if found is None:
            return None, False
        path, relative = found
        if relative and path.startswith(_MODULE_FILE):
            return None, False  # the module's own file, or a path that is not under its directory
        return path, relative

    def _path_expr(self, node: ast.expr, depth: int) -> tuple[str, bool] | None:
        """``(normalised path, relative to the module's directory)`` of a path we can read."""
        if depth > 8:
            return None
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            return posixpath.normpath(node.value.replace("\\", "/")), False
        if isinstance(node, (ast.Name, ast.Attribute)) and self.walk.qualify(node) == "os.devnull":
            return "/dev/null", False
        if isinstance(node, ast.Name):
            if node.id == "__file__":
                return _MODULE_FILE, True
            stmts = self.walk.pre.names.get(node.id)
            # Only a name bound once: with two bindings we cannot tell which file is read.
            value = (
                stmts[0].value if stmts and len(stmts) == 1 and stmts[0].kind == "value" else None
            )
            if value is not None and self.walk.resolve(node.id)[1] == "module":
                return self._path_expr(value, depth + 1)
            return None
        if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Div):
            return self._join_paths([node.left, node.right], depth)
        if isinstance(node, ast.Attribute) and node.attr == "parent":
            return _parent_path(self._path_expr(node.value, depth + 1), 1)
        if isinstance(node, ast.Subscript) and isinstance(node.value, ast.Attribute):
            index = literal(node.slice)
            if node.value.attr == "parents" and isinstance(index, int) and index >= 0:
                return _parent_path(self._path_expr(node.value.value, depth + 1), index + 1)
            return None
        if isinstance(node, ast.Call):
            return self._path_call(node, depth)
        return None

    def _path_call(self, node: ast.Call, depth: int) -> tuple[str, bool] | None:
        if node.keywords or any(isinstance(a, ast.Starred) for a in node.args):
            return None
        callee = self.walk.qualify(node.func) or ""
        args = node.args
        if callee in ("pathlib.Path.cwd", "os.getcwd") and not args:
            return ".", False
        if callee in PATH_CONSTRUCTORS or callee == "os.path.join":
            return self._join_paths(args, depth) if args else None
        if callee in _SAME_PATH_CALLS and len(args) == 1:
            return self._path_expr(args[0], depth + 1)
        if callee == "os.path.dirname" and len(args) == 1:
            return _parent_path(self._path_expr(args[0], depth + 1), 1)
        func = node.func
        if isinstance(func, ast.Attribute) and func.attr in ("resolve", "absolute") and not args:
            return self._path_expr(func.value, depth + 1)
        if isinstance(func, ast.Attribute) and func.attr == "joinpath" and args:
            return self._join_paths([func.value, *args], depth)
        if isinstance(func, ast.Attribute) and func.attr == "with_name" and len(args) == 1:
            # ``Path(__file__).with_name("x.json")``: the file beside the one named.
            folder = _parent_path(self._path_expr(func.value, depth + 1), 1)
            name = self._path_expr(args[0], depth + 1)
            return _join_paths_of(folder, name)
        if callee in _RESOURCE_ROOTS and len(args) == 1 and self._names_own_package(args[0]):
            # ``importlib.resources.files(__package__)``: the module's own directory.
            return ".", True
        return None

    def _names_own_package(self, node: ast.expr) -> bool:
        """``__package__``, ``__name__`` (of a package's ``__init__``, or of a module,
        whose ``files()`` is its directory too) or the package's name as a literal."""
        if isinstance(node, ast.Name) and node.id in ("__package__", "__name__"):
            return True
        return isinstance(node, ast.Constant) and node.value in (self.out.package, self.walk.module)

    def _join_paths(self, nodes: list[ast.expr], depth: int) -> tuple[str, bool] | None:
        parts = [self._path_expr(part, depth + 1) for part in nodes]
        if any(part is None for part in parts):
            return None
        path, relative = parts[0]  # type: ignore[misc]
        for part, part_relative in parts[1:]:  # type: ignore[misc]
            if part_relative or posixpath.isabs(part):
                path, relative = part, part_relative
            else:
                path = posixpath.normpath(posixpath.join(path, part))
        return path, relative

    def _literal_string(self, node: ast.expr | None) -> str | None:
        """A string literal, or a module-level name bound once to one (``KEY = "APP_DEBUG"``)."""
        if isinstance(node, ast.Name) and self.walk.resolve(node.id)[1] == "module":
            stmts = self.walk.pre.names.get(node.id)
            if stmts and len(stmts) == 1 and stmts[0].kind == "value":
                node = stmts[0].value
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            return node.value
        return None


def _opens_for_reading(node: ast.Call, mode_index: int = 1) -> bool:
    mode = argument(node, mode_index, "mode")
    if mode is None:
        return True
    return (
        isinstance(mode, ast.Constant)
        and isinstance(mode.value, str)
        and not set(mode.value) & set("wax+")
    )


#: Stands for the module's own file in paths built from ``__file__``: its
#: directory is ``<module-file>/..`` (normalised to ``.``).
_MODULE_FILE = "<module-file>"
#: Calls whose result is the directory of the package they are given.
_RESOURCE_ROOTS = frozenset({"importlib.resources.files", "importlib_resources.files"})
#: Calls that return the path they are given (as far as which file it names goes).
_SAME_PATH_CALLS = frozenset(
    {
        "os.path.abspath",
        "os.path.realpath",
        "os.path.normpath",
        "os.fspath",
        "builtins.str",
        "os.path.normcase",
    }
)


def _join_paths_of(
    folder: tuple[str, bool] | None, name: tuple[str, bool] | None
) -> tuple[str, bool] | None:
    """A file name joined to a folder (``with_name``): None unless the name is plain."""
    if folder is None or name is None or name[1] or posixpath.isabs(name[0]):
        return None
    return posixpath.normpath(posixpath.join(folder[0], name[0])), folder[1]


def _parent_path(found: tuple[str, bool] | None, levels: int) -> tuple[str, bool] | None:
    """``levels`` directories above a path (``<module-file>`` -> ``.`` -> ``..``)."""
    if found is None:
        return None
    path, relative = found
    for _ in range(levels):
        path = posixpath.normpath(posixpath.join(path, ".."))
    return path, relative
