"""The tables behind the rules: which qualified names mean what.

Kept as data so that the summarizer stays a walk over the tree and the rule
pages (docs/rules/, rendered from the rules' docstrings) can be checked
against one place.
"""

from __future__ import annotations

# RL401: constructors of mutable containers.
MUTABLE_CONSTRUCTORS = frozenset(
    {
        "builtins.dict",
        "builtins.list",
        "builtins.set",
        "builtins.bytearray",
        "collections.defaultdict",
        "collections.OrderedDict",
        "collections.deque",
        "collections.Counter",
        "collections.ChainMap",
        "weakref.WeakValueDictionary",
        "weakref.WeakKeyDictionary",
        "weakref.WeakSet",
        "typing.DefaultDict",
    }
)

# RL401: methods that mutate a container in place.
MUTATING_METHODS = frozenset(
    {
        "append",
        "appendleft",
        "extend",
        "extendleft",
        "insert",
        "pop",
        "popleft",
        "popitem",
        "remove",
        "clear",
        "update",
        "setdefault",
        "add",
        "discard",
        "difference_update",
        "intersection_update",
        "symmetric_difference_update",
        "sort",
        "reverse",
        "rotate",
        "__setitem__",
        "__delitem__",
    }
)

# RL103: process-wide registrations that keep the callback they are given.
# callee -> (positional index, keyword name) of the callback argument.
CALLBACK_REGISTRATIONS: dict[str, tuple[int | None, str | None]] = {
    "atexit.register": (0, "func"),
    "signal.signal": (1, "handler"),
    "threading.Thread": (1, "target"),
    "threading.Timer": (1, "function"),
    "weakref.finalize": (1, "func"),
    "functools.partial": (0, "func"),
    "functools.partialmethod": (0, "func"),
    "multiprocessing.Process": (1, "target"),
}

# RL103: callback-taking methods, whatever the receiver.
CALLBACK_METHODS: dict[str, tuple[int | None, str | None]] = {
    "add_done_callback": (0, "fn"),
    "call_soon": (0, None),
    "call_soon_threadsafe": (0, None),
    "call_later": (1, None),
    "call_at": (1, None),
    "add_reader": (1, None),
    "add_writer": (1, None),
    "add_signal_handler": (1, None),
}

# RL103: attributes of standard modules that hold a process-wide hook.
HOOK_ATTRIBUTES = frozenset(
    {
        "sys.excepthook",
        "sys.unraisablehook",
        "sys.displayhook",
        "sys.breakpointhook",
        "threading.excepthook",
    }
)

# RL402: calls that register or start something process-wide.
EFFECT_CALLS: dict[str, str] = {
    "atexit.register": "registers an exit handler",
    "signal.signal": "installs a signal handler",
    "asyncio.create_task": "schedules an asyncio task",
    "asyncio.ensure_future": "schedules an asyncio task",
    "socket.create_server": "binds a listening socket",
    "subprocess.Popen": "starts a process",
    "codecs.register": "registers a codec search function",
    "sys.addaudithook": "adds an audit hook",
}
# Not listed: setters that replace by key or outright (``copyreg.pickle``,
# ``sys.settrace``, ``faulthandler.register``): a reload leaves nothing old behind.

# RL402: classes whose instances start something when ``.start()`` is called.
STARTABLE_CLASSES = frozenset(
    {
        "threading.Thread",
        "threading.Timer",
        "multiprocessing.Process",
        "multiprocessing.context.Process",
    }
)

# RL402: methods that add an entry to a container (another module's, at import time).
ADDING_METHODS = frozenset({"append", "appendleft", "insert", "extend", "extendleft", "add"})

# RL402: process-wide lists whose in-place edits accumulate on every reload.
PROCESS_LISTS = frozenset({"sys.path", "sys.meta_path", "sys.path_hooks"})

# RL402: registration decorators that are plain functions.
# (Not ``django.dispatch.receiver``: a signal holds its receivers weakly by default, and
# the reload's new function replaces the old one; ``weak=False`` and ``dispatch_uid``
# are reported from the keywords, whatever the decorator.)
REGISTRATION_DECORATORS = frozenset(
    {
        "atexit.register",
        "django.contrib.admin.register",
        "django.contrib.admin.decorators.register",
    }
)

# RL301: calls that read a file.
FILE_OPENERS = frozenset({"builtins.open", "io.open", "codecs.open"})
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
# RL301: in-memory streams a loader may read from (no file involved).
MEMORY_STREAMS = frozenset({"io.StringIO", "io.BytesIO"})
CONFIGPARSER_CLASSES = frozenset(
    {"configparser.ConfigParser", "configparser.RawConfigParser", "configparser.SafeConfigParser"}
)
CONFIGPARSER_READS = frozenset({"read", "read_file", "read_string"})

# RL302: environment access.
ENVIRON = frozenset({"os.environ", "os.environb"})
GETENV = frozenset({"os.getenv", "os.getenvb"})
ENVIRON_METHODS = frozenset(
    {"get", "copy", "setdefault", "pop", "items", "keys", "values", "__getitem__"}
)
# ...of which these write when their result is discarded (a statement).
ENVIRON_WRITES = frozenset({"setdefault", "pop"})

# RL502: calls whose first argument is a dotted path.
DOTTED_PATH_CALLS: dict[str, str] = {
    "importlib.import_module": "module",
    "builtins.__import__": "module",
    "pkgutil.resolve_name": "object",
    "unittest.mock.patch": "object",
    "mock.patch": "object",
    "unittest.mock.patch.dict": "object",
    "mock.patch.dict": "object",
}
# RL502: the keyword naming that first argument.
DOTTED_PATH_KEYWORDS: dict[str, str] = {
    "importlib.import_module": "name",
    "builtins.__import__": "name",
    "pkgutil.resolve_name": "name",
    "unittest.mock.patch.dict": "in_dict",
    "mock.patch.dict": "in_dict",
}
TASK_DECORATORS = frozenset({"celery.shared_task", "shared_task"})
# RL502: keyword arguments (and dict keys: a Celery beat entry's ``"task"``) whose string
# names code by its dotted path, for a worker, scheduler or resolver to import.
REFERENCE_KEYWORDS = frozenset(
    {
        "task",
        "task_name",
        "func",
        "function",
        "callable",
        "callback",
        "resolver",
        "handler",
        "job",
        "view",
        "entrypoint",
        "entry_point",
    }
)
# RL502: ``name=`` names code (a registered task or job) when the callee's name says so.
REFERENCE_NAME_CALLEES = ("task", "job", "schedule", "actor", "periodic", "cron")
# RL502: methods whose first positional string is a dotted path they import
# (Celery ``send_task``/``signature``, RQ ``enqueue``, APScheduler ``add_job``).
REFERENCE_METHODS = frozenset(
    {"send_task", "signature", "enqueue", "enqueue_call", "enqueue_in", "enqueue_at", "add_job"}
)

# RL105 / RL104.
TYPE_CHECK_FUNCTIONS = frozenset({"builtins.isinstance", "builtins.issubclass"})
ENUM_BASES = frozenset(
    {
        "enum.Enum",
        "enum.IntEnum",
        "enum.StrEnum",
        "enum.Flag",
        "enum.IntFlag",
        "enum.ReprEnum",
        "django.db.models.TextChoices",
        "django.db.models.IntegerChoices",
        "django.db.models.Choices",
        "django.db.models.enums.TextChoices",
        "django.db.models.enums.IntegerChoices",
        "django.db.models.enums.Choices",
    }
)
ENUM_METACLASSES = frozenset({"enum.EnumMeta", "enum.EnumType"})

# RL2: decorators and bases that make class-body annotations fields.
DATACLASS_DECORATORS = frozenset(
    {
        "dataclasses.dataclass",
        "attr.s",
        "attr.attrs",
        "attr.define",
        "attr.mutable",
        "attr.frozen",
        "attr.dataclass",
        "attrs.define",
        "attrs.mutable",
        "attrs.frozen",
        "pydantic.dataclasses.dataclass",
    }
)
FIELD_FACTORIES = frozenset(
    {"attr.ib", "attr.attrib", "attrs.field", "attr.field", "dataclasses.field"}
)
RECORD_BASES = frozenset(
    {
        "typing.NamedTuple",
        "typing.TypedDict",
        "typing_extensions.NamedTuple",
        "typing_extensions.TypedDict",
        "pydantic.BaseModel",
    }
)
DEFAULT_STATEFUL_BASES = (
    "threading.Thread",
    "asyncio.Protocol",
    "asyncio.BaseProtocol",
    "socketserver.BaseServer",
)
#: What a standard-library class *is*, beyond its own name: its base classes
#: and the public alias it is re-exported as. A linted project sees only the
#: name it imports (``http.server.HTTPServer``); this lets a configured
#: ``stateful-bases`` entry (``socketserver.BaseServer``) still match it.
KNOWN_EXTERNAL_BASES: dict[str, tuple[str, ...]] = {
    "threading.Timer": ("threading.Thread",),
    "multiprocessing.dummy.DummyProcess": ("threading.Thread",),
    "asyncio.protocols.BaseProtocol": ("asyncio.BaseProtocol",),
    "asyncio.protocols.Protocol": ("asyncio.Protocol",),
    "asyncio.protocols.BufferedProtocol": ("asyncio.BufferedProtocol",),
    "asyncio.protocols.DatagramProtocol": ("asyncio.DatagramProtocol",),
    "asyncio.protocols.SubprocessProtocol": ("asyncio.SubprocessProtocol",),
    "asyncio.Protocol": ("asyncio.BaseProtocol",),
    "asyncio.BufferedProtocol": ("asyncio.BaseProtocol",),
    "asyncio.DatagramProtocol": ("asyncio.BaseProtocol",),
    "asyncio.SubprocessProtocol": ("asyncio.BaseProtocol",),
    "asyncio.StreamReaderProtocol": ("asyncio.Protocol",),
    "asyncio.streams.StreamReaderProtocol": ("asyncio.Protocol",),
    "asyncio.SubprocessStreamProtocol": ("asyncio.SubprocessProtocol",),
    "asyncio.subprocess.SubprocessStreamProtocol": ("asyncio.SubprocessProtocol",),
    "socketserver.TCPServer": ("socketserver.BaseServer",),
    "socketserver.UDPServer": ("socketserver.TCPServer",),
    "socketserver.UnixStreamServer": ("socketserver.TCPServer",),
    "socketserver.UnixDatagramServer": ("socketserver.UDPServer",),
    "socketserver.ForkingTCPServer": ("socketserver.TCPServer",),
    "socketserver.ForkingUDPServer": ("socketserver.UDPServer",),
    "socketserver.ThreadingTCPServer": ("socketserver.TCPServer",),
    "socketserver.ThreadingUDPServer": ("socketserver.UDPServer",),
    "socketserver.ForkingUnixStreamServer": ("socketserver.UnixStreamServer",),
    "socketserver.ForkingUnixDatagramServer": ("socketserver.UnixDatagramServer",),
    "socketserver.ThreadingUnixStreamServer": ("socketserver.UnixStreamServer",),
    "socketserver.ThreadingUnixDatagramServer": ("socketserver.UnixDatagramServer",),
    "http.server.HTTPServer": ("socketserver.TCPServer",),
    "http.server.ThreadingHTTPServer": ("http.server.HTTPServer",),
    "wsgiref.simple_server.WSGIServer": ("http.server.HTTPServer",),
    "xmlrpc.server.SimpleXMLRPCServer": ("socketserver.TCPServer",),
    "xmlrpc.server.MultiPathXMLRPCServer": ("xmlrpc.server.SimpleXMLRPCServer",),
    "xmlrpc.server.DocXMLRPCServer": ("xmlrpc.server.SimpleXMLRPCServer",),
}
#: Classes whose instances are classes: the runtime never re-points those.
METACLASS_BASES = frozenset({"builtins.type", "abc.ABCMeta", "enum.EnumMeta", "enum.EnumType"})
#: Test cases: instantiated per test run, never live in a process that is hot-upgraded.
TEST_CASE_BASES = frozenset(
    {
        "unittest.TestCase",
        "unittest.case.TestCase",
        "unittest.IsolatedAsyncioTestCase",
        "unittest.async_case.IsolatedAsyncioTestCase",
        "django.test.TestCase",
        "django.test.SimpleTestCase",
        "django.test.TransactionTestCase",
    }
)

# Calls that create a class (a module-level ``Point = namedtuple(...)`` is a class).
CLASS_FACTORIES = frozenset(
    {
        "collections.namedtuple",
        "typing.NamedTuple",
        "typing.TypedDict",
        "typing.NewType",
        "typing_extensions.NamedTuple",
        "typing_extensions.TypedDict",
        "builtins.type",
        "enum.Enum",
        "enum.IntEnum",
        "enum.StrEnum",
        "enum.Flag",
        "enum.IntFlag",
        "dataclasses.make_dataclass",
    }
)
# ... of which these make an enum (RL104).
ENUM_FACTORIES = frozenset(
    {"enum.Enum", "enum.IntEnum", "enum.StrEnum", "enum.Flag", "enum.IntFlag"}
)

#: Exceptions an ``except`` clause names to fall back when an import fails.
IMPORT_ERRORS = frozenset({"builtins.ImportError", "builtins.ModuleNotFoundError"})
