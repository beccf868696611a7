"""What standard and well-known classes are: enums, records, dataclasses, servers and
threads, test cases, metaclasses.

The classes family's rules (RL104, RL201, RL202) and the project model read
these tables when they judge a class by its bases, decorators or metaclass;
the summary records only the qualified names.
"""

from __future__ import annotations

#: RL104, RL202: enums (their members are identities a reload replaces).
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

#: RL2: decorators and bases that make class-body annotations fields.
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

#: Calls that create a class (a module-level ``Point = namedtuple(...)`` is a class).
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
#: ... of which these make an enum (RL104).
ENUM_FACTORIES = frozenset(
    {"enum.Enum", "enum.IntEnum", "enum.StrEnum", "enum.Flag", "enum.IntFlag"}
)
