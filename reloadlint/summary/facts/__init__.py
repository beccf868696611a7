"""The families of facts, one module each; every family names the rules it serves.

==========  ==================================================  =================================
module      facts                                               rules
==========  ==================================================  =================================
identity    captures, type checks, stores, ``is`` operands      RL103, RL104, RL105
classes     class facts, ``__vsn__``, ``__code_change__``       RL104, RL201, RL202, RL203, RL204
config      configuration and environment reads, data paths     RL301, RL302, RL303, RL304
state       mutations, import-time effects, decorations,        RL401, RL402
            how containers are read (``state_reads``) and
            how functions keep what they are given (``keeps``)
loops       endless loops                                       RL404
paths       dotted-path strings                                 RL502
values      record shapes, tasks, enum values                   RL601, RL602, RL603, RL604
attributes  other modules' attributes assigned or named         RL101, RL102 (their fixes)
==========  ==================================================  =================================

The core walk (:mod:`reloadlint.summary.walk`) records what every rule shares:
bindings, imports (with their ``except ImportError:`` fallbacks) and their uses
(RL101, RL102, RL403), references through
imports, definitions and the main block (RL501, RL503 and the plan).

The families the walk runs are listed in :mod:`reloadlint.summary.facts.families`, which
only the summariser imports: this package itself imports nothing, so reading one
leaf (``class_kinds``, which the configuration and the rules use) does not load the walk
and every family into a run answered from the cache.
"""
